"""Agency items with little text still make sense: a missing headline is derived, a missing body is the
item's own description or abstract (issue #15 point 6). Both are marked in `meta` and in a warning."""

from __future__ import annotations

import re

from .clean import clean_inline
from .records import Story

__all__ = ["derive_headline", "fill_gaps"]

_DESCRIPTION_KEYS = ("summary", "description_text", "descriptions", "abstract")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÞĀ-Ž«\"“„‘'¿¡0-9])")
_MAX_TITLE = 140


def _description(story: Story) -> tuple[str | None, str | None]:
    for key in _DESCRIPTION_KEYS:
        value = story.meta.get(key)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value if v)
        text = clean_inline(str(value)) if value else ""
        if text:
            return text, key
    return None, None


def derive_headline(text: str) -> str:
    """The first sentence of `text`, cut at a word boundary to at most 140 characters ("…" when cut)."""
    first = _SENTENCE_END.split(clean_inline(text), maxsplit=1)[0].strip()
    if len(first) <= _MAX_TITLE:
        return first.rstrip(".")
    cut = first[:_MAX_TITLE].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return cut + "…"


def fill_gaps(story: Story) -> Story:
    """Body from the description/abstract when the item has no text; headline from the description, else
    the body's first sentence, when it has none. Marks `meta.body_from` / `meta.title_derived`."""
    description, key = _description(story)
    if not story.body.strip() and description:
        story.body = description
        story.meta["body_from"] = key
        story.warnings = [w for w in story.warnings if w != "item has no body text"]
        story.warnings.append(f"item has no text; its {key} is stored as the body")
    # a plain text file without a headline line is a body alone, by design (extractors.text): left so
    if not (story.title or "").strip() and story.source_kind != "text":
        source, text = (key, description) if description else ("first_sentence", story.body)
        if text and text.strip():
            story.title = derive_headline(text)
            story.meta["title_derived"] = source
            story.warnings = [w for w in story.warnings if w != "item has no headline"]
            story.warnings.append(f"item has no headline; one is derived from its {source}")
    return story
