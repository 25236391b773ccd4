"""One NLP pass per story feeding the actor, quote and number extractors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .actors import extract_actors
from .actors.tokens import TokView
from .numbers import extract_numbers
from .quotes import extract_quotes
from .records import Actor, Extraction, Mention, Number, Quote
from .version import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["EXTRACTOR_VERSION", "extract_doc", "extract_parsed", "extract_texts", "nlp_text"]

# EXTRACTOR_VERSION (extractors.version) is derived from the extractors' files and the default spaCy model;
# an Extraction carries it, and callers that parse with another model set `extractor_version(model)`.


def nlp_text(body: str, caption: str | None = None) -> str:
    """The text parsed for a story: the body, then the photo caption after a blank line.

    Captions name actors with their titles ("Russian security chief Sergei Shoigu (L)"), so they are parsed
    with the body; records found in the caption are dropped afterwards (offsets index the body only), but
    the titles and aliases they bind stay on the body's actors.
    """
    return f"{body}\n\n{caption}" if caption and caption.strip() else body


def extract_doc(doc: Doc, *, byline: str | None = None, body_len: int | None = None) -> Extraction:
    """Actors, quotes and numbers of one parsed story (`doc.text` is `nlp_text(body, caption)`).

    With `body_len`, only records inside the first `body_len` characters (the body) are kept, and actors
    named only after it (in the caption) are dropped.
    """
    view = TokView(doc)  # tokens and text read once, shared by the three extractors
    actors, mentions = extract_actors(doc, byline=byline, view=view)
    quotes = extract_quotes(doc, actors, mentions, view=view)
    numbers = extract_numbers(doc, view=view)
    return _body_only(actors, mentions, quotes, numbers, body_len, len(view.text))


def extract_parsed(doc: Doc, *, byline: str | None = None, body_len: int | None = None) -> Extraction:
    """`extract_doc` for a doc of any model: a doc parsed by a French model (`doc.lang_ == "fr"`) goes to the
    French extractors (`extractors.lang.fr`), every other one to the English ones."""
    if doc.lang_ == "fr":
        from .lang.fr import extract_doc_fr

        ex = extract_doc_fr(doc)
        return _body_only(ex.actors, ex.mentions, ex.quotes, ex.numbers, body_len, len(doc.text))
    return extract_doc(doc, byline=byline, body_len=body_len)


def _body_only(actors: list[Actor], mentions: list[Mention], quotes: list[Quote], numbers: list[Number],
               body_len: int | None, text_len: int) -> Extraction:
    """The records inside the body (the first `body_len` characters of the parsed text, a caption after it)."""
    if body_len is not None and body_len < text_len:
        mentions = [m for m in mentions if m.end <= body_len]
        counts = Counter(m.actor_id for m in mentions)
        actors = [a for a in actors if counts[a.actor_id]]
        for a in actors:
            a.mention_count = counts[a.actor_id]
        quotes = [q for q in quotes if q.end <= body_len]
        for q in quotes:
            if q.speaker_end is not None and q.speaker_end > body_len:
                q.speaker_text = q.speaker_start = q.speaker_end = None
        numbers = [n for n in numbers if n.end <= body_len]
    return Extraction(
        actors=actors,
        mentions=mentions,
        quotes=quotes,
        numbers=numbers,
        extractor_version=EXTRACTOR_VERSION,
    )


def extract_texts(
    nlp: Language,
    texts: Iterable[tuple[str, str | None, str | None]],
    *,
    batch_size: int = 16,
) -> Iterator[Extraction]:
    """Extract from (body, caption, byline) triples in order, running spaCy over them in one stream."""
    triples = list(texts)
    docs = nlp.pipe((nlp_text(body, caption) for body, caption, _ in triples), batch_size=batch_size)
    for (body, _, byline), doc in zip(triples, docs, strict=True):
        yield extract_parsed(doc, byline=byline, body_len=len(body))
