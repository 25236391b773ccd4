"""Crash safety (issue #10.1): `wire backfill` killed with SIGKILL at any moment and run again ends with
exactly the rows of an uninterrupted run - no item lost, none twice, no half-loaded story.

Two kinds of kills, each followed by checking the warehouse the dead process left and, at the end of the
chain, one more run to completion compared row for row with the clean reference run:
- at named places (fault_inject.py): inside a load transaction, right before COMMIT, right after it (rows
  only in the WAL), during schema creation, reading, NLP, finishing the run row;
- at random times spread over a run (os.kill with SIGKILL from outside), several in a row.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import Corpus
from fault_inject import POINTS
from rel_harness import Ledger, check_partial, compare, kill_group, run_cli, scale, snapshot, spawn_cli

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

FULL = scale() == "full"
INJECTED = (
    # each kill lets at most one more batch through, so the chain reaches every point before the run ends
    ["migrate:1", "read:2", "nlp:2", "insert-items:2", "insert-mentions:2", "insert-sources:1", "done-sources:2",
     "committed:1", "finish:1"]
    if FULL else ["insert-mentions:2", "committed:1"]
)
RANDOM_KILLS = 4 if FULL else 1


def _backfill_args(corpus: Corpus, db: Path, *, prefect: bool = False) -> list[str]:
    return ["backfill", str(corpus.root), "--db", str(db), "--quiet", *([] if prefect else ["--no-prefect"])]


def _finish_and_compare(corpus: Corpus, db: Path, ledger: Ledger, scenario: str, kills: list[dict[str, Any]]
                        ) -> None:
    """Run to completion, compare with the reference, run once more (must add nothing), record."""
    final = run_cli(_backfill_args(corpus, db), corpus.env())
    assert final.returncode == 0, f"{scenario}: the run after the kills failed:\n{final.stdout}\n{final.stderr}"
    cmp = compare(corpus.reference, snapshot(db))
    cmp_again = cmp
    if FULL:  # one more run must add nothing (a CLI start costs ~15 s: full scale only)
        again = run_cli(_backfill_args(corpus, db), corpus.env())
        assert again.returncode == 0, again.stderr
        assert "unchanged" in again.stdout and f"{corpus.stories + 3:>8}" in again.stdout.split("unchanged")[1][:20]
        cmp_again = compare(corpus.reference, snapshot(db))
    survived = sum(1 for k in kills if k["consistent"])
    ledger.record("kill", scenario, faults_injected=len(kills), faults_survived=survived if cmp.equal else 0,
                  rows_compared=cmp.rows, rows_lost=cmp.lost, rows_duplicated=cmp.duplicated + cmp.extra,
                  rerun_rows_duplicated=cmp_again.duplicated + cmp_again.extra, kills=kills)
    assert not [k for k in kills if not k["consistent"]], f"{scenario}: inconsistent warehouse after a kill: {kills}"
    assert cmp.equal, f"{scenario}: differs from the uninterrupted run: {cmp.per_table}"
    assert cmp_again.equal, f"{scenario}: a second run changed the warehouse: {cmp_again.per_table}"


def _after_kill(corpus: Corpus, db: Path, what: str, rc: int | None, seconds: float) -> dict[str, Any]:
    partial = check_partial(corpus.reference, snapshot(db)) if db.exists() else None
    return {"fault": what, "returncode": rc, "seconds": round(seconds, 2),
            "items_stored": partial.items if partial else 0,
            "half_loaded": partial.half_loaded[:5] if partial else [],
            "foreign_rows": partial.foreign if partial else 0,
            "consistent": partial.consistent if partial else True}


def test_kill_at_named_points(corpus: Corpus, tmp_path: Path, ledger: Ledger) -> None:
    """One warehouse, killed at each named point in turn (later batches each time), then completed."""
    with corpus.scenario(ledger):
        assert all(spec.rsplit(":", 1)[0] in POINTS for spec in INJECTED)
        db = tmp_path / "named.duckdb"
        kills: list[dict[str, Any]] = []
        for spec in INJECTED:
            run = run_cli(_backfill_args(corpus, db), corpus.env(WIRE_FAULT=spec))
            if run.returncode != -signal.SIGKILL:
                # the point was not reached (everything stored already): the run must still have succeeded
                assert run.returncode == 0, f"{spec}: {run.stderr}"
                continue
            kills.append(_after_kill(corpus, db, spec, run.returncode, run.seconds))
        assert len(kills) >= len(INJECTED) - 1, f"too few fault points reached: {kills}"
        _finish_and_compare(corpus, db, ledger, "named crash points", kills)


def _random_kill_chain(corpus: Corpus, db: Path, rng: random.Random, count: int, env: dict[str, str],
                       *, prefect: bool = False) -> list[dict[str, Any]]:
    kills: list[dict[str, Any]] = []
    span = corpus.reference_seconds * (2.0 if prefect else 1.0)
    for _ in range(count):
        delay = rng.uniform(0.15, 0.95) * span
        proc = spawn_cli(_backfill_args(corpus, db, prefect=prefect), env)
        t0 = time.monotonic()
        try:
            proc.wait(timeout=delay)
            finished = True
        except Exception:
            finished = False
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)  # the process itself, as `kill -9 PID` would
            proc.wait()
        rc = proc.returncode
        kill_group(proc)  # then any NLP worker / Prefect server it left behind
        if finished:
            assert rc == 0, f"run finished early but failed: {proc.stderr.read() if proc.stderr else ''}"
            continue
        kills.append(_after_kill(corpus, db, f"SIGKILL after {delay:.1f}s", rc, time.monotonic() - t0))
    return kills


def test_kill_at_random_times(corpus: Corpus, tmp_path: Path, ledger: Ledger) -> None:
    with corpus.scenario(ledger):
        seed = int(os.environ.get("WIRE_RELIABILITY_SEED") or time.time_ns() % 1_000_000)
        rng = random.Random(seed)
        db = tmp_path / "random.duckdb"
        # full scale: two NLP worker processes, so kills also hit a parent with a live process pool
        env = corpus.env(WIRE_WORKERS="2", WIRE_MIN_PARALLEL="2") if FULL else corpus.env()
        kills = _random_kill_chain(corpus, db, rng, RANDOM_KILLS, env)
        _finish_and_compare(corpus, db, ledger, f"random SIGKILL times (seed {seed})", kills)


@pytest.mark.skipif(not FULL, reason="a Prefect flow run costs ~15 s of start-up: full scale only")
def test_kill_prefect_flow_run(corpus: Corpus, tmp_path: Path, ledger: Ledger) -> None:
    with corpus.scenario(ledger):
        seed = int(os.environ.get("WIRE_RELIABILITY_SEED") or time.time_ns() % 1_000_000) + 1
        db = tmp_path / "prefect.duckdb"
        kills = _random_kill_chain(corpus, db, random.Random(seed), 1, corpus.env(), prefect=True)
        _finish_and_compare(corpus, db, ledger, f"random SIGKILL of Prefect flow runs (seed {seed})", kills)
