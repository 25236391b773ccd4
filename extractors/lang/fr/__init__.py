"""French extraction over the French spaCy model (fr_core_news_sm): actors with titles, quotes with speakers,
numbers in French notation.

`extract_doc_fr(doc)` is the French counterpart of `extractors.extract.extract_doc`; the NLP workers call
it for a doc parsed by a French model (`extractors.extract.extract_parsed` picks the extractor by
`doc.lang_`). Modules: `lexicon` (titles, honorifics, reporting verbs, number words, units), `actors`
(the model's PER/ORG/LOC cleaned, resolved, with titles and gender), `quotes` (the shared quote-mark
scanner plus French attribution rules `ATTRIBUTION_RULES`), `numbers` (figures as written in French).

Errors: the package raises none of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records import Extraction
from .actors import extract_actors_fr
from .numbers import extract_numbers_fr
from .quotes import extract_quotes_fr

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_actors_fr", "extract_doc_fr", "extract_numbers_fr", "extract_quotes_fr"]


def extract_doc_fr(doc: Doc) -> Extraction:
    """Actors, quotes and numbers of one parsed French story (`doc.text` as given to the model)."""
    found = extract_actors_fr(doc)
    return Extraction(actors=found.actors, mentions=found.mentions, quotes=extract_quotes_fr(doc.text, found),
                      numbers=extract_numbers_fr(doc))
