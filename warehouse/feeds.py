"""Feed state in the `feeds` table: one row per polled feed (HTTP validators, outcome, schedule).

Reads and writes take an open connection; callers hold the file only for the look-up or the save.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from extractors.ids import stable_id

from .load import insert_rows
from .tables import table

__all__ = ["FeedState", "all_feed_states", "feed_id", "feed_states", "save_feed_states"]


def feed_id(url: str) -> str:
    """Stable id of a feed: hash of its URL as configured (scheme and host case folded)."""
    u = url.strip()
    scheme, sep, rest = u.partition("://")
    if sep:
        host, slash, path = rest.partition("/")
        u = f"{scheme.lower()}://{host.lower()}{slash}{path}"
    return stable_id("feed", u)


@dataclass
class FeedState:
    """A row of the `feeds` table (field names are the column names)."""

    feed_id: str
    url: str
    name: str | None = None
    agency: str | None = None
    interval_s: int | None = None
    fetch_article: bool = False
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    permanent_url: str | None = None
    last_poll: datetime | None = None
    last_status: str | None = None
    last_http: int | None = None
    last_error: str | None = None
    new_items: int = 0
    total_items: int = 0
    entries: int | None = None
    failures: int = 0
    hard_failures: int = 0
    last_ok: datetime | None = None
    next_poll: datetime | None = None
    disabled: bool = False
    disabled_reason: str | None = None

    @classmethod
    def new(cls, url: str, **fields: Any) -> FeedState:
        return cls(feed_id=feed_id(url), url=url, **fields)

    def row(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_COLUMNS = [f.name for f in dataclasses.fields(FeedState)]


def _check_columns() -> None:
    cols = table("feeds").column_names()
    if sorted(cols) != sorted(_COLUMNS):  # pragma: no cover - guarded by the unit tests
        raise RuntimeError(f"FeedState fields {_COLUMNS} differ from the feeds table columns {cols}")


_check_columns()


def _from_row(row: tuple[Any, ...]) -> FeedState:
    values = dict(zip(_COLUMNS, row, strict=True))
    for key, default in (("new_items", 0), ("total_items", 0), ("failures", 0), ("hard_failures", 0)):
        if values[key] is None:
            values[key] = default
    values["fetch_article"] = bool(values["fetch_article"])
    values["disabled"] = bool(values["disabled"])
    return FeedState(**values)


def _select() -> str:
    return "SELECT " + ", ".join(f'"{c}"' for c in _COLUMNS) + ' FROM "feeds"'


def feed_states(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, FeedState]:
    """State of the given feeds (feed_id -> state); feeds never polled are absent."""
    if not ids:
        return {}
    rows = con.execute(_select() + " WHERE feed_id IN (SELECT unnest(?))", [list(ids)]).fetchall()
    return {r[0]: _from_row(r) for r in rows}


def all_feed_states(con: duckdb.DuckDBPyConnection) -> list[FeedState]:
    """Every feed ever polled, by name then URL."""
    rows = con.execute(_select() + " ORDER BY coalesce(name, url), url").fetchall()
    return [_from_row(r) for r in rows]


def save_feed_states(con: duckdb.DuckDBPyConnection, states: list[FeedState]) -> int:
    """Insert or replace the rows of these feeds."""
    return insert_rows(con, "feeds", [s.row() for s in states], replace=True)
