"""Which spaCy model serves which language, and what an item without one gets instead.

The mapping is a setting (`models` in wire.toml, default `models = {en = "en_core_web_sm", fr =
"fr_core_news_sm"}`); every item is parsed with the model its language maps to (the NLP workers keep one
loaded pipeline per model). A language that maps to no model is not parsed: the English model run over
German text makes people out of prose ("Der inzwischen") and speakers out of verbs.
"""

from __future__ import annotations

from collections.abc import Mapping

from .detect import UNDETERMINED, primary

__all__ = ["DEFAULT_MODELS", "model_for", "no_model_reason"]

DEFAULT_MODELS: dict[str, str] = {"en": "en_core_web_sm", "fr": "fr_core_news_sm"}


def model_for(language: str | None, models: Mapping[str, str]) -> str | None:
    """The model named for the full tag ("pt-BR"), else for its primary subtag ("pt"), else None."""
    if not language or language == UNDETERMINED:
        return None
    if language in models:
        return models[language]
    return models.get(primary(language) or "")


def no_model_reason(language: str | None, models: Mapping[str, str]) -> str | None:
    """Why an item in `language` is not parsed by any model of `models`; None when one serves it."""
    if model_for(language, models) is not None:
        return None
    if not language or language == UNDETERMINED:
        return "language undetermined (too little text to tell): no NLP model run"
    return f"no NLP model for language {language!r} (setting `models`): actors and quotes not extracted"
