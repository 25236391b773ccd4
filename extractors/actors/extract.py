"""`extract_actors`: the builder's steps in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Actor, Mention
from .tokens import TokView

if TYPE_CHECKING:
    from spacy.tokens import Doc
from .build import Builder

__all__ = [
    "extract_actors",
]


def extract_actors(
    doc: Doc, *, byline: str | None = None, view: TokView | None = None
) -> tuple[list[Actor], list[Mention]]:
    """Actors of one story and their mentions (offsets into `doc.text`).

    `byline` names the author(s); they are metadata, never actors of the story. `view` is the
    story's `TokView` when the caller already built one (see `extract_doc`).
    """
    builder = Builder(doc, byline, view)
    builder.recognise()
    builder.corporate()
    builder.caps_repeats()
    builder.name_parts()
    builder.drop_byline()
    builder.vote_kinds()
    clusters = builder.cluster()
    builder.titles(clusters)
    actors, mentions = builder.output(clusters)
    return actors, mentions
