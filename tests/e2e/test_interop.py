"""The warehouse opens read-only from pandas, polars and Arrow; exports read back in them; the notebook
example in docs/notebook.md runs as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from warehouse import writer
from warehouse.export import export
from warehouse.load import insert_rows

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

REPO = Path(__file__).resolve().parents[2]

BODIES = {
    "i1": ('The central bank raised interest rates to 5% on Thursday, Governor Ann Lee said. '
           '"Inflation is still too high," Lee said.'),
    "i2": "Ann Lee met Tom Berg in Oslo. The bank will cut 200 jobs, Tom Berg said.",
    "i3": "Tom Berg said the deal was worth $3 billion.",
}


def _build(db: str) -> None:
    with writer(db) as con:
        insert_rows(con, "items", [
            {"item_id": k, "story_id": "s" + k, "version": 1, "title": f"Story {k}", "body": b, "agency": "AFP",
             "pub_status": "usable", "published_at": datetime(2024, 2, n + 1, 9), "ingested_at": datetime(2024, 3, 1),
             "subjects": ["economy"], "run_id": "r1", "extracted": True}
            for n, (k, b) in enumerate(BODIES.items())])
        actors = {"lee": ("Ann Lee", "person", ["Governor"]), "berg": ("Tom Berg", "person", []),
                  "oslo": ("Oslo", "place", []), "bank": ("central bank", "org", [])}
        present = {"i1": ["lee", "bank"], "i2": ["lee", "berg", "oslo"], "i3": ["berg"]}
        insert_rows(con, "actors", [
            {"item_id": i, "actor_id": a, "name": actors[a][0], "kind": actors[a][1], "titles": actors[a][2],
             "aliases": [], "title_orgs": [], "mention_count": 1} for i, ids in present.items() for a in ids])
        mentions = []
        for i, ids in present.items():
            for a in ids:
                for m in re.finditer(re.escape(actors[a][0]), BODIES[i]):
                    mentions.append({"item_id": i, "mention_id": f"{i}{a}{m.start()}", "actor_id": a,
                                     "text": m.group(0), "kind": actors[a][1], "start": m.start(), "end": m.end()})
        insert_rows(con, "mentions", mentions)
        q = BODIES["i1"].index("Inflation")
        insert_rows(con, "quotes", [{"item_id": "i1", "quote_id": "q1", "text": "Inflation is still too high",
                                     "kind": "direct", "speaker": "Ann Lee", "speaker_actor_id": "lee",
                                     "speaker_text": "Lee", "cue": "said", "start": q, "end": q + 27}])
        nums = [("i1", "5%", 5.0, "percent", "%", None), ("i2", "200 jobs", 200.0, "count", None, "jobs"),
                ("i3", "$3 billion", 3e9, "money", "USD", None)]
        insert_rows(con, "numbers", [
            {"item_id": i, "number_id": f"n{i}", "text": t, "value": v, "kind": k, "unit": u, "counted": c,
             "approx": False, "start": BODIES[i].index(t), "end": BODIES[i].index(t) + len(t)}
            for i, t, v, k, u, c in nums])
        insert_rows(con, "runs", [{"run_id": "r1", "flow": "backfill", "started_at": datetime(2024, 3, 1),
                                   "finished_at": datetime(2024, 3, 1, 0, 1), "stored": 3, "errors": 0,
                                   "status": "completed"}])


@pytest.fixture
def wh(tmp_path: Path) -> str:
    db = str(tmp_path / "warehouse.duckdb")
    _build(db)
    return db


def test_views_to_pandas_read_only(wh: str) -> None:
    con = duckdb.connect(wh, read_only=True)
    try:
        quotes = con.sql("SELECT * FROM quote_board").df()
        assert isinstance(quotes, pd.DataFrame) and len(quotes) == 1
        row = quotes.iloc[0]
        assert (row["speaker"], list(row["speaker_titles"])) == ("Ann Lee", ["Governor"])
        assert pd.api.types.is_datetime64_any_dtype(quotes["published_at"])
        actors = con.sql("SELECT actor, stories FROM actor_stories ORDER BY stories DESC, actor").df()
        assert actors.to_dict("records")[:2] == [{"actor": "Ann Lee", "stories": 2},
                                                 {"actor": "Tom Berg", "stories": 2}]
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM items")
    finally:
        con.close()


def test_views_to_polars_and_arrow(wh: str) -> None:
    with duckdb.connect(wh, read_only=True) as con:
        nums = con.sql("SELECT figure, kind, actors, places FROM numbers_about ORDER BY figure").pl()
        assert isinstance(nums, pl.DataFrame)
        assert nums.schema["actors"] == pl.List(pl.String)
        jobs = nums.filter(pl.col("figure") == "200 jobs").row(0, named=True)
        assert (jobs["actors"], jobs["places"]) == (["Tom Berg"], [])  # Oslo is in the sentence before
        table = con.sql("SELECT actor_a, actor_b, stories FROM actor_pairs").to_arrow_table()
        assert isinstance(table, pa.Table)
        assert {frozenset((a, b)) for a, b in zip(table.column("actor_a").to_pylist(),
                                                   table.column("actor_b").to_pylist(), strict=True)} >= {
            frozenset(("Ann Lee", "Tom Berg")), frozenset(("Ann Lee", "central bank"))}


def test_two_read_only_processes_share_the_file(wh: str, tmp_path: Path) -> None:
    flag = tmp_path / "open"
    other = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, pathlib, time\n"
        f"con = duckdb.connect({wh!r}, read_only=True)\n"
        "con.execute('SELECT count(*) FROM items').fetchall()\n"
        f"pathlib.Path({str(flag)!r}).write_text('1')\n"
        "time.sleep(20)\n")])
    try:
        deadline = time.monotonic() + 60
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flag.exists()
        with duckdb.connect(wh, read_only=True) as con:
            assert con.sql("SELECT count(*) FROM latest_items").fetchone() == (3,)
    finally:
        other.kill()
        other.wait()


def test_parquet_export_reads_back_in_pandas_and_polars(wh: str, tmp_path: Path) -> None:
    out = tmp_path / "exp"
    export(wh, out, fmt="parquet")
    items = pl.scan_parquet(str(out / "items" / "**" / "*.parquet"), hive_partitioning=True).collect()
    assert items.height == 3 and "date" in items.columns
    assert sorted(str(d) for d in items["date"].to_list()) == ["2024-02-01", "2024-02-02", "2024-02-03"]
    quotes = pd.read_parquet(out / "quotes")  # pyarrow reads the hive directory as one dataset
    assert quotes["text"].tolist() == ["Inflation is still too high"]
    jsonl = tmp_path / "jsonl"
    export(wh, jsonl, fmt="jsonl")
    assert pl.read_ndjson(jsonl / "numbers.jsonl").height == 3
    csv_dir = tmp_path / "csv"
    export(wh, csv_dir, fmt="csv")
    assert len(pd.read_csv(csv_dir / "actors.csv")) == 6


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def test_notebook_example_runs(wh: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    blocks = _python_blocks((REPO / "docs" / "notebook.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)  # the example opens ./warehouse.duckdb and writes ./export-parquet
    assert os.path.exists("warehouse.duckdb")
    scope: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "docs/notebook.md", "exec"), scope)
    out = capsys.readouterr().out
    assert "Inflation is still too high" in out and "runs" in out
    assert "**interest** **rates**" in out  # the search example found and highlighted the story
    assert (tmp_path / "export-parquet" / "manifest.json").exists()
