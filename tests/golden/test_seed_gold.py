"""The seed story, backfilled into a temporary warehouse, held to the hand-made gold in ../shared/gold.

Matching rules (from the gold file's `about`): names compare case- and accent-insensitively; quote texts
compare after stripping quote marks and surrounding punctuation and folding whitespace. A gold quote of
kind `direct` accepts a stored `direct` or `partial` quote (both are words inside quote marks; `partial`
marks a fragment inside a sentence).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from extractors.ids import normalise_name
from flows.backfill import backfill
from flows.settings import Settings
from warehouse import reader


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\"'\u2018\u2019\u201c\u201d\u00ab\u00bb]", "", text)
    return " ".join(text.split()).strip(" .,;:!?-")


@pytest.fixture(scope="module")
def gold_case(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    gold_files = sorted((shared / "gold").glob("*.gold.json"))
    if not gold_files:
        pytest.skip(f"no gold files in {shared / 'gold'}")
    gold = json.loads(gold_files[0].read_text(encoding="utf-8"))
    db = str(tmp_path_factory.mktemp("gold") / "gold.duckdb")
    settings = Settings(workers=1)
    summary = backfill([str(shared / "seeds")], db, settings)
    assert summary.errors == 0, summary.error_reasons
    with reader(db) as con:
        def rows(sql: str) -> list[dict[str, Any]]:
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description or []]
            return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

        stored = {
            "items": rows("SELECT * FROM items"),
            "actors": rows("SELECT * FROM actors"),
            "mentions": rows("SELECT * FROM mentions"),
            "quotes": rows("SELECT * FROM quotes"),
            "numbers": rows("SELECT * FROM numbers"),
            "db": db,
            "summary": summary,
        }
    return gold, stored


def test_metadata(gold_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = gold_case
    (item,) = stored["items"]
    meta = gold["metadata"]
    assert str(item["published_at"].date()) == meta["published"]
    assert item["byline"] == meta["byline"]
    assert item["agency"] == meta["agency"]
    assert item["caption"].startswith(meta["caption_starts"])
    assert item["body"].startswith(meta["body_starts"])
    assert item["body"].endswith(meta["body_ends"])
    for text in meta["not_in_body"]:
        assert text.casefold() not in item["body"].casefold()
    assert item["caption"] not in item["body"]


def _actor(stored: dict[str, Any], name: str, kind: str) -> dict[str, Any] | None:
    want = normalise_name(name)
    for a in stored["actors"]:
        if a["kind"] == kind and (normalise_name(a["name"]) == want
                                  or want in {normalise_name(x) for x in a["aliases"] or []}):
            return a
    return None


def test_required_actors(gold_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = gold_case
    missing, untitled, unresolved = [], [], []
    for g in gold["actors"]["required"]:
        a = _actor(stored, g["name"], g["kind"])
        if a is None:
            missing.append(f"{g['name']} ({g['kind']})")
            continue
        if g.get("titles"):
            have = {_fold(t) for t in a["titles"] or []}
            if not have & {_fold(t) for t in g["titles"]}:
                untitled.append(f"{g['name']}: has {a['titles']}, gold {g['titles']}")
        for alias in g.get("aliases", []):
            texts = {_fold(m["text"]) for m in stored["mentions"] if m["actor_id"] == a["actor_id"]}
            names = {_fold(x) for x in [a["name"], *(a["aliases"] or [])]}
            if _fold(alias) not in texts | names:
                unresolved.append(f"{alias} -> {g['name']}")
    assert not missing, f"missing actors: {missing}"
    assert not untitled, f"titles not bound: {untitled}"
    assert not unresolved, f"short forms not resolved: {unresolved}"


_KINDS = {"person", "org", "place", "group", "other"}


def test_forbidden_actors(gold_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """A forbidden kind outside ours (spaCy's 'product') is what we would store as 'other'.
    The byline author must not be an actor of any kind."""
    gold, stored = gold_case
    for f in gold["actors"]["forbidden"]:
        want = normalise_name(f["name"])
        kind = f["kind"] if f["kind"] in _KINDS else "other"
        byline_author = "byline" in f.get("why", "")
        bad = [a for a in stored["actors"]
               if normalise_name(a["name"]) == want and (byline_author or a["kind"] == kind)]
        assert not bad, f"forbidden actor stored: {f}"


def _speaker_ok(q: dict[str, Any], gold_speaker: str, stored: dict[str, Any]) -> bool:
    want = normalise_name(gold_speaker)
    names = {normalise_name(x) for x in (q["speaker"], q["speaker_text"]) if x}
    if want in names:
        return True
    for a in stored["actors"]:
        if a["actor_id"] == q["speaker_actor_id"]:
            return want in {normalise_name(x) for x in [a["name"], *(a["aliases"] or [])]}
    return False


def test_required_quotes(gold_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = gold_case
    problems = []
    for g in gold["quotes"]["required"]:
        kinds = {"direct", "partial"} if g["kind"] == "direct" else {g["kind"]}
        found = [q for q in stored["quotes"] if _fold(q["text"]) == _fold(g["text"]) and q["kind"] in kinds]
        if not found:
            problems.append(f"missing quote: {g['text'][:60]!r}")
        elif not any(_speaker_ok(q, g["speaker"], stored) for q in found):
            problems.append(f"wrong speaker for {g['text'][:40]!r}: {[q['speaker'] for q in found]}, "
                            f"gold {g['speaker']}")
    assert not problems, problems


def test_forbidden_speakers(gold_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = gold_case
    forbidden = {normalise_name(s) for s in gold["quotes"]["forbidden_speakers"]}
    bad = [q for q in stored["quotes"] if q["speaker"] and normalise_name(q["speaker"]) in forbidden]
    assert not bad, bad


def test_required_numbers(gold_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = gold_case
    missing = []
    for g in gold["numbers"]["required"]:
        ok = [n for n in stored["numbers"] if n["value"] == g["value"]
              and (n["counted"] or "").casefold() == g["counted"].casefold() and bool(n["approx"]) == g["approx"]]
        if not ok:
            missing.append(g)
    assert not missing, f"missing numbers: {missing}"


def test_offsets_index_the_body(gold_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, stored = gold_case
    body = stored["items"][0]["body"]
    for table in ("mentions", "quotes", "numbers"):
        for row in stored[table]:
            assert 0 <= row["start"] < row["end"] <= len(body), (table, row)
    for m in stored["mentions"]:
        assert body[m["start"]:m["end"]] == m["text"]
    for q in stored["quotes"]:
        assert _fold(body[q["start"]:q["end"]]) == _fold(q["text"])


def test_second_run_adds_nothing(gold_case: tuple[dict[str, Any], dict[str, Any]], shared: Path) -> None:
    _, stored = gold_case
    db = stored["db"]
    tables = ("items", "actors", "mentions", "quotes", "numbers")
    with reader(db) as con:
        before = {t: con.execute(f"SELECT count(*), min({t[:-1] if t != 'items' else 'item'}_id) FROM {t}")
                  .fetchone() for t in ("items", "quotes", "numbers")}
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in tables}
    summary = backfill([str(shared / "seeds")], db, Settings(workers=1))
    assert summary.stored == 0 and summary.unchanged == 1
    with reader(db) as con:
        after = {t: con.execute(f"SELECT count(*), min({t[:-1] if t != 'items' else 'item'}_id) FROM {t}")
                 .fetchone() for t in ("items", "quotes", "numbers")}
        counts_after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in tables}
    assert after == before
    assert counts_after == counts
