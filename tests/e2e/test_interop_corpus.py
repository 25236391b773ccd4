"""On real stories (a slice of ../shared/corpora/bbc through the real pipeline): every analyst view answers,
`wire search` finds quotes by three of their words, and an export reloads with the same row counts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.cli import main
from flows.settings import Settings
from warehouse.export import FORMATS, export, load_export
from warehouse.search import search
from warehouse.tables import TABLES

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

PER_FOLDER = 3  # 15 stories: NLP costs about 0.3 s a story


@pytest.fixture(scope="module")
def bbc_db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> str:
    from flows.backfill import backfill

    root = shared / "corpora" / "bbc"
    if not root.is_dir():
        pytest.skip(f"{root} not found")
    folders = sorted(x for x in root.iterdir() if x.is_dir())
    files = [str(p) for d in folders for p in sorted(d.glob("*.txt"))[:PER_FOLDER]]
    db = str(tmp_path_factory.mktemp("bbc") / "bbc.duckdb")
    summary = backfill(files, db, Settings(workers=1, min_parallel=1000), use_tasks=False)
    assert summary.stored == len(files), summary.error_reasons
    return db


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def test_each_view_answers_on_real_stories(bbc_db: str) -> None:
    with duckdb.connect(bbc_db, read_only=True) as con:
        assert _one(con, "SELECT count(*) FROM latest_items") == 5 * PER_FOLDER
        assert _one(con, "SELECT count(*) FROM quote_board WHERE speaker IS NOT NULL") > 0
        assert _one(con, "SELECT count(*) FROM actor_stories WHERE stories >= 2") > 0
        assert _one(con, "SELECT count(*) FROM actor_pairs") > 0
        assert _one(con, "SELECT max(stories) FROM actor_pairs") >= 1
        # every figure lies inside the sentence the view puts it in
        bad = _one(con, """SELECT count(*) FROM numbers_about n JOIN items i USING (item_id)
                           WHERE n.sentence IS NULL
                              OR strpos(n.sentence, substring(i.body, n.start + 1, n."end" - n.start)) = 0""")
        assert bad == 0
        assert _one(con, "SELECT count(*) FROM numbers_about WHERE len(actors) + len(places) > 0") > 0
        log = con.execute("SELECT flow, status, items FROM ingest_log").fetchall()
        assert log == [("backfill", "completed", 5 * PER_FOLDER)]
        # sentences tile each body: contiguous spans from 0 to its length
        gaps = _one(con, """SELECT count(*) FROM (
                                SELECT item_id, start, lag("end") OVER (PARTITION BY item_id ORDER BY start) AS prev
                                FROM sentences) WHERE prev IS NOT NULL AND prev <> start""")
        assert gaps == 0


def _three_words(text: str) -> str:
    words = [w for w in dict.fromkeys(re.findall(r"[A-Za-z]{5,}", text))]
    return " ".join(sorted(words, key=len, reverse=True)[:3])


def test_search_finds_known_quotes_by_three_of_their_words(bbc_db: str) -> None:
    with duckdb.connect(bbc_db, read_only=True) as con:
        quotes = con.execute("""SELECT quote_id, quote FROM quote_board
                                WHERE kind = 'direct' AND length(quote) > 60 ORDER BY quote_id LIMIT 8""").fetchall()
    assert quotes
    found = 0
    for quote_id, text in quotes:
        words = _three_words(text)
        hits = search(bbc_db, words, quotes=True, limit=3).hits
        found += quote_id in [h.quote_id for h in hits]
    assert found == len(quotes)


def test_cli_search_on_real_stories(bbc_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with duckdb.connect(bbc_db, read_only=True) as con:
        title = _one(con, "SELECT title FROM latest_items WHERE title IS NOT NULL ORDER BY item_id LIMIT 1")
    assert main(["search", title, "--db", bbc_db, "--limit", "3"]) == 0
    assert title in capsys.readouterr().out


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_reloads_into_a_fresh_duckdb_with_the_same_counts(bbc_db: str, tmp_path: Path, fmt: str) -> None:
    res = export(bbc_db, tmp_path / fmt, fmt=fmt)  # type: ignore[arg-type]
    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    counts = load_export(fresh, tmp_path / fmt)
    with duckdb.connect(bbc_db, read_only=True) as src:
        for t in TABLES:
            assert counts[t.name] == _one(src, f'SELECT count(*) FROM "{t.name}"') == res.counts[t.name], t.name
        for view in ("quote_board", "actor_stories", "numbers_about"):
            assert _one(fresh, f"SELECT count(*) FROM {view}") == _one(src, f"SELECT count(*) FROM {view}"), view
