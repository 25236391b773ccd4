"""One NLP pass per story feeding the actor, quote and number extractors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .actors import extract_actors
from .numbers import extract_numbers
from .quotes import extract_quotes
from .records import Extraction

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["EXTRACTOR_VERSION", "extract_doc", "extract_texts"]

# Bump when extraction output changes, so stored rows can be told apart / re-extracted.
EXTRACTOR_VERSION = "0.1.0"


def extract_doc(doc: Doc, *, byline: str | None = None) -> Extraction:
    """Actors, quotes and numbers of one parsed story body (`doc.text` is `Story.body`)."""
    actors, mentions = extract_actors(doc, byline=byline)
    quotes = extract_quotes(doc, actors, mentions)
    numbers = extract_numbers(doc)
    return Extraction(
        actors=actors,
        mentions=mentions,
        quotes=quotes,
        numbers=numbers,
        extractor_version=EXTRACTOR_VERSION,
    )


def extract_texts(
    nlp: Language,
    texts: Iterable[tuple[str, str | None]],
    *,
    n_process: int = 1,
    batch_size: int = 32,
) -> Iterator[Extraction]:
    """Extract from (body, byline) pairs in order, running spaCy over all bodies in one stream."""
    pairs = list(texts)
    docs = nlp.pipe((body for body, _ in pairs), n_process=n_process, batch_size=batch_size)
    for (_, byline), doc in zip(pairs, docs, strict=True):
        yield extract_doc(doc, byline=byline)
