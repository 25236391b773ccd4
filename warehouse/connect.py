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

__all__ = ["WRITER_ROW_GROUP", "WRITER_THREADS", "is_lock_error", "open_db", "reader", "writer"]


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text or "held" in text)


def _connect(db: str, read_only: bool, row_group_size: int | None) -> duckdb.DuckDBPyConnection:
    if row_group_size is None or read_only:
        return duckdb.connect(db, read_only=read_only)
    # The row group size is an option of ATTACH (not of connect), applied while the file is attached.
    con = duckdb.connect(":memory:")
    try:
        quoted = db.replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS wire_db (ROW_GROUP_SIZE {int(row_group_size)})")
        con.execute("USE wire_db")
    except BaseException:
        con.close()
        raise
    return con


def open_db(
    path: str | os.PathLike[str], *, read_only: bool, wait: float = 10.0, row_group_size: int | None = None
) -> duckdb.DuckDBPyConnection:
    """Connect, retrying while another process holds the file; `WarehouseBusy` after `wait` seconds.
    A read-write connection with `row_group_size` appends in row groups of that many rows."""
    db = str(path)
    if read_only and not Path(db).exists():
        raise FileNotFoundError(f"{db}: no such warehouse (run `wire backfill ... --db {db}` first)")
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return _connect(db, read_only, row_group_size)
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


# Files this process has migrated (and created the views of), by (device, inode). A backfill opens a writer
# three times per batch; re-creating the ~20 views each time was 17 catalog writes, each followed by a
# checkpoint when the connection closed: 4.4 s of 17 opens in a 941-story backfill, 1.3 s without them.
_MIGRATED: set[tuple[int, int]] = set()


# Writers run beside the NLP workers, which keep every core busy: DuckDB's own threads only competed with
# them. With one thread a 941-story backfill's main process took 5.7-5.9 CPU s instead of 6.2-6.3, its workers
# 21.7-22.3 instead of 22.4-22.9, and the run 16.4-17.1 s instead of 17.6-18.1 s (2 cores). Maintenance
# commands that only run SQL (search index rebuilds, `wire dedup reindex`) pass threads=None.
WRITER_THREADS = 1

# Rows per row group of what writers append. DuckDB rewrites a table's last, partly filled row group (122,880
# rows by default) at every checkpoint, and a writer checkpoints when it closes, once or twice per batch: with
# the default the items table (bodies included) was re-compressed whole at every load until it held 122,880
# items, so the main process's peak memory and the checkpoint time grew with the warehouse (ten items added to a
# 6,000-item warehouse: all 45 of its blocks rewritten, 67 ms and 114 MiB peak, against 27 ms / 83 MiB at 941
# items; with 8,192-row groups one new block, 12-16 ms). Readers see the same tables; scans are as parallel.
WRITER_ROW_GROUP = 8192


def _file_key(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


@contextmanager
def writer(
    path: str | os.PathLike[str], *, wait: float = 60.0, threads: int | None = WRITER_THREADS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection, closed on exit (the file is free again right after). The views are
    (re)created once per process and file: a file this process migrated is only checked for its version.
    DuckDB runs the connection's statements on `threads` threads (None: DuckDB's default, one per core)."""
    from .schema import SCHEMA_VERSION, migrate, schema_version

    con = open_db(path, read_only=False, wait=wait, row_group_size=WRITER_ROW_GROUP)
    try:
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        key = _file_key(path)
        if key is None or key not in _MIGRATED or schema_version(con) != SCHEMA_VERSION:
            migrate(con)
            if key is None:
                key = _file_key(path)
            if key is not None:
                _MIGRATED.add(key)
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
