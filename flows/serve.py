"""`wire serve`: the feed polls on their schedules, through a Prefect server or from a plain loop.

`build_deployments` makes one deployment of `flows.ingest.ingest_flow` per configured feed with the
feed's interval as schedule (staggered: `flows.schedule.stagger`); `serve` serves them from this process
(needs a Prefect server: PREFECT_API_URL) with one NLP service for every run; `serve_local` runs the same
polls from a plain loop without Prefect. The drop folders of the settings are served beside the feeds
(`flows.watch.drop_deployments`, and `flows.watch.DropTicker` in the plain loop).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from warehouse import writer
from warehouse.feeds import feed_states
from warehouse.rows import utcnow

from .errors import ConfigError
from .feeds_config import feed_configs
from .ingest import IngestSummary, ingest, ingest_flow
from .pipeline import NLPRunner
from .schedule import due_feeds, stagger
from .settings import Settings
from .watch import DropTicker, drop_deployments

__all__ = ["build_deployments", "serve", "serve_local"]

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "feed"


def build_deployments(settings: Settings, db: str) -> list[Any]:
    """One deployment per configured feed, on the feed's interval (staggered); scheduled runs skip feeds
    backing off. Each names its flow by module path (`flows.ingest:ingest_flow`), so the run imports the
    installed package rather than executing flows/ingest.py as a script outside it."""
    from .prefect_api import EntrypointType, Interval

    db = str(Path(db).resolve())  # flow runs may start in another working directory
    deployments = []
    names: set[str] = set()
    feeds = feed_configs(settings)
    anchors = stagger(feeds, utcnow().replace(second=0, microsecond=0))
    for feed in feeds:
        name = "feed-" + _slug(feed.name or feed.url.split("://", 1)[-1])
        if name in names:
            name += "-" + feed.feed_id[:6]
        names.add(name)
        deployments.append(ingest_flow.to_deployment(
            name=name, schedule=Interval(timedelta(seconds=feed.interval_s), anchor_date=anchors[feed.feed_id]),
            parameters={"urls": [feed.url], "db": db, "skip": "backoff"},
            description=f"poll {feed.url} every {feed.interval_s}s into {db}", tags=["wire", "feeds"],
            entrypoint_type=EntrypointType.MODULE_PATH,
            concurrency_limit=1,  # a slow poll delays the next one of its feed instead of racing it
        ))
    deployments.extend(drop_deployments(settings, db))
    return deployments


def serve(settings: Settings, db: str) -> None:
    """Serve the feed deployments from this process (blocks). Needs a Prefect server for schedules.

    Prefect runs each flow run in a subprocess; the NLP workers (and the model) live here, in one
    `NLPService` that every run's subprocess sends its stories to, so the model is loaded once per serve
    process, not once per poll. SIGTERM or Ctrl-C stops serving and ends the workers."""
    from .prefect_api import get_current_settings

    if not (os.environ.get("PREFECT_API_URL") or get_current_settings().api.url):
        raise ConfigError(
            "`wire serve` schedules runs through a Prefect server, and PREFECT_API_URL is not set. Start one "
            "with `prefect server start` and `export PREFECT_API_URL=http://127.0.0.1:4200/api`, or run "
            "`wire serve --local` to poll on the same schedule from a plain loop without Prefect")
    deployments = build_deployments(settings, db)
    if not deployments:
        raise ConfigError("no feeds configured: add [[feeds]] tables (url, name, interval, agency, fetch_article) "
                          "to wire.toml")
    from .nlp_service import NLPService
    from .prefect_api import serve as prefect_serve

    # at most `feed_workers` runs at a time: each is a process of its own, and SIGTERM cancels the runs in
    # flight one after another (about 3 s each), so a bounded number also bounds how long stopping takes
    with NLPService(settings.model, settings.workers, nlp_batch=settings.nlp_batch,
                    models=settings.language_models().values()):
        prefect_serve(*deployments, limit=max(1, settings.feed_workers))


def serve_local(
    settings: Settings,
    db: str,
    *,
    stop: threading.Event | None = None,
    max_cycles: int | None = None,
    tick: float = 30.0,
    transport: Any = None,
    runner: NLPRunner | None = None,
    on_run: Callable[[IngestSummary], None] | None = None,
) -> int:
    """Poll every configured feed when it is due, in a loop, without Prefect; returns the cycles run.

    Each cycle reads the feed states (the file is opened briefly), polls the due feeds (one load per
    feed), then sleeps until the next poll is due (at most `tick` seconds)."""
    feeds = feed_configs(settings)
    drops = DropTicker(settings)
    if not feeds and not drops.active:
        raise ConfigError("no feeds configured: add [[feeds]] tables to wire.toml")
    stop = stop or threading.Event()
    cycles = 0
    # one NLP runner for the life of the loop: worker processes load the model once, not once per poll
    nlp = runner or NLPRunner(settings.model, settings.workers, nlp_batch=settings.nlp_batch,
                              min_parallel=settings.min_parallel)
    try:
        while not stop.is_set() and (max_cycles is None or cycles < max_cycles):
            cycles += 1
            with writer(db, wait=settings.lock_wait) as con:
                states = feed_states(con, [f.feed_id for f in feeds])
            due = due_feeds(feeds, states, utcnow())
            if due:
                summary = ingest(due, db, settings, transport=transport, runner=nlp)
                if on_run:
                    on_run(summary)
            drops.tick(db)
            with writer(db, wait=settings.lock_wait) as con:
                states = feed_states(con, [f.feed_id for f in feeds])
            now = utcnow()
            waits = [(s.next_poll - now).total_seconds() for s in states.values() if s.next_poll and not s.disabled]
            if max_cycles is not None and cycles >= max_cycles:
                break
            stop.wait(max(0.5, min([tick, *waits])))
    finally:
        if runner is None:
            nlp.close()
    return cycles
