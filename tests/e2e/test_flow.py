"""The backfill as a real Prefect flow run (one session-wide test harness)."""

from __future__ import annotations

from pathlib import Path

import pytest

from warehouse import reader

pytestmark = pytest.mark.prefect


def test_backfill_flow_run(prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.client.orchestration import get_client

    from flows.backfill import backfill_flow

    monkeypatch.setenv("WIRE_WORKERS", "1")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "s.txt").write_text("Storm hits coast\n\nA storm hit the coast on Tuesday.\n")
    (tmp_path / "a" / "empty.txt").write_text("")
    db = str(tmp_path / "w.duckdb")
    summary = backfill_flow([str(tmp_path / "a")], db)
    assert summary["stored"] == 1 and summary["skipped"] == 1
    with reader(db) as con:
        assert con.execute("SELECT count(*) FROM items").fetchone() == (1,)

    async def artifacts() -> list[object]:
        async with get_client() as client:
            return list(await client.read_artifacts())

    import asyncio

    found = asyncio.run(artifacts())
    assert any(getattr(a, "key", None) == "backfill-summary" for a in found)
