"""`wire search`: BM25 over the fts index (kept fresh), SQL fallback, snippets, filters, CLI."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from flows.cli import main
from warehouse import reader, writer
from warehouse.load import insert_rows
from warehouse.search import fts_extension_path, highlight, index_state, load_fts, refresh_index, search

STORIES = {
    "flood": ("River floods cut off villages",
              "Heavy rain made the river burst its banks on Tuesday. Rescue teams reached three villages by boat "
              "and the mayor said flooding was the worst in forty years."),
    "bank": ("Central bank raises interest rates",
             "The central bank raised interest rates by a quarter point. Economists expected the rise after "
             "inflation climbed for a sixth month."),
    "match": ("Late goal wins the cup",
              "A late goal gave the visitors the cup final. The coach praised the defenders and the goalkeeper."),
    "rates": ("Mortgage rates rise again",
              "Banks passed on the rise in rates to home buyers, lenders said."),
}
QUOTES = [
    ("flood", "qf", "We have never seen water this high in the valley", "Maria Lopez"),
    ("bank", "qb", "Inflation remains far too high for comfort", "Ana Ruiz"),
    ("match", "qm", "The defenders were magnificent all night", None),
]


def _items(ids: list[str], day: int = 1) -> list[dict[str, Any]]:
    return [{"item_id": k, "story_id": "s-" + k, "version": 1, "title": STORIES[k][0], "body": STORIES[k][1],
             "agency": "AFP", "source_uri": f"/a/{k}.txt", "pub_status": "usable",
             "published_at": datetime(2024, 3, day + i), "ingested_at": datetime(2024, 4, 1)}
            for i, k in enumerate(ids)]


@pytest.fixture
def wh(db: str) -> str:
    with writer(db) as con:
        insert_rows(con, "items", _items(list(STORIES)))
        insert_rows(con, "quotes", [
            {"item_id": item, "quote_id": qid, "text": text, "kind": "direct", "speaker": speaker,
             "start": 0, "end": len(text)} for item, qid, text, speaker in QUOTES])
    return db


def test_the_fts_extension_ships_with_the_wheel_and_loads_offline() -> None:
    import duckdb

    path = fts_extension_path()
    assert path is not None and path.is_file(), "duckdb-extension-fts is a dependency; its binary must be found"
    con = duckdb.connect()
    assert load_fts(con)
    assert con.execute("SELECT stem('villages', 'porter')").fetchone() == ("villag",)


def test_stories_ranked_by_relevance_with_highlighted_snippets(wh: str) -> None:
    res = search(wh, "interest rates")
    assert res.engine == "fts"
    assert [h.item_id for h in res.hits][:2] == ["bank", "rates"]
    top = res.hits[0]
    assert top.kind == "story" and top.headline == "Central bank raises interest rates"
    assert "**interest** **rates**" in top.snippet
    assert res.hits[0].score > res.hits[1].score


def test_stemmed_words_match_and_are_highlighted(wh: str) -> None:
    res = search(wh, "flood village")
    assert [h.item_id for h in res.hits] == ["flood"]
    assert "**villages**" in res.hits[0].snippet and "**flooding**" in res.hits[0].snippet


def test_quotes_found_by_three_of_their_words(wh: str) -> None:
    res = search(wh, "water valley never", quotes=True)
    assert [h.quote_id for h in res.hits] == ["qf"]
    hit = res.hits[0]
    assert (hit.kind, hit.speaker, hit.headline, hit.text) == ("quote", "Maria Lopez", STORIES["flood"][0],
                                                               QUOTES[0][2])
    assert "**water**" in hit.snippet and "**valley**" in hit.snippet


def test_since_keeps_newer_stories_only(wh: str) -> None:
    assert {h.item_id for h in search(wh, "rates").hits} == {"bank", "rates"}
    assert [h.item_id for h in search(wh, "rates", since=date(2024, 3, 4)).hits] == ["rates"]
    assert search(wh, "rates", since=date(2030, 1, 1)).hits == []


def test_index_follows_new_loads(wh: str) -> None:
    search(wh, "goal")  # builds the index
    with reader(wh) as con:
        assert load_fts(con) and index_state(con, "items") == "fresh"
    with writer(wh) as con:
        insert_rows(con, "items", [{"item_id": "new", "story_id": "s-new", "version": 1, "title": "Volcano",
                                    "body": "The volcano erupted at dawn.", "pub_status": "usable"}])
        assert index_state(con, "items") == "stale"
    res = search(wh, "volcano erupted")
    assert [h.item_id for h in res.hits] == ["new"]
    assert any("rebuilt" in n for n in res.notes)
    assert not any("rebuilt" in n for n in search(wh, "volcano").notes)  # fresh now: no second rebuild


def test_refresh_index_rebuilds_only_what_is_stale(wh: str) -> None:
    with writer(wh) as con:
        assert refresh_index(con) == ["items", "quotes"]
        assert refresh_index(con) == []
        insert_rows(con, "quotes", [{"item_id": "bank", "quote_id": "q9", "text": "Rates will fall", "kind": "direct",
                                     "start": 0, "end": 5}])
        assert refresh_index(con) == ["quotes"]


def test_duplicates_old_versions_and_kills_are_not_returned(wh: str) -> None:
    with writer(wh) as con:
        insert_rows(con, "items", [
            {"item_id": "dup", "story_id": "s-dup", "version": 1, "title": "Copy", "body": STORIES["match"][1],
             "duplicate_of": "match", "pub_status": "usable"},
            {"item_id": "old", "story_id": "s-bank", "version": 0, "title": "Old", "body": "Goalkeeper rates.",
             "pub_status": "usable"},
            {"item_id": "k1", "story_id": "s-k", "version": 1, "title": "Goalkeeper story", "body": "A goalkeeper.",
             "pub_status": "usable"},
            {"item_id": "k2", "story_id": "s-k", "version": 2, "title": "KILL", "body": "", "pub_status": "canceled"},
        ])
    ids = {h.item_id for h in search(wh, "goalkeeper").hits}
    assert ids == {"match"}


def test_sql_fallback_ranks_like_the_index(wh: str) -> None:
    for words in ("interest rates", "defenders cup", "river rescue boat"):
        fts = search(wh, words)
        sql = search(wh, words, engine="sql")
        assert sql.engine == "sql"
        assert sql.hits and sql.hits[0].item_id == fts.hits[0].item_id, words
    quotes = search(wh, "inflation comfort high", quotes=True, engine="sql")
    assert [h.quote_id for h in quotes.hits][:1] == ["qb"]
    assert "**comfort**" in quotes.hits[0].snippet


def test_search_waits_for_a_writer_then_says_busy(wh: str, tmp_path: Path) -> None:
    search(wh, "goal")  # index built
    with writer(wh) as con:
        insert_rows(con, "items", [{"item_id": "late", "story_id": "s-late", "version": 1, "title": "Goal",
                                    "body": "Another goal.", "pub_status": "usable"}])
    flag = tmp_path / "locked"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, pathlib, time, sys\n"
        f"con = duckdb.connect({wh!r})\n"
        f"pathlib.Path({str(flag)!r}).write_text('1')\n"
        "time.sleep(20)\n")])
    try:
        deadline = time.monotonic() + 30
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flag.exists()
        from warehouse.errors import WarehouseBusy

        with pytest.raises(WarehouseBusy, match="busy"):  # DuckDB locks readers out while a writer holds it
            search(wh, "goal", wait=0.3)
    finally:
        holder.kill()
        holder.wait()


def test_only_stop_words_give_no_hits(wh: str) -> None:
    res = search(wh, "the and of")
    assert res.hits == [] and res.notes


def test_highlight_picks_the_densest_passage_and_marks_words() -> None:
    text = ("Nothing here. " * 30) + "The minister resigned over the war. " + ("Filler words. " * 30)
    snippet = highlight(text, ["minister", "war"], width=80, marks=("[", "]"))
    assert "[minister]" in snippet and "[war]" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 110
    short = highlight("Rates rose.", ["rates"], marks=("<", ">"))
    assert short == "<Rates> rose."
    assert highlight("No match at all.", ["zebra"]) == "No match at all."


def test_cli_search_prints_ranked_results(wh: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "interest rates", "--db", wh, "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "Central bank raises interest rates" in out and "**interest**" in out
    assert "(1 story, BM25 via fts)" in out
    assert main(["search", "magnificent defenders night", "--quotes", "--db", wh]) == 0
    assert "The **defenders** were **magnificent** all **night**" in capsys.readouterr().out
    assert main(["search", "zebra", "--db", wh]) == 1


def test_cli_search_json_and_bad_since(wh: str, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["search", "cup", "--db", wh, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["engine"] == "fts" and data["hits"][0]["item_id"] == "match"
    with pytest.raises(SystemExit):
        main(["search", "cup", "--db", wh, "--since", "yesterday"])


def test_when_the_index_cannot_be_rebuilt_search_still_answers(wh: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from warehouse import search as search_module
    from warehouse.errors import WarehouseBusy

    def busy(*args: object, **kwargs: object) -> Any:
        raise WarehouseBusy("busy")

    monkeypatch.setattr(search_module, "writer", busy)
    res = search(wh, "goal cup")  # no index yet and no writer: BM25 in SQL
    assert res.engine == "sql" and [h.item_id for h in res.hits] == ["match"]
    assert any("no search index yet" in n for n in res.notes)
    monkeypatch.undo()
    search(wh, "goal")  # index built
    with writer(wh) as con:
        insert_rows(con, "items", [{"item_id": "late", "story_id": "s-late", "version": 1, "title": "Cup",
                                    "body": "A cup story.", "pub_status": "usable"}])
    monkeypatch.setattr(search_module, "writer", busy)
    res = search(wh, "goal cup")  # stale index and no writer: the stale index answers, with a warning
    assert res.engine == "fts" and [h.item_id for h in res.hits] == ["match"]
    assert any("behind" in n for n in res.notes)
