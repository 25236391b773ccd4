"""The pieces of `wire serve` that decide what an operator sees (#19): staggered schedules, the truthful
end state of an ingest run, run names, module-path deployments, and the shared NLP service."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from flows.errors import FeedsFailed
from flows.feeds_config import FeedConfig
from flows.ingest import IngestSummary, feeds_label, final_state
from flows.poll import FeedReport
from flows.schedule import stagger
from flows.serve import build_deployments
from flows.settings import Settings

T0 = datetime(2026, 12, 3, 11, 0)


def _feed(name: str, interval: int) -> FeedConfig:
    return FeedConfig(url=f"https://{name}.example/rss", name=name, interval_s=interval)


def test_feeds_sharing_an_interval_are_spread_over_it() -> None:
    feeds = [_feed("a", 900), _feed("b", 900), _feed("c", 900), _feed("d", 60)]
    anchors = stagger(feeds, T0)
    offsets = sorted((anchors[f.feed_id] - T0).total_seconds() for f in feeds[:3])
    assert offsets == [0.0, 300.0, 600.0]
    assert anchors[feeds[3].feed_id] == T0  # alone on its interval: not moved


def _summary(*outcomes: str) -> IngestSummary:
    return IngestSummary(run_id="r", db="x.duckdb", feeds=[
        FeedReport(url=f"https://f{i}.example/", name=f"f{i}", outcome=o,
                   status="404 Not Found" if o == "error" else o) for i, o in enumerate(outcomes)])


def test_every_feed_failing_fails_the_run_and_keeps_the_summary() -> None:
    state = final_state(_summary("error", "error", "not due"), {"errors": 2})
    assert state.is_failed() and "2 of 2 feeds failed" in state.message and "f0: 404 Not Found" in state.message
    err = state.result(raise_on_failure=False)
    assert isinstance(err, FeedsFailed) and err.summary == {"errors": 2}


def test_some_feeds_failing_is_a_named_partial_completion() -> None:
    state = final_state(_summary("stored", "error"), {"errors": 1})
    assert state.is_completed() and state.name == "Partial" and "1 of 2 feeds failed (f1: 404" in state.message


def test_no_failure_is_plain_completed() -> None:
    state = final_state(_summary("stored", "not modified", "disabled"), {"errors": 0})
    assert state.is_completed() and state.name == "Completed"
    assert state.result(raise_on_failure=False) == {"errors": 0}


def test_a_feed_backing_off_after_failures_is_not_shown_as_plain_completed() -> None:
    """A served broken feed's runs between its retries poll nothing; they say why instead of going green."""
    summary = _summary("not due")
    summary.feeds[0].failures, summary.feeds[0].status = 2, "backing off after 2 failed poll(s) (404 Not Found)"
    state = final_state(summary, {"errors": 0})
    assert state.is_completed() and state.name == "Backing off" and "f0: backing off after 2" in state.message
    summary.feeds.append(FeedReport(url="https://ok.example/", name="ok", outcome="stored", status="200 OK"))
    state = final_state(summary, {"errors": 0})
    assert state.name == "Partial" and "1 backing off after failures" in state.message
    state = final_state(_summary("not due"), {"errors": 0})  # merely not due (no failures): plain
    assert state.name == "Completed"


def test_run_names_say_what_ran() -> None:
    settings = Settings(feeds=[{"url": "https://www.theguardian.com/world/rss", "name": "guardian"}])
    assert feeds_label(["https://www.theguardian.com/world/rss"], settings=settings) == "guardian"
    assert feeds_label(["https://feeds.npr.org/1001/rss.xml"], settings=settings) == "feeds.npr.org"
    assert feeds_label([f"https://h{i}.example/" for i in range(5)], settings=settings) == \
        "h0.example, h1.example, h2.example +2"
    assert feeds_label(None, "not_due") == "due feeds" and feeds_label(None) == "all feeds"


def test_deployments_import_the_installed_package(tmp_path: Path) -> None:
    settings = Settings(feeds=[{"url": "https://a.example/rss", "name": "a", "interval": "15m"},
                               {"url": "https://b.example/rss", "name": "b", "interval": "15m"}])
    deps = [d for d in build_deployments(settings, str(tmp_path / "w.duckdb")) if d.name.startswith("feed-")]
    assert [d.name for d in deps] == ["feed-a", "feed-b"]
    assert {d.entrypoint for d in deps} == {"flows.ingest.ingest_flow"}  # a module path, not flows/ingest.py
    anchors = [d.schedules[0].schedule.anchor_date for d in deps]
    assert anchors[1] - anchors[0] == timedelta(seconds=450)


@pytest.mark.slow
def test_nlp_service_serves_runners_of_other_processes_and_falls_back_when_gone() -> None:
    import os

    from extractors.records import Extraction
    from flows.nlp_service import ENV_ADDRESS, NLPService
    from flows.pipeline import NLPRunner

    texts = [("Mayor Ana Costa said on Monday that 300 jobs would go at the Lisbon plant.", None, None)] * 6
    with NLPService("en_core_web_sm", 1) as service:
        assert os.environ[ENV_ADDRESS] == service.address
        runner = NLPRunner("en_core_web_sm", 1)
        out = runner.run(texts)
        assert service.requests >= 1 and all(isinstance(x, Extraction) for x in out)
        assert any(a.name == "Lisbon" and a.kind == "place" for a in out[0].actors)
        wrong = NLPRunner("no_such_model", 1)  # the service refuses another model: the runner parses itself
        with pytest.raises(Exception, match="no_such_model"):
            wrong.run(texts[:1])
        runner.close()
    assert ENV_ADDRESS not in os.environ
    alone = NLPRunner("en_core_web_sm", 1)
    assert alone.run(texts[:1])[0] == out[0]  # same extraction without the service
