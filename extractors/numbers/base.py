"""The reader's state and piece look-ups, number words and the core figure (`ReaderBase.core`)."""

from __future__ import annotations

from ..actors.tokens import TokView
from ..numwords import (
    FRACTION_WORDS,
    SCALE_WORDS,
    SHORT_SCALES,
    TENS_WORDS,
    UNITS_WORDS,
    VAGUE_WORDS,
    lookup_unit,
)
from .lexicon import (
    HYPHENS,
)
from .pieces import (
    Quantity,
    split_pieces,
)

__all__ = ['ReaderBase']


class ReaderBase:
    """Reads quantities over the pieces of one doc: the state, piece look-ups and the core figure."""

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

    def core(self, i: int) -> Quantity | None:
        """The figure starting at piece i (digits, words, scale, fraction, vague), without unit."""
        p = self.p[i]
        w = self.lows[i]
        q: Quantity | None = None
        if p.junk or p.ordinal:
            return None
        if p.value is not None:
            q = Quantity(first=i, last=i, value=p.value)
            j = i + 1
        elif w in VAGUE_WORDS and (w not in ("tens", "scores") or self.low(i + 1) == "of"):
            unit = VAGUE_WORDS[w]
            j = i + 1
            if self.low(j) == "of" and self.low(j + 1) in VAGUE_WORDS and VAGUE_WORDS[self.low(j + 1)] > unit:
                unit *= VAGUE_WORDS[self.low(j + 1)]
                j += 2
            if w in ("dozens",) or w in ("tens", "scores") or self.low(i + 1) in ("of", "more", "upon"):
                pass
            elif self.tag(i) not in ("NNS",):
                return None
            q = Quantity(first=i, last=j - 1, value=None, low=2 * unit, high=10 * unit, vague=True, approx=True)
            q.core_last = j - 1
            return q
        elif w == "half" and self.low(i - 1) not in ("the", "first", "second", "this", "that"):
            if self.low(i + 1) in ("a", "an") and self.low(i + 2) in SCALE_WORDS | {"dozen": 12}:
                nxt = self.low(i + 2)
                scale = 12.0 if nxt == "dozen" else SCALE_WORDS[nxt]
                q = Quantity(first=i, last=i + 2, value=0.5 * scale, word_number=True, scale=scale)
                q.core_last = i + 2
                return q
            if self.low(i + 1) in ("a", "an") and lookup_unit(self.low(i + 2)) is not None:
                q = Quantity(first=i, last=i, value=0.5, word_number=True)
                q.core_last = i
                q.notes.add("half-a")
                return q
            if self.low(i + 1) in {"of", "the", "its", "their", "his", "her", "our", "all"}:
                q = Quantity(first=i, last=i, value=0.5, fraction=True, word_number=True)
                q.core_last = i
                return q
            return None
        else:
            wn = self.word_number(i)
            if wn is None:
                if w in ("a", "an", "one") and self.low(i + 1) in FRACTION_WORDS and self.low(i + 2) == "of":
                    q = Quantity(
                        first=i, last=i + 1, value=1 / FRACTION_WORDS[self.low(i + 1)], fraction=True, word_number=True
                    )
                    q.core_last = i + 1
                    return q
                return None
            value, j = wn
            q = Quantity(first=i, last=j - 1, value=value, word_number=True)
        assert q is not None and q.value is not None
        # fractions: "two-thirds", "one fourth of", "one out of three"
        if q.word_number or (p.value is not None and float(q.value).is_integer()):
            k = j + 1 if self.low(j) in HYPHENS else j
            fw = self.low(k)
            if fw in FRACTION_WORDS and (fw.endswith("s") or q.value == 1) and (self.low(k + 1) == "of" or k != j):
                q.value = q.value / FRACTION_WORDS[fw]
                q.fraction = True
                q.last = q.core_last = k
                return q
            out_of = self.low(j) == "out" and self.low(j + 1) == "of"
            in_n = (
                self.low(j) == "in"
                and (self.is_num(j + 1) or self.low(j + 1) in UNITS_WORDS | TENS_WORDS.keys())
                and q.value <= 10
                and self.low(i - 1) not in HYPHENS
                and not self.is_num(i - 1)
            )
            if q.value is not None and q.value < 100 and (out_of or in_n):
                d = j + 2 if out_of else j + 1
                den = self.word_number(d) if not self.is_num(d) else (self.p[d].value or 0.0, d + 1)
                if den and den[0]:
                    q.value = q.value / den[0]
                    q.fraction = True
                    q.last = q.core_last = den[1] - 1
                    return q
            # "one and a half"
            if self.low(j) == "and" and self.low(j + 1) in ("a", "an") and self.low(j + 2) == "half":
                q.value += 0.5
                j += 3
            elif self.low(j) == "and" and self.low(j + 1) in ("a", "an") and self.low(j + 2) in ("quarter", "third"):
                q.value += 1 / FRACTION_WORDS[self.low(j + 2)]
                j += 3
        # scales: "1.2 million", "5bn", "4 thousand", "30m" (decided later), "two dozen"
        while j < self.n:
            s = self.low(j)
            if s in HYPHENS and self.low(j + 1) in SCALE_WORDS and self.p[j + 1].glued_prev:
                j += 1  # "$1.2-billion"
                s = self.low(j)
            if s in SCALE_WORDS and s not in SHORT_SCALES:
                q.scale *= SCALE_WORDS[s]
                j += 1
            elif s in ("bn", "tn", "mn", "mln", "bln", "trn") or (s in ("b", "k") and self.p[j].glued_prev):
                q.scale *= SCALE_WORDS.get(s, SHORT_SCALES.get(s, 1.0))
                j += 1
            elif self.p[j].text == "M" and self.p[j].glued_prev:
                q.scale *= 1e6
                j += 1
            elif s == "dozen" and not q.word_number:
                q.scale *= 12
                j += 1
            else:
                break
        q.value = q.value * q.scale
        q.last = q.core_last = j - 1
        return q
