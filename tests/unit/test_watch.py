"""Drop folders: settled files only, temporary names ignored, nothing twice after a restart."""

from __future__ import annotations

import os
from pathlib import Path

from flows.settings import Settings
from flows.watch import DropWatcher, is_temporary, watch_loop
from warehouse import reader

STORY = "Storm hits coast\n\nA storm hit the coast on Tuesday.\n"


def _age(path: Path, seconds: float) -> None:
    t = path.stat().st_mtime - seconds
    os.utime(path, (t, t))


def test_temporary_names() -> None:
    for name in ("x.part", "x.tmp", ".x.txt", "x.txt~", "~x.txt", "x.filepart"):
        assert is_temporary(Path(name))
    assert not is_temporary(Path("x.xml"))


def test_file_being_written_is_not_ready(tmp_path: Path) -> None:
    clock = [1_000_000.0]
    w = DropWatcher([str(tmp_path)], settle_seconds=2.0, clock=lambda: clock[0])
    f = tmp_path / "a.txt"
    f.write_text("half a sto")
    os.utime(f, (clock[0], clock[0]))
    assert w.ready() == []  # modified just now
    clock[0] += 10
    f.write_text(STORY)  # still growing between polls
    os.utime(f, (clock[0] - 5, clock[0] - 5))
    assert w.ready() == []  # size changed since the last poll
    clock[0] += 10
    assert [Path(x.uri).name for x in w.ready()] == ["a.txt"]
    (tmp_path / "b.xml.part").write_text(STORY)
    _age(tmp_path / "b.xml.part", 60)
    assert [Path(x.uri).name for x in w.ready()] == ["a.txt"]


def test_watch_ingests_once_across_restarts(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.txt").write_text(STORY)
    _age(drop / "a.txt", 60)
    db = str(tmp_path / "w.duckdb")
    settings = Settings(workers=1)
    results: list[object] = []
    watch_loop([str(drop)], db, interval=0.01, settings=settings, polls=1, use_prefect=False,
               on_summary=results.append)
    watch_loop([str(drop)], db, interval=0.01, settings=settings, polls=1, use_prefect=False,
               on_summary=results.append)  # a restart: a new watcher, same warehouse
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM items").fetchone() == (1,)
    assert [getattr(r, "stored", None) for r in results] == [1, 0]


def test_serve_local_ingests_drop_folders(tmp_path: Path) -> None:
    from flows.serve import serve_local

    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.txt").write_text(STORY)
    _age(drop / "a.txt", 60)
    db = str(tmp_path / "w.duckdb")
    settings = Settings(workers=1, drop_folders=[{"path": str(drop), "interval": 1}])
    assert serve_local(settings, db, max_cycles=1, tick=0.01) == 1
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM items").fetchone() == (1,)


def test_scheduled_drop_flow_skips_unsettled(tmp_path: Path) -> None:
    from flows.watch import settled_files

    (tmp_path / "old.xml").write_text(STORY)
    _age(tmp_path / "old.xml", 60)
    (tmp_path / "new.xml").write_text(STORY)
    (tmp_path / "up.xml.part").write_text(STORY)
    _age(tmp_path / "up.xml.part", 60)
    assert [Path(f.uri).name for f in settled_files([str(tmp_path)], 10.0)] == ["old.xml"]
