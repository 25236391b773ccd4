"""The one real Prefect flow run of the feed flow: a task per feed and a summary artifact per run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from warehouse import reader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feed_server import feed_server

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Flow Wire</title><link>https://f.example/</link>
<item><title>Mill closes</title><guid>https://f.example/1</guid><link>https://f.example/1</link>
<description>The paper mill in Eastwick closed on Friday, ending 120 jobs.</description></item>
<item><title>Road opens</title><guid>https://f.example/2</guid><link>https://f.example/2</link>
<description>The new ring road opened to traffic on Saturday.</description></item>
</channel></rss>"""


@pytest.mark.prefect
@pytest.mark.slow
def test_ingest_flow_run_stores_entries_and_leaves_an_artifact(prefect_harness: None, db: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.ingest import ingest_flow

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WIRE_WORKERS", "1")
    with feed_server() as server:
        url = server.set("/flow.rss", FEED)
        result = ingest_flow(urls=[url], db=db)
        again = ingest_flow(urls=[url], db=db)
    assert result["new_items"] == 2 and result["errors"] == 0
    assert [f["outcome"] for f in result["feeds"]] == ["stored"]
    assert again["new_items"] == 0 and again["feeds"][0]["outcome"] == "not modified"
    with reader(db) as con:
        row = con.execute("SELECT count(*) FROM items").fetchone()
    assert row == (2,)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-summary"])))
    assert len(artifacts) >= 2
    assert any("2 new items" in (a.description or "") for a in artifacts)
