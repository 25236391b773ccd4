"""The reader's state, piece look-ups and number words (the figure rules are in `rules`)."""

from __future__ import annotations

from ..actors.tokens import TokView
from ..numwords import (
    SCALE_WORDS,
    TENS_WORDS,
    UNITS_WORDS,
)
from .pieces import (
    split_pieces,
)

__all__ = ['ReaderBase']


class ReaderBase:
    """Reads quantities over the pieces of one doc: the state, piece look-ups and number words."""

    def __init__(self, view: TokView) -> None:
        self.doc = view  # indexed like the Doc, without building a new Token per look-up
        self.text = view.text
        self.p, self.lows = split_pieces(view)  # the grammar compares lower-case pieces all the time
        self.n = len(self.p)

    # -- helpers ------------------------------------------------------------------------------
    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < self.n else ""

    def is_num(self, i: int) -> bool:
        return 0 <= i < self.n and self.p[i].value is not None and not self.p[i].ordinal

    def tag(self, i: int) -> str:
        return str(self.doc[self.p[i].tok].tag_) if 0 <= i < self.n else ""

    def same_token(self, i: int, j: int) -> bool:
        return 0 <= i < self.n and 0 <= j < self.n and self.p[i].tok == self.p[j].tok

    # -- figures ------------------------------------------------------------------------------
    def word_number(self, i: int) -> tuple[float, int] | None:
        """Value of number words starting at piece i and the index after them."""
        total = 0.0
        cur = 0.0
        j = i
        seen = False
        while j < self.n:
            w = self.low(j)
            if w in UNITS_WORDS:
                if seen and cur % 100 != 0 and cur % 10 != 0:
                    break
                cur += UNITS_WORDS[w]
            elif w in TENS_WORDS:
                if seen and cur % 100 != 0:
                    break
                cur += TENS_WORDS[w]
                if self.low(j + 1) in ("-",) and self.low(j + 2) in UNITS_WORDS and UNITS_WORDS[self.low(j + 2)] < 10:
                    cur += UNITS_WORDS[self.low(j + 2)]
                    j += 2
            elif w == "hundred" and seen:
                cur = max(cur, 1) * 100
            elif w in ("thousand", "million", "billion", "trillion") and seen:
                total += max(cur, 1) * SCALE_WORDS[w]
                cur = 0
            elif w == "dozen" and seen:
                cur = max(cur, 1) * 12
            elif (
                w in ("a", "an")
                and not seen
                and self.low(j + 1) in ("hundred", "thousand", "dozen", "million", "billion", "trillion")
            ):
                cur = 1
            elif (
                w == "and"
                and seen
                and self.low(j + 1) in UNITS_WORDS.keys() | TENS_WORDS.keys()
                and (cur % 100 == 0 and (cur > 0 or total > 0))
            ):
                pass
            else:
                break
            seen = True
            j += 1
        if not seen or j == i:
            return None
        if self.low(j - 1) in ("a", "an", "and"):
            return None
        return total + cur, j
