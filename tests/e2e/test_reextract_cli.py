"""`wire reextract` from the command line, and as a real Prefect flow run with its artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main
from warehouse import reader, writer

STORIES = {
    "a.txt": "Blair visits Belfast\n\nPrime Minister Tony Blair arrived in Belfast on Monday. \"We will not walk "
             "away,\" Blair told reporters. About 2,000 people lined the streets.\n",
    "b.txt": "Talks resume\n\nTalks resumed on Tuesday. Mr Blair said the government would spend \u00a3300 million "
             "on new schools.\n",
}


def _load(tmp_path: Path) -> str:
    for name, text in STORIES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    assert main(["backfill", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", db, "--no-prefect",
                 "--quiet", "--workers", "1"]) == 0
    return db


def _rows(db: str) -> list[object]:
    with reader(db) as con:
        return [sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("items", "actors", "mentions", "quotes", "numbers")]


def test_cli_reextract_stale_then_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _load(tmp_path)
    capsys.readouterr()
    before = _rows(db)
    assert main(["reextract", "--db", db, "--no-prefect", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "items chosen           0" in out
    with writer(db) as con:
        con.execute("UPDATE items SET extractor_version = '0.1.0' WHERE source_uri LIKE '%b.txt'")
    assert main(["reextract", "--db", db, "--no-prefect", "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert "items chosen           1" in captured.out and "re-extracted           1" in captured.out
    assert "facts changed          0" in captured.out
    assert "1/1 items" in captured.err  # progress lines when stderr is not a terminal
    assert main(["reextract", "--db", db, "--all", "--no-prefect", "--workers", "1", "--quiet"]) == 0
    assert "re-extracted           2" in capsys.readouterr().out
    assert _rows(db) == before


def test_cli_reextract_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reextract", "--db", str(tmp_path / "none.duckdb"), "--no-prefect"]) == 2
    assert "none.duckdb" in capsys.readouterr().err
    db = _load(tmp_path)
    capsys.readouterr()
    assert main(["reextract", "--db", db, "--where", "nope = 1", "--no-prefect", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--where" in err
    with pytest.raises(SystemExit):
        main(["reextract", "--db", db, "--all", "--since", "2024-01-01"])


@pytest.mark.prefect
def test_reextract_flow_run_leaves_artifacts(prefect_harness: None, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.reextract import reextract_flow

    monkeypatch.setenv("WIRE_WORKERS", "1")
    db = _load(tmp_path)
    before = _rows(db)
    summary = reextract_flow(db, all_=True)
    assert summary["reextracted"] == 2 and summary["changed"] == 0 and summary["batches"] == 1
    assert _rows(db) == before
    with get_client(sync_client=True) as client:
        keys = {a.key for a in client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["reextract-summary", "reextract-progress"])))}
    assert keys == {"reextract-summary", "reextract-progress"}
