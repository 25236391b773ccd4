"""Actors (people, organisations, places, groups) with titles, resolved within a story."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .records import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_actors"]


def extract_actors(doc: Doc, *, byline: str | None = None) -> tuple[list[Actor], list[Mention]]:
    """Actors of one story and their mentions (offsets into `doc.text`)."""
    raise NotImplementedError
