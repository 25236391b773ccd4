"""Concurrency and the read-only query path (issue #10.2).

- two `wire backfill` runs on one warehouse at once both finish (or one stops with a clear "busy"
  message and a rerun completes), and the warehouse equals the clean run's;
- readers during a load never see half a batch and either answer or say the warehouse is busy;
- a writer holding the file makes `wire sql` / `wire backfill` wait, then stop with a clear message;
- `wire sql` never writes: DDL, DML, COPY, ATTACH, INSTALL, LOAD, SET, writing pragmas are refused and
  the warehouse file is byte-for-byte unchanged afterwards.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import Corpus
from rel_harness import Ledger, check_partial, compare, kill_group, run_cli, snapshot, spawn_cli, wire_env

from warehouse.connect import is_lock_error
from warehouse.errors import ReadOnlyViolation, WarehouseBusy
from warehouse.query import run_query

pytestmark = pytest.mark.reliability


def _args(paths: list[Path], db: Path) -> list[str]:
    return ["backfill", *map(str, paths), "--db", str(db), "--no-prefect", "--quiet"]


@pytest.mark.slow
def test_two_backfills_at_once(corpus: Corpus, tmp_path: Path, ledger: Ledger) -> None:
    with corpus.scenario(ledger):
        db = tmp_path / "both.duckdb"
        # overlapping work: the second run's files are all also the first run's
        first = spawn_cli(_args([corpus.root], db), corpus.env())
        second = spawn_cli(_args([corpus.root / "part_b", corpus.root / "part_a"], db), corpus.env())
        outs = []
        for proc in (first, second):
            out, err = proc.communicate(timeout=600)
            outs.append((proc.returncode, out, err))
        reruns = 0
        for rc, out, err in outs:
            assert rc in (0, 2), f"backfill failed:\n{out}\n{err}"
            assert "Traceback" not in err
            if rc == 2:  # allowed only as a clear busy message; a rerun then completes
                assert "busy" in err, err
                reruns += 1
        if reruns:
            assert run_cli(_args([corpus.root], db), corpus.env()).returncode == 0
        cmp = compare(corpus.reference, snapshot(db))
        ledger.record("concurrency", "two overlapping backfills at once", faults_injected=1,
                      faults_survived=int(cmp.equal), rows_compared=cmp.rows, rows_lost=cmp.lost,
                      rows_duplicated=cmp.duplicated + cmp.extra, busy_stops=reruns, per_table=cmp.per_table)
        assert cmp.equal, cmp.per_table


@pytest.mark.slow
def test_readers_during_a_load_see_whole_batches(corpus: Corpus, tmp_path: Path, ledger: Ledger) -> None:
    with corpus.scenario(ledger):
        db = tmp_path / "read-during-load.duckdb"
        proc = spawn_cli(_args([corpus.root], db), corpus.env())
        answered = busy = checks = 0
        try:
            while proc.poll() is None:
                time.sleep(0.3)
                if not db.exists():
                    continue
                try:
                    res = run_query(db, "SELECT count(*) FROM items", wait=1.0)
                    assert res.rows[0][0] >= 0
                    answered += 1
                except WarehouseBusy as exc:
                    assert "busy" in str(exc)
                    busy += 1
                except duckdb.CatalogException:
                    continue  # the schema is being created right now
                try:
                    partial = check_partial(corpus.reference, snapshot(db))
                except duckdb.Error as exc:
                    if is_lock_error(exc) or isinstance(exc, duckdb.CatalogException):
                        continue
                    raise
                checks += 1
                assert partial.consistent, f"a reader saw half a batch: {partial}"
            _out, err = proc.communicate(timeout=600)
        finally:
            if proc.poll() is None:
                kill_group(proc)
        assert proc.returncode == 0, err
        assert answered + busy > 0 and checks > 0
        cmp = compare(corpus.reference, snapshot(db))
        ledger.record("concurrency", "queries during a load", faults_injected=answered + busy,
                      faults_survived=(answered + busy) if cmp.equal else 0, rows_compared=cmp.rows,
                      rows_lost=cmp.lost, rows_duplicated=cmp.duplicated + cmp.extra, answered=answered, busy=busy,
                      consistent_snapshots=checks)
        assert cmp.equal, cmp.per_table


_HOLD = """
import sys, time
from warehouse.connect import writer
with writer(sys.argv[1]) as con:
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_writer(db: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


@pytest.mark.slow
def test_busy_warehouse_waits_then_says_so(corpus: Corpus, tmp_path: Path, ledger: Ledger) -> None:
    db = tmp_path / "held.duckdb"
    holder = _hold_writer(db, 300.0)
    try:
        sql = run_cli(["sql", "SELECT count(*) FROM items", "--db", str(db)], corpus.env(WIRE_READ_WAIT="1"))
        assert sql.returncode == 2 and "busy" in sql.stderr and "Traceback" not in sql.stderr, sql.stderr
        fill = run_cli(_args([corpus.root / "part_a" / "story_0000.txt"], db), corpus.env(WIRE_LOCK_WAIT="1"))
        assert fill.returncode == 2 and "busy" in fill.stderr and "Traceback" not in fill.stderr, fill.stderr
        # a patient reader gets its answer once the writer is gone (killed: the OS drops its file lock)
        reader = spawn_cli(["sql", "SELECT count(*) AS n FROM items", "--db", str(db), "--format", "csv"],
                           corpus.env(WIRE_READ_WAIT="60"))
        time.sleep(3.0)
        assert reader.poll() is None, "the reader did not wait for the writer"
    finally:
        holder.kill()
        holder.communicate()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    assert out.splitlines() == ["n", "0"]
    ledger.record("concurrency", "warehouse held by another writer", faults_injected=3, faults_survived=3)


WRITES = [
    "CREATE TABLE t (a INT)", "CREATE TEMP TABLE t AS SELECT 1", "CREATE VIEW v AS SELECT 1", "CREATE MACRO m() AS 1",
    "INSERT INTO items (item_id) VALUES ('x')", "UPDATE items SET title = 'x'", "DELETE FROM items",
    "MERGE INTO items USING (SELECT 1 AS a) s ON false WHEN NOT MATCHED THEN INSERT (item_id) VALUES ('m')",
    "DROP TABLE items", "DROP VIEW IF EXISTS actor_pairs", "ALTER TABLE items ADD COLUMN z INT", "TRUNCATE items",
    "COPY items TO '{tmp}/copy.csv'", "COPY (SELECT 1) TO '{tmp}/copy2.parquet' (FORMAT parquet)",
    "COPY items FROM '{tmp}/copy.csv'", "EXPORT DATABASE '{tmp}/export'", "IMPORT DATABASE '{tmp}/export'",
    "ATTACH '{tmp}/other.duckdb' AS o", "DETACH o", "USE memory", "INSTALL httpfs", "LOAD httpfs",
    "LOAD '{tmp}/x.duckdb_extension'", "FORCE INSTALL json", "UPDATE EXTENSIONS", "SET threads = 1",
    "SET enable_external_access = true", "RESET enable_external_access", "PRAGMA enable_profiling",
    "PRAGMA enable_checkpoint_on_shutdown", "CHECKPOINT", "FORCE CHECKPOINT", "VACUUM", "VACUUM ANALYZE items",
    "BEGIN TRANSACTION", "CALL pragma_version()", "CREATE SECRET s (TYPE s3)", "SELECT 1; DROP TABLE items",
    "EXPLAIN ANALYZE SELECT 1", "EXPLAIN   /* x */   ANALYZE DELETE FROM items",
    "SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/*')", "SELECT * FROM query('DROP TABLE items')",
    "SELECT * FROM force_checkpoint()", "CREATE OR REPLACE TABLE items AS SELECT 1",
]


def _file_state(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _small_warehouse(db: Path) -> int:
    """A warehouse with two stored items (no NLP), written here."""
    from extractors.identity import item_id, story_id
    from extractors.records import Story
    from warehouse.connect import writer
    from warehouse.load import Batch, load_batch
    from warehouse.rows import item_row

    stories = [Story(source_uri=f"/x/{i}.txt", source_kind="text", body=f"Story {i}: the quay reopened {i} times.")
               for i in range(2)]
    rows = [item_row(s, item_id=item_id(s), story_id=story_id(s), run_id="t") for s in stories]
    with writer(db) as con:
        return load_batch(con, Batch(items=rows)).stored


def test_sql_never_writes(tmp_path: Path, ledger: Ledger) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "w.duckdb"
    stored = _small_warehouse(db)
    before = _file_state(folder)
    refused = 0
    for template in WRITES:
        sql = template.format(tmp=folder)
        with pytest.raises((ReadOnlyViolation, duckdb.Error)):
            run_query(db, sql, wait=1.0)
        refused += 1
    # reads still work and the warehouse and its folder are untouched, byte for byte
    assert run_query(db, "SELECT count(*) FROM items").rows[0][0] == stored == 2
    assert _file_state(folder) == before
    for sql in ("DELETE FROM items", "ATTACH 'x.duckdb'", "COPY items TO 'out.csv'"):
        cli = run_cli(["sql", sql, "--db", str(db)], wire_env())
        assert cli.returncode == 2 and "refused" in cli.stderr and "Traceback" not in cli.stderr, cli.stderr
        refused += 1
    assert _file_state(folder) == before
    ledger.record("sql", "write attempts through wire sql", inputs_tried=refused, inputs_handled=refused)
