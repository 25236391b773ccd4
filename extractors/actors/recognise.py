"""Recognition: the model entities (the rules a CoNLL span goes through), corporate names, repeated
capitalised words and parts of names. Their order is in `rules` (`RECOGNITION_PASSES`, `CONLL_SPAN_RULES`,
`MENTION_STEPS`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import ActorKind
from .gazetteer import (
    TITLE_WORDS,
    capital_country,
    country_name,
)
from .lexicon import (
    BASE_KIND,
    CONLL_KIND,
    CONLL_SPANS_KEY,
    CORP_SUFFIXES,
    NAME_PARTICLES,
    NOT_NAME_TAGS,
    ORG_HEADS,
)
from .passes import RecognitionPasses

if TYPE_CHECKING:
    from spacy.tokens import Span
from .spans import (
    Candidate,
    Ent,
    is_caps_word,
)

__all__ = [
    "Recogniser",
]

_BREAKS = frozenset({"(", ")", ",", ".", '"', "\u201c", "\u201d"})
# A one-word name is looked for again (in capitals, or missed by the ner) only from this length ("Li" is not).
MIN_REPEATED_WORD = 3
# A first name or surname standing alone joins its person only from this length.
MIN_NAME_PART = 3


class Recogniser(RecognitionPasses):
    """Finds the candidate mentions of one story."""

    # ---------------------------------------------------------------- recognition passes
    def base_entities(self) -> None:
        """The base model's entities of actor kinds and NORP, read once for the passes after it."""
        self.base = [Ent(e) for e in self.spacy_doc.ents if e.label_ in BASE_KIND or e.label_ == "NORP"]
        self.base_label = {(e.start, e.end): e.label_ for e in self.base}

    def has_conll(self) -> bool:
        return CONLL_SPANS_KEY in self.spacy_doc.spans

    def base_only(self) -> None:
        """Without the CoNLL ner: the base model's entities of actor kinds are the mentions."""
        for ent in self.base:
            if ent.label_ in BASE_KIND:
                self._add(ent.start, ent.end, BASE_KIND[ent.label_], "base")

    def mention_texts(self) -> None:
        doc = self.doc
        for m in self.mentions:
            m.text = doc.span_text(m.start, m.end)

    # ---------------------------------------------------------------- CoNLL span rules
    def misc_org(self, span: Span) -> bool:
        """A MISC span the base model calls an organisation, with an organisation head word: an org."""
        if span.label_ != "MISC" or not self._misc_org(span, self.base):
            return False
        self._add(span.start, span.end, "org", "conll")
        return True

    def misc_group(self, span: Span) -> bool:
        """"The Taliban seized ...": a MISC name used as a noun: a group."""
        if span.label_ != "MISC" or not self._misc_group(span, self.base):
            return False
        self._add(span.start, span.end, "group", "conll")
        return True

    def misc_in_capitals(self, span: Span) -> bool:
        """"MERKEL WARNS ...": an all-capitals MISC span that is a name the ner gives a kind elsewhere in the
        story (compared case-folded) takes that kind: the ner mis-reads headline capitals."""
        if span.label_ != "MISC" or not span.text.isupper():
            return False
        folded = span.text.casefold()
        kinds = {CONLL_KIND[o.label_] for o in self.conll_spans
                 if o.label_ in CONLL_KIND and o.text.casefold() == folded and not o.text.isupper()}
        if not kinds:  # a surname in capitals: the last word of a person's name
            kinds = {"person" for o in self.conll_spans if o.label_ == "PER" and " " in o.text
                     and o.text.split()[-1].casefold() == folded}
        if len(kinds) != 1:
            return False
        self._add(span.start, span.end, kinds.pop(), "conll")
        return True

    def other_misc(self, span: Span) -> bool:
        """Any other MISC span is no actor; its tokens are kept from the passes that follow."""
        if span.label_ != "MISC":
            return False
        self.misc.update(range(span.start, span.end))
        self.misc_spans.add((span.start, span.end))
        return True

    def no_actor_label(self, span: Span) -> bool:
        return CONLL_KIND.get(span.label_) is None

    def nationality(self, span: Span) -> bool:
        """"North Korean (soldiers)" tagged as a place or org: no actor; "Britons", "Kurds": a group."""
        if CONLL_KIND.get(span.label_) in (None, "person") or not self._is_demonym(span, self.base):
            return False
        if span.root.tag_ in {"NNS", "NNPS"}:
            self._add(span.start, span.end, "group", "norp")
        return True

    def sentence_adverb(self, span: Span) -> bool:
        """"Unfortunately", "Clearly": a sentence-initial word, not a name."""
        return len(span) == 1 and (span[0].tag_ in NOT_NAME_TAGS or self._opening_word(span, self.base))

    def nationality_as_person(self, span: Span) -> bool:
        """A nationality tagged as a person: no actor; "Latinos", "Muslims": a group."""
        if CONLL_KIND.get(span.label_) != "person" or not self._is_demonym(span, self.base, any_pos=True):
            return False
        if span.root.tag_ in {"NNS", "NNPS"} or span.text.endswith("s"):
            self._add(span.start, span.end, "group", "norp")
        return True

    def name(self, span: Span) -> bool:
        """A name: bounds repaired by the base model, kind settled, split when it joins an org and a
        person ("Labour MP Barry Sheerman") or two places ("North Korea-Russia")."""
        conll_kind = CONLL_KIND.get(span.label_)
        if conll_kind is None:
            return False
        start, end = self._repair(span, self.base, conll_kind)
        kind = self._kind_conflict(start, end, conll_kind, self.base)
        if not (self._split_title(start, end, kind, self.base) or self._split_places(start, end)):
            self._add(start, end, kind, "conll")
        return True

    def base_people(self) -> None:
        """Multi-word person names the CoNLL model left untagged but the base model tags."""
        self._base_fill(self.base)

    # ---------------------------------------------------------------- after recognition
    def corporate(self) -> None:
        """"Bear Stearns & Co Inc", "Pirelli SpA": company suffixes and "& Co" extend a name into an org."""
        doc = self.doc
        n = len(doc)
        # a company suffix on its own ("SpA" the ner took apart from "Pirelli") is no actor: it joins the name
        lone = [m for m in self.mentions if m.end - m.start == 1 and doc[m.start].text in CORP_SUFFIXES
                and any(o.end == m.start for o in self.mentions)]
        for m in lone:
            self.mentions.remove(m)
            self.taken[m.start] = False
        for m in self.mentions:
            if m.nominal or m.kind == "group":
                continue
            end = m.end
            if m.kind != "person" and end < n and doc[end].lower_ in ORG_HEADS and doc[end].text[:1].isupper() \
                    and doc[end - 1].whitespace_:
                # "(the) Korea Institute for National Unification": a place or name before a capitalised
                # organisation head word, and the capitalised words after it, is one organisation's name
                end += 1
                while end < n and (doc[end].text[:1].isupper() or (
                        doc[end].lower_ in NAME_PARTICLES and end + 1 < n and doc[end + 1].text[:1].isupper())):
                    if doc[end].text in _BREAKS:
                        break
                    end += 1
            while end < n:
                tok = doc[end]
                if tok.text in CORP_SUFFIXES and doc[end - 1].whitespace_:
                    end += 1
                elif tok.text == "&" and end + 1 < n and doc[end + 1].text[:1].isupper() \
                        and not self.taken[end + 1]:
                    end += 2
                else:
                    break
            if end > m.end and not any(self.taken[i] for i in range(m.end, end)):
                for i in range(m.end, end):
                    self.taken[i] = True
                m.end = end
                m.kind = "org"
                m.text = doc.span_text(m.start, m.end)
            elif m.end - m.start >= 2 and doc[m.end - 1].text in CORP_SUFFIXES:
                m.kind = "org"

    def caps_repeats(self) -> None:
        """Names already found, seen again in capitals (headlines) or missed by the ner."""
        doc = self.doc
        forms: dict[str, list[tuple[list[str], Candidate]]] = {}
        for m in self.mentions:
            if m.nominal:
                continue
            words = doc.lowers[m.start:m.end]
            if len(words) == 1 and len(words[0]) < MIN_REPEATED_WORD:
                continue
            forms.setdefault(words[0], []).append((words, m))
        for i, low in enumerate(doc.lowers):
            if self.taken[i] or i in self.misc or low not in forms:
                continue
            tok = doc[i]
            for words, src in sorted(forms[low], key=lambda x: -len(x[0])):
                n = len(words)
                seg = doc[tok.i:tok.i + n]
                if len(seg) != n or doc.lowers[tok.i:tok.i + n] != words:
                    continue
                if any(self.taken[i] or i in self.misc for i in range(tok.i, tok.i + n)):
                    continue
                in_caps = all(i in self.caps for i in range(tok.i, tok.i + n))
                if in_caps:
                    ok = all(is_caps_word(t) or not t.is_alpha for t in seg)
                else:
                    ok = doc.texts[tok.i:tok.i + n] == doc.texts[src.start:src.end] and \
                        seg[0].pos_ == "PROPN"
                if ok:
                    added = self._add(tok.i, tok.i + n, src.kind, "repeat")
                    if added is not None:
                        added.text = doc.span_text(tok.i, tok.i + n)
                    break

    def name_parts(self) -> None:
        """A surname or first name of a person already named, standing alone ("Hong said")."""
        doc = self.doc
        parts: dict[str, ActorKind] = {}
        for m in self.mentions:
            if m.kind != "person":
                continue
            words = [t for t in doc[m.start:m.end] if t.is_alpha]
            if len(words) < 2:
                continue
            for t in (words[0], words[-1]):
                if len(t.text) >= MIN_NAME_PART and t.lower_ not in NAME_PARTICLES and t.text[:1].isupper() \
                        and country_name(t.text) is None and capital_country(t.text) is None:
                    parts[t.text] = "person"
                    parts[t.text.upper()] = "person"
        if not parts:
            return
        n = len(doc)
        for i, text in enumerate(doc.texts):
            if text not in parts or self.taken[i] or (i in self.misc and (i, i + 1) not in self.misc_spans):
                continue
            tok = doc[i]
            if tok.is_upper and i not in self.caps and not tok.text.istitle():
                continue
            if tok.pos_ != "PROPN" and i not in self.caps:
                continue
            if i + 1 < n and doc[i + 1].pos_ == "PROPN" and doc[i + 1].text[:1].isupper():
                continue
            if i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper() \
                    and doc[i - 1].lower_ not in TITLE_WORDS and doc.sent_start[i] != i:
                continue
            added = self._add(i, i + 1, "person", "part")
            if added is not None:
                added.text = tok.text
