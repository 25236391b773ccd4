"""Fixtures of the reliability suites: the results ledger, one synthetic corpus and its clean reference run.

The corpus is generated here (no third-party text): `quick` scale inside `make test`, `full` scale for
`make reliability` (WIRE_RELIABILITY_SCALE=full). The reference warehouse is one uninterrupted
`wire backfill --no-prefect` of the corpus; every fault scenario must end with exactly its rows.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from rel_harness import REPO, Ledger, Snapshot, make_corpus, run_cli, scale, snapshot, wire_env


def code_fingerprint() -> str:
    """Names, sizes and times of the code and models a `wire` run uses (the tree is shared with engineers
    editing it: a run that straddles an edit cannot be compared with one that does not)."""
    h = hashlib.sha256()
    for top in ("extractors", "flows", "warehouse"):
        for p in sorted((REPO / top).rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                st = p.stat()
                h.update(f"{p}\x1f{st.st_size}\x1f{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


@dataclass
class Corpus:
    root: Path  # holds part_a/ and part_b/ (bad files are in part_b)
    stories: int
    batch_files: int
    reference_db: Path
    reference: Snapshot
    reference_seconds: float  # wall time of the uninterrupted CLI run (start-up included)
    code: str = ""  # code_fingerprint() the reference was made with

    def env(self, **extra: str) -> dict[str, str]:
        env = wire_env(batch_files=self.batch_files)
        env.update(extra)
        return env

    def build_reference(self) -> None:
        code = code_fingerprint()
        for stale in (self.reference_db, self.reference_db.with_name(self.reference_db.name + ".wal")):
            stale.unlink(missing_ok=True)
        run = run_cli(["backfill", str(self.root), "--db", str(self.reference_db), "--no-prefect", "--quiet"],
                      self.env())
        assert run.returncode == 0, f"reference run failed:\n{run.stdout}\n{run.stderr}"
        self.reference = snapshot(self.reference_db)
        # the stories and the invalid-UTF-8 one (decoded as cp1252)
        assert sum(self.reference["items"].values()) == self.stories + 1
        self.reference_seconds = run.seconds
        self.code = code

    @contextmanager
    def scenario(self, ledger: Ledger) -> Iterator[None]:
        """Around one fault scenario: a fresh reference if the code changed since the last one, and a skip
        (not a verdict, its results withdrawn) if the code changes while the scenario runs."""
        if code_fingerprint() != self.code:
            self.build_reference()
        start, mark = self.code, ledger.mark()
        reason = "the code under test changed while this scenario ran (shared working tree); rerun it"
        try:
            yield
        except AssertionError:
            if code_fingerprint() != start:
                ledger.rollback(mark)
                pytest.skip(reason)
            raise
        if code_fingerprint() != start:
            ledger.rollback(mark)
            pytest.skip(reason)


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
    corpus = Corpus(root, n, batch, root.parent / "reference.duckdb", {}, 0.0)
    corpus.build_reference()
    yield corpus
    shutil.rmtree(root.parent, ignore_errors=True)
