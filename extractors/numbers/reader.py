"""The reader: a quantity at each piece, read in order, neighbouring figures combined (ranges, "5 feet 2")."""

from __future__ import annotations

from ..numwords import (
    CURRENCY_PREFIX,
    DOLLAR_COUNTRY,
)
from .filters import FilterReader
from .lexicon import (
    HYPHENS,
    OPENERS,
    RANGE_WORDS,
)
from .pieces import (
    Quantity,
)
from .rules import quantity_at

__all__ = ["Reader"]

# The words that join a figure to the next one in a range or a list ("10 to 15", "eight or nine euros").
RANGE_OR_LIST = RANGE_WORDS | {"or"}
# Approximation words allowed before the second figure of a range ("between 10 and about 15").
APPROX_BEFORE_SECOND = frozenset({"about", "around", "nearly", "almost", "roughly"})
# A bare first figure takes the second's scale ("1 to 2 billion") when, scaled, it is not above the second
# (the factor allows for float rounding); in a list, not a range ("3 or 4 million"), it always does.
SCALED_FIRST_TOLERANCE = 1.0001
# A bare second figure after "between"/"from" takes the first's scale ("from 1.5bn to 2") when, scaled, it
# is at most this many times the first.
SCALED_SECOND_MAX_RATIO = 100


class Reader(FilterReader):
    """Reads quantities over the pieces of one doc."""

    # -- main ---------------------------------------------------------------------------------
    def read(self) -> list[Quantity]:
        out: list[Quantity] = []
        i = 0
        while i < self.n:
            if self.lows[i] not in OPENERS and not self.p.has_value(i):
                i += 1  # no figure starts here (what `rules.figure_at` would find out, for most pieces)
                continue
            q = quantity_at(self, i)
            if q is None:
                i += 1
                continue
            group = [q]
            # ranges and lists: "10 to 15", "between 3 and 4 percent", "eight or nine euros", "14-18 mpg"
            while True:
                last = group[-1]
                conn = self.low(last.last + 1)
                if conn not in RANGE_OR_LIST:
                    break
                start_j = last.last + 2
                while start_j < self.n and (
                    self.low(start_j) in CURRENCY_PREFIX
                    or (self.low(start_j) in DOLLAR_COUNTRY and self.low(start_j + 1) == "$")
                    or self.low(start_j) in APPROX_BEFORE_SECOND
                ):
                    start_j += 1
                if start_j >= self.n:
                    break
                q2 = quantity_at(self, start_j)
                if q2 is None or q2.vague:
                    break
                q2.conn_in = conn
                group.append(q2)
            out.extend(self.combine(group))
            i = max(g.last for g in group) + 1
        return out

    def combine(self, group: list[Quantity]) -> list[Quantity]:
        """Merge "X to Y" into ranges and let bare members of lists inherit unit and scale.

        "X-Y" binds first, so "from 24.2 to 33-35 billion" is 24.2bn .. 35bn, and a range is not
        stretched by a following "to Z" ("from 14-18 mpg to 24" keeps 24 apart).
        """
        if len(group) == 1:
            return group
        return self._merge_pass(self._merge_pass(group, hyphens_only=True), hyphens_only=False)

    def _merge_pass(self, group: list[Quantity], *, hyphens_only: bool) -> list[Quantity]:
        result: list[Quantity] = []
        q1 = group[0]
        for q2 in group[1:]:
            conn = q2.conn_in
            if (
                self.year_like(q1) != self.year_like(q2)
                or (hyphens_only and conn not in HYPHENS)
                or (q1.is_range and conn == "to")
            ):
                from_before = self.low(q1.span_start - 1) == "from"
                if from_before and conn == "to" and q2.unit is None and q2.last == q2.core_last and q1.unit:
                    q2.unit, q2.kind, q2.currency = q1.unit, q1.kind, q1.currency  # "from 14-18 mpg to 24"
                result.append(q1)
                q1 = q2
                continue
            between = self.low(q1.span_start - 1) == "between" or self.low(q1.span_start - 1) == "from"
            bare1 = q1.unit is None and q1.last == q1.core_last
            if bare1 and not q1.vague and (q2.unit is not None or q2.scale != 1 or q2.currency):
                if (
                    q2.scale != 1
                    and q1.scale == 1
                    and q1.value is not None
                    and q2.value is not None
                    and (
                        abs(q1.value * q2.scale) <= abs(q2.value) * SCALED_FIRST_TOLERANCE
                        or conn not in ("to", "-", "–")
                    )
                ):
                    q1.value *= q2.scale
                    q1.scale = q2.scale
                    q1.low = q1.low * q2.scale if q1.low is not None else None
                    q1.high = q1.high * q2.scale if q1.high is not None else None
                q1.unit, q1.kind, q1.currency = q2.unit, q2.kind, q2.currency
            if bare1 and q1.counted is None and q2.counted is None:
                self.counted(q2)
            if between and q2.unit is None and q2.last == q2.core_last and q1.unit is not None:
                q2.unit, q2.kind, q2.currency = q1.unit, q1.kind, q1.currency
                if (
                    q1.scale != 1
                    and q2.scale == 1
                    and q2.value is not None
                    and q1.value is not None
                    and abs(q2.value * q1.scale) <= abs(q1.value) * SCALED_SECOND_MAX_RATIO
                ):
                    q2.value *= q1.scale
            is_range = False
            if conn in ("to", "-", "–", "through") or (conn == "and" and self.low(q1.span_start - 1) == "between"):
                same_unit = q1.unit == q2.unit
                if conn in HYPHENS and q1.unit is None and q2.unit is None and not between:
                    same_unit = True
                elif (conn == "to" and q1.unit is not None and q2.unit is None and not between) or (
                    conn == "to" and not between and self._changed_before(q1)
                ):
                    same_unit = False
                is_range = same_unit and q1.value is not None and q2.value is not None
            if is_range:
                assert q1.value is not None and q2.value is not None
                lo = q1.low if q1.low is not None else q1.value
                hi = q2.high if q2.high is not None else q2.value
                merged = Quantity(
                    first=q1.first,
                    last=q2.last,
                    value=(lo + hi) / 2,
                    low=min(lo, hi),
                    high=max(lo, hi),
                    unit=q2.unit or q1.unit,
                    kind=q2.kind or q1.kind,
                    currency=q2.currency or q1.currency,
                    unit_last=q2.unit_last,
                    approx=q1.approx or q2.approx,
                    comparator=q1.comparator,
                    change=q1.change,
                    span_start=q1.span_start,
                    is_range=True,
                    core_last=q2.core_last,
                    word_number=q1.word_number and q2.word_number,
                    scale=q2.scale,
                )
                merged.conn_in = q1.conn_in
                merged.notes = {"range", conn} | ({"between"} if between else set())
                merged.notes.add(f"first_core:{q1.core_last}")
                q1 = merged
            else:
                result.append(q1)
                q1 = q2
        result.append(q1)
        return result
