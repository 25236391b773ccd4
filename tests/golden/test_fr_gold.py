"""A French AFP-style story written for wire (fr_gold/stories), backfilled into a temporary warehouse with
the default settings and held to the hand-made gold beside it (fr_gold/*.gold.json), in the style of
test_seed_gold.py.

The story is parsed by the French model the default `models` setting maps `fr` to, and extracted by the
French extractors (`extractors.lang.fr`): people with their titles, speakers of guillemets quotes (a cue
verb after the quote, inverted pronouns "a-t-elle affirmé" resolved by gender), "Selon X," reported speech,
and figures in French notation with what they count. Matching: names case- and accent-insensitive, quote
texts with quote marks and surrounding punctuation stripped.
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

GOLD_DIR = Path(__file__).resolve().parent / "fr_gold"

pytestmark = pytest.mark.slow


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\"\u2018\u201c\u201d\u00ab\u00bb]", "", text)
    return " ".join(text.split()).strip(" .,;:!?-")


@pytest.fixture(scope="module")
def fr_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    gold = json.loads((GOLD_DIR / "fr_secheresse.gold.json").read_text(encoding="utf-8"))
    db = str(tmp_path_factory.mktemp("frgold") / "fr.duckdb")
    summary = backfill([str(GOLD_DIR / gold["file"])], db, Settings(workers=1))
    assert summary.errors == 0, summary.error_reasons
    with reader(db) as con:
        def rows(sql: str) -> list[dict[str, Any]]:
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description or []]
            return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

        stored = {t: rows(f"SELECT * FROM {t}") for t in ("items", "actors", "mentions", "quotes", "numbers")}
    return gold, stored


def test_metadata_and_model(fr_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = fr_case
    (item,) = stored["items"]
    meta = gold["metadata"]
    assert str(item["published_at"].date()) == meta["published"]
    assert (item["byline"], item["agency"], item["language"]) == (meta["byline"], meta["agency"], meta["language"])
    assert item["dateline"] == meta["dateline"]
    assert item["body"].startswith(meta["body_starts"]) and item["body"].endswith(meta["body_ends"])
    for text in meta["not_in_body"]:
        assert text.casefold() not in item["body"].casefold()
    assert item["extracted"] is True and item["not_extracted_reason"] is None


def _actor(stored: dict[str, Any], name: str, kind: str) -> dict[str, Any] | None:
    want = normalise_name(name)
    for a in stored["actors"]:
        if a["kind"] == kind and (normalise_name(a["name"]) == want
                                  or want in {normalise_name(x) for x in a["aliases"] or []}):
            return a
    return None


def test_required_actors_with_titles(fr_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = fr_case
    problems = []
    for g in gold["actors"]["required"]:
        a = _actor(stored, g["name"], g["kind"])
        if a is None:
            problems.append(f"missing {g['name']} ({g['kind']})")
            continue
        if g.get("titles") and not {_fold(t) for t in a["titles"] or []} & {_fold(t) for t in g["titles"]}:
            problems.append(f"{g['name']}: titles {a['titles']}, gold {g['titles']}")
        texts = {_fold(m["text"]) for m in stored["mentions"] if m["actor_id"] == a["actor_id"]}
        names = {_fold(x) for x in [a["name"], *(a["aliases"] or [])]}
        for alias in g.get("aliases", []):
            if _fold(alias) not in texts | names and _fold(alias).removeprefix("m. ") not in texts | names:
                problems.append(f"{alias} not resolved to {g['name']}")
    assert not problems, problems


def test_forbidden_actors(fr_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = fr_case
    for f in gold["actors"]["forbidden"]:
        want = normalise_name(f["name"])
        byline_author = "byline" in f.get("why", "")
        bad = [a for a in stored["actors"]
               if normalise_name(a["name"]) == want and (byline_author or a["kind"] == f["kind"])]
        assert not bad, f"forbidden actor stored: {f}"


def _speaker_ok(q: dict[str, Any], gold_speaker: str, stored: dict[str, Any]) -> bool:
    want = normalise_name(gold_speaker)
    for a in stored["actors"]:
        if a["actor_id"] == q["speaker_actor_id"]:
            return want in {normalise_name(x) for x in [a["name"], *(a["aliases"] or [])]}
    return False


def _matching(stored: dict[str, Any], g: dict[str, Any]) -> list[dict[str, Any]]:
    kinds = {"direct", "partial"} if g.get("kind", "direct") == "direct" else {g["kind"]}
    return [q for q in stored["quotes"] if _fold(q["text"]) == _fold(g["text"]) and q["kind"] in kinds]


def test_required_quotes_with_speakers(fr_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = fr_case
    problems = []
    for g in gold["quotes"]["required"]:
        found = _matching(stored, g)
        if not found:
            problems.append(f"missing quote {g['text'][:50]!r}; stored {[q['text'][:30] for q in stored['quotes']]}")
        elif not any(_speaker_ok(q, g["speaker"], stored) for q in found):
            problems.append(f"wrong speaker for {g['text'][:40]!r}: {[q['speaker'] for q in found]}, "
                            f"gold {g['speaker']}")
        elif not any(_fold(q["cue"] or "") == _fold(g["cue"]) for q in found):
            problems.append(f"cue of {g['text'][:40]!r}: {[q['cue'] for q in found]}, gold {g['cue']}")
    assert not problems, problems


def test_forbidden_quotes_and_speakers(fr_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = fr_case
    for f in gold["quotes"]["forbidden"]:
        assert not [q for q in _matching(stored, f) if _speaker_ok(q, f["speaker"], stored)], f
    forbidden = {normalise_name(s) for s in gold["quotes"]["forbidden_speakers"]}
    assert not [q for q in stored["quotes"] if q["speaker"] and normalise_name(q["speaker"]) in forbidden]


def test_required_numbers(fr_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = fr_case
    missing = []
    for g in gold["numbers"]["required"]:
        ok = [n for n in stored["numbers"] if n["value"] == pytest.approx(g["value"]) and n["kind"] == g["kind"]
              and n["unit"] == g["unit"] and (n["counted"] or None) == g["counted"]
              and bool(n["approx"]) == g["approx"] and n["change"] == g.get("change")]
        if not ok:
            missing.append(g)
    have = [(n["text"], n["value"], n["kind"]) for n in stored["numbers"]]
    assert not missing, f"missing numbers: {missing}; stored {have}"


def test_forbidden_numbers(fr_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    gold, stored = fr_case
    values = {n["value"] for n in stored["numbers"]}
    assert not values & set(gold["numbers"]["forbidden_values"])
    texts = {_fold(t) for t in gold["numbers"]["forbidden_texts"]}
    assert not [n for n in stored["numbers"] if _fold(n["text"]) in texts]


def test_offsets_index_the_body(fr_case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    _, stored = fr_case
    body = stored["items"][0]["body"]
    for m in stored["mentions"]:
        assert body[m["start"]:m["end"]] == m["text"]
    for q in stored["quotes"]:
        assert _fold(body[q["start"]:q["end"]]) == _fold(q["text"])
    for n in stored["numbers"]:
        assert body[n["start"]:n["end"]] == n["text"]
