"""`wire reextract`: stored items re-extracted in batches, facts replaced atomically, ids kept, resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

import warehouse.reextract as wre
from extractors.version import extractor_version
from flows.backfill import backfill
from flows.reextract import MAX_BATCHES, batch_size, reextract
from flows.settings import Settings
from warehouse import reader, writer
from warehouse.reextract import PENDING_PREFIX, Selection

# Stories written for these tests. "Blair" alone in the later stories is settled to Tony Blair across
# stories at load time; "Mr Hughes" in 04 is not (Alan Hughes is named only in a later batch), and stays so
# when 04 and 05 are re-extracted in one batch; 06 is an exact duplicate of 03 and is never extracted.
STORIES = {
    "01.txt": "Blair visits Belfast\n\nPrime Minister Tony Blair arrived in Belfast on Monday. \"We will not walk "
              "away,\" Blair told reporters. About 2,000 people lined the streets.\n",
    "02.txt": "Talks resume\n\nTalks resumed on Tuesday. Mr Blair said the government would spend \u00a3300 million "
              "on new schools, up 12 percent on last year.\n",
    "03.txt": "Storm hits coast\n\nA storm hit the coast on Wednesday. Officials in Cornwall said 300 homes lost "
              "power and the National Grid expected repairs to take three days.\n",
    "04.txt": "Budget passed\n\nThe city council of Leeds approved a budget of $5 million on Thursday. Council leader "
              "Judith Blake said: \"This is a fair budget for hard times.\" Mr Hughes did not comment.\n",
    "05.txt": "Minister resigns\n\nThe transport minister, Alan Hughes, resigned on Friday after 14 months in the "
              "job. Blair thanked him. Hughes said he was proud of the 40 new rail lines.\n",
    "06.txt": "Storm hits coast again\n\nA storm hit the coast on Wednesday. Officials in Cornwall said 300 homes lost "
              "power and the National Grid expected repairs to take three days.\n",
}
FACTS = ("actors", "mentions", "quotes", "numbers")


def _settings(batch: int = 2) -> Settings:
    return Settings(workers=1, batch_files=batch)


def _archive(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in STORIES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _snapshot(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the item and fact tables, sorted (run bookkeeping tables left out)."""
    with reader(db) as con:
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in ("items", *FACTS)}


def _versions(db: str) -> dict[str, str | None]:
    with reader(db) as con:
        return dict(con.execute("SELECT source_uri, extractor_version FROM items").fetchall())


@pytest.fixture
def loaded(tmp_path: Path, db: str) -> str:
    backfill([str(_archive(tmp_path / "archive"))], db, _settings())
    return db


def test_stored_facts_carry_the_derived_version(loaded: str) -> None:
    with reader(loaded) as con:
        rows = con.execute("SELECT extracted, extractor_version, duplicate_of IS NOT NULL FROM items").fetchall()
    assert {v for e, v, _d in rows if e} == {extractor_version()}
    assert [d for e, _v, d in rows if not e] == [True]  # the copy of 03 only
    # the cross-story settling happened: 02's "Mr Blair" is Tony Blair
    with reader(loaded) as con:
        names = con.execute("SELECT DISTINCT name FROM actors WHERE name LIKE '%Blair%'").fetchall()
    assert names == [("Tony Blair",)]
    with reader(loaded) as con:
        hughes = con.execute("SELECT DISTINCT name FROM actors WHERE name LIKE '%Hughes%' ORDER BY 1").fetchall()
    assert hughes == [("Alan Hughes",), ("Hughes",)]


def test_nothing_stale_nothing_touched(loaded: str) -> None:
    before = _snapshot(loaded)
    s = reextract(loaded, settings=_settings())
    assert (s.chosen, s.reextracted, s.batches) == (0, 0, 0)
    assert _snapshot(loaded) == before


def test_all_keeps_every_row_and_id(loaded: str) -> None:
    before = _snapshot(loaded)
    s = reextract(loaded, Selection(all=True), settings=_settings(batch=3))
    assert s.chosen == 5 and s.reextracted == 5 and s.changed == 0 and s.failed == 0 and s.batches == 2
    assert not any(s.added.values()) and not any(s.removed.values()) and not any(s.updated.values())
    assert _snapshot(loaded) == before
    with reader(loaded) as con:
        assert con.execute("SELECT status, seen, stored FROM runs WHERE flow = 'reextract'").fetchall() == [
            ("completed", 5, 5)]


def test_only_stale_items_are_touched(loaded: str) -> None:
    before = _snapshot(loaded)
    with writer(loaded) as con:
        con.execute("UPDATE items SET extractor_version = 'old' WHERE source_uri LIKE '%02.txt' "
                    "OR source_uri LIKE '%05.txt'")
    seen: list[list[str]] = []
    real = wre.item_texts

    def spy(con: duckdb.DuckDBPyConnection, ids: Any) -> Any:
        seen.append(list(ids))
        return real(con, ids)

    wre_item_texts = pytest.MonkeyPatch()
    wre_item_texts.setattr("flows.reextract.item_texts", spy)
    try:
        s = reextract(loaded, settings=_settings())
    finally:
        wre_item_texts.undo()
    assert s.chosen == 2 and s.reextracted == 2 and s.changed == 0
    with reader(loaded) as con:
        uris = dict(con.execute("SELECT item_id, source_uri FROM items").fetchall())
    assert sorted(Path(uris[i]).name for batch in seen for i in batch) == ["02.txt", "05.txt"]
    assert _snapshot(loaded) == before  # the version written back, facts and ids equal


def test_changed_extraction_replaces_only_that_items_facts(loaded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An extractor that drops every number: the chosen items lose theirs, the rest stay as they were."""
    before = _snapshot(loaded)
    import flows.nlp_worker as worker

    real = worker.extract_parsed

    def no_numbers(*args: Any, **kwargs: Any) -> Any:
        ex = real(*args, **kwargs)
        ex.numbers = []
        return ex

    monkeypatch.setattr(worker, "extract_parsed", no_numbers)
    s = reextract(loaded, Selection(where="source_uri LIKE '%01.txt'"), settings=_settings())
    assert s.reextracted == 1 and s.changed == 1 and s.removed["numbers"] >= 1
    after = _snapshot(loaded)
    with reader(loaded) as con:
        one = con.execute("SELECT item_id FROM items WHERE source_uri LIKE '%01.txt'").fetchone()
    assert one
    assert [r for r in after["numbers"] if r[0] == one[0]] == []
    for t in ("actors", "mentions", "quotes"):
        assert after[t] == before[t]
    assert [r for r in after["numbers"]] == [r for r in before["numbers"] if r[0] != one[0]]


def test_failure_mid_batch_leaves_whole_batches_and_resume_redoes_the_rest(
    loaded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(loaded)
    calls = {"n": 0}
    real = wre.insert_rows

    def dies_in_second_batch(con: duckdb.DuckDBPyConnection, name: str, rows: Any, **kw: Any) -> int:
        if name == "numbers":
            calls["n"] += 1
            if calls["n"] == 2:  # the second batch: its actors and mentions are written, then it dies
                raise RuntimeError("killed")
        return real(con, name, rows, **kw)

    monkeypatch.setattr(wre, "insert_rows", dies_in_second_batch)
    with pytest.raises(RuntimeError, match="killed"):
        reextract(loaded, Selection(all=True), settings=_settings(batch=2))
    monkeypatch.setattr(wre, "insert_rows", real)
    # atomic: the second batch's transaction rolled back, so every fact is still there
    assert {t: v for t, v in _snapshot(loaded).items() if t != "items"} == {t: before[t] for t in FACTS}
    versions = _versions(loaded)
    pending = sorted(Path(u).name for u, v in versions.items() if v and v.startswith(PENDING_PREFIX))
    assert pending == ["03.txt", "04.txt", "05.txt"]  # batch 1 done, batches 2 and 3 not
    with reader(loaded) as con:
        assert con.execute("SELECT status FROM runs WHERE flow = 'reextract'").fetchall() == [("failed",)]
    # the same command again continues: only the unfinished items
    s = reextract(loaded, Selection(all=True), settings=_settings(batch=2))
    assert s.resumed and s.chosen == 3 and s.reextracted == 3
    assert _snapshot(loaded) == before


def test_where_errors_are_one_line_and_cannot_write(loaded: str) -> None:
    from extractors.errors import BadInput

    with pytest.raises(BadInput, match="--where"):
        reextract(loaded, Selection(where="no_such_column = 1"), settings=_settings())
    with pytest.raises(BadInput):
        reextract(loaded, Selection(where="true; DELETE FROM items"), settings=_settings())
    with reader(loaded) as con:
        assert con.execute("SELECT count(*) FROM items").fetchone() == (6,)


def test_batches_stay_few() -> None:
    s = Settings(batch_files=256)
    assert batch_size(100, s) == 256
    assert -(-1_000_000 // batch_size(1_000_000, s)) <= MAX_BATCHES


def test_seeds_backfill_then_reextract_all_keeps_everything(shared: Path, db: str) -> None:
    backfill([str(shared / "seeds")], db, _settings())
    before = _snapshot(db)
    assert before["actors"] and before["quotes"] and before["numbers"]
    s = reextract(db, Selection(all=True), settings=_settings())
    assert s.reextracted == len([r for r in before["items"]]) and s.changed == 0
    assert _snapshot(db) == before
