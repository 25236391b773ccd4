"""What a figure counts (the counted noun and its modifiers) and the direction of a change."""

from __future__ import annotations

from ..months import ENGLISH_MONTH_WORDS as MONTHS
from ..numwords import (
    CURRENCY_WORDS,
    DOWN_WORDS,
    UP_WORDS,
    lookup_currency,
)
from .lexicon import (
    DETERMINERS,
    HYPHENS,
    MAX_CHANGE_HOPS,
    MAX_NOUN_RUN,
    MAX_OF_OBJECT,
    NOT_COUNTED,
    TIME_DETERMINERS,
)
from .pieces import (
    Quantity,
    nounish,
)
from .units import UnitReader

__all__ = ['ContextReader']


class ContextReader(UnitReader):
    """The counted noun and the direction of a change."""

    # -- counted noun -------------------------------------------------------------------------
    def counted(self, q: Quantity) -> None:
        doc = self.doc
        last_tok = self.p[q.last].tok
        t = last_tok + 1
        found: tuple[int, int] | None = None
        nxt = q.last + 1
        if (
            self.low(nxt) in HYPHENS
            and nxt + 1 < self.n
            and self.p[nxt].glued_prev
            and self.p[nxt + 1].glued_prev
            and doc[self.p[nxt + 1].tok].pos_ == "NOUN"
        ):  # "a 50,000-seat stadium", "a 10-game run": the number counts the compound's noun
            ti = self.p[nxt + 1].tok
            q.counted, q.counted_tok = doc[ti].text, ti
            return
        if self.low(q.last + 1) == "more" and q.vague:
            t += 1
            if t < len(doc) and doc[t].tag_ in ("JJ", "VBN") and (doc[t].dep_ != "amod" or doc[t].text.endswith("ed")):
                found = (t, t)  # "thousands more wounded"
        found = found or self._noun_run(t)
        if (
            found is None
            and doc[last_tok].text.lower() != "of"
            and t < len(doc)
            and doc[t].text.lower() == "of"
            and (q.vague or q.fraction or q.word_number or q.value == 1 or q.currency is None)
        ):
            found = self._of_object(t + 1)
        if found is None:
            return
        head, mod_start = found
        q.counted = doc[head].text
        q.counted_tok = head
        if mod_start < head:
            q.counted_modifier = doc.span_text(mod_start, head).replace(" - ", "-")
        if q.unit is None and q.kind is None:
            cur = self._currency_after_token(head, q.counted_modifier)
            if cur is not None:
                q.currency = cur
                q.unit, q.kind = cur, "money"
                q.counted = q.counted_modifier = None
                q.counted_tok = -1

    def _currency_after_token(self, ti: int, modifier: str | None) -> str | None:
        """Currency named by a counted noun ("4 million Canadian dollars")."""
        w = self.doc[ti].text.lower()
        if w not in CURRENCY_WORDS or w in ("p", "cent", "cents", "won"):
            return None
        return lookup_currency(f"{modifier} {w}" if modifier else w)

    def _noun_run(self, t: int) -> tuple[int, int] | None:
        """Head noun of the noun group starting at token t, and where its modifiers start."""
        doc = self.doc
        start = t
        head = None
        k = t
        if t < len(doc) and doc[t].text.lower() in TIME_DETERMINERS:
            return None
        while k < len(doc) and k < t + MAX_NOUN_RUN:
            tok = doc[k]
            if tok.like_num or tok.text.lower() in MONTHS:
                break
            nxt_tag = doc[k + 1].tag_ if k + 1 < len(doc) else ""
            if tok.text.lower() in ("most", "more", "least") and nxt_tag in ("JJ", "VBN"):
                k += 1
                continue
            if tok.tag_ in ("RB", "CC") and nxt_tag in ("JJ", "VBN") and tok.text.lower() not in ("not", "or"):
                k += 1
                continue
            if tok.text.lower() in NOT_COUNTED:
                break
            if nounish(tok):
                head = k
                nxt = doc[k + 1] if k + 1 < len(doc) else None
                if (
                    nxt is not None
                    and nounish(nxt)
                    and not nxt.like_num
                    and nxt.text.lower() not in MONTHS
                    and tok.dep_ in ("compound", "nmod", "amod")
                ):
                    k += 1
                    continue
                break
            if tok.tag_ in ("JJ", "JJR", "JJS", "VBN", "VBG", "HYPH", "NNP", "NNPS") or (tok.pos_ == "ADJ"):
                if tok.tag_ in ("VBN", "VBG") and tok.dep_ not in ("amod", "compound"):
                    break
                k += 1
                continue
            break
        if head is None or len(doc[head].text) < 2 or not doc[head].text[0].isalpha():
            return None
        return head, start

    def _of_object(self, t: int) -> tuple[int, int] | None:
        doc = self.doc
        k = t
        while k < len(doc) and k < t + MAX_OF_OBJECT:
            tok = doc[k]
            if tok.text.lower() in DETERMINERS or tok.tag_ in ("DT", "PRP$", "POS"):
                k += 1
                continue
            if tok.pos_ in ("PROPN", "NOUN") and k + 1 < len(doc) and doc[k + 1].tag_ == "POS":
                k += 2
                continue
            break
        found = self._noun_run(k)
        if found is None:
            return None
        head, start = found
        return head, start if start == k else k

    # -- change -------------------------------------------------------------------------------
    def change(self, q: Quantity) -> None:
        if q.change is not None:
            return
        if q.value is not None and q.value < 0:
            q.change = "down"
            return
        if self.p[q.first].text.startswith("+"):
            q.change = "up"
            return
        after = self.low(q.last + 1)
        if after in ("higher", "lower"):
            q.change = "up" if after == "higher" else "down"
            return
        lo_tok = self.p[q.first].tok
        hi_tok = self.p[q.last].tok
        if q.counted_tok > hi_tok:
            hi_tok = q.counted_tok
        # the token of the quantity's words whose head lies outside them
        tok = self.doc[self.p[q.core_last].tok]
        for ti in range(lo_tok, hi_tok + 1):
            cand = self.doc[ti]
            if not lo_tok <= cand.head.i <= hi_tok or cand.head.i == cand.i:
                tok = cand
                break
        for _ in range(MAX_CHANGE_HOPS):
            if tok.dep_ in ("nummod", "quantmod", "compound", "nmod", "amod") and tok.head.i != tok.i:
                tok = tok.head
            else:
                break
        verb = None
        if tok.dep_ in ("dobj", "npadvmod", "advmod", "attr", "nsubj") and tok.head.pos_ in ("VERB", "AUX"):
            verb = tok.head if tok.dep_ != "nsubj" else None
        elif tok.dep_ == "pobj" and tok.head.text.lower() == "by":
            verb = tok.head.head
        if verb is not None and verb.pos_ in ("VERB", "AUX", "ADV", "ADJ"):
            word = verb.text.lower()
            if word in UP_WORDS:
                q.change = "up"
            elif word in DOWN_WORDS:
                q.change = "down"
