"""Scale-out: extraction on a local Dask cluster of two workers, one loader merging Parquet batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse import reader

pytestmark = pytest.mark.prefect

STORIES = {
    "a.txt": "Storm hits coast\n\nA storm hit the coast on Tuesday, cutting power to 40,000 homes, officials said.\n",
    "b.txt": "Budget approved\n\nThe council approved a $5 million budget, mayor Ann Lee said on Monday.\n",
    "c.txt": "Storm hits coast again\n\nA storm hit the coast on Tuesday, cutting power to 40,000 homes, "
             "officials said.\n",
    "d.txt": "Talks end\n\n\"We made progress,\" said minister John Park after the talks in Seoul.\n",
    "e.txt": "",
}


def test_backfill_on_two_dask_workers(prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("prefect_dask", reason="prefect-dask not installed (pip install '.[dask]')")
    from flows.distributed import backfill_dask_flow

    monkeypatch.setenv("WIRE_WORKERS", "2")
    src = tmp_path / "src"
    src.mkdir()
    for name, text in STORIES.items():
        (src / name).write_text(text)
    db = str(tmp_path / "w.duckdb")
    out = str(tmp_path / "batches")
    s = backfill_dask_flow([str(src)], db, out, workers=2, chunk_files=2)
    assert (s["stored"], s["duplicates"], s["skipped"]) == (3, 1, 1)
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM items").fetchone() == (4,)
        assert con.execute("SELECT count(*) FROM items WHERE extracted").fetchone() == (3,)
        dup = con.execute("SELECT count(*) FROM items WHERE duplicate_of IS NOT NULL").fetchone()
        assert dup == (1,)
        assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] >= 1  # type: ignore[index]
    assert not list(Path(out).glob("batch-*"))  # merged batches are removed
    again = backfill_dask_flow([str(src)], db, out, workers=2)
    assert again["stored"] == 0 and again["unchanged"] == 5


FRENCH = ("Accord à Bruxelles\n\n« Nous avons trouvé un accord », a déclaré jeudi le ministre Jean Dupont, "
          "après douze heures de négociations à Bruxelles. Le budget atteint 3,2 millions d'euros.\n")


def test_dask_stores_what_the_local_backfill_stores(prefect_harness: None, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """One read path (#17): the Dask workers read files, settle languages and route models as the local flow
    does, so both warehouses hold the same items (language included) and the same facts, id for id."""
    pytest.importorskip("prefect_dask", reason="prefect-dask not installed (pip install '.[dask]')")
    from flows.backfill import backfill_flow
    from flows.distributed import backfill_dask_flow

    monkeypatch.setenv("WIRE_WORKERS", "1")
    src = tmp_path / "src"
    src.mkdir()
    for name, text in {**STORIES, "f.txt": FRENCH}.items():
        (src / name).write_text(text, encoding="utf-8")
    local, dask = str(tmp_path / "local.duckdb"), str(tmp_path / "dask.duckdb")
    backfill_flow([str(src)], local)
    backfill_dask_flow([str(src)], dask, str(tmp_path / "batches"), workers=1, chunk_files=3)

    def rows(db: str) -> dict[str, list[tuple[object, ...]]]:
        with reader(db) as con:
            return {
                "items": con.execute("SELECT item_id, story_id, language, language_source, extracted, duplicate_of, "
                                     "title, body, not_extracted_reason FROM items ORDER BY item_id").fetchall(),
                "sources": con.execute("SELECT source_key, status, items, content_sha256 FROM sources "
                                       "ORDER BY source_key").fetchall(),
                "quotes": con.execute("SELECT quote_id, item_id, speaker_text FROM quotes ORDER BY 1").fetchall(),
                "numbers": con.execute("SELECT number_id, value, unit FROM numbers ORDER BY 1").fetchall(),
                "mentions": con.execute("SELECT count(*) FROM mentions").fetchall(),
            }

    got, want = rows(dask), rows(local)
    assert ("fr", "detected") in {(r[2], r[3]) for r in want["items"]}
    for table in want:
        assert got[table] == want[table], table
