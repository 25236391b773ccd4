"""Records -> warehouse rows (plain dicts keyed by column name)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from extractors.ids import body_hash, stable_id
from extractors.records import Extraction, Story

__all__ = ["ItemRow", "extraction_rows", "item_row", "utcnow"]

ItemRow = dict[str, Any]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def item_row(story: Story, *, item_id: str, story_id: str, run_id: str) -> ItemRow:
    return {
        "item_id": item_id,
        "story_id": story_id,
        "version": story.version,
        "source_uri": story.source_uri,
        "source_kind": story.source_kind,
        "part": story.part,
        "guid": story.guid,
        "url": story.url,
        "title": story.title,
        "caption": story.caption,
        "byline": story.byline,
        "dateline": story.dateline,
        "located": story.located,
        "agency": story.agency,
        "published_at": story.published_at,
        "ingested_at": utcnow(),
        "language": story.language,
        "language_source": story.language_source,
        "slugline": story.slugline,
        "urgency": story.urgency,
        "pub_status": story.pub_status,
        "embargoed_until": story.embargoed_until,
        "subjects": list(story.subjects),
        "keywords": list(story.keywords),
        "body": story.body,
        "body_sha256": body_hash(story.body),
        "word_count": len(story.body.split()),
        "duplicate_of": None,
        "dup_kind": None,
        "dup_similarity": None,
        "extracted": False,
        "extractor_version": None,
        "run_id": run_id,
        "warnings": list(story.warnings),
        "meta": json.dumps(story.meta, default=_json_default, ensure_ascii=False) if story.meta else None,
        "not_extracted_reason": None,
    }


def extraction_rows(item_id: str, ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    """Rows of the actors, mentions, quotes and numbers tables for one item, with stable ids."""
    actors = [
        {"item_id": item_id, "actor_id": a.actor_id, "name": a.name, "kind": a.kind, "titles": a.titles,
         "aliases": a.aliases, "title_orgs": a.title_orgs, "mention_count": a.mention_count,
         "origin": a.origin}
        for a in ex.actors
    ]
    mentions = [
        {"item_id": item_id, "mention_id": stable_id("mention", item_id, m.start, m.end, m.actor_id),
         "actor_id": m.actor_id, "text": m.text, "kind": m.kind, "start": m.start, "end": m.end}
        for m in ex.mentions
    ]
    quotes = [
        {"item_id": item_id, "quote_id": stable_id("quote", item_id, q.kind, q.start, q.end),
         "text": q.text, "kind": q.kind, "speaker": q.speaker, "speaker_actor_id": q.speaker_actor_id,
         "speaker_text": q.speaker_text, "cue": q.cue, "start": q.start, "end": q.end}
        for q in ex.quotes
    ]
    numbers = [
        {"item_id": item_id, "number_id": stable_id("number", item_id, n.start, n.end, n.kind),
         "text": n.text, "value": n.value, "value_low": n.value_low, "value_high": n.value_high,
         "unit": n.unit, "counted": n.counted, "counted_modifier": n.counted_modifier, "approx": n.approx,
         "comparator": n.comparator, "change": n.change, "kind": n.kind, "start": n.start, "end": n.end}
        for n in ex.numbers
    ]
    return {"actors": actors, "mentions": mentions, "quotes": quotes, "numbers": numbers}
