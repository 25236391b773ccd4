"""`extract_actors`: the builder's steps in order (the tables of `rules`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Actor, Mention
from .tokens import TokView

if TYPE_CHECKING:
    from spacy.tokens import Doc
from .build import Builder
from .rules import MENTION_STEPS, cluster, recognise

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
    recognise(builder)  # RECOGNITION_PASSES
    for _, step in MENTION_STEPS:
        step(builder)
    clusters = cluster(builder)  # CLUSTER_PASSES
    builder.titles(clusters)
    return builder.output(clusters)
