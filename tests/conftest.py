"""Session-wide fixtures: the shared data folder, the spaCy pipeline, one Prefect test harness."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """`../shared` beside the repo, or $WIRE_SHARED."""
    return Path(os.environ.get("WIRE_SHARED") or REPO.parent / "shared").resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir()
    if not path.is_dir():
        pytest.skip(f"shared test data not found at {path} (set WIRE_SHARED): third-party corpora are not in the repo")
    return path


@pytest.fixture(scope="session")
def nlp() -> Any:
    from extractors.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test harness (temporary API database) for the whole session; start-up is slow."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Path of a fresh temporary warehouse file."""
    return str(tmp_path / "test.duckdb")
