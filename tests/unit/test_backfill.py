"""The backfill steps end to end on small archives, without a Prefect API (same code the flow runs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.backfill import backfill
from flows.settings import Settings
from warehouse import reader

STORY_A = "Storm hits coast\n\nA storm hit the coast on Tuesday. Officials said 300 homes lost power.\n"
STORY_B = "Council approves budget\n\nThe city council approved a budget of $5 million on Monday.\n"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.txt").write_text(STORY_A)
    (root / "sub" / "b.txt").write_text(STORY_B)
    (root / "sub" / "deeper" / "a-copy.txt").write_text(STORY_A.replace("Storm hits coast", "Coast hit by storm"))
    (root / "empty.txt").write_bytes(b"")
    (root / "image.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    (root / "old.txt").write_bytes("Caf\u00e9 reopens\n\nThe caf\u00e9 reopened on Friday.".encode("cp1252"))
    (root / ".hidden" / "x.txt").write_text(STORY_B)
    return root


def _settings() -> Settings:
    return Settings(workers=1, batch_files=3)


def test_backfill_counts_and_reasons(archive: Path, db: str) -> None:
    s = backfill([str(archive)], db, _settings())
    assert s.seen == 6
    assert (s.stored, s.duplicates, s.skipped) == (3, 1, 2)
    assert any("old.txt" in w and "cp1252" in w for w in s.warnings)
    reasons = " | ".join(s.skip_reasons)
    assert "empty.txt: empty file" in reasons and "image.jpg: binary file" in reasons
    with reader(db) as con:
        dup = con.execute("SELECT i.source_uri, f.source_uri FROM items i JOIN items f ON i.duplicate_of = f.item_id")
        assert [(Path(a).name, Path(b).name) for a, b in dup.fetchall()] == [("a-copy.txt", "a.txt")]
        assert con.execute("SELECT extracted FROM items WHERE duplicate_of IS NOT NULL").fetchone() == (False,)
        warn = con.execute("SELECT warnings FROM items WHERE source_uri LIKE '%old.txt'").fetchone()
        assert warn and "cp1252" in warn[0][0] and "old.txt" in warn[0][0]
        problems = con.execute("SELECT count(*) FROM problems WHERE kind = 'skipped'").fetchone()
        assert problems == (2,)
        run = con.execute("SELECT status, seen, stored, duplicates, skipped FROM runs").fetchone()
        assert run == ("completed", 6, 4, 1, 2)


def test_second_run_reads_nothing(archive: Path, db: str) -> None:
    backfill([str(archive)], db, _settings())
    with reader(db) as con:
        before = con.execute("SELECT count(*), string_agg(item_id ORDER BY item_id) FROM items").fetchone()
    s = backfill([str(archive)], db, _settings())
    assert (s.stored, s.duplicates, s.unchanged) == (0, 0, 6)
    with reader(db) as con:
        assert con.execute("SELECT count(*), string_agg(item_id ORDER BY item_id) FROM items").fetchone() == before


def test_touched_file_is_not_reloaded_changed_file_is_a_version(archive: Path, db: str) -> None:
    backfill([str(archive)], db, _settings())
    a = archive / "a.txt"
    os.utime(a, ns=(a.stat().st_atime_ns, a.stat().st_mtime_ns + 5_000_000_000))
    s = backfill([str(archive)], db, _settings())
    assert s.stored == 0 and s.unchanged == 6
    a.write_text(STORY_A.replace("300 homes", "450 homes"))
    s = backfill([str(archive)], db, _settings())
    assert s.stored == 1
    with reader(db) as con:
        rows = con.execute(
            "SELECT version FROM items WHERE source_uri LIKE '%/a.txt' ORDER BY version").fetchall()
        assert rows == [(1,), (2,)]
        latest = con.execute("SELECT body FROM latest_items WHERE source_uri LIKE '%/a.txt'").fetchall()
        assert latest and "450 homes" in latest[0][0]


def test_missing_path_is_an_error_not_a_crash(tmp_path: Path, db: str) -> None:
    s = backfill([str(tmp_path / "nope")], db, _settings())
    assert s.errors == 1 and "nope: no such file or folder" in s.error_reasons[0]


def test_copy_of_a_batch_still_being_parsed_gets_no_nlp(tmp_path: Path, db: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch 2 is prepared while batch 1 is parsed (not stored yet): its copy of a batch-1 story must still
    be found a duplicate before NLP, and stored as one."""
    import flows.pipeline as pipeline

    root = tmp_path / "archive"
    root.mkdir()
    (root / "1.txt").write_text(STORY_A)
    (root / "2.txt").write_text(STORY_A.replace("Storm hits coast", "Coast hit by storm"))
    (root / "3.txt").write_text(STORY_B)
    parsed: list[str] = []
    real = pipeline.extract_chunk

    def counting(args: tuple[str, list[pipeline.NLPInput], int]) -> list[object]:
        parsed.extend(body for body, _c, _b in args[1])
        return real(args)  # type: ignore[return-value]

    monkeypatch.setattr(pipeline, "extract_chunk", counting)
    s = backfill([str(root)], db, Settings(workers=1, batch_files=1))
    assert (s.stored, s.duplicates) == (2, 1)
    assert len(parsed) == 2  # 1.txt and 3.txt; 2.txt is a copy of in-flight 1.txt
    with reader(db) as con:
        dup = con.execute("SELECT i.source_uri, f.source_uri, i.extracted FROM items i "
                          "JOIN items f ON i.duplicate_of = f.item_id").fetchall()
    assert [(Path(a).name, Path(b).name, e) for a, b, e in dup] == [("2.txt", "1.txt", False)]


def test_first_batch_is_smaller_and_every_file_is_in_one_batch() -> None:
    from flows.backfill import FIRST_BATCH_BYTES, _batches
    from flows.pipeline import SourceFile

    files = [SourceFile(uri=f"f{i}", key=f"f{i}", size=1000, mtime_ns=0) for i in range(400)]
    parts = [list(p) for p in _batches(files, 256, 48)]
    assert [len(p) for p in parts] == [FIRST_BATCH_BYTES // 1000, 256, 400 - 256 - FIRST_BATCH_BYTES // 1000]
    assert [f for p in parts for f in p] == files
    big = [SourceFile(uri=f"g{i}", key=f"g{i}", size=10_000, mtime_ns=0) for i in range(100)]
    assert [len(p) for p in _batches(big, 256, 48)] == [48, 52]  # never fewer than min_files
    assert [len(p) for p in _batches(big[:5], 3, 48)] == [3, 2]  # nor more than a batch
    assert list(_batches([], 256, 48)) == []


def _stored(db: str) -> list[tuple[object, ...]]:
    with reader(db) as con:
        return con.execute("SELECT source_uri, item_id, story_id, extracted, duplicate_of FROM items "
                           "ORDER BY source_uri").fetchall()


def test_head_start_stores_what_a_plain_run_stores(archive: Path, tmp_path: Path, db: str) -> None:
    """The first batches begun before the flow run (HeadStart) are stored by the run that takes them over,
    under its run id, exactly as a run without a head start stores them; nothing is stored before."""
    from flows import backfill as bf

    settings = Settings(workers=1, batch_files=2)  # 6 files: batches of 2, the head start begins two of them
    plain = str(tmp_path / "plain.duckdb")
    backfill([str(archive)], plain, settings)
    head = bf.head_start([str(archive)], db, settings)
    assert len(head.begun) == bf.HEAD_START_BATCHES == 2
    assert _stored(db) == []  # read and parsed, not stored
    s = backfill([str(archive)], db)  # settings come with the head start
    assert not bf._HEAD_STARTS
    assert s.run_id == head.run_id and s.seen == 6 and (s.stored, s.duplicates, s.skipped) == (3, 1, 2)
    assert _stored(db) == _stored(plain)
    with reader(db) as con:
        assert con.execute("SELECT run_id, status, seen FROM runs").fetchall() == [(head.run_id, "completed", 6)]
        assert con.execute("SELECT DISTINCT run_id FROM items").fetchall() == [(head.run_id,)]


def test_head_start_leaves_a_batch_it_cannot_read_to_the_run(archive: Path, tmp_path: Path, db: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from flows import backfill as bf
    from warehouse.errors import WarehouseBusy

    settings = Settings(workers=1, batch_files=2)
    plain = str(tmp_path / "plain.duckdb")
    backfill([str(archive)], plain, settings)
    real, calls = bf.read_batch, []

    def busy_second(*args: object) -> object:
        calls.append(args)
        if len(calls) == 2:
            raise WarehouseBusy(f"{db}: locked by another process")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(bf, "read_batch", busy_second)
    head = bf.head_start([str(archive)], db, settings)
    assert len(head.begun) == 1
    monkeypatch.setattr(bf, "read_batch", real)
    s = backfill([str(archive)], db)
    assert (s.stored, s.duplicates, s.skipped, s.errors) == (3, 1, 2, 0)
    assert _stored(db) == _stored(plain)


def test_head_start_nobody_took_is_released(archive: Path, db: str) -> None:
    from flows import backfill as bf

    bf.head_start([str(archive)], db, Settings(workers=1, batch_files=2))
    bf.release_head_starts()
    assert not bf._HEAD_STARTS
    s = backfill([str(archive)], db, Settings(workers=1, batch_files=2))  # a later run starts afresh
    assert s.stored == 3


def test_nothing_new_is_recorded_like_a_re_run_that_read_nothing(archive: Path, db: str) -> None:
    """`wire backfill` with nothing new records its run in one write: the same runs row (but its id and
    times) as a run that went through every batch, and nothing else changes."""
    from flows.backfill import record_unchanged
    from flows.pipeline import discover
    from flows.plan import nothing_new

    backfill([str(archive)], db, _settings())
    files, missing = discover([str(archive)])
    assert nothing_new(files, missing, db)
    counts = "SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM sources), (SELECT count(*) FROM problems)"
    row = "SELECT status, seen, unchanged, stored, duplicates, skipped, errors FROM runs ORDER BY started_at"
    with reader(db) as con:
        before = con.execute(counts).fetchone()
    s = record_unchanged([str(archive)], db, files, _settings())
    assert (s.seen, s.unchanged, s.stored) == (6, 6, 0)
    backfill([str(archive)], db, _settings())
    with reader(db) as con:
        assert con.execute(counts).fetchone() == before
        runs = con.execute(row).fetchall()
    assert len(runs) == 3 and runs[1] == runs[2] == ("completed", 6, 6, 0, 0, 0, 0)
