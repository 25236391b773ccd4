"""Schema, migrations, batch loads (atomic, idempotent), duplicates, versions, read-only queries."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from extractors.identity import item_id, story_id
from extractors.records import Extraction, Number, Story
from warehouse import Batch, ReadOnlyViolation, SchemaTooNew, WarehouseBusy, load_batch, open_db, run_query, writer
from warehouse.rows import extraction_rows, item_row
from warehouse.schema import SCHEMA_VERSION, schema_version
from warehouse.tables import TABLES, table


def _row(body: str, uri: str = "a.txt", **kw: object) -> dict[str, object]:
    story = Story(source_uri=uri, source_kind="text", body=body, **kw)  # type: ignore[arg-type]
    return item_row(story, item_id=item_id(story), story_id=story_id(story), run_id="r1")


def test_fresh_warehouse_has_every_table_and_version(db: str) -> None:
    with writer(db) as con:
        assert schema_version(con) == SCHEMA_VERSION
        for t in TABLES:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [t.name]).fetchall()]
            assert cols == t.column_names()


def test_v2_warehouse_gets_numbers_counted_key(db: str) -> None:
    """A warehouse of schema version 2 (before `numbers.counted_key`) is brought forward: the column is added
    at the end (so the table equals a fresh one), rows already stored keep their values with a NULL key, and
    new rows store it."""
    old = {**_row("Old story: 300 jobs."), "extracted": True}
    ex = Extraction(numbers=[Number(text="300 jobs", value=300.0, start=11, end=19, counted="jobs",
                                    counted_key="job")])
    with writer(db) as con:  # make it look like a version-2 warehouse holding one figure
        load_batch(con, Batch(items=[dict(old)], extractions={old["item_id"]: extraction_rows(old["item_id"], ex)}))
        con.execute("ALTER TABLE numbers DROP COLUMN counted_key")
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (2, now()::TIMESTAMP, 'v2')")
    with writer(db) as con:
        assert schema_version(con) == SCHEMA_VERSION >= 3
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'numbers' "
            "ORDER BY ordinal_position").fetchall()]
        assert cols == table("numbers").column_names() and cols[-1] == "counted_key"
        assert con.execute("SELECT text, counted, counted_key FROM numbers").fetchall() == [("300 jobs", "jobs", None)]
        new = {**_row("New story: 12 children.", "b.txt"), "extracted": True}
        ex = Extraction(numbers=[Number(text="12 children", value=12.0, start=11, end=22, counted="children",
                                        counted_key="child")])
        load_batch(con, Batch(items=[dict(new)], extractions={new["item_id"]: extraction_rows(new["item_id"], ex)}))
        assert con.execute("SELECT counted_key FROM numbers WHERE counted = 'children'").fetchone() == ("child",)


def _constraints(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, list[str]]]:
    return sorted((r[0], r[1], list(r[2])) for r in con.execute(
        "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
        "WHERE schema_name = 'main'").fetchall())


def test_v3_warehouse_loses_the_fact_keys_and_keeps_its_rows(db: str, tmp_path: Path) -> None:
    """Version 4 drops the primary keys of actors/mentions/quotes/numbers (an index written out whole at every
    checkpoint): a version-3 warehouse with keyed fact tables is rebuilt with the same rows and ends with the
    constraints of a fresh one; loads and re-extraction work on it as before."""
    import dataclasses

    from warehouse.tables import create_sql

    old = {**_row("Old story: Tony Blair said 300 jobs would go."), "extracted": True}
    ex = Extraction(numbers=[Number(text="300 jobs", value=300.0, start=29, end=37, counted="jobs",
                                    counted_key="job")])
    with writer(db) as con:  # a version-3 warehouse: the fact tables with their primary keys, one item's facts
        load_batch(con, Batch(items=[dict(old)], extractions={old["item_id"]: extraction_rows(old["item_id"], ex)}))
        before = {n: con.execute(f"SELECT * FROM {n} ORDER BY ALL").fetchall() for n in ("items", "numbers")}
        for name in ("actors", "mentions", "quotes", "numbers"):
            keyed = dataclasses.replace(table(name), name=f"{name}_v3", indexed=True)
            con.execute(create_sql(keyed))
            con.execute(f"INSERT INTO {name}_v3 SELECT * FROM {name}")
            con.execute(f"DROP TABLE {name}")
            con.execute(f"ALTER TABLE {name}_v3 RENAME TO {name}")
        assert ("numbers", "PRIMARY KEY", ["item_id", "number_id"]) in _constraints(con)
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (3, now()::TIMESTAMP, 'v3')")
    with writer(db) as con:
        assert schema_version(con) == SCHEMA_VERSION >= 4
        migrated = _constraints(con)
        assert {n: con.execute(f"SELECT * FROM {n} ORDER BY ALL").fetchall() for n in ("items", "numbers")} == before
        new = {**_row("New story: 12 children.", "b.txt"), "extracted": True}
        ex2 = Extraction(numbers=[Number(text="12 children", value=12.0, start=11, end=22, counted="children")])
        load_batch(con, Batch(items=[dict(new)], extractions={new["item_id"]: extraction_rows(new["item_id"], ex2)}))
        assert con.execute("SELECT count(*) FROM numbers").fetchone() == (2,)
        for view in ("quote_board", "actor_stories", "numbers_about"):  # the views read the rebuilt tables
            con.execute(f"SELECT count(*) FROM {view}").fetchall()
    with writer(str(tmp_path / "fresh.duckdb")) as con:
        assert _constraints(con) == migrated
    assert not [c for c in migrated if c[0] in ("actors", "mentions", "quotes", "numbers") and c[1] != "NOT NULL"]


def test_fact_tables_are_not_replaced_by_key(db: str) -> None:
    from warehouse.load import insert_rows

    with writer(db) as con, pytest.raises(ValueError, match="actors: rows cannot be replaced"):
        insert_rows(con, "actors", [{"item_id": "i", "actor_id": "a"}], replace=True)


def test_newer_schema_refused(db: str) -> None:
    with writer(db) as con:
        con.execute("INSERT INTO schema_version VALUES (999, now()::TIMESTAMP, 'future')")
    with pytest.raises(SchemaTooNew), writer(db):
        pass


def test_load_is_idempotent(db: str) -> None:
    rows = [_row("First story body here."), _row("Second story body.", "b.txt")]
    with writer(db) as con:
        r1 = load_batch(con, Batch(items=[dict(r) for r in rows]))
        r2 = load_batch(con, Batch(items=[dict(r) for r in rows]))
        assert (r1.stored, r2.stored, r2.already) == (2, 0, 2)
        assert con.execute("SELECT count(*) FROM items").fetchone() == (2,)


def test_batch_with_repeated_keys_is_deduplicated_first(db: str) -> None:
    row = _row("Same item twice in one batch.")
    with writer(db) as con:
        res = load_batch(con, Batch(items=[dict(row), dict(row)]))
        assert res.stored == 1


def test_exact_duplicate_points_to_first(db: str) -> None:
    with writer(db) as con:
        load_batch(con, Batch(items=[_row("Floods hit the town.", "a.txt")]))
        load_batch(con, Batch(items=[_row("Floods  hit the TOWN!", "b.txt")]))  # same normalised body
        rows = con.execute("SELECT source_uri, duplicate_of IS NOT NULL, dup_kind FROM items ORDER BY 1").fetchall()
    assert rows == [("a.txt", False, None), ("b.txt", True, "exact")]


def test_changed_source_is_a_new_version(db: str) -> None:
    with writer(db) as con:
        load_batch(con, Batch(items=[_row("Version one of the story.", "s.txt")]))
        load_batch(con, Batch(items=[_row("Version two of the story, updated.", "s.txt")]))
        rows = con.execute("SELECT version, body FROM items ORDER BY version").fetchall()
        latest = con.execute("SELECT body FROM latest_items").fetchall()
    assert [r[0] for r in rows] == [1, 2]
    assert latest == [("Version two of the story, updated.",)]


def test_failed_batch_leaves_nothing(db: str) -> None:
    good = _row("A good story.")
    bad_facts = {good["item_id"]: {"numbers": [{"item_id": good["item_id"], "number_id": None}]}}  # NOT NULL key
    good["extracted"] = True
    with writer(db) as con:
        with pytest.raises(duckdb.Error):
            load_batch(con, Batch(items=[good], extractions=bad_facts))  # type: ignore[arg-type]
        assert con.execute("SELECT count(*) FROM items").fetchone() == (0,)


def test_killed_story_hidden_from_latest(db: str) -> None:
    with writer(db) as con:
        load_batch(con, Batch(items=[_row("Body v1.", guid="urn:x:1", version=1)]))
        load_batch(con, Batch(items=[_row("Kill notice.", guid="urn:x:1", version=2, pub_status="canceled")]))
        assert con.execute("SELECT count(*) FROM items").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM latest_items").fetchone() == (0,)


@pytest.mark.parametrize("sql", [
    "CREATE TABLE x (a INT)", "INSERT INTO items (item_id) VALUES ('x')", "DELETE FROM items",
    "UPDATE items SET title = 'x'", "DROP TABLE items", "COPY items TO '/tmp/wire_leak.csv'",
    "ATTACH '/tmp/other.duckdb' AS o", "INSTALL fts", "LOAD fts", "SET threads = 1",
    "PRAGMA enable_checkpoint_on_shutdown", "CHECKPOINT", "EXPORT DATABASE '/tmp/wire_export'",
    "SELECT 1; DROP TABLE items", "EXPLAIN ANALYZE SELECT 1",
])
def test_sql_refuses_writes(db: str, sql: str) -> None:
    with writer(db):
        pass
    with pytest.raises((ReadOnlyViolation, duckdb.Error)):
        run_query(db, sql)
    with writer(db) as con:
        assert con.execute("SELECT count(*) FROM items").fetchone() == (0,)
    assert not Path("/tmp/wire_leak.csv").exists()


def test_sql_reads(db: str) -> None:
    with writer(db) as con:
        load_batch(con, Batch(items=[_row("A story.")]))
    res = run_query(db, "SELECT count(*) AS n FROM items")
    assert res.columns == ["n"] and res.rows == [(1,)]
    assert run_query(db, "DESCRIBE items").rows


def test_reader_waits_then_says_busy(db: str) -> None:
    with writer(db):
        pass
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    started = ctx.Event()
    release = ctx.Event()
    proc = ctx.Process(target=_hold, args=(db, started, release))
    proc.start()
    try:
        assert started.wait(30)
        with pytest.raises(WarehouseBusy, match="busy"):
            open_db(db, read_only=True, wait=0.5)
    finally:
        release.set()
        proc.join(30)
    con = open_db(db, read_only=True, wait=5)
    con.close()


def _hold(db: str, started: object, release: object) -> None:
    con = duckdb.connect(db)
    started.set()  # type: ignore[attr-defined]
    release.wait(30)  # type: ignore[attr-defined]
    con.close()


def _added_by_migrations() -> list[tuple[str, str]]:
    import re

    from warehouse.schema import MIGRATIONS

    pattern = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)", re.I)
    return [m.groups() for mig in MIGRATIONS for s in mig.statements if (m := pattern.search(s))]  # type: ignore[misc]


def test_a_column_added_to_tables_py_comes_with_its_migration(tmp_path: Path) -> None:
    """A newcomer's new column is its `Column` in tables.py plus an `ALTER TABLE ... ADD COLUMN` in
    `MIGRATIONS`: an older warehouse brought forward must equal a fresh one. Built from MIGRATIONS, so no
    test edit is needed per column; a Column without its migration fails here, naming it."""
    from warehouse.schema import SCHEMA_VERSION, migrate
    from warehouse.tables import TABLES

    added = _added_by_migrations()
    db = str(tmp_path / "old.duckdb")
    with writer(db) as con:  # a version-1 warehouse: today's tables without the columns migrations add
        for table_name, column in added:
            con.execute(f"ALTER TABLE {table_name} DROP COLUMN {column}")
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (1, now()::TIMESTAMP, 'v1')")
    with writer(db) as con:
        assert migrate(con) == SCHEMA_VERSION
        for t in TABLES:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [t.name]).fetchall()]
            assert cols == t.column_names(), f"{t.name}: a migrated warehouse has {cols}"
    # every column beyond the first release is one a migration adds (append new Columns last)
    first_release = json.loads((Path(__file__).parents[1] / "golden" / "schema_v1.json").read_text())
    later = {(t.name, c) for t in TABLES for c in t.column_names()} - {tuple(x) for x in first_release}
    missing = sorted(later - set(added))
    assert not missing, f"columns in tables.py that no migration adds (add a Migration to MIGRATIONS): {missing}"


def test_writer_runs_on_one_duckdb_thread_unless_told(tmp_path: Path) -> None:
    from warehouse.connect import WRITER_THREADS, writer

    default = duckdb.connect(":memory:").execute("SELECT current_setting('threads')").fetchone()

    db = tmp_path / "threads.duckdb"
    with writer(db) as con:
        assert con.execute("SELECT current_setting('threads')").fetchone() == (WRITER_THREADS,)
    with writer(db, threads=None) as con:  # DuckDB's default: one per core
        assert con.execute("SELECT current_setting('threads')").fetchone() == default


def test_writers_append_in_small_row_groups_so_a_checkpoint_rewrites_only_the_last(tmp_path: Path) -> None:
    from warehouse.connect import WRITER_ROW_GROUP, reader, writer

    db = tmp_path / "groups.duckdb"
    n = 3 * WRITER_ROW_GROUP + 100
    with writer(db) as con:
        con.execute("CREATE TABLE t AS SELECT range AS i, repeat('x', 200) || range AS body FROM range(?)", [n])
    blocks = "SELECT DISTINCT block_id FROM pragma_storage_info('t') WHERE block_id IS NOT NULL"
    with reader(db) as con:
        groups = con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('t')").fetchone()
        before = {r[0] for r in con.execute(blocks).fetchall()}
    assert groups == (4,)
    with writer(db) as con:  # ten more rows: the full row groups keep their blocks
        con.execute("INSERT INTO t SELECT range, 'y' FROM range(10)")
    with reader(db) as con:
        after = {r[0] for r in con.execute(blocks).fetchall()}
        assert con.execute("SELECT count(*) FROM t").fetchone() == (n + 10,)
    assert len(before & after) >= len(before) - 2
