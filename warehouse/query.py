"""The read-only query entry point used by `wire sql` (and any tool that must never write)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from .connect import open_db
from .errors import ReadOnlyViolation

__all__ = ["QueryResult", "check_read_only", "run_query"]

_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


@dataclass
class QueryResult:
    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but SELECT-like statements (DDL, DML, COPY, ATTACH, INSTALL, LOAD, SET, CALL...)."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ReadOnlyViolation(f"cannot parse query: {exc}") from exc
    if not statements:
        raise ReadOnlyViolation("empty query")
    for st in statements:
        if st.type not in _ALLOWED:
            name = str(st.type).rsplit(".", 1)[-1]
            raise ReadOnlyViolation(f"refused: `wire sql` only reads; {name} statements are not allowed")
        if st.type == duckdb.StatementType.EXPLAIN and "analyze" in st.query.lower()[:40]:
            raise ReadOnlyViolation("refused: EXPLAIN ANALYZE runs the statement")


def run_query(
    db: str | os.PathLike[str], sql: str, params: Sequence[object] | None = None, *, wait: float = 10.0
) -> QueryResult:
    """Run one read-only query on a read-only connection with external access disabled."""
    con = open_db(db, read_only=True, wait=wait)
    try:
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        check_read_only(con, sql)
        rel = con.execute(sql, params) if params else con.execute(sql)
        columns = [d[0] for d in rel.description or []]
        types = [str(d[1]) for d in rel.description or []]
        rows = rel.fetchall()
        return QueryResult(columns, types, rows)
    finally:
        con.close()
