"""Golden items in six languages (tests/golden/lang/*.json, written for these tests): each is backfilled and
must come out with its language, no mojibake, no NLP-made actors, quotes or speakers (no model serves these
languages by default), the actors its agency supplied (origin 'agency') and the figures that need no grammar."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flows.backfill import backfill
from flows.settings import Settings
from warehouse import reader

HERE = Path(__file__).parent / "lang"
GOLDEN = sorted(HERE.glob("*.json"))
ENGLISH = ("Storm cuts power across the north\n\nA storm cut power to 40,000 homes across the north on Sunday, "
           "the utility said. Prime Minister Jane Hollis said the damage would cost $3 million to repair.\n")


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("lang")
    src = root / "in"
    src.mkdir()
    specs = {}
    for path in GOLDEN:
        spec = json.loads(path.read_text(encoding="utf-8"))
        (src / spec["file"]).write_text(spec["source"], encoding="utf-8")
        specs[spec["file"]] = spec
    (src / "en-control.txt").write_text(ENGLISH, encoding="utf-8")
    db = str(root / "w.duckdb")
    summary = backfill([str(src)], db, Settings(workers=1))
    assert summary.stored == len(GOLDEN) + 1 and summary.skipped == 0
    return db, specs


def test_six_languages_are_covered() -> None:
    langs = {json.loads(p.read_text(encoding="utf-8"))["lang"] for p in GOLDEN}
    assert langs == {"fr", "de", "pt", "es", "fi", "no"}


def _item(db: str, file: str) -> tuple[Any, ...]:
    with reader(db) as con:
        row = con.execute("SELECT item_id, language, language_source, extracted, not_extracted_reason, title, body "
                          "FROM items WHERE source_uri LIKE ?", [f"%/{file}"]).fetchone()
    assert row is not None, file
    return tuple(row)


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.stem)
def test_golden_language_item(stored: tuple[str, dict[str, dict[str, Any]]], golden: Path) -> None:
    db, specs = stored
    spec = specs[json.loads(golden.read_text(encoding="utf-8"))["file"]]
    want = spec["expect"]
    item_id, language, source, extracted, reason, title, body = _item(db, spec["file"])
    assert (language, source) == (want["language"], want["language_source"])
    if want.get("extracted"):  # a language a model serves (French): parsed, NLP actors and quotes
        assert extracted is True and reason is None
    else:
        assert extracted is False and reason and "no NLP model" in reason
    assert "Ã" not in (title or "") + body
    with reader(db) as con:
        actors = con.execute("SELECT name, kind, origin FROM actors WHERE item_id = ?", [item_id]).fetchall()
        numbers = con.execute("SELECT text, value, unit FROM numbers WHERE item_id = ?", [item_id]).fetchall()
        quotes = con.execute("SELECT count(*) FROM quotes WHERE item_id = ?", [item_id]).fetchone()
    assert sorted((n, k) for n, k, _ in actors) == sorted(tuple(a) for a in want["agency_actors"])
    assert {o for _, _, o in actors} <= {want.get("origin", "agency")}
    names = {n for n, _, _ in actors}
    assert not names & set(want["not_actors"])
    for text, value, unit in want["numbers"]:
        assert (text, pytest.approx(value), unit) in [(t, v, u) for t, v, u in numbers], (text, numbers)
    assert quotes == (want["quotes"],)
    if want.get("speakers"):
        with reader(db) as con:
            speakers = con.execute("SELECT speaker FROM quotes WHERE item_id = ?", [item_id]).fetchall()
        assert sorted(s for (s,) in speakers) == sorted(want["speakers"])


def test_english_still_goes_through_nlp(stored: tuple[str, dict[str, dict[str, Any]]]) -> None:
    db, _ = stored
    item_id, language, source, extracted, reason, _, _ = _item(db, "en-control.txt")
    assert (language, source, extracted, reason) == ("en", "detected", True, None)
    with reader(db) as con:
        actors = con.execute("SELECT name, origin FROM actors WHERE item_id = ?", [item_id]).fetchall()
    assert ("Jane Hollis", "nlp") in actors
