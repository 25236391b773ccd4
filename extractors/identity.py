"""Identity of items and stories: which rows are the same item, which items are versions of one story."""

from __future__ import annotations

import re

from .ids import body_hash, stable_id
from .records import Story

__all__ = ["canonical_guid", "item_id", "source_key", "story_id", "story_key"]

_SCHEME = re.compile(r"^https?://", re.I)


def canonical_guid(guid: str) -> str:
    """Guids that flip between http and https (or gain a trailing slash) are the same guid."""
    g = guid.strip()
    if _SCHEME.match(g):
        g = _SCHEME.sub("", g).rstrip("/")
        host, _, rest = g.partition("/")
        g = "//" + host.lower() + ("/" + rest if rest else "")
    return g


def source_key(story: Story) -> str:
    """What makes an item 'the same source item': its guid, else its source (and part) identity."""
    if story.guid:
        return "guid:" + canonical_guid(story.guid)
    base = story.source_key or story.source_uri
    return f"src:{base}#{story.part}" if story.part else f"src:{base}"


def item_id(story: Story) -> str:
    """Same source item with the same body, version and status -> same id (idempotent loads)."""
    return stable_id("item", source_key(story), story.version, story.pub_status, body_hash(story.body))


def story_key(story: Story) -> str:
    """Key shared by every version of a story: agency story key (slug chain), guid, or source."""
    key = story.meta.get("story_key")
    if isinstance(key, str) and key:
        return "key:" + key
    return source_key(story)


def story_id(story: Story) -> str:
    return stable_id("story", story_key(story))
