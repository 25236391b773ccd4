"""Languages: what a story is written in, and which extraction serves it.

Modules: `detect` (stated metadata checked against an offline detector: `settle_language`), `routing`
(which spaCy model serves which language), `plain` (what an item in a language without a model still gets:
its agency's actors and plain figures), `fr` (the French extractors).
"""

from __future__ import annotations

from .detect import (
    CONFIDENT,
    UNDETERMINED,
    Detection,
    LanguageDecision,
    decide_language,
    detect_language,
    normalise_tag,
    primary,
    same_language,
    settle_language,
)
from .routing import DEFAULT_MODELS, model_for, no_model_reason

__all__ = [
    "CONFIDENT",
    "DEFAULT_MODELS",
    "UNDETERMINED",
    "Detection",
    "LanguageDecision",
    "decide_language",
    "detect_language",
    "model_for",
    "no_model_reason",
    "normalise_tag",
    "primary",
    "same_language",
    "settle_language",
]
