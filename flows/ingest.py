"""Live feeds: poll each feed (conditionally), store only new or changed entries, keep the feed's state.

One poll of one feed (`poll_feed`, one Prefect task per feed, never per entry):

1. conditional GET with the stored ETag / Last-Modified (and the previous body hash as a fallback for
   servers that ignore them): 304 or the same bytes -> nothing parsed, nothing stored;
2. parse the document (`extractors.feeds.parse_feed`); for feeds with `fetch_article = true`, entries
   that carry only a summary and are not stored yet get their article page fetched and its main text
   becomes the body;
3. `flows.pipeline.prepare` / `run_nlp`, then ONE writer session: `load_batch` (one transaction) and the
   feed's state row. Same guid + same body is the same item (no new row); same guid + changed body is a
   new item of the same story (version + 1, assigned by the loader);
4. the state row records the outcome in words (`last_status`), the validators, the counts, consecutive
   failures and the next poll: the interval after success; after a failure an exponential back-off with
   jitter, never sooner than a `Retry-After`; a feed with `feed_disable_after` hard failures in a row
   (4xx, not a feed, too large) is disabled with the reason.

The warehouse file is opened only for the short look-ups and the final load, never across the network
wait, so `wire sql` and other readers get in between polls.

`ingest(...)` is the flow body as plain functions (`use_tasks=False`: no Prefect API at all);
`ingest_flow` is the Prefect flow (one task run per feed and a summary artifact per run).
`wire serve` (`serve`) serves one deployment per configured feed with the feed's interval as schedule
(needs a Prefect server: PREFECT_API_URL), or with `local=True` runs the same polls from a plain loop
(`serve_local`). Drop-folder watching plugs in through `register_serve_hook`.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import re
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NONE

from extractors.errors import BadInput
from extractors.feeds import ParsedFeed, parse_feed
from extractors.html import read_html
from extractors.identity import story_id
from extractors.ids import body_hash
from extractors.records import Story
from warehouse import Batch, LoadResult, load_batch, writer
from warehouse.feeds import FeedState, feed_id, feed_states, save_feed_states
from warehouse.load import finish_run, start_run
from warehouse.rows import utcnow

from .errors import ConfigError, FeedsFailed
from .fetch import HTML_ACCEPT, Fetcher, FetchResult, http_feed_bytes, http_text
from .pipeline import NLPRunner, prepare, run_nlp
from .settings import Settings, load_settings

__all__ = [
    "SERVE_HOOK_MODULES",
    "FeedConfig",
    "FeedReport",
    "IngestSummary",
    "backoff_delay",
    "build_deployments",
    "due_feeds",
    "feed_configs",
    "feeds_label",
    "final_state",
    "ingest",
    "ingest_flow",
    "is_due",
    "parse_interval",
    "plan_next",
    "poll_feed",
    "register_serve_hook",
    "resolve_feeds",
    "serve",
    "serve_local",
    "stagger",
]

Skip = Literal["none", "not_due", "backoff"]


# --- configuration ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedConfig:
    """A feed as configured in `[[feeds]]` (or given on the command line)."""

    url: str
    name: str | None = None
    interval_s: int = 900
    agency: str | None = None
    fetch_article: bool = False

    @property
    def feed_id(self) -> str:
        return feed_id(self.url)

    @property
    def label(self) -> str:
        return self.name or self.url


_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|min|s|sec)?", re.I)
_UNIT = {"d": 86400, "h": 3600, "m": 60, "min": 60, "s": 1, "sec": 1, None: 1}


def parse_interval(raw: object) -> int:
    """Seconds from 300, "300", "5m", "1h30m", "90s", "1d"; at least 10 s."""
    if isinstance(raw, bool):
        raise ConfigError(f"interval {raw!r}: expected seconds or a duration like '15m'")
    if isinstance(raw, int | float):
        seconds = float(raw)
    else:
        text = str(raw).strip().replace(" ", "")
        parts = list(_INTERVAL.finditer(text))
        if not text or not parts or "".join(p.group(0) for p in parts) != text:
            raise ConfigError(f"interval {raw!r}: expected seconds or a duration like '15m', '1h30m'")
        seconds = sum(float(p.group(1)) * _UNIT[p.group(2).lower() if p.group(2) else None] for p in parts)
    if seconds < 10:
        raise ConfigError(f"interval {raw!r}: polls more often than every 10 seconds are not polite")
    return int(seconds)


def _check_url(url: object, where: str) -> str:
    if not isinstance(url, str) or not re.match(r"^https?://[^/\s]+", url.strip(), re.I):
        raise ConfigError(f"{where}: url {url!r} is not an http(s) URL")
    return url.strip()


def feed_configs(settings: Settings) -> list[FeedConfig]:
    """The `[[feeds]]` tables of the settings, checked: url (required), name, interval, agency,
    fetch_article."""
    out: list[FeedConfig] = []
    seen: set[str] = set()
    known = {"url", "name", "interval", "agency", "fetch_article"}
    for i, raw in enumerate(settings.feeds):
        where = f"feeds[{i}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a table with url, name, interval, agency, fetch_article")
        unknown = set(raw) - known
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                              f"(known: {', '.join(sorted(known))})")
        url = _check_url(raw.get("url"), where)
        fid = feed_id(url)
        if fid in seen:
            raise ConfigError(f"{where}: feed {url} is configured twice")
        seen.add(fid)
        fetch_article = raw.get("fetch_article", False)
        if not isinstance(fetch_article, bool):
            raise ConfigError(f"{where}: fetch_article must be true or false")
        out.append(FeedConfig(
            url=url,
            name=str(raw["name"]) if raw.get("name") else None,
            interval_s=parse_interval(raw.get("interval", settings.feed_interval)),
            agency=str(raw["agency"]) if raw.get("agency") else None,
            fetch_article=fetch_article,
        ))
    return out


def resolve_feeds(urls: Sequence[str] | None, settings: Settings, **overrides: Any) -> list[FeedConfig]:
    """The configured feeds (no URLs) or the given URLs, using a URL's configuration when it has one."""
    configured = feed_configs(settings)
    if not urls:
        return configured
    by_id = {f.feed_id: f for f in configured}
    out: list[FeedConfig] = []
    for url in urls:
        url = _check_url(url, "feed")
        base = by_id.get(feed_id(url)) or FeedConfig(url=url, interval_s=settings.feed_interval)
        extra = {k: v for k, v in overrides.items() if v is not None}
        out.append(replace(base, **extra) if extra else base)
    return list({f.feed_id: f for f in out}.values())


# --- scheduling (plain functions) ---------------------------------------------------------------------

def backoff_delay(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential back-off with jitter: base * 2^(failures-1), capped, then drawn from [half, full]."""
    if failures <= 0:
        return 0.0
    full = min(cap, base * 2 ** min(failures - 1, 30))
    r = rng or random
    return full / 2 + r.uniform(0, full / 2)


def is_due(state: FeedState | None, now: datetime, *, skip: Skip = "not_due", slack_s: float = 5.0) -> bool:
    """Whether a feed should be polled now. `skip="not_due"`: only once its next poll time has come;
    `"backoff"`: unless it is backing off after a failure (scheduled runs); `"none"`: always. A disabled
    feed is never due unless `skip="none"` (an explicit poll)."""
    if skip == "none" or state is None:
        return True
    if state.disabled:
        return False
    if state.next_poll is None:
        return True
    if skip == "backoff" and not state.failures:
        return True
    return state.next_poll <= now + timedelta(seconds=slack_s)


def due_feeds(feeds: Sequence[FeedConfig], states: dict[str, FeedState], now: datetime, *,
              skip: Skip = "not_due") -> list[FeedConfig]:
    return [f for f in feeds if is_due(states.get(f.feed_id), now, skip=skip)]


def plan_next(
    state: FeedState,
    *,
    now: datetime,
    interval_s: int,
    ok: bool,
    hard: bool = False,
    retry_after: float | None = None,
    settings: Settings,
    rng: random.Random | None = None,
) -> None:
    """Update failures, next poll and disabled state of a feed after a poll (in place)."""
    if ok:
        state.failures = 0
        state.hard_failures = 0
        state.last_ok = now
        state.disabled = False
        state.disabled_reason = None
        delay = float(interval_s)
    else:
        state.failures += 1
        state.hard_failures = state.hard_failures + 1 if hard else 0
        delay = backoff_delay(state.failures, settings.feed_backoff_base, settings.feed_backoff_max, rng)
        if state.hard_failures >= settings.feed_disable_after:
            state.disabled = True
            state.disabled_reason = (f"disabled after {state.hard_failures} hard failures in a row; last: "
                                     f"{state.last_status}")
    if retry_after is not None:
        delay = max(delay, retry_after)
    state.next_poll = now + timedelta(seconds=delay)


# --- one poll -----------------------------------------------------------------------------------------

@dataclass
class FeedReport:
    """What one poll of one feed did."""

    url: str
    name: str | None
    outcome: str  # stored | not modified | unchanged | error | disabled | not due
    status: str  # readable line, as in feeds.last_status
    http: int | None = None
    entries: int = 0
    new_items: int = 0  # item rows stored (new entries and new versions)
    versions: int = 0  # of which new versions of entries stored before
    duplicates: int = 0  # of which exact duplicates of other stories' bodies
    already: int = 0  # entries stored before, unchanged
    repeated: int = 0  # entries repeated inside the document
    articles: int = 0  # article pages fetched
    nlp_errors: int = 0
    warnings: list[str] = field(default_factory=list)
    next_poll: datetime | None = None
    seconds: float = 0.0
    detail: str | None = None  # traceback of an unexpected failure (logged to the flow run, not stored)


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


@dataclass
class _RunContext:
    """Things shared by the polls of one run that are not task parameters (not serialisable)."""

    fetcher: Fetcher
    runner: NLPRunner
    lock: threading.Lock  # NLP and every warehouse session of a run: one feed at a time (threads share the file)
    rng: random.Random


_CONTEXTS: dict[str, _RunContext] = {}


def _problem(run_id: str, uri: str, kind: str, reason: str, part: int = -1) -> dict[str, Any]:
    return {"run_id": run_id, "source_uri": uri, "part": part, "kind": kind, "reason": reason, "at": utcnow()}


def _load_state(db: str, feed: FeedConfig, settings: Settings, ctx: _RunContext) -> FeedState:
    with ctx.lock, writer(db, wait=settings.lock_wait) as con:
        state = feed_states(con, [feed.feed_id]).get(feed.feed_id)
    if state is None:
        state = FeedState.new(feed.url)
    state.name, state.agency, state.interval_s, state.fetch_article = (
        feed.name or state.name, feed.agency or state.agency, feed.interval_s, feed.fetch_article)
    return state


def _save(db: str, state: FeedState, settings: Settings, batch: Batch | None = None) -> LoadResult | None:
    with writer(db, wait=settings.lock_wait) as con:
        result = load_batch(con, batch) if batch is not None else None
        save_feed_states(con, [state])
    return result


def _decode_page(res: FetchResult) -> tuple[str, str | None]:
    """The page's text and a warning when its HTTP charset lied (the bytes win: `flows.fetch.http_text`)."""
    return http_text(res.content, res.encoding, res.url)


def _known_entries(db: str, stories: Sequence[Story], settings: Settings, ctx: _RunContext) -> set[tuple[str, str]]:
    """(story_id, entry hash) of feed entries stored before (so their article is not fetched again)."""
    sids = list({story_id(s) for s in stories})
    with ctx.lock, writer(db, wait=settings.lock_wait) as con:
        rows = con.execute(
            "SELECT DISTINCT story_id, json_extract_string(meta, '$.entry_sha256') FROM items "
            "WHERE story_id IN (SELECT unnest(?))", [sids]).fetchall()
    return {(r[0], r[1]) for r in rows if r[1]}


def _fetch_articles(stories: list[Story], feed: FeedConfig, db: str, settings: Settings, ctx: _RunContext,
                    report: FeedReport) -> list[Story]:
    """Swap summaries for article text on new summary-only entries; drop entries stored before unchanged."""
    candidates = [s for s in stories if s.meta.get("summary_only") and s.url]
    for s in candidates:
        s.meta["entry_sha256"] = body_hash(s.body)
    wanted = {id(s) for s in candidates}
    known = _known_entries(db, candidates, settings, ctx) if candidates else set()
    out: list[Story] = []
    budget = settings.article_max_fetches
    for s in stories:
        if id(s) in wanted and (story_id(s), s.meta["entry_sha256"]) in known:
            report.already += 1
            continue
        out.append(s)
        if id(s) not in wanted:
            continue
        if budget <= 0:
            s.warnings.append(f"{feed.url}: article page of entry {s.part} not fetched (limit "
                              f"{settings.article_max_fetches} per poll); the summary is the body")
            continue
        budget -= 1
        assert s.url is not None
        res = ctx.fetcher.fetch(s.url, accept=HTML_ACCEPT)
        report.articles += 1
        if res.outcome != "ok":
            s.warnings.append(f"{s.url}: article page not fetched ({res.status}); the summary is the body")
            continue
        text, charset_warning = _decode_page(res)
        if charset_warning:
            s.warnings.append(charset_warning)
        try:
            page = read_html(text, s.url, url=s.url)
        except (BadInput, RecursionError) as exc:
            s.warnings.append(f"{s.url}: no article text in the page ({exc}); the summary is the body")
            continue
        if len(page.body) < len(s.body):
            s.warnings.append(f"{s.url}: article page text is shorter than the summary; the summary is kept")
            continue
        s.body = page.body
        s.meta["body_from"] = "article"
        s.byline = s.byline or page.byline
        s.language = s.language or page.language
    return out


def poll_feed(feed: FeedConfig, db: str, run_id: str, settings: Settings, *, force: bool = False,
              skip: Skip = "none") -> FeedReport:
    """Poll one feed once and record its state (see the module doc). Never raises: feed trouble ends in
    the report and the feed's state row; a warehouse that stays busy ends in the report only."""
    try:
        return _poll_feed(feed, db, run_id, settings, force=force, skip=skip)
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return FeedReport(url=feed.url, name=feed.name, outcome="error",
                          status=f"poll failed: {type(exc).__name__}: {exc} "
                          f"({Path(where.filename).name}:{where.lineno})", detail=traceback.format_exc())


def _poll_feed(feed: FeedConfig, db: str, run_id: str, settings: Settings, *, force: bool,
               skip: Skip) -> FeedReport:
    ctx = _CONTEXTS[run_id]
    t0 = time.perf_counter()
    state = _load_state(db, feed, settings, ctx)
    now = utcnow()
    report = FeedReport(url=feed.url, name=feed.name, outcome="", status="")
    if not force and not is_due(state, now, skip=skip):
        report.outcome = "disabled" if state.disabled else "not due"
        report.status = state.disabled_reason if state.disabled and state.disabled_reason else (
            f"next poll {state.next_poll:%Y-%m-%d %H:%M:%S} UTC" if state.next_poll else "not due")
        report.next_poll = state.next_poll
        return report
    url = state.permanent_url or feed.url
    res = ctx.fetcher.fetch(url, etag=state.etag, last_modified=state.last_modified,
                            previous_sha256=state.body_sha256)
    state.last_poll, state.last_http, state.new_items = now, res.http, 0
    report.http = res.http
    if res.permanent_url and res.permanent_url != url:
        state.permanent_url = res.permanent_url
        report.warnings.append(f"{url}: moved permanently to {res.permanent_url} (polled there from now on)")
    batch: Batch | None = None
    parsed: ParsedFeed | None = None
    if res.outcome in ("not_modified", "unchanged"):
        report.outcome = "not modified" if res.outcome == "not_modified" else "unchanged"
        state.last_status = report.status = res.status
        state.last_error = None
        state.etag = res.etag or state.etag
        state.last_modified = res.last_modified or state.last_modified
        plan_next(state, now=now, interval_s=feed.interval_s, ok=True, settings=settings, rng=ctx.rng)
    elif res.outcome == "error":
        _fail(state, report, res.status, now=now, feed=feed, settings=settings, ctx=ctx,
              hard=not res.transient, retry_after=res.retry_after)
        batch = Batch(problems=[_problem(run_id, feed.url, "error", f"{feed.url}: {res.status}")])
    else:
        try:
            content, charset_warning = http_feed_bytes(res.content, res.encoding, feed.url)
            parsed = parse_feed(content, feed.url, agency=feed.agency)
            if charset_warning:
                report.warnings.append(charset_warning)
                for story in parsed.stories:
                    story.warnings.append(charset_warning)
        except BadInput as exc:
            kind = (res.content_type or "unknown type").split(";")[0]
            reason = f"not a feed ({kind}): {str(exc).removeprefix(feed.url + ': ')}"
            _fail(state, report, reason, now=now, feed=feed, settings=settings, ctx=ctx, hard=True)
            batch = Batch(problems=[_problem(run_id, feed.url, "skipped", f"{feed.url}: {reason}")])
        except Exception as exc:  # a reader bug: record it with its place, keep the run going
            where = traceback.extract_tb(exc.__traceback__)[-1]
            reason = f"feed reader failed: {type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
            _fail(state, report, reason, now=now, feed=feed, settings=settings, ctx=ctx, hard=False)
            batch = Batch(problems=[_problem(run_id, feed.url, "error", f"{feed.url}: {reason}")])
    if parsed is not None:
        kept = (state.etag, state.last_modified, state.body_sha256, state.total_items, state.entries)
        try:
            _store_entries(parsed, res, feed, state, report, db=db, run_id=run_id, settings=settings, ctx=ctx,
                           now=now)
            return _finish(report, state, t0)
        except Exception as exc:  # warehouse busy, NLP crash: nothing stored, old validators kept for a retry
            state.etag, state.last_modified, state.body_sha256, state.total_items, state.entries = kept
            state.new_items = report.new_items = report.versions = report.duplicates = 0
            report.detail = traceback.format_exc()
            reason = f"store failed: {type(exc).__name__}: {exc}"
            _fail(state, report, reason, now=now, feed=feed, settings=settings, ctx=ctx, hard=False)
            batch = Batch(problems=[_problem(run_id, feed.url, "error", f"{feed.url}: {reason}")])
    with ctx.lock:
        _save(db, state, settings, batch)
    return _finish(report, state, t0)


def _finish(report: FeedReport, state: FeedState, t0: float) -> FeedReport:
    report.next_poll = state.next_poll
    report.seconds = time.perf_counter() - t0
    return report


def _fail(state: FeedState, report: FeedReport, status: str, *, now: datetime, feed: FeedConfig,
          settings: Settings, ctx: _RunContext, hard: bool, retry_after: float | None = None) -> None:
    state.last_status = status
    state.last_error = status
    report.outcome, report.status = "error", status
    plan_next(state, now=now, interval_s=feed.interval_s, ok=False, hard=hard, retry_after=retry_after,
              settings=settings, rng=ctx.rng)
    if state.disabled:
        report.warnings.append(f"{feed.url}: {state.disabled_reason}")


def _store_entries(parsed: ParsedFeed, res: FetchResult, feed: FeedConfig, state: FeedState, report: FeedReport,
                   *, db: str, run_id: str, settings: Settings, ctx: _RunContext, now: datetime) -> None:
    """Prepare, extract and load the entries of a fetched document, then save the feed state (one session)."""
    stories = parsed.stories
    for s in stories:
        s.source_key = feed.url
    report.entries = len(stories) + parsed.repeated + len(parsed.problems)
    report.repeated = parsed.repeated
    if feed.fetch_article:
        stories = _fetch_articles(stories, feed, db, settings, ctx, report)
    problems = [_problem(run_id, feed.url, "skipped", reason, part) for part, reason in parsed.problems]
    with ctx.lock:
        prepared = prepare(stories, db=db, run_id=run_id, lock_wait=settings.lock_wait,
                           near_dup=settings.near_dup(), models=settings.language_models())
        batch, failed = run_nlp(prepared, ctx.runner, run_id=run_id)
        batch.problems = problems + batch.problems
        batch.sources = [{"source_key": feed.url, "source_uri": feed.url, "size": len(res.content), "mtime_ns": None,
                          "content_sha256": res.sha256, "status": "stored", "reason": None,
                          "items": len(stories), "run_id": run_id, "seen_at": now}]
        report.nlp_errors = failed
        state.etag, state.last_modified, state.body_sha256 = res.etag, res.last_modified, res.sha256
        state.entries = report.entries
        status = res.status
        if parsed.bozo:
            status += f"; ill-formed feed read as far as possible ({parsed.bozo})"
            report.warnings.append(f"{feed.url}: ill-formed feed: {parsed.bozo}")
        state.last_error = f"ill-formed feed: {parsed.bozo}" if parsed.bozo else None
        plan_next(state, now=now, interval_s=feed.interval_s, ok=True, settings=settings, rng=ctx.rng)
        # the counts are known only after the load; save them in the same writer session
        with writer(db, wait=settings.lock_wait) as con:
            result = load_batch(con, batch)
            stored = set(result.stored_ids)
            report.new_items = result.stored
            report.duplicates = result.duplicates
            report.already += result.already
            report.versions = sum(1 for r in batch.items if r["item_id"] in stored and (r.get("version") or 1) > 1)
            state.new_items = result.stored
            state.total_items = (state.total_items or 0) + result.stored
            state.last_status = f"{status}: {result.stored} new" + (
                f" ({report.versions} new versions)" if report.versions else "") + f" of {report.entries} entries"
            save_feed_states(con, [state])
    report.outcome, report.status = "stored", state.last_status


# --- a run over many feeds ----------------------------------------------------------------------------

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
    _CONTEXTS[run_id] = _RunContext(fetcher=fetcher, runner=nlp, lock=threading.Lock(), rng=random.Random())
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
        _CONTEXTS.pop(run_id, None)
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
    from prefect.runtime import flow_run

    params = flow_run.parameters or {}
    return f"{feeds_label(params.get('urls'), str(params.get('skip') or 'none'))} {utcnow():%Y-%m-%dT%H:%M}"


def final_state(summary: IngestSummary, result: dict[str, Any]) -> Any:
    """The flow run's end state, telling the truth: Failed when every polled feed failed (fetch, parse or
    store), `Completed(name="Partial")` when some did, else plain Completed. Each carries the summary (the
    Failed one inside a `FeedsFailed` error, as Prefect wants an exception there)."""
    from prefect.states import Completed, Failed

    polled = [r for r in summary.feeds if r.outcome not in ("not due", "disabled")]
    failed = [r for r in polled if r.outcome == "error"]
    if not failed:
        return Completed(data=result, message=f"{summary.total('new_items')} new items from {len(polled)} feeds")
    words = "; ".join(f"{r.name or r.url}: {r.status}" for r in failed[:5])
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


# --- wire serve -----------------------------------------------------------------------------------------

ServeHook = Callable[[Settings, str], list[Any]]
_SERVE_HOOKS: list[ServeHook] = []
LocalHook = Callable[[Settings, str], None]
_LOCAL_HOOKS: list[LocalHook] = []
# Modules imported by `wire serve` before it builds its deployments; each calls `register_serve_hook` at
# import. The drop-folder watcher plugs in by adding its module here (a one-line edit), e.g. "flows.watch".
SERVE_HOOK_MODULES: tuple[str, ...] = ("flows.watch",)


def _load_serve_hooks() -> None:
    for module in SERVE_HOOK_MODULES:
        importlib.import_module(module)


def register_serve_hook(deployments: ServeHook | None = None, local_tick: LocalHook | None = None) -> None:
    """Let another job be served by `wire serve` (the drop-folder watcher): `deployments(settings, db)`
    returns its Prefect RunnerDeployments; `local_tick(settings, db)` runs once per loop of `--local`."""
    if deployments is not None:
        _SERVE_HOOKS.append(deployments)
    if local_tick is not None:
        _LOCAL_HOOKS.append(local_tick)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "feed"


def stagger(feeds: Sequence[FeedConfig], anchor: datetime) -> dict[str, datetime]:
    """An anchor time per feed so that feeds with the same interval are spread over it instead of all
    polling (and parsing) at the same second: the k-th of n feeds sharing an interval starts k/n of it later."""
    by_interval: dict[int, list[FeedConfig]] = {}
    for f in feeds:
        by_interval.setdefault(f.interval_s, []).append(f)
    out: dict[str, datetime] = {}
    for interval, group in by_interval.items():
        for k, f in enumerate(group):
            out[f.feed_id] = anchor + timedelta(seconds=interval * k / len(group))
    return out


def build_deployments(settings: Settings, db: str) -> list[Any]:
    """One deployment per configured feed, on the feed's interval (staggered); scheduled runs skip feeds
    backing off. Each names its flow by module path (`flows.ingest:ingest_flow`), so the run imports the
    installed package rather than executing this file as a script outside it."""
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Interval

    db = str(Path(db).resolve())  # flow runs may start in another working directory
    _load_serve_hooks()
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
    for hook in _SERVE_HOOKS:
        deployments.extend(hook(settings, db))
    return deployments


def serve(settings: Settings, db: str) -> None:
    """Serve the feed deployments from this process (blocks). Needs a Prefect server for schedules.

    Prefect runs each flow run in a subprocess; the NLP workers (and the model) live here, in one
    `NLPService` that every run's subprocess sends its stories to, so the model is loaded once per serve
    process, not once per poll. SIGTERM or Ctrl-C stops serving and ends the workers."""
    from prefect.settings import get_current_settings

    if not (os.environ.get("PREFECT_API_URL") or get_current_settings().api.url):
        raise ConfigError(
            "`wire serve` schedules runs through a Prefect server, and PREFECT_API_URL is not set. Start one "
            "with `prefect server start` and `export PREFECT_API_URL=http://127.0.0.1:4200/api`, or run "
            "`wire serve --local` to poll on the same schedule from a plain loop without Prefect")
    deployments = build_deployments(settings, db)
    if not deployments:
        raise ConfigError("no feeds configured: add [[feeds]] tables (url, name, interval, agency, fetch_article) "
                          "to wire.toml")
    from prefect import serve as prefect_serve

    from .nlp_service import NLPService

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
    _load_serve_hooks()
    if not feeds and not _LOCAL_HOOKS:
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
            for hook in _LOCAL_HOOKS:
                hook(settings, db)
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
