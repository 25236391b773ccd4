"""Numbers as stored (#16.4): what `wire backfill` stores for a one-sentence story equals what the number
extractor returns for that sentence: same text, value, unit and what it counts (as written and as the grouping
key `counted_key`), in order. Short single
sentences are where the pipeline used to differ (they were read as too short to tell their language and
stored without NLP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.backfill import backfill
from flows.settings import Settings
from warehouse import reader

SENTENCES = [
    "The aircraft is 72.7 metres long.",
    "Tesla jumped 8.5% and Starbucks gained 3.5%.",
    "The S&P 500 rose 64.06 points to 4,577.10.",
    "The best $200 smartphones compared.",
    "Vectura shares rose 6.5% to 164p.",
    "The council will spend 3.2 million euros on 40 new buses.",
    "About 1,200 workers went on strike on Monday.",
    "The mega neutron stars spin nearly 78,000 times a minute.",
    "Two people and three children were hurt in 14 games.",
]


@pytest.mark.slow
def test_backfill_stores_the_numbers_the_extractor_finds(tmp_path: Path, nlp: object) -> None:
    from extractors.extract import extract_texts

    folder = tmp_path / "sentences"
    folder.mkdir()
    for i, text in enumerate(SENTENCES):
        (folder / f"s{i}.txt").write_text(text + "\n", encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    backfill([str(folder)], db, Settings(workers=1))
    expected = [[(n.text, n.value, n.unit, n.counted, n.counted_key) for n in e.numbers]
                for e in extract_texts(nlp, [(t, None, None) for t in SENTENCES], batch_size=16)]
    with reader(db) as con:
        stored = []
        for i in range(len(SENTENCES)):
            rows = con.execute(
                "SELECT n.text, n.value, n.unit, n.counted, n.counted_key FROM numbers n JOIN items i USING (item_id) "
                "WHERE i.source_uri LIKE ? ORDER BY n.start", [f"%/s{i}.txt"]).fetchall()
            stored.append([(t, v, u, c, k) for t, v, u, c, k in rows])
        not_extracted = con.execute("SELECT count(*) FROM items WHERE NOT extracted").fetchone()
    assert not_extracted == (0,)
    assert all(expected), "every sentence has a number"
    assert {k for e in expected for *_, k in e} >= {"worker", "person", "child", "game"}, "the keys are folded"
    for sentence, want, got in zip(SENTENCES, expected, stored, strict=True):
        assert [(t, pytest.approx(v), u, c, k) for t, v, u, c, k in want] == got, sentence
