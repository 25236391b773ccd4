"""SIGTERM (a service manager stopping `wire backfill`) ends the run promptly: its NLP workers are
terminated, not left parsing as orphans, the run is recorded as failed, and the next run stores everything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

STORY = ("Mayor {n} opens bridge\n\nMayor Anna Lee{n} opened the new bridge in Springfield on Monday. "
         "\"It took {n} years,\" she said. The bridge cost ${n} million and carries 2,{n:03d} cars a day.\n")


def _workers_of(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and b"multiprocessing.spawn" in cmd and b"spawn_main" in cmd:
            out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _terminate_once_workers_run(cmd: list[str], env: dict[str, str], *, settle: float,
                                within: float) -> tuple[list[int], subprocess.Popen[str]]:
    """Start `cmd`, wait until it has its two NLP workers, wait `settle` s more, SIGTERM it; returns the
    workers' pids and the ended process."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + within
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            time.sleep(0.05)
            workers = _workers_of(proc.pid)
        assert len(workers) == 2, "the run never started its two NLP workers"
        time.sleep(settle)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return workers, proc


def test_sigterm_stops_workers_and_records_a_failed_run(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    for n in range(120):
        (root / f"{n:03d}.txt").write_text(STORY.format(n=n))
    db = tmp_path / "w.duckdb"
    env = {**os.environ, "WIRE_WORKERS": "2", "WIRE_MIN_PARALLEL": "4", "WIRE_BATCH_FILES": "40"}
    cmd = [sys.executable, "-m", "flows.cli", "backfill", str(root), "--db", str(db), "--quiet", "--no-prefect"]
    workers, proc = _terminate_once_workers_run(cmd, env, settle=1.0, within=120)
    assert proc.returncode != 0
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)], "NLP workers outlived the terminated run"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [("failed",)]
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM items").fetchone() == (120,)
        assert con.execute("SELECT count(DISTINCT item_id) FROM items").fetchone() == (120,)


def test_sigterm_during_start_up_ends_the_prewarmed_workers(tmp_path: Path) -> None:
    """A run stopped before its flow began (Prefect still importing, its API still starting) must not leave
    the NLP workers it started early for the run: they die with it."""
    root = tmp_path / "archive"
    root.mkdir()
    for n in range(60):
        (root / f"{n:03d}.txt").write_text(STORY.format(n=n))
    env = {**os.environ, "WIRE_WORKERS": "2", "WIRE_MIN_PARALLEL": "4", "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-m", "flows.cli", "backfill", str(root), "--db", str(tmp_path / "w.duckdb"), "--quiet"]
    # SIGTERM as soon as both workers exist: they are loading the model, the flow has not begun
    workers, proc = _terminate_once_workers_run(cmd, env, settle=0.0, within=60)
    assert proc.returncode != 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and [w for w in workers if _alive(w)]:
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "prewarmed NLP workers outlived the stopped run"
