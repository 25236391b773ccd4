"""Numbers with what they count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Number

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_numbers"]


def extract_numbers(doc: Doc) -> list[Number]:
    """Figures of one story with value, unit, counted noun (offsets into `doc.text`)."""
    raise NotImplementedError
