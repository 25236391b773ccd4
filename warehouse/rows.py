"""Records -> warehouse rows (plain dicts keyed by column name), derived from `warehouse.tables`.

A row of a record table (`tables.RECORD_TABLES`) is the record's field of each column's name, plus the
columns marked `derived` that this module computes (ids, hashes, load-time facts). Adding a field to a
record and its Column to `tables.py` is all it takes to store it; `tests/unit/test_rows.py` holds every
non-derived column to a field of its record.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from extractors.ids import body_hash, stable_id
from extractors.records import Extraction, Story

from .tables import table

__all__ = ["ItemRow", "extraction_rows", "item_row", "record_row", "utcnow"]

ItemRow = dict[str, Any]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def record_row(table_name: str, record: object, derived: dict[str, Any]) -> dict[str, Any]:
    """The row of `record` for `table_name`: every column that is not derived is the record's field of that
    name (lists copied); `derived` gives the derived ones (a derived column not given is left to the
    loader, e.g. `is_head`)."""
    row: dict[str, Any] = {}
    for name, is_derived in _layout(table_name):
        if is_derived:
            if name in derived:
                row[name] = derived[name]
            continue
        value = getattr(record, name)
        row[name] = list(value) if isinstance(value, list) else value
    return row


@cache
def _layout(table_name: str) -> tuple[tuple[str, bool], ...]:
    return tuple((col.name, col.derived) for col in table(table_name).columns)


def item_row(story: Story, *, item_id: str, story_id: str, run_id: str) -> ItemRow:
    return record_row("items", story, {
        "item_id": item_id,
        "story_id": story_id,
        "ingested_at": utcnow(),
        "body_sha256": body_hash(story.body),
        "word_count": len(story.body.split()),
        "duplicate_of": None,
        "dup_kind": None,
        "dup_similarity": None,
        "extracted": False,
        "extractor_version": None,
        "run_id": run_id,
        "meta": json.dumps(story.meta, default=_json_default, ensure_ascii=False) if story.meta else None,
        "not_extracted_reason": None,
    })


def extraction_rows(item_id: str, ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    """Rows of the actors, mentions, quotes and numbers tables for one item, with stable ids."""
    return {
        "actors": [record_row("actors", a, {"item_id": item_id}) for a in ex.actors],
        "mentions": [record_row("mentions", m, {
            "item_id": item_id, "mention_id": stable_id("mention", item_id, m.start, m.end, m.actor_id)})
            for m in ex.mentions],
        "quotes": [record_row("quotes", q, {
            "item_id": item_id, "quote_id": stable_id("quote", item_id, q.kind, q.start, q.end)})
            for q in ex.quotes],
        "numbers": [record_row("numbers", n, {
            "item_id": item_id, "number_id": stable_id("number", item_id, n.start, n.end, n.kind)})
            for n in ex.numbers],
    }
