"""Re-extraction of stored items: which items, and replacing their facts one batch at a time.

The input is what the warehouse holds (`items.body`, `caption`, `byline`), never the sources. An item is
*extractable* when the loader would have run NLP on it: not an exact duplicate, not a kill, and not a
near-duplicate that was stored without facts; an item whose extraction failed is extractable (it is tried
again). By default only extractable items whose `extractor_version` is not the current one are chosen.

`replace_facts` swaps one batch's actors, mentions, quotes and numbers and sets the items'
`extracted`/`extractor_version` in one transaction, so a killed run leaves every item either with its old
facts and old version or with its new facts and the new version, and the next run redoes only the rest.
Actor short forms are settled as at load time (`warehouse.actors.settle_short_forms`), with two
additions: a short form found at the same place as before keeps the full actor it was settled to when
the item was loaded (pinned), and new short forms are settled against the actors of the items ingested
up to the batch's last one, as a load at that point of the archive would have been. Fact ids are content
hashes of the item and the fact's offsets, so unchanged facts keep their ids, and re-extracting with
unchanged extractors writes back exactly the rows that were there.

Explicit selections (`--all`, `--since`, `--where`) are made resumable the same way: the chosen items'
version is first marked `pending:<old version>` (one transaction), and each batch sets the new one; a
killed run leaves the unfinished items pending, which the next run (default selection, or the same
selection again) picks up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from .actors import settle_short_forms
from .errors import BadInput
from .load import insert_rows

__all__ = [
    "EXTRACTABLE_SQL",
    "FACT_TABLES",
    "PENDING_PREFIX",
    "ItemText",
    "ReplaceResult",
    "Selection",
    "item_texts",
    "mark_pending",
    "pending_items",
    "replace_facts",
    "select_items",
]

Row = dict[str, Any]
FACT_TABLES: tuple[str, ...] = ("actors", "mentions", "quotes", "numbers")
_FACT_KEYS = {"actors": "actor_id", "mentions": "mention_id", "quotes": "quote_id", "numbers": "number_id"}
PENDING_PREFIX = "pending:"
# The loader's decision (warehouse.load, flows.pipeline.prepare) read back from a stored row: NLP ran, or it
# would have run had it not failed (not a duplicate, not a kill).
EXTRACTABLE_SQL = "(extracted OR (duplicate_of IS NULL AND coalesce(pub_status, '') <> 'canceled'))"


@dataclass(frozen=True)
class Selection:
    """Which items: stale ones (default), all, those ingested since a date, or an SQL condition on items."""

    all: bool = False
    since: date | datetime | None = None
    where: str | None = None

    @property
    def explicit(self) -> bool:
        return self.all or self.since is not None or self.where is not None

    def describe(self) -> str:
        if self.all:
            return "--all"
        if self.since is not None:
            return f"--since {self.since.isoformat()}"
        if self.where is not None:
            return f"--where {self.where}"
        return "stale"


@dataclass(frozen=True)
class ItemText:
    item_id: str
    body: str
    caption: str | None
    byline: str | None
    ingested_at: datetime | None


@dataclass
class ReplaceResult:
    items: int = 0  # items whose facts were replaced
    failed: int = 0  # items whose extraction failed (facts and version left as they were)
    changed_items: int = 0  # of `items`, those whose facts differ from the stored ones
    added: dict[str, int] = field(default_factory=dict)  # fact rows per table that were not there before
    removed: dict[str, int] = field(default_factory=dict)  # fact rows per table that are gone
    updated: dict[str, int] = field(default_factory=dict)  # same id, other values
    reasons: list[str] = field(default_factory=list)  # why extractions failed


def select_items(
    con: duckdb.DuckDBPyConnection, selection: Selection, version: str, *, pending_only: bool = False
) -> list[str]:
    """Ids of the extractable items chosen, in the order they were ingested (with `pending_only`, those of
    them an unfinished run left pending)."""
    cond = [EXTRACTABLE_SQL]
    args: list[Any] = []
    if pending_only:
        cond.append("starts_with(extractor_version, ?)")
        args.append(PENDING_PREFIX)
    if selection.since is not None:
        cond.append("ingested_at >= ?")
        args.append(selection.since)
    if selection.where is not None:
        cond.append(f"({selection.where})")
    if not selection.explicit:
        cond.append("extractor_version IS DISTINCT FROM ?")
        args.append(version)
    sql = f"SELECT item_id FROM items WHERE {' AND '.join(cond)} ORDER BY ingested_at, item_id"
    try:
        return [r[0] for r in con.execute(sql, args).fetchall()]
    except duckdb.Error as exc:
        if selection.where is not None:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BadInput(f"--where {selection.where!r}: {first}") from exc
        raise


def pending_items(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM items WHERE starts_with(extractor_version, ?)",
                      [PENDING_PREFIX]).fetchone()
    return int(row[0]) if row else 0


def mark_pending(con: duckdb.DuckDBPyConnection, ids: Sequence[str], version: str) -> int:
    """Mark the chosen items as not current ('pending:<old version>'), one transaction. Items already pending
    keep their mark (so the old version stays recorded)."""
    if not ids:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "UPDATE items SET extractor_version = ? || coalesce(extractor_version, '') "
            "WHERE item_id IN (SELECT unnest(?)) AND NOT starts_with(coalesce(extractor_version, ''), ?)",
            [PENDING_PREFIX, list(ids), PENDING_PREFIX],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(ids)


def item_texts(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[ItemText]:
    """What the extractors read for each item (body, caption, byline), in the order of `ids`."""
    rows = con.execute(
        "SELECT item_id, body, caption, byline, ingested_at FROM items WHERE item_id IN (SELECT unnest(?))",
        [list(ids)],
    ).fetchall()
    by_id = {r[0]: ItemText(r[0], r[1] or "", r[2], r[3], r[4]) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _stored_facts(con: duckdb.DuckDBPyConnection, name: str, ids: list[str]) -> list[Row]:
    cur = con.execute(f'SELECT * FROM "{name}" WHERE item_id IN (SELECT unnest(?))', [ids])
    cols = [d[0] for d in cur.description or ()]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _pins(old: dict[str, list[Row]], new_mentions: list[Row]) -> dict[tuple[str, str], tuple[str, str]]:
    """(item, raw actor id) -> (actor id, name) it was stored under, for raw mentions found at the same place
    with the same words as a stored mention (the stored one is the settled outcome of the same fact)."""
    stored = {(m["item_id"], m["start"], m["end"], m["text"]): m["actor_id"] for m in old["mentions"]}
    names = {(a["item_id"], a["actor_id"]): a["name"] for a in old["actors"]}
    pins: dict[tuple[str, str], tuple[str, str]] = {}
    for m in new_mentions:
        was = stored.get((m["item_id"], m["start"], m["end"], m["text"]))
        if was is not None and (m["item_id"], was) in names:
            pins.setdefault((m["item_id"], m["actor_id"]), (was, names[(m["item_id"], was)]))
    return pins


def _same(a: Row, b: Row) -> bool:
    return a.keys() == b.keys() and all(_norm(a[k]) == _norm(b[k]) for k in a)


def _norm(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def replace_facts(
    con: duckdb.DuckDBPyConnection,
    texts: Sequence[ItemText],
    facts: dict[str, dict[str, list[Row]]],
    version: str,
    *,
    failed: Sequence[str] = (),
    run: Row | None = None,
    problems: Sequence[Row] = (),
) -> ReplaceResult:
    """Replace the facts of the items in `facts` (item_id -> rows per fact table, as
    `warehouse.rows.extraction_rows` gives them, not yet settled) and set their version: one transaction.
    Items in `failed` keep their facts and version. `run` (the runs row) and `problems` are written in the
    same transaction, so the run's counts are exactly what was committed."""
    result = ReplaceResult(failed=len(failed), reasons=[p["reason"] for p in problems])
    ids = [t.item_id for t in texts if t.item_id in facts]
    con.execute("BEGIN TRANSACTION")
    try:
        old = {name: _stored_facts(con, name, ids) for name in FACT_TABLES}
        new: dict[str, list[Row]] = {name: [] for name in FACT_TABLES}
        for item in ids:
            for name in FACT_TABLES:
                new[name].extend(dict(r) for r in facts[item].get(name, []))
        for name in FACT_TABLES:
            con.execute(f'DELETE FROM "{name}" WHERE item_id IN (SELECT unnest(?))', [ids])
        stamps = [t.ingested_at for t in texts if t.item_id in facts and t.ingested_at is not None]
        settle_short_forms(con, new, pinned=_pins(old, new["mentions"]), until=max(stamps) if stamps else None)
        changed: set[str] = set()
        for name in FACT_TABLES:
            key = _FACT_KEYS[name]
            before = {(r["item_id"], r[key]): r for r in old[name]}
            after = {(r["item_id"], r[key]): r for r in new[name]}
            result.added[name] = len(after.keys() - before.keys())
            result.removed[name] = len(before.keys() - after.keys())
            result.updated[name] = sum(1 for k in after.keys() & before.keys()
                                       if not _same({c: after[k].get(c) for c in before[k]}, before[k]))
            changed |= {k[0] for k in after.keys() ^ before.keys()}
            changed |= {k[0] for k in after.keys() & before.keys()
                        if not _same({c: after[k].get(c) for c in before[k]}, before[k])}
            insert_rows(con, name, new[name])
        if ids:
            con.execute("UPDATE items SET extracted = true, extractor_version = ? "
                        "WHERE item_id IN (SELECT unnest(?))", [version, ids])
        if run is not None:
            insert_rows(con, "runs", [run], replace=True)
        if problems:
            insert_rows(con, "problems", list(problems), replace=True)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    result.items = len(ids)
    result.changed_items = len(changed)
    return result
