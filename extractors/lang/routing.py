"""Which spaCy model serves which language, and what an item without one gets instead.

The mapping is a setting (`models` in wire.toml, e.g. `models = {en = "en_core_web_sm"}`); a language
that maps to no model, or to a model the run does not load, is not parsed: the English model run over
German text makes people out of prose ("Der inzwischen") and speakers out of verbs.
"""

from __future__ import annotations

from collections.abc import Mapping

from .detect import UNDETERMINED, primary

__all__ = ["DEFAULT_MODELS", "model_for", "no_model_reason"]

DEFAULT_MODELS: dict[str, str] = {"en": "en_core_web_sm"}


def model_for(language: str | None, models: Mapping[str, str]) -> str | None:
    """The model named for the full tag ("pt-BR"), else for its primary subtag ("pt"), else None."""
    if not language or language == UNDETERMINED:
        return None
    if language in models:
        return models[language]
    return models.get(primary(language) or "")


def no_model_reason(language: str | None, models: Mapping[str, str], loaded: str) -> str | None:
    """Why an item in `language` is not parsed by the run's model `loaded`; None when it is."""
    model = model_for(language, models)
    if model == loaded:
        return None
    if not language or language == UNDETERMINED:
        return "language undetermined (too little text to tell): no NLP model run"
    if model is None:
        return f"no NLP model for language {language!r} (setting `models`): actors and quotes not extracted"
    return f"model {model!r} for language {language!r} is not loaded in this run: actors and quotes not extracted"
