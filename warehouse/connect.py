"""Opening the DuckDB file: one short-lived writer at a time, readers wait briefly for it.

DuckDB lets one process hold a file read-write and locks every other process out, readers included.
So writers open, load one batch, and close; anyone who finds the file locked retries with back-off for
`wait` seconds and then raises `WarehouseBusy` naming the file.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .errors import WarehouseBusy

__all__ = ["is_lock_error", "open_db", "reader", "writer"]


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text or "held" in text)


def open_db(path: str | os.PathLike[str], *, read_only: bool, wait: float = 10.0) -> duckdb.DuckDBPyConnection:
    """Connect, retrying while another process holds the file; `WarehouseBusy` after `wait` seconds."""
    db = str(path)
    if read_only and not Path(db).exists():
        raise FileNotFoundError(f"{db}: no such warehouse (run `wire backfill ... --db {db}` first)")
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(db, read_only=read_only)
        except duckdb.IOException as exc:
            if not is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"{db}: warehouse is busy (another wire process is writing to it); "
                    f"waited {wait:.0f}s - try again shortly"
                ) from exc
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 1.0)


@contextmanager
def writer(path: str | os.PathLike[str], *, wait: float = 60.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection, closed on exit (the file is free again right after)."""
    from .schema import migrate

    con = open_db(path, read_only=False, wait=wait)
    try:
        migrate(con)
        yield con
    finally:
        con.close()


@contextmanager
def reader(path: str | os.PathLike[str], *, wait: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, closed on exit."""
    con = open_db(path, read_only=True, wait=wait)
    try:
        yield con
    finally:
        con.close()
