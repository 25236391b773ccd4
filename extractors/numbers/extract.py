"""`extract_numbers`: the quantities read, finished into `Number` records (kind, filters)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..actors.tokens import TokView
from ..records import Number, NumberKind

if TYPE_CHECKING:
    from spacy.tokens import Doc
from .pieces import (
    Quantity,
)
from .reader import Reader

__all__ = ['extract_numbers', 'finish']


def finish(r: Reader, q: Quantity) -> Number | None:
    """Counted noun, kind, filters; None when the figure is no quantity."""
    doc = r.doc
    if q.unit is None:
        r.counted(q)
    if q.span_start < 0:
        r.comparator_before(q)
    # ages written as an apposition: "Maddon, 66, has ..."
    first_tok = r.p[q.first].tok
    if (
        q.unit is None
        and q.counted is None
        and not q.word_number
        and q.value is not None
        and float(q.value).is_integer()
        and 1 <= q.value <= 120
        and first_tok >= 2
        and first_tok + 1 < len(doc)
        and doc[first_tok - 1].text == ","
        and doc[first_tok - 2].pos_ == "PROPN"
        and doc[first_tok + 1].text in (",", ")")
    ):
        q.unit, q.kind = "year", "age"
    before = [doc[k].text.lower() for k in range(max(0, first_tok - 2), first_tok)]
    if (
        q.unit is None
        and q.counted is None
        and (
            before[-1:] in (["aged"], ["age"], ["ages"])
            or (len(before) == 2 and before[0] == "age" and before[1] in ("of", "to", "at"))
        )
    ):
        q.unit, q.kind = "year", "age"
    if (
        q.is_range
        and q.unit is None
        and re.fullmatch(r"\d{3}-\d{4}", r.text[r.p[q.first].start : r.p[q.last].end].replace(" ", ""))
    ):
        return None  # a phone number: "123-4567"
    if r.is_date_or_time(q) or r.is_year(q) or r.is_label(q) or r.is_score(q) or r.is_digit_run(q):
        return None
    if q.is_range:
        first_core = next((int(n.split(":")[1]) for n in q.notes if n.startswith("first_core:")), None)
        if first_core is not None and re.fullmatch(r"\d{4}", r.p[first_core].text) and q.unit is None:
            lo = q.low or 0
            if 1000 <= lo <= 2100 and (q.high or 0) <= 2100 and not r.counts_plural_noun(q):
                return None
    if q.word_number and q.unit is None and q.counted is None and not q.is_range and not q.fraction:
        return None
    if q.fraction:
        q.unit, q.kind = q.unit or "fraction", q.kind or "other"
    if q.kind == "age" and q.counted is None and q.unit_last is not None:
        r.counted(q)  # "a 45-year-old man": the age of whom
    r.change(q)
    kind: NumberKind = q.kind or ("count" if q.counted else "other")
    start = r.p[q.span_start].start
    end = r.p[q.last].end
    return Number(
        text=r.text[start:end],
        value=q.value,
        start=start,
        end=end,
        kind=kind,
        unit=q.unit,
        counted=q.counted,
        counted_modifier=q.counted_modifier,
        approx=q.approx or q.vague,
        value_low=q.low,
        value_high=q.high,
        comparator=q.comparator,
        change=q.change,
    )


def extract_numbers(doc: Doc, *, view: TokView | None = None) -> list[Number]:
    """Figures of one story with value, unit, counted noun (offsets into `doc.text`).

    `view` is the story's `TokView` when the caller already built one (see `extract_doc`).
    """
    reader = Reader(view if view is not None else TokView(doc))
    out: list[Number] = []
    for q in reader.read():
        num = finish(reader, q)
        if num is not None:
            out.append(num)
    return out
