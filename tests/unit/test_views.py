"""The analyst views answer their questions on a small hand-built warehouse (no NLP)."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

import duckdb
import pytest

from warehouse import writer
from warehouse.load import insert_rows
from warehouse.views import VIEWS

S1_V1 = 'Defence Minister John Smith said 500 troops would go. "Not yet," Smith said.'
S1_V2 = (
    'Defence Minister John Smith said on Monday that 600 soldiers would leave Kabul. "We are proud of them," '
    "Smith said. The army spent $5 million on the move.\n\nMr. Jones of the U.N. agreed with the plan."
)
S2 = "John Smith met Jane Doe in Paris. Some 300 people attended the talks."
S3 = "John Smith and Jane Doe signed 12 deals in Rome."  # killed later: must not count anywhere


def _item(item_id: str, story_id: str, version: int, body: str, title: str, day: int, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "item_id": item_id, "story_id": story_id, "version": version, "body": body, "title": title,
        "source_uri": f"/archive/{item_id}.txt", "agency": "AFP", "pub_status": "usable",
        "published_at": datetime(2024, 5, day, 9), "ingested_at": datetime(2024, 6, 1), "run_id": "r1",
        "extracted": True,
    }
    row.update(kw)
    return row


def _span(body: str, text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)


def _actor(item: str, aid: str, name: str, kind: str, titles: list[str], aliases: list[str], n: int) -> dict[str, Any]:
    return {"item_id": item, "actor_id": aid, "name": name, "kind": kind, "titles": titles, "aliases": aliases,
            "title_orgs": [], "mention_count": n}


def _mention(item: str, body: str, aid: str, text: str, kind: str, nth: int = 0) -> dict[str, Any]:
    start, end = _span(body, text, nth)
    return {"item_id": item, "mention_id": f"{item}-{start}", "actor_id": aid, "text": text, "kind": kind,
            "start": start, "end": end}


def _number(item: str, body: str, text: str, value: float, counted: str | None, **kw: Any) -> dict[str, Any]:
    start, end = _span(body, text)
    row = {"item_id": item, "number_id": f"{item}-n{start}", "text": text, "value": value, "counted": counted,
           "kind": "count", "start": start, "end": end, "approx": False}
    row.update(kw)
    return row


def build(con: duckdb.DuckDBPyConnection) -> None:
    insert_rows(con, "items", [
        _item("i1a", "s1", 1, S1_V1, "Troops to go", 1),
        _item("i1b", "s1", 2, S1_V2, "Troops leave Kabul", 2),
        _item("i2", "s2", 1, S2, "Smith meets Doe", 4, run_id="r2", source_uri="https://feeds.example/rss",
              agency="Reuters"),
        _item("i3", "s3", 1, S3, "Deals signed", 3),
        _item("i3k", "s3", 2, "", "KILL", 5, pub_status="canceled", extracted=False),
        _item("i1dup", "s9", 1, S1_V2, "Copy", 6, duplicate_of="i1b", dup_kind="exact", extracted=False),
    ])
    smith, doe, kabul, jones, paris, rome = "a-smith", "a-doe", "a-kabul", "a-jones", "a-paris", "a-rome"
    insert_rows(con, "actors", [
        _actor("i1a", smith, "John Smith", "person", ["Defence Minister"], ["Smith"], 2),
        _actor("i1b", smith, "John Smith", "person", ["Defence Minister", "MP"], ["Smith", "John Smith"], 2),
        _actor("i1b", kabul, "Kabul", "place", [], [], 1),
        _actor("i1b", jones, "Jones", "person", [], [], 1),
        _actor("i2", smith, "John Smith", "person", ["Defence Minister"], [], 1),
        _actor("i2", doe, "Jane Doe", "person", [], [], 1),
        _actor("i2", paris, "Paris", "place", [], [], 1),
        _actor("i3", smith, "John Smith", "person", ["Prime Minister"], [], 1),
        _actor("i3", doe, "Jane Doe", "person", [], [], 1),
        _actor("i3", rome, "Rome", "place", [], [], 1),
    ])
    insert_rows(con, "mentions", [
        _mention("i1b", S1_V2, smith, "John Smith", "person"),
        _mention("i1b", S1_V2, kabul, "Kabul", "place"),
        _mention("i1b", S1_V2, smith, "Smith", "person", nth=1),
        _mention("i1b", S1_V2, jones, "Jones", "person"),
        _mention("i2", S2, smith, "John Smith", "person"),
        _mention("i2", S2, doe, "Jane Doe", "person"),
        _mention("i2", S2, paris, "Paris", "place"),
        _mention("i3", S3, smith, "John Smith", "person"),
        _mention("i3", S3, rome, "Rome", "place"),
    ])
    q1, q2 = _span(S1_V2, "We are proud of them"), _span(S1_V1, "Not yet")
    insert_rows(con, "quotes", [
        {"item_id": "i1b", "quote_id": "q1", "text": "We are proud of them", "kind": "direct",
         "speaker": "John Smith", "speaker_actor_id": smith, "speaker_text": "Smith", "cue": "said",
         "start": q1[0], "end": q1[1]},
        {"item_id": "i1a", "quote_id": "q0", "text": "Not yet", "kind": "direct", "speaker": "John Smith",
         "speaker_actor_id": smith, "speaker_text": "Smith", "cue": "said", "start": q2[0], "end": q2[1]},
        {"item_id": "i2", "quote_id": "q2", "text": "talks went well", "kind": "indirect", "speaker": None,
         "speaker_actor_id": None, "speaker_text": "officials", "cue": "said", "start": 0, "end": 5},
    ])
    insert_rows(con, "numbers", [
        _number("i1b", S1_V2, "600", 600, "soldiers"),
        _number("i1b", S1_V2, "$5 million", 5e6, None, kind="money", unit="USD"),
        _number("i2", S2, "Some 300", 300, "people", approx=True, counted_modifier=None),
        _number("i3", S3, "12", 12, "deals"),
    ])
    insert_rows(con, "runs", [
        {"run_id": "r1", "flow": "backfill", "started_at": datetime(2024, 6, 1, 10),
         "finished_at": datetime(2024, 6, 1, 10, 0, 30), "args": "/archive", "seen": 7, "unchanged": 0,
         "stored": 5, "duplicates": 1, "skipped": 1, "errors": 1, "status": "completed"},
        {"run_id": "r2", "flow": "ingest", "started_at": datetime(2024, 6, 2, 10), "finished_at": None,
         "args": "feeds", "seen": 1, "unchanged": 0, "stored": 1, "duplicates": 0, "skipped": 0, "errors": 0,
         "status": "running"},
    ])
    insert_rows(con, "problems", [
        {"run_id": "r1", "source_uri": "/archive/bad.bin", "part": -1, "kind": "error", "reason": "cannot decode",
         "at": datetime(2024, 6, 1, 10, 0, 5)},
        {"run_id": "r1", "source_uri": "/archive/x.jpg", "part": -1, "kind": "skipped", "reason": "not a story",
         "at": datetime(2024, 6, 1, 10, 0, 6)},
    ])
    insert_rows(con, "feeds", [{"feed_id": "f1", "url": "https://feeds.example/rss", "name": "Example wire"},
                               {"feed_id": "f2", "url": "https://other.example/atom", "name": None},
                               {"feed_id": "f3", "url": "https://unused.example/rss", "name": "Unused"}])
    insert_rows(con, "sources", [{"source_key": "https://other.example/atom", "source_uri": "https://other.example/atom",
                                  "status": "stored", "items": 0, "run_id": "r1"}])  # read, nothing new


@pytest.fixture
def con(db: str) -> Any:
    with writer(db) as c:
        build(c)
        yield c


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    rel = con.execute(sql)
    cols = [d[0] for d in rel.description or []]
    return [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]


def test_every_view_is_created_and_documented(con: duckdb.DuckDBPyConnection) -> None:
    for v in VIEWS:
        described = con.execute(f'DESCRIBE "{v.name}"').fetchall()
        assert described, v.name
        assert v.doc
        if v.columns:  # a view with own column docs documents exactly its columns
            assert [c for c, _ in v.columns] == [r[0] for r in described], v.name
            assert all(doc.strip() for _, doc in v.columns), v.name


def test_quote_board_shows_latest_quotes_with_speaker_titles(con: duckdb.DuckDBPyConnection) -> None:
    rows = _dicts(con, "SELECT * FROM quote_board ORDER BY quote_id")
    assert [r["quote"] for r in rows] == ["We are proud of them", "talks went well"]  # not the old version's
    q1, q2 = rows
    assert (q1["speaker"], q1["speaker_titles"], q1["headline"]) == ("John Smith", ["Defence Minister", "MP"],
                                                                     "Troops leave Kabul")
    assert (q1["agency"], q1["source_uri"], str(q1["date"])) == ("AFP", "/archive/i1b.txt", "2024-05-02")
    assert q2["speaker"] is None and q2["speaker_titles"] is None and q2["speaker_text"] == "officials"


def test_actor_stories_counts_latest_stories_once(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["actor"]: r for r in _dicts(con, "SELECT * FROM actor_stories")}
    assert set(rows) == {"John Smith", "Kabul", "Jones", "Jane Doe", "Paris"}  # nothing from the killed story
    smith = rows["John Smith"]
    assert smith["stories"] == 2  # s1 (latest version only) and s2; not the killed s3, not the duplicate
    assert smith["titles"] == ["Defence Minister", "MP"]  # most used first; "Prime Minister" was killed
    assert smith["aliases"] == ["Smith"]  # the canonical name itself is not an alias
    assert (smith["first_seen"], smith["last_seen"]) == (datetime(2024, 5, 2, 9), datetime(2024, 5, 4, 9))
    assert smith["mentions"] == 3
    assert rows["Kabul"]["kind"] == "place" and rows["Kabul"]["stories"] == 1


def test_actor_pairs_counts_co_occurrence_once_per_pair(con: duckdb.DuckDBPyConnection) -> None:
    rows = _dicts(con, "SELECT * FROM actor_pairs")
    pairs = {frozenset((r["actor_a"], r["actor_b"])): r for r in rows}
    assert len(pairs) == len(rows)  # each pair once, in one orientation
    assert set(pairs) == {
        frozenset(p) for p in [("John Smith", "Kabul"), ("John Smith", "Jones"), ("Jones", "Kabul"),
                               ("John Smith", "Jane Doe"), ("John Smith", "Paris"), ("Jane Doe", "Paris")]
    }
    smith_doe = pairs[frozenset(("John Smith", "Jane Doe"))]
    assert smith_doe["stories"] == 1  # the killed story s3 also had both: not counted
    smith_kabul = pairs[frozenset(("John Smith", "Kabul"))]
    assert smith_kabul["jaccard"] == pytest.approx(1 / (2 + 1 - 1))
    assert all(r["actor_a_id"] < r["actor_b_id"] for r in rows)


def test_sentences_cover_the_body_and_skip_abbreviations(con: duckdb.DuckDBPyConnection) -> None:
    rows = _dicts(con, "SELECT * FROM sentences WHERE item_id = 'i1b' ORDER BY sentence_no")
    assert [r["text"] for r in rows] == [
        "Defence Minister John Smith said on Monday that 600 soldiers would leave Kabul.",
        '"We are proud of them," Smith said.',
        "The army spent $5 million on the move.",
        "Mr. Jones of the U.N. agreed with the plan.",
    ]
    assert rows[0]["start"] == 0 and rows[-1]["end"] == len(S1_V2)
    assert all(a["end"] == b["start"] for a, b in pairwise(rows))  # contiguous
    for r in rows:
        assert S1_V2[r["start"]:r["end"]].strip() == r["text"]


def test_numbers_about_names_actors_and_places_of_the_same_sentence(con: duckdb.DuckDBPyConnection) -> None:
    rows = {r["figure"]: r for r in _dicts(con, "SELECT * FROM numbers_about")}
    assert set(rows) == {"600", "$5 million", "Some 300"}  # the killed story's "12" is hidden
    soldiers = rows["600"]
    assert (soldiers["about"], soldiers["actors"], soldiers["places"]) == ("soldiers", ["John Smith"], ["Kabul"])
    assert soldiers["sentence"].startswith("Defence Minister John Smith said")
    money = rows["$5 million"]
    assert (money["actors"], money["places"], money["unit"], money["about"]) == ([], [], "USD", None)
    assert money["sentence"] == "The army spent $5 million on the move."
    people = rows["Some 300"]
    assert (people["about"], people["actors"], people["places"]) == ("people", [], [])  # Paris is a sentence before
    assert people["headline"] == "Smith meets Doe" and people["sentence_no"] == 1


def test_ingest_log_one_row_per_run_with_counts_feeds_and_errors(con: duckdb.DuckDBPyConnection) -> None:
    rows = _dicts(con, "SELECT * FROM ingest_log")
    assert [r["run_id"] for r in rows] == ["r2", "r1"]  # newest first
    r2, r1 = rows
    assert (r1["seconds"], r1["items"], r1["problem_errors"], r1["problem_skips"]) == (30.0, 5, 1, 1)
    assert r1["first_errors"] == ["/archive/bad.bin: cannot decode"]
    assert r1["feeds"] == ["https://other.example/atom"] and r1["agencies"] == ["AFP"]  # no name: its URL
    assert (r2["feeds"], r2["items"], r2["seconds"], r2["status"]) == (["Example wire"], 1, None, "running")
