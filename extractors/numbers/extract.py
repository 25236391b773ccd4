"""`extract_numbers`: the quantities read (`reader.Reader`), finished into `Number` records (`rules.finish`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..actors.tokens import TokView
from ..records import Number

if TYPE_CHECKING:
    from spacy.tokens import Doc
from .reader import Reader
from .rules import finish

__all__ = ["extract_numbers"]


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
