"""The one spaCy pipeline of a process: loaded once, with only the components extraction needs."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .errors import BadInput

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_MODEL", "DISABLED_COMPONENTS", "load_nlp"]

DEFAULT_MODEL = "en_core_web_sm"
# The lemmatizer is not used by any extractor (they match word forms), so it is not run.
DISABLED_COMPONENTS: tuple[str, ...] = ("lemmatizer",)


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL, disable: tuple[str, ...] = DISABLED_COMPONENTS) -> Language:
    """Load `model` once per process (cached) with `disable`d components excluded."""
    import spacy

    try:
        nlp = spacy.load(model, exclude=list(disable))
    except OSError as exc:  # model package not installed
        raise BadInput(
            f"spaCy model {model!r} is not installed: run `make install` "
            f"(or set WIRE_MODEL to an installed model): {exc}"
        ) from exc
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp
