"""The ingest flow: one run polls many feeds (`flows.poll.poll_feed` each) and reports what it did.

`ingest(...)` is the flow body as plain functions (`use_tasks=False`: no Prefect API at all; threads, at
most `feed_workers` feeds at a time); `ingest_flow` is the Prefect flow (one task run per feed, a summary
artifact per run, runs named after their feeds by `feeds_label`, an end state that tells the truth:
`final_state`). `IngestSummary` is what a run did; each run is recorded in the warehouse `runs` table.
Scheduling many runs is `flows.serve` (`wire serve`); the deployments of `prefect.yaml` name
`flows.ingest:ingest_flow`.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from warehouse import writer
from warehouse.feeds import feed_id
from warehouse.load import finish_run, start_run
from warehouse.rows import utcnow

from .errors import FeedsFailed
from .feeds_config import FeedConfig, feed_configs, resolve_feeds
from .fetch import Fetcher
from .pipeline import NLPRunner
from .poll import FeedReport, RunContext, bind_run, poll_feed, release_run
from .prefect_api import NONE, create_table_artifact, flow, get_run_logger, task
from .schedule import Skip
from .settings import Settings, load_settings

__all__ = ["IngestSummary", "feeds_label", "final_state", "ingest", "ingest_flow"]


@dataclass
class IngestSummary:
    run_id: str
    db: str
    feeds: list[FeedReport] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, name: str) -> int:
        return sum(int(getattr(r, name)) for r in self.feeds)

    @property
    def errors(self) -> int:
        return sum(1 for r in self.feeds if r.outcome == "error")

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update({k: self.total(k) for k in ("entries", "new_items", "versions", "duplicates", "already")})
        out["errors"] = self.errors
        return out


@task(name="poll-feed", cache_policy=NONE, task_run_name="poll {feed.label}")
def poll_feed_task(feed: FeedConfig, db: str, run_id: str, settings: Settings, force: bool = False,
                   skip: Skip = "none") -> FeedReport:
    report = poll_feed(feed, db, run_id, settings, force=force, skip=skip)
    logger = get_run_logger()
    if report.outcome == "error":  # the UI shows it on the task run; the traceback when there is one
        logger.error("%s: %s%s", feed.label, report.status, f"\n{report.detail}" if report.detail else "")
    else:
        logger.info("%s: %s", feed.label, report.status)
    for warning in report.warnings:
        logger.warning("%s", warning)
    return report


def _run_row(summary: IngestSummary, feeds: Sequence[FeedConfig], started: datetime, status: str) -> dict[str, Any]:
    polled = [r for r in summary.feeds if r.outcome not in ("not due", "disabled")]
    return {"run_id": summary.run_id, "flow": "ingest", "started_at": started,
            "finished_at": None if status == "running" else utcnow(),
            "args": " ".join(f.url for f in feeds), "seen": len(polled),
            "unchanged": sum(1 for r in polled if r.outcome in ("not modified", "unchanged")),
            "stored": summary.total("new_items"), "duplicates": summary.total("duplicates"),
            "skipped": sum(1 for r in summary.feeds if r.outcome in ("not due", "disabled")),
            "errors": summary.errors + summary.total("nlp_errors"), "status": status}


def ingest(
    feeds: Sequence[FeedConfig],
    db: str,
    settings: Settings | None = None,
    run_id: str | None = None,
    *,
    force: bool = False,
    skip: Skip = "none",
    use_tasks: bool = False,
    transport: Any = None,
    runner: NLPRunner | None = None,
) -> IngestSummary:
    """Poll the feeds once each (concurrently, at most `feed_workers` at a time and `per_host_limit` per
    host) and store what is new. With `use_tasks` each feed is a Prefect task run (inside `ingest_flow`);
    without, plain threads and no Prefect API. `transport`/`runner` are for tests."""
    settings = settings or load_settings()
    run_id = run_id or uuid.uuid4().hex[:12]
    t0 = time.perf_counter()
    summary = IngestSummary(run_id=run_id, db=db)
    started = utcnow()
    with writer(db, wait=settings.lock_wait) as con:
        start_run(con, _run_row(summary, feeds, started, "running"))
    own_runner = runner is None
    nlp = runner or NLPRunner(settings.model, settings.workers, nlp_batch=settings.nlp_batch,
                              min_parallel=settings.min_parallel)
    fetcher = Fetcher(user_agent=settings.user_agent, timeout=settings.http_timeout,
                      max_bytes=settings.http_max_bytes, per_host_limit=settings.per_host_limit,
                      transport=transport)
    bind_run(run_id, RunContext(fetcher=fetcher, runner=nlp, lock=threading.Lock(), rng=random.Random()))
    status = "failed"
    try:
        if use_tasks:
            futures = [poll_feed_task.submit(f, db, run_id, settings, force, skip) for f in feeds]
            summary.feeds = [fut.result() for fut in futures]
        else:
            with ThreadPoolExecutor(max_workers=max(1, min(settings.feed_workers, len(feeds) or 1))) as pool:
                summary.feeds = list(pool.map(lambda f: poll_feed(f, db, run_id, settings, force=force, skip=skip),
                                              feeds))
        status = "completed"
    finally:
        release_run(run_id)
        fetcher.close()
        if own_runner:
            nlp.close()
        summary.seconds = time.perf_counter() - t0
        with writer(db, wait=settings.lock_wait) as con:
            finish_run(con, _run_row(summary, feeds, started, status))
    return summary


def _artifact_rows(summary: IngestSummary) -> list[dict[str, str]]:
    return [{"feed": r.name or r.url, "outcome": r.outcome, "status": r.status, "http": str(r.http or ""),
             "entries": str(r.entries), "new": str(r.new_items), "versions": str(r.versions),
             "duplicates": str(r.duplicates), "already stored": str(r.already),
             "next poll": f"{r.next_poll:%Y-%m-%d %H:%M:%S}" if r.next_poll else ""} for r in summary.feeds]


def feeds_label(urls: Sequence[str] | None, skip: str = "none", settings: Settings | None = None) -> str:
    """What a run polls, in words: the configured names of its feeds ('guardian, npr'), else their hosts;
    'due feeds' / 'all feeds' for a run over the configuration."""
    if not urls:
        return "due feeds" if skip == "not_due" else "all feeds"
    try:
        named = {f.feed_id: f.name for f in feed_configs(settings or load_settings()) if f.name}
    except Exception:  # a broken wire.toml is reported by the run itself, not by its name
        named = {}
    labels = [named.get(feed_id(u)) or u.split("://", 1)[-1].split("/", 1)[0] for u in urls]
    return ", ".join(labels[:3]) + (f" +{len(labels) - 3}" if len(labels) > 3 else "")


def _flow_run_name() -> str:
    from .prefect_api import flow_run

    params = flow_run.parameters or {}
    return f"{feeds_label(params.get('urls'), str(params.get('skip') or 'none'))} {utcnow():%Y-%m-%dT%H:%M}"


def _listed(reports: Sequence[FeedReport]) -> str:
    """The first five feeds of `reports` with their status, for a state message."""
    return "; ".join(f"{r.name or r.url}: {r.status}" for r in reports[:5])


def final_state(summary: IngestSummary, result: dict[str, Any]) -> Any:
    """The flow run's end state, telling the truth: Failed when every polled feed failed (fetch, parse or
    store), `Completed(name="Partial")` when some did, `Completed(name="Backing off")` when the run polled
    nothing because its feeds are waiting after failed polls (a served broken feed's runs between its
    retries), else plain Completed. Each carries the summary (the Failed one inside a `FeedsFailed` error,
    as Prefect wants an exception there)."""
    from .prefect_api import Completed, Failed

    polled = [r for r in summary.feeds if r.outcome not in ("not due", "disabled")]
    failed = [r for r in polled if r.outcome == "error"]
    waiting = [r for r in summary.feeds if r.outcome == "not due" and r.failures]
    waits = _listed(waiting)
    if not failed:
        message = f"{summary.total('new_items')} new items from {len(polled)} feeds"
        if waiting and not polled:
            return Completed(name="Backing off", data=result, message=waits)
        if waiting:
            return Completed(name="Partial", data=result,
                             message=f"{message}; {len(waiting)} backing off after failures ({waits})")
        return Completed(data=result, message=message)
    words = _listed(failed)
    if len(failed) == len(polled):
        message = f"{len(failed)} of {len(polled)} feeds failed: {words}"
        return Failed(data=FeedsFailed(message, result), message=message)
    return Completed(name="Partial", data=result,
                     message=f"{len(failed)} of {len(polled)} feeds failed ({words}); "
                     f"{summary.total('new_items')} new items from the others")


@flow(name="ingest-feeds", log_prints=False, flow_run_name=_flow_run_name)
def ingest_flow(urls: list[str] | None = None, db: str | None = None, skip: Skip = "none",
                force: bool = False, agency: str | None = None, fetch_article: bool | None = None) -> Any:
    """Poll feeds once and store their new entries: the given URLs, else every configured feed.
    `skip`: "none" polls every feed, "not_due" only feeds whose next poll has come, "backoff" all but
    feeds backing off after a failure; `force` polls disabled feeds too.

    Ends Failed when every polled feed failed and Completed named "Partial" when some did (see
    `final_state`); call it with `return_state=True` and read `state.result(raise_on_failure=False)` to
    get the summary either way (a `FeedsFailed` error with `.summary` when the run failed)."""
    settings = load_settings()
    db = db or settings.db
    feeds = resolve_feeds(urls, settings, agency=agency, fetch_article=fetch_article)
    summary = ingest(feeds, db, settings, force=force, skip=skip, use_tasks=True)
    logger = get_run_logger()
    logger.info("ingest %s: %s feeds, %s new items, %s errors", summary.run_id, len(summary.feeds),
                summary.total("new_items"), summary.errors)
    create_table_artifact(
        key="ingest-summary",
        table=_artifact_rows(summary) or [{"feed": "(none)", "outcome": "no feeds to poll"}],
        description=(f"wire ingest run {summary.run_id} into {db}: {len(summary.feeds)} feeds, "
                     f"{summary.total('new_items')} new items, {summary.errors} errors"),
    )
    return final_state(summary, json.loads(json.dumps(summary.as_dict(), default=str)))
