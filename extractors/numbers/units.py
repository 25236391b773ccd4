"""Currencies, rates and comparators around a figure: the look-ups the unit rules (`rules.UNIT_RULES`) share."""

from __future__ import annotations

from ..numwords import (
    COMPARATORS,
    CURRENCY_PREFIX,
    CURRENCY_WORDS,
    DOLLAR_ADJECTIVES,
    DOLLAR_COUNTRY,
    GLUED_CURRENCY_PREFIX,
    RATE_DENOMINATORS,
    singular,
)
from ..records import NumberKind
from .base import ReaderBase
from .lexicon import (
    HYPHENS,
    MAX_DOLLAR_ADJECTIVE_GAP,
)
from .pieces import (
    Quantity,
)

__all__ = ['UnitReader']


class UnitReader(ReaderBase):
    """Currency words and signs, rates and comparators."""

    # -- currencies, rates, comparators (the unit rules are in `rules`) ----------------------------
    def currency_after(self, j: int) -> tuple[str, int] | None:
        """An ISO code for a currency word at j ("euros", "US dollars", "yen", "JPY")."""
        w = self.low(j)
        if not w:
            return None
        if w in ("dollar", "dollars"):
            code = "USD"
            for back in (1, 2):
                adj = self.low(j - back)
                if adj in DOLLAR_ADJECTIVES and self.p[j - back].tok >= self.p[j].tok - MAX_DOLLAR_ADJECTIVE_GAP:
                    code = DOLLAR_ADJECTIVES[adj]
                    break
            return code, j
        if w in ("won",) and self.tag(j).startswith("VB"):
            return None
        if w in ("p", "pence", "penny") and not (self.p[j].glued_prev or w != "p"):
            return None
        if w == "cent" or w == "cents":
            return "cent", j
        if w in CURRENCY_WORDS and w not in ("pound", "pounds"):
            return CURRENCY_WORDS[w], j
        return None

    def set_unit(self, q: Quantity, unit: str, kind: NumberKind, last: int) -> None:
        q.unit = unit
        q.kind = kind
        q.unit_last = last
        q.last = max(q.last, last)

    def rate(self, q: Quantity) -> None:
        """Extend a unit with "per X" / "a X" / "/X" ("barrels a day")."""
        j = q.last + 1
        if self.low(j) in ("per", "a", "an", "/", "each"):
            den = self.low(j + 1)
            if singular(den) in RATE_DENOMINATORS or den in RATE_DENOMINATORS:
                q.unit = f"{q.unit}/{singular(den)}"
                q.unit_last = q.last = j + 1

    def currency_before(self, q: Quantity) -> None:
        """Currency written before the figure: "$", "US$", "HK $", "€", "PS6m", "USD1,700"."""
        i = q.first
        w = self.low(i - 1)
        if not w or i - 1 < 0:
            return
        glued = self.p[i].glued_prev
        if w == "$" or w.endswith("$"):
            code = CURRENCY_PREFIX.get(w, "USD")
            start = i - 1
            prev = self.low(i - 2)
            if w == "$" and prev in DOLLAR_COUNTRY and self.p[i - 2].text.isupper():
                code = DOLLAR_COUNTRY[prev]
                start = i - 2
            q.currency = code
            q.first = start
            return
        if w in CURRENCY_PREFIX and (glued or not w.isalpha() or self.p[i - 1].text.isupper() or w in ("rs", "rs.")):
            q.currency = CURRENCY_PREFIX[w]
            q.first = i - 1
            return
        if glued and w in GLUED_CURRENCY_PREFIX:
            q.currency = GLUED_CURRENCY_PREFIX[w]
            q.first = i - 1

    def comparator_before(self, q: Quantity) -> None:
        i = q.first
        q.span_start = i
        for size in (3, 2, 1):
            if i - size < 0:
                continue
            key = tuple(self.low(i - size + d) for d in range(size))
            if key in COMPARATORS:
                if key == ("some",) and q.vague:
                    continue
                comp, _ = COMPARATORS[key]
                q.comparator = comp
                q.approx = True  # a bound or an estimate: the figure is not the exact amount
                q.span_start = i - size
                break
        before = self.low(q.span_start - 1)
        if before in ("up", "down") and q.comparator != "up to":
            q.change = before
        if self.low(q.first - 1) == "minus" or (self.low(q.first - 1) in HYPHENS and self.low(q.first - 2) == "minus"):
            if q.value is not None:
                q.value = -abs(q.value)
            q.span_start = q.first - 2 if self.low(q.first - 1) in HYPHENS else q.first - 1

    def rate_money(self, q: Quantity) -> None:
        j = q.last + 1
        if self.low(j) in ("per", "a", "an", "/") and singular(self.low(j + 1)) in RATE_DENOMINATORS:
            q.last = j + 1
