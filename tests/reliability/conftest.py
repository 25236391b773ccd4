"""Fixtures of the reliability suites: the results ledger, one synthetic corpus and its clean reference run.

The corpus is generated here (no third-party text): `quick` scale inside `make test`, `full` scale for
`make reliability` (WIRE_RELIABILITY_SCALE=full). The reference warehouse is one uninterrupted
`wire backfill --no-prefect` of the corpus; every fault scenario must end with exactly its rows.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rel_harness import Ledger, Snapshot, make_corpus, run_cli, scale, snapshot, wire_env


@dataclass(frozen=True)
class Corpus:
    root: Path  # holds part_a/ and part_b/ (bad files are in part_b)
    stories: int
    batch_files: int
    reference_db: Path
    reference: Snapshot
    reference_seconds: float  # wall time of the uninterrupted CLI run (start-up included)

    def env(self, **extra: str) -> dict[str, str]:
        env = wire_env(batch_files=self.batch_files)
        env.update(extra)
        return env


@pytest.fixture(scope="session")
def ledger() -> Ledger:
    return Ledger(os.environ.get("WIRE_RELIABILITY_RESULTS"))


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    full = scale() == "full"
    n, batch = (48, 6) if full else (12, 3)
    root = tmp_path_factory.mktemp("reliability") / "corpus"
    make_corpus(root / "part_a", n // 2, seed=11)
    make_corpus(root / "part_b", n - n // 2, seed=12, bad=True)
    db = root.parent / "reference.duckdb"
    run = run_cli(["backfill", str(root), "--db", str(db), "--no-prefect", "--quiet"], wire_env(batch_files=batch))
    assert run.returncode == 0, f"reference run failed:\n{run.stdout}\n{run.stderr}"
    ref = snapshot(db)
    assert sum(ref["items"].values()) == n + 1  # the stories and the invalid-UTF-8 one (decoded as cp1252)
    yield Corpus(root, n, batch, db, ref, run.seconds)
    shutil.rmtree(root.parent, ignore_errors=True)
