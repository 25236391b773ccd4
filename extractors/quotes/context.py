"""One story as the quote rules see it: text, tokens, sentences, quote segments, and lookups over them."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from ..records import Actor, Mention
from .parse import CUE_WORDS, is_cue, sentences
from .resolve import Resolver
from .scan import scan_quotes
from .types import Seg, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..actors.tokens import TokView

__all__ = ["FEW_WORDS", "NEAR_CUE_TOKENS", "QuoteContext"]

HEADLINE_WORD = re.compile(r"[A-Za-z][\w'-]*")
# In the sentence after a quote, a cue counts as the quote's own only among its first tokens
# (`"...," the minister said on Tuesday`); token index of the last one that counts.
NEAR_CUE_TOKENS = 7
# At most this many words between two quotes let the second inherit the first's speaker (`few_words`).
FEW_WORDS = 6


class QuoteContext:
    """State shared by the rules of one story; `used_cues` collects the cue tokens that attributed a
    direct or partial quote, so the indirect-speech pass does not use them again."""

    def __init__(self, view: TokView, actors: list[Actor], mentions: list[Mention]) -> None:
        doc = view.doc
        text = view.text
        self.doc = doc
        self.toks = view.toks
        self.lowers = view.lowers
        self.text = text
        self.text_first = len(text) - len(text.lstrip())  # where the first non-space character is
        self.text_end = len(text.rstrip())  # just after the last non-space character
        self.segs = scan_quotes(self.text)
        self.resolver = Resolver(doc, text, actors, mentions, self.segs)
        self.sents: list[Span] = sentences(view)
        self.sent_starts = [s.start_char for s in self.sents]
        self.seg_starts = [s.start for s in self.segs]
        self.tok_starts = view.idxs
        self.used_cues: set[int] = set()

    def sent_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def sent_of(self, tok: Token) -> Span:
        return self.sents[self.sent_index(tok.idx)]

    def in_quote(self, char: int) -> bool:
        k = bisect.bisect_right(self.seg_starts, char) - 1
        return k >= 0 and self.segs[k].start - 1 <= char <= self.segs[k].end

    def para_bounds(self, char: int) -> tuple[int, int]:
        a = self.text.rfind("\n", 0, char) + 1
        b = self.text.find("\n", char)
        return a, (len(self.text) if b < 0 else b)

    def tokens(self, lo: int, hi: int) -> Span:
        a = bisect.bisect_left(self.tok_starts, lo)
        b = bisect.bisect_left(self.tok_starts, hi)
        return self.doc[a:b]

    def frame(self, seg: Seg) -> tuple[int, int, int]:
        """Where the attribution of `seg` is looked for: (lo, hi, near) where [lo, hi) is its sentence(s)
        kept inside the paragraph, widened over mis-split sentences (`"...?" he asked.`, `He said: "..."`);
        cues in the sentence after the quote count only up to `near`."""
        pa, pb = self.para_bounds(seg.start)
        si, sj = self.sent_index(seg.start), self.sent_index(max(seg.start, seg.end - 1))
        lo, hi = self.sents[si].start_char, max(self.sents[sj].end_char, seg.end)
        near = hi
        # the sentence after, when the quote ends its sentence and the attribution follows it
        if sj + 1 < len(self.sents) and hi <= seg.end + 3:
            nxt = self.sents[sj + 1]
            if len(nxt) and nxt.start_char < pb and nxt.start_char <= seg.end + 4 and not self.in_quote(nxt[0].idx + 1):
                first_q = next((g.start for g in self.segs if nxt.start_char <= g.start < nxt.end_char), nxt.end_char)
                hi = min(nxt.end_char, first_q)
                near = nxt[min(len(nxt) - 1, NEAR_CUE_TOKENS)].idx + 1
        # the sentence before, when it ends with a colon or comma leading into the quote
        if si > 0 and lo >= seg.start - 2:
            prev = self.sents[si - 1]
            tail = self.text[prev.start_char : lo].rstrip()
            if tail.endswith((":", ",")) and prev.start_char >= pa:
                lo = prev.start_char
        return max(lo, pa), min(hi, pb), near

    def cues_in(self, lo: int, hi: int) -> list[Token]:
        a = bisect.bisect_left(self.tok_starts, lo)
        b = bisect.bisect_left(self.tok_starts, hi)
        lowers, starts, toks = self.lowers, self.tok_starts, self.toks
        return [
            toks[i]
            for i in range(a, b)
            if lowers[i] in CUE_WORDS and not self.in_quote(starts[i]) and is_cue(toks[i])
        ]

    def phrase(self, lo: int, hi: int, head: Token, cue: str) -> Speaker:
        span = self.doc[lo:hi]
        return Speaker(text=span.text, start=span.start_char, end=span.end_char, cue=cue, head=head.i, lo=lo, hi=hi)

    def is_headline(self, char: int) -> bool:
        """Is `char` in a headline: the first paragraph, or a paragraph of Capitalised Words?"""
        pa, pb = self.para_bounds(char)
        words = HEADLINE_WORD.findall(self.text, pa, pb)
        # only white space before the paragraph, something after it (`text[:pa].strip()` without the copy)
        if pa <= self.text_first and pb < self.text_end and len(words) <= 25:
            return True  # the first of several paragraphs, and short
        return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)

    def few_words(self, lo: int, hi: int, sp: Speaker | None, limit: int = FEW_WORDS) -> bool:
        """Is text[lo:hi] (between two quotes) no more than the attribution of the first: at most one
        sentence break and one reporting verb, or at most `limit` words?"""
        gap = self.text[lo:hi]
        if len(re.findall(r"\w+", gap)) <= limit:
            return True
        if sp is None:
            return False
        breaks = self.sent_index(max(lo, hi - 1)) - self.sent_index(lo)
        return breaks <= 1 and len(self.cues_in(lo, hi)) <= 2

    def prev_paragraph(self, pa: int) -> tuple[int, int] | None:
        """Bounds of the last non-blank paragraph before the one starting at `pa`."""
        end = pa - 1
        while end > 0:
            start = self.text.rfind("\n", 0, end) + 1
            if self.text[start:end].strip():
                return start, end
            end = start - 1
        return None
