"""Units, currencies, rates and comparators around a figure."""

from __future__ import annotations

from ..numwords import (
    COMPARATORS,
    CURRENCY_PREFIX,
    CURRENCY_WORDS,
    DOLLAR_ADJECTIVES,
    DOLLAR_COUNTRY,
    GLUED_CURRENCY_PREFIX,
    MULTIWORD_UNITS,
    RATE_DENOMINATORS,
    lookup_unit,
    singular,
)
from ..records import NumberKind
from .base import ReaderBase
from .lexicon import (
    HYPHENS,
)
from .pieces import (
    Quantity,
)

__all__ = ['UnitReader']


class UnitReader(ReaderBase):
    """Units, currencies, rates and comparators."""

    # -- units --------------------------------------------------------------------------------
    def unit_at(self, q: Quantity, j: int) -> None:
        """Read the unit starting at piece j into q (and extend q.last)."""
        if j >= self.n:
            return
        w = self.low(j)
        glued = self.p[j].glued_prev
        # age / duration compounds: "45-year-old", "three-year-long", "18 month-old", "10 years old"
        k = j + 1 if w in HYPHENS else j
        dur = lookup_unit(self.low(k))
        if dur is not None and dur[1] == "duration" and (k != j or not self.p[k].glued_prev):
            after = k + 1
            if self.low(after) in HYPHENS and self.low(after + 1) in ("old", "olds"):
                self._set_unit(q, dur[0], "age", after + 1)
                return
            if self.low(after) == "old":
                self._set_unit(q, dur[0], "age", after)
                return
            if self.low(after) in HYPHENS and self.low(after + 1) in ("long",):
                self._set_unit(q, dur[0], "duration", after + 1)
                return
            self._set_unit(q, dur[0], "duration", k)
            self._rate(q)
            return
        if w in HYPHENS and j + 1 < self.n:
            hy = lookup_unit(self.p[j + 1].text)
            if hy is not None and hy[1] in ("measure", "percent") and len(self.p[j + 1].text) > 1:
                self._set_unit(q, hy[0], hy[1], j + 1)
                return
        # multiword units, longest first
        for size in (3, 2):
            key = tuple(self.low(j + d) for d in range(size))
            if key in MULTIWORD_UNITS:
                unit, kind = MULTIWORD_UNITS[key]
                self._set_unit(q, unit, kind, j + size - 1)
                self._rate(q)
                return
        if w == "m":  # million after money or before a plural noun ("30m viewers"), else metres
            money = q.currency is not None or self._currency_after(j + 1) is not None
            nxt_tag = self.tag(j + 1)
            if money or (nxt_tag == "NNS" and lookup_unit(self.low(j + 1)) is None):
                q.value = (q.value or 0.0) * 1e6
                q.scale *= 1e6
                q.last = q.core_last = j
                self.unit_at(q, j + 1)
                return
            self._set_unit(q, "m", "measure", j)
            self._rate(q)
            return
        cur = self._currency_after(j)
        if cur is not None:
            code, end = cur
            q.currency = q.currency or code
            self._set_unit(q, q.currency, "money", end)
            return
        if w in ("pounds", "pound", "lb", "lbs") and not glued:
            if w.startswith("pound") and (q.scale > 1 or q.currency == "GBP" or self.low(j + 1) == "sterling"):
                self._set_unit(q, "GBP", "money", j + (1 if self.low(j + 1) == "sterling" else 0))
            else:
                self._set_unit(q, "lb", "measure", j)
            self._rate(q)
            return
        # single piece units; one-letter/ambiguous symbols only when glued to the figure
        ambiguous = w in ("t", "g", "c", "f", "in", "p", "ha", "bar", "pa", "min", "sec", "mi", "l", "nm", "db")
        if ambiguous and not glued and self.p[j].text not in ("L", "W", "V"):
            return
        u = lookup_unit(self.p[j].text)
        if u is None and w == "deg":
            u = ("degree", "measure")
        if u is not None and u[1] != "money":
            # "2.14degF", "5 deg C"
            self._set_unit(q, u[0], u[1], j)
            if u[1] == "measure":
                self._rate(q)
            return
        if w == "%" or (w == "pc" and glued):
            self._set_unit(q, "%", "percent", j)
            return

    def _currency_after(self, j: int) -> tuple[str, int] | None:
        """An ISO code for a currency word at j ("euros", "US dollars", "yen", "JPY")."""
        w = self.low(j)
        if not w:
            return None
        if w in ("dollar", "dollars"):
            code = "USD"
            for back in (1, 2):
                adj = self.low(j - back)
                if adj in DOLLAR_ADJECTIVES and self.p[j - back].tok >= self.p[j].tok - 2:
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

    def _set_unit(self, q: Quantity, unit: str, kind: NumberKind, last: int) -> None:
        q.unit = unit
        q.kind = kind
        q.unit_last = last
        q.last = max(q.last, last)

    def _rate(self, q: Quantity) -> None:
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

    def _rate_money(self, q: Quantity) -> None:
        j = q.last + 1
        if self.low(j) in ("per", "a", "an", "/") and singular(self.low(j + 1)) in RATE_DENOMINATORS:
            q.last = j + 1
