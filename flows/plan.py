"""Cheap look-ahead before a run: is there anything to do at all?

A re-run over an archive that is already stored should cost file stats, not a Prefect API start-up and a
model load. `nothing_new` answers from `stat()` and the warehouse `sources` table alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from warehouse import open_db
from warehouse.lookup import known_sources

from .pipeline import SourceFile, unchanged_since_read

__all__ = ["nothing_new"]


def nothing_new(files: Sequence[SourceFile], missing: Sequence[str], db: str, *, wait: float = 10.0) -> bool:
    """True when every discovered file is stored (or skipped) with the same size and mtime."""
    if missing or not files or not Path(db).exists():
        return False
    con = open_db(db, read_only=True, wait=wait)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "sources" not in tables:
            return False
        known = known_sources(con, [f.key for f in files])
    finally:
        con.close()
    return all(unchanged_since_read(f, known.get(f.key)) for f in files)
