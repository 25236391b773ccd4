"""`wire export`: every table round-trips through Parquet (date partitions), CSV and JSON lines."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.errors import BadInput
from flows.cli import main
from warehouse import writer
from warehouse.export import FORMATS, export, load_export
from warehouse.load import insert_rows
from warehouse.tables import TABLES, table


def _item(iid: str, published: datetime | None, **kw: Any) -> dict[str, Any]:
    row = {"item_id": iid, "story_id": "s-" + iid, "version": 1, "title": f"Title {iid}",
           "body": f'Body of {iid}, with "quotes", commas and a\nnew line.', "pub_status": "usable",
           "published_at": published, "ingested_at": datetime(2024, 7, 1, 12), "subjects": ["politics", "a,b"],
           "keywords": [], "warnings": None, "meta": json.dumps({"k": [1, 2]}), "extracted": True,
           "word_count": 9, "urgency": 3, "dup_similarity": None, "run_id": "r1"}
    row.update(kw)
    return row


def _generic_row(name: str, **given: Any) -> dict[str, Any]:
    samples = {"VARCHAR": "x", "INTEGER": 1, "BIGINT": 2, "DOUBLE": 0.5, "BOOLEAN": True,
               "TIMESTAMP": datetime(2024, 1, 1), "VARCHAR[]": ["x"], "BIGINT[]": [1, 2], "JSON": "{}"}
    return {c.name: given.get(c.name, samples.get(c.sql)) for c in table(name).columns}


@pytest.fixture
def wh(db: str) -> str:
    with writer(db) as con:
        insert_rows(con, "items", [
            _item("a", datetime(2024, 5, 1, 8, 30)),
            _item("b", datetime(2024, 5, 1, 23, 59)),
            _item("c", datetime(2024, 6, 2)),
            _item("d", None),  # no publication date: partitioned by the day it was stored
            _item("e", datetime(2023, 12, 31), duplicate_of="a", dup_kind="exact", dup_similarity=1.0),
        ])
        insert_rows(con, "actors", [
            {"item_id": i, "actor_id": "x1", "name": "Jane Doe", "kind": "person", "titles": ["Mayor", ""],
             "aliases": [], "title_orgs": None, "mention_count": 2} for i in "abcd"])
        insert_rows(con, "mentions", [{"item_id": "a", "mention_id": "m1", "actor_id": "x1", "text": "Doe",
                                       "kind": "person", "start": 0, "end": 3}])
        insert_rows(con, "quotes", [{"item_id": "c", "quote_id": "q1", "text": 'She said "no", twice', "kind": "direct",
                                     "start": 1, "end": 5}])
        insert_rows(con, "numbers", [{"item_id": "b", "number_id": "n1", "text": "3.5%", "value": 3.5, "unit": "%",
                                      "kind": "percent", "approx": False, "start": 0, "end": 4}])
        insert_rows(con, "runs", [
            {"run_id": "r0", "flow": "backfill", "started_at": datetime(2024, 4, 1), "status": "completed"},
            {"run_id": "r1", "flow": "backfill", "started_at": datetime(2024, 7, 1), "status": "completed"}])
        insert_rows(con, "sources", [{"source_key": "/x/a.txt", "source_uri": "a.txt", "size": 10, "mtime_ns": 5,
                                      "status": "stored", "items": 1, "seen_at": datetime(2024, 7, 1)}])
        insert_rows(con, "problems", [{"run_id": "r1", "source_uri": "bad.bin", "part": -1, "kind": "error",
                                       "reason": "cannot decode", "at": datetime(2024, 7, 1)}])
        insert_rows(con, "feeds", [{"feed_id": "f1", "url": "https://example.org/rss", "interval_s": 300,
                                    "disabled": False}])
        lsh = _generic_row("lsh_buckets", item_id="a")  # its columns may change; append-only, no key
        marks = ", ".join("?" * len(lsh))
        con.execute(f"INSERT INTO lsh_buckets ({', '.join(lsh)}) VALUES ({marks})", list(lsh.values()))
    return db


def _table_rows(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[Any, ...]]:
    """Rows in a stable order; JSON columns compared as parsed JSON (JSON lines nest them as objects)."""
    is_json = [c.sql == "JSON" for c in table(name).columns]
    rows = [tuple(json.loads(v) if j and v is not None else v for v, j in zip(r, is_json, strict=True))
            for r in con.execute(f'SELECT * FROM "{name}"').fetchall()]
    return sorted(rows, key=repr)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_reloads_with_the_same_rows(wh: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "export"
    res = export(wh, out, fmt=fmt)  # type: ignore[arg-type]
    fresh = duckdb.connect()
    counts = load_export(fresh, out)
    with duckdb.connect(wh, read_only=True) as src:
        for t in TABLES:
            assert counts[t.name] == res.counts[t.name], t.name
            assert _table_rows(fresh, t.name) == _table_rows(src, t.name), t.name  # same values, same types
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == fmt and manifest["tables"]["items"]["rows"] == 5
    assert fresh.execute("SELECT count(*) FROM latest_items").fetchone() == (4,)  # views come along


def test_parquet_is_hive_partitioned_by_date(wh: str, tmp_path: Path) -> None:
    out = tmp_path / "p"
    res = export(wh, out)
    parts = sorted(p.name for p in (out / "items").iterdir())
    assert parts == ["date=2023-12-31", "date=2024-05-01", "date=2024-06-02", "date=2024-07-01"]
    assert sorted(p.name for p in (out / "quotes").iterdir()) == ["date=2024-06-02"]  # the date of its item
    assert res.files["runs"] == ["runs/runs.parquet"]
    con = duckdb.connect()
    by_day = con.execute(
        f"SELECT CAST(date AS VARCHAR), count(*) FROM read_parquet('{out}/items/**/*.parquet', "
        "hive_partitioning = true) GROUP BY 1 ORDER BY 1").fetchall()
    assert by_day == [("2023-12-31", 1), ("2024-05-01", 2), ("2024-06-02", 1), ("2024-07-01", 1)]


def test_since_keeps_newer_items_with_their_facts(wh: str, tmp_path: Path) -> None:
    res = export(wh, tmp_path / "s", since=date(2024, 6, 1))
    assert res.counts["items"] == 2  # c (June 2) and d (stored July 1)
    assert (res.counts["actors"], res.counts["quotes"], res.counts["numbers"], res.counts["mentions"]) == (2, 1, 0, 0)
    assert (res.counts["runs"], res.counts["problems"], res.counts["feeds"]) == (1, 1, 1)
    assert res.files["numbers"] == []
    assert load_export(duckdb.connect(), tmp_path / "s")["numbers"] == 0


def test_sql_files_load_the_export_in_plain_duckdb(wh: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "sqlfiles"
    export(wh, out, fmt="csv")
    monkeypatch.chdir(out)  # load.sql uses paths relative to the export directory
    con = duckdb.connect()
    for name in ("schema.sql", "load.sql", "views.sql"):
        con.execute(Path(name).read_text())
    assert con.execute("SELECT count(*) FROM items").fetchone() == (5,)
    assert con.execute("SELECT subjects FROM items WHERE item_id = 'a'").fetchone() == (["politics", "a,b"],)
    assert con.execute("SELECT count(*) FROM quote_board").fetchone() == (1,)


def test_refuses_to_write_into_a_foreign_directory(wh: str, tmp_path: Path) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(BadInput, match="not empty"):
        export(wh, other)
    with pytest.raises(BadInput, match="not a wire export"):
        export(wh, other, overwrite=True)
    assert (other / "notes.txt").read_text() == "keep me"
    out = tmp_path / "again"
    export(wh, out)
    with pytest.raises(BadInput):
        export(wh, out)
    assert export(wh, out, fmt="jsonl", overwrite=True).counts["items"] == 5
    assert not (out / "items").exists() and (out / "items.jsonl").exists()  # the old export is replaced


def test_cli_export(wh: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    assert main(["export", str(out), "--format", "parquet", "--since", "2024-05-01", "--db", wh]) == 0
    text = capsys.readouterr().out
    assert "items" in text and "4 rows" in text
    assert main(["export", str(out), "--db", wh]) == 2  # not empty: one-line error, exit code 2
    assert "not empty" in capsys.readouterr().err
    assert os.path.exists(out / "manifest.json")
