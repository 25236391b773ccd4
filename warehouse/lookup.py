"""Read-side look-ups the flows make before doing work (what is stored already)."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

__all__ = ["SourceState", "known_bodies", "known_items", "known_sources"]

SourceState = tuple[int | None, int | None, str | None, str | None]  # size, mtime_ns, sha256, status


def known_sources(con: duckdb.DuckDBPyConnection, keys: Iterable[str]) -> dict[str, SourceState]:
    rows = con.execute(
        "SELECT source_key, size, mtime_ns, content_sha256, status FROM sources "
        "WHERE source_key IN (SELECT unnest(?))",
        [list(keys)],
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


def known_items(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> set[str]:
    rows = con.execute("SELECT item_id FROM items WHERE item_id IN (SELECT unnest(?))", [list(ids)]).fetchall()
    return {r[0] for r in rows}


def known_bodies(con: duckdb.DuckDBPyConnection, shas: Iterable[str]) -> dict[str, str]:
    """body_sha256 -> story_id of the first stored (non-duplicate) item with that body."""
    rows = con.execute(
        "SELECT body_sha256, arg_min(story_id, ingested_at) FROM items "
        "WHERE body_sha256 IN (SELECT unnest(?)) AND duplicate_of IS NULL GROUP BY 1",
        [list(shas)],
    ).fetchall()
    return {r[0]: r[1] for r in rows}
