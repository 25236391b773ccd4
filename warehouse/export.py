"""Export the warehouse to files any engine reads: Parquet (partitioned by date), CSV or JSON lines.

Layout of an export directory:

    manifest.json        format, since, schema version, row count and files of every table
    schema.sql           CREATE TABLE statements (DuckDB) of every table, from warehouse/tables.py
    load.sql             statements that load the files into those tables (run from inside the directory)
    views.sql            the views (DuckDB SQL), to recreate after loading
    <table>/date=YYYY-MM-DD/*.parquet  for tables of items (items, actors, mentions, quotes, numbers,
                         lsh_buckets): Hive partitions by the item's publication date, else storage date
    <table>/<table>.parquet            other tables (runs, sources, problems, feeds)
    <table>.csv / <table>.jsonl        with --format csv / jsonl: one file per table

In CSV, list columns are JSON arrays ('["a","b"]') and timestamps ISO 8601; JSON lines keep lists as
arrays. `--since DATE` keeps items published (else stored) on or after DATE with their facts, runs started
and problems met since DATE, sources read since DATE, and every feed. `load_export` reloads an export into
a DuckDB connection (tests check the row counts round-trip).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb

from .connect import reader
from .errors import BadInput
from .tables import TABLES, Column, Table, create_sql, table
from .views import VIEWS

__all__ = ["FORMATS", "ExportResult", "export", "load_export"]

Format = Literal["parquet", "csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("parquet", "csv", "jsonl")
PARTITION = "date"  # hive partition column of item tables in Parquet exports
# Admin tables filtered by their own time column with --since.
_SINCE_COLUMN = {"runs": "started_at", "problems": "at", "sources": "seen_at"}


@dataclass
class ExportResult:
    directory: str
    format: Format
    since: str | None
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)  # table -> paths relative to directory


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _is_item_table(t: Table) -> bool:
    return "item_id" in t.column_names()


def _select(t: Table, fmt: Format, since: datetime | None) -> tuple[str, list[Any]]:
    """SELECT of the rows of `t` to export (plus the partition column for item tables)."""
    cols = []
    for c in t.columns:
        ref = f"t.{_q(c.name)}"
        if fmt == "csv" and c.sql.endswith("[]"):
            ref = f"CAST(to_json({ref}) AS VARCHAR)"
        cols.append(f"{ref} AS {_q(c.name)}")
    params: list[Any] = []
    if _is_item_table(t):
        # items is its own date source; fact tables take the date of their item
        src = "items t" if t.name == "items" else f"{_q(t.name)} t JOIN items i ON i.item_id = t.item_id"
        alias = "t" if t.name == "items" else "i"
        where_time = f"coalesce({alias}.published_at, {alias}.ingested_at)"
        cols.append(f"coalesce(strftime({where_time}, '%Y-%m-%d'), 'unknown') AS {PARTITION}")
        where = ""
        if since is not None:
            where = f" WHERE {where_time} >= ?"
            params.append(since)
        return f"SELECT {', '.join(cols)} FROM {src}{where}", params
    where = ""
    if since is not None and t.name in _SINCE_COLUMN:
        where = f" WHERE t.{_q(_SINCE_COLUMN[t.name])} >= ?"
        params.append(since)
    return f"SELECT {', '.join(cols)} FROM {_q(t.name)} t{where}", params


def _copy_options(fmt: Format) -> str:
    if fmt == "parquet":
        return "FORMAT parquet, COMPRESSION zstd"
    if fmt == "csv":
        return "FORMAT csv, HEADER true"
    return "FORMAT json"


def _ext(fmt: Format) -> str:
    return {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}[fmt]


def _as_datetime(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def export(
    db: str | os.PathLike[str],
    directory: str | os.PathLike[str],
    *,
    fmt: Format = "parquet",
    since: date | datetime | None = None,
    overwrite: bool = False,
    wait: float = 10.0,
) -> ExportResult:
    """Write every table of the warehouse `db` into `directory` (read-only on the warehouse)."""
    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    out = Path(directory)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise BadInput(f"{out}: directory is not empty (use --overwrite to replace its contents)")
        if not (out / "manifest.json").exists():
            raise BadInput(f"{out}: not empty and not a wire export; refusing to overwrite it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    since_dt = _as_datetime(since)
    result = ExportResult(str(out), fmt, since_dt.isoformat() if since_dt else None)
    with reader(db, wait=wait) as con:
        version_row = con.execute("SELECT max(version) FROM schema_version").fetchone()
        for t in TABLES:
            sql, params = _select(t, fmt, since_dt)
            count_row = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
            n = int(count_row[0]) if count_row else 0
            result.counts[t.name] = n
            if n == 0:
                result.files[t.name] = []
                continue
            if fmt == "parquet":
                target = out / t.name
                if _is_item_table(t):
                    opts = f"{_copy_options(fmt)}, PARTITION_BY ({PARTITION}), FILENAME_PATTERN 'part_{{i}}'"
                    con.execute(f"COPY ({sql}) TO {_lit(str(target))} ({opts})", params)
                else:
                    target.mkdir()
                    con.execute(f"COPY ({sql}) TO {_lit(str(target / (t.name + '.parquet')))} "
                                f"({_copy_options(fmt)})", params)
                result.files[t.name] = sorted(str(p.relative_to(out)) for p in target.rglob("*.parquet"))
            else:
                target = out / f"{t.name}.{_ext(fmt)}"
                plain = f"SELECT * EXCLUDE ({PARTITION}) FROM ({sql})" if _is_item_table(t) else sql
                con.execute(f"COPY ({plain}) TO {_lit(str(target))} ({_copy_options(fmt)})", params)
                result.files[t.name] = [target.name]
    schema_version = int(version_row[0]) if version_row and version_row[0] is not None else None
    _write_sidecars(out, result, schema_version)
    return result


def _read_expr(t: Table, fmt: Format, base: str) -> str:
    """A DuckDB SELECT that reads table `t` back from files under `base` with the original types."""
    names = ", ".join(_q(c.name) for c in t.columns)
    if fmt == "parquet":
        pattern = f"{base}/{t.name}/**/*.parquet" if _is_item_table(t) else f"{base}/{t.name}/{t.name}.parquet"
        hive = ", hive_partitioning = true" if _is_item_table(t) else ""
        return f"SELECT {names} FROM read_parquet({_lit(pattern)}{hive})"
    path = f"{base}/{t.name}.{_ext(fmt)}"
    if fmt == "csv":
        types = ", ".join(f"{_lit(c.name)}: {_lit('VARCHAR' if c.sql.endswith('[]') else _csv_type(c))}"
                          for c in t.columns)
        exprs = ", ".join(
            f"from_json({_q(c.name)}, {_lit(json.dumps([c.sql[:-2]]))}) AS {_q(c.name)}" if c.sql.endswith("[]")
            else _q(c.name)
            for c in t.columns
        )
        return f"SELECT {exprs} FROM read_csv({_lit(path)}, header = true, columns = {{{types}}})"
    types = ", ".join(f"{_lit(c.name)}: {_lit(_csv_type(c))}" for c in t.columns)
    return f"SELECT {names} FROM read_json({_lit(path)}, format = 'newline_delimited', columns = {{{types}}})"


def _csv_type(c: Column) -> str:
    return "VARCHAR" if c.sql == "JSON" else c.sql


def _write_sidecars(out: Path, result: ExportResult, schema_version: int | None) -> None:
    manifest = {
        "format": result.format,
        "since": result.since,
        "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "schema_version": schema_version,
        "partitioning": f"hive by {PARTITION} (YYYY-MM-DD) for tables with item_id" if result.format == "parquet"
        else None,
        "tables": {name: {"rows": result.counts[name], "files": result.files[name]} for name in result.counts},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    (out / "schema.sql").write_text(";\n\n".join(create_sql(t) for t in TABLES) + ";\n", encoding="utf-8")
    loads = [f"INSERT INTO {_q(t.name)} {_read_expr(t, result.format, '.')};"
             for t in TABLES if result.counts.get(t.name)]
    (out / "load.sql").write_text(
        "-- run from inside this directory after schema.sql, e.g.\n"
        "--   duckdb new.duckdb -c '.read schema.sql' -c '.read load.sql' -c '.read views.sql'\n"
        + "\n".join(loads) + "\n", encoding="utf-8")
    (out / "views.sql").write_text(
        "\n\n".join(f"CREATE OR REPLACE VIEW {_q(v.name)} AS {v.sql.strip()};" for v in VIEWS) + "\n",
        encoding="utf-8")


def load_export(con: duckdb.DuckDBPyConnection, directory: str | os.PathLike[str]) -> dict[str, int]:
    """Create the tables and views in `con` and load an export into them; returns rows per table."""
    base = Path(directory)
    manifest_path = base / "manifest.json"
    if not manifest_path.exists():
        raise BadInput(f"{base}: no manifest.json (not a wire export)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    fmt: Format = manifest["format"]
    counts: dict[str, int] = {}
    for t in TABLES:
        con.execute(create_sql(t))
    for name, entry in manifest["tables"].items():
        t = table(name)
        if entry["rows"]:
            con.execute(f"INSERT INTO {_q(name)} {_read_expr(t, fmt, str(base.resolve()))}")
        row = con.execute(f"SELECT count(*) FROM {_q(name)}").fetchone()
        counts[name] = int(row[0]) if row else 0
    for v in VIEWS:
        con.execute(f"CREATE OR REPLACE VIEW {_q(v.name)} AS {v.sql}")
    return counts
