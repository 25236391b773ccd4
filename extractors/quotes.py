"""Quotes with their speakers resolved to actors of the story."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Actor, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_quotes"]


def extract_quotes(doc: Doc, actors: list[Actor], mentions: list[Mention]) -> list[Quote]:
    """Direct, partial and indirect quotes of one story (offsets into `doc.text`)."""
    raise NotImplementedError
