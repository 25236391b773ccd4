"""Bulk loading: one transaction per batch, Arrow -> INSERT ... SELECT, the batch deduplicated first.

`load_batch` is the only writer of story rows. Inside its transaction it decides, against what is
stored at that moment, which new items are exact duplicates (same normalised body as a stored item of
another story) and gives each new version its number, so two loaders racing for the file cannot store
one item twice or give two items the same version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from .actors import settle_short_forms
from .dedup import NearDupConfig, decide, index_rows, insert_index
from .lookup import known_items
from .tables import arrow_schema, table

__all__ = ["Batch", "LoadResult", "finish_run", "insert_rows", "load_batch", "start_run"]

Row = dict[str, Any]


@dataclass
class Batch:
    """Rows of one batch. `extractions` maps item_id -> rows per fact table (actors, mentions, ...)."""

    items: list[Row] = field(default_factory=list)
    extractions: dict[str, dict[str, list[Row]]] = field(default_factory=dict)
    sources: list[Row] = field(default_factory=list)
    problems: list[Row] = field(default_factory=list)
    near_dup: NearDupConfig = field(default_factory=NearDupConfig)  # thresholds of the dedup decision


@dataclass
class LoadResult:
    stored: int = 0  # new item rows (duplicates included)
    duplicates: int = 0  # of which duplicates
    already: int = 0  # items that were stored before (same item_id)
    counts: dict[str, int] = field(default_factory=dict)  # fact rows inserted per table
    stored_ids: list[str] = field(default_factory=list)


def _dedupe(rows: list[Row], key: tuple[str, ...]) -> list[Row]:
    if not key:  # an append-only table: every row is its own
        return list(rows)
    seen: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in key), row)
    return list(seen.values())


def insert_rows(con: duckdb.DuckDBPyConnection, name: str, rows: list[Row], *, replace: bool = False) -> int:
    """Insert rows through Arrow in one statement, the batch deduplicated on the table's key first. In a
    table whose key is indexed, stored keys are kept (or replaced); a table whose key is not indexed (the
    fact tables) takes the rows as they are: its callers add rows only for items that have none."""
    t = table(name)
    if replace and not t.indexed:
        raise ValueError(f"{name}: rows cannot be replaced by key, the key is not indexed")
    rows = _dedupe(rows, t.key)
    if not rows:
        return 0
    schema = arrow_schema(t)
    arrow = pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows], schema=schema)
    view = f"_wire_batch_{name}"
    con.register(view, arrow)
    try:
        cols = ", ".join(f'"{c}"' for c in schema.names)
        before = _count(con, name)
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        conflict = "" if replace or not t.indexed else " ON CONFLICT DO NOTHING"
        con.execute(f'{verb} INTO "{name}" ({cols}) SELECT {cols} FROM "{view}"{conflict}')
        if name == "items":  # every path that adds items keeps the story heads right
            refresh_heads(con, {r["story_id"] for r in rows if r.get("story_id")})
        return _count(con, name) - before
    finally:
        con.unregister(view)


def _count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
    return int(row[0]) if row else 0


def _assign_duplicates_and_versions(
    con: duckdb.DuckDBPyConnection, items: list[Row], near_dup: NearDupConfig
) -> list[Row]:
    """Set duplicate_of / version on new item rows, against stored rows and earlier rows of the batch
    (exact and near duplicates: warehouse.dedup); returns the LSH index rows of the new group-first items."""
    if not items:
        return []
    decisions = decide(con, items, near_dup)
    sids = list({r["story_id"] for r in items})
    max_version: dict[str, int] = dict(
        con.execute(
            "SELECT story_id, max(version) FROM items WHERE story_id IN (SELECT unnest(?)) GROUP BY 1",
            [sids],
        ).fetchall()
    )
    for row, d in zip(items, decisions, strict=True):
        row["duplicate_of"], row["dup_kind"], row["dup_similarity"] = d.duplicate_of, d.kind, d.similarity
        if row.get("version") is None:
            row["version"] = (max_version.get(row["story_id"]) or 0) + 1
        max_version[row["story_id"]] = max(max_version.get(row["story_id"]) or 0, int(row["version"]))
    return index_rows(items, decisions, near_dup)


def load_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> LoadResult:
    """Store a batch atomically: all of its rows or none."""
    result = LoadResult()
    con.execute("BEGIN TRANSACTION")
    try:
        items = _dedupe(batch.items, ("item_id",))
        ids = [r["item_id"] for r in items]
        known = known_items(con, ids)
        new_items = [r for r in items if r["item_id"] not in known]
        result.already = len(items) - len(new_items)
        lsh_rows = _assign_duplicates_and_versions(con, new_items, batch.near_dup)
        for row in new_items:
            if row["dup_kind"] == "exact":
                row["extracted"] = False
                row["extractor_version"] = None
        result.stored = insert_rows(con, "items", new_items)
        result.duplicates = sum(1 for r in new_items if r["duplicate_of"] is not None)
        result.stored_ids = [r["item_id"] for r in new_items]
        facts: dict[str, list[Row]] = {"actors": [], "mentions": [], "quotes": [], "numbers": []}
        for row in new_items:
            if row["dup_kind"] == "exact" or not (row["extracted"] or row.get("not_extracted_reason")):
                continue  # near-duplicates keep facts when NLP ran (their text changed what it finds); an item
                # no model serves keeps its agency actors and plain figures
            for name, rows in batch.extractions.get(row["item_id"], {}).items():
                facts[name].extend(rows)
        settle_short_forms(con, facts)
        for name, rows in facts.items():
            result.counts[name] = insert_rows(con, name, rows)
        insert_index(con, lsh_rows)
        # Two runs that read the same unchanged file at once must not both record its problems: a source
        # another run stored meanwhile with these very bytes has its problems on record already.
        stored_src = set(con.execute(
            "SELECT source_key, content_sha256 FROM sources WHERE source_key IN (SELECT unnest(?))",
            [[s["source_key"] for s in batch.sources]]).fetchall())
        recorded = {s["source_uri"] for s in batch.sources if (s["source_key"], s["content_sha256"]) in stored_src}
        insert_rows(con, "sources", batch.sources, replace=True)
        insert_rows(con, "problems", [p for p in batch.problems if p["source_uri"] not in recorded], replace=True)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


def refresh_heads(con: duckdb.DuckDBPyConnection, story_ids: set[str]) -> None:
    """Mark the newest version of each given story as its head (none when the story was killed).

    Run by `insert_rows` for the stories an insert touched (inside the load transaction), so
    `latest_items` filters one flag instead of ranking every version of every story at query time.
    """
    if not story_ids:
        return
    con.execute(
        """
        UPDATE items SET is_head = (NOT h.killed AND items.item_id = h.head)
        FROM (
            SELECT story_id,
                   bool_or(pub_status = 'canceled') AS killed,
                   arg_max(item_id, struct_pack(v := coalesce(version, 0), t := ingested_at, i := item_id)) AS head
            FROM items WHERE story_id IN (SELECT unnest(?)) GROUP BY story_id
        ) AS h
        WHERE items.story_id = h.story_id
        """,
        [sorted(story_ids)],
    )


def start_run(con: duckdb.DuckDBPyConnection, run: Row) -> None:
    insert_rows(con, "runs", [run], replace=True)


def finish_run(con: duckdb.DuckDBPyConnection, run: Row) -> None:
    insert_rows(con, "runs", [run], replace=True)
