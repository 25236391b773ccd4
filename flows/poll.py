"""One poll of one feed: fetch (conditionally), parse, store only new or changed entries, keep the feed's state.

`poll_feed` (one Prefect task per feed in `flows.ingest`, never per entry):

1. conditional GET with the stored ETag / Last-Modified (and the previous body hash as a fallback for
   servers that ignore them): 304 or the same bytes -> nothing parsed, nothing stored;
2. parse the document (`extractors.feeds.parse_feed`); for feeds with `fetch_article = true`, entries
   that carry only a summary and are not stored yet get their article page fetched and its main text
   becomes the body;
3. `flows.pipeline.prepare` / `run_nlp`, then ONE writer session: `load_batch` (one transaction) and the
   feed's state row. Same guid + same body is the same item (no new row); same guid + changed body is a
   new item of the same story (version + 1, assigned by the loader);
4. the state row records the outcome in words (`last_status`), the validators, the counts, consecutive
   failures and the next poll (`flows.schedule.plan_next`); a feed with `feed_disable_after` hard
   failures in a row (4xx, not a feed, too large) is disabled with the reason.

The warehouse file is opened only for the short look-ups and the final load, never across the network
wait, so `wire sql` and other readers get in between polls. What the polls of one run share and cannot
pass as task parameters (fetcher, NLP runner, lock) is a `RunContext`, bound to the run id by the run
(`bind_run` / `release_run`). `FeedReport` is what one poll did.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from extractors.errors import BadInput
from extractors.feeds import ParsedFeed, parse_feed
from extractors.html import read_html
from extractors.identity import story_id
from extractors.ids import body_hash
from extractors.records import Story
from warehouse import Batch, LoadResult, load_batch, writer
from warehouse.feeds import FeedState, feed_states, save_feed_states
from warehouse.rows import utcnow

from .feeds_config import FeedConfig
from .fetch import HTML_ACCEPT, Fetcher, FetchResult, http_feed_bytes, http_text
from .pipeline import NLPRunner, prepare, run_nlp
from .schedule import Skip, is_due, plan_next
from .settings import Settings

__all__ = ["FeedReport", "RunContext", "bind_run", "poll_feed", "release_run"]


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
    failures: int = 0  # consecutive failed polls of the feed (a "not due" feed with failures is backing off)
    seconds: float = 0.0
    detail: str | None = None  # traceback of an unexpected failure (logged to the flow run, not stored)


@dataclass
class RunContext:
    """Things shared by the polls of one run that are not task parameters (not serialisable)."""

    fetcher: Fetcher
    runner: NLPRunner
    lock: threading.Lock  # NLP and every warehouse session of a run: one feed at a time (threads share the file)
    rng: random.Random


_CONTEXTS: dict[str, RunContext] = {}


def bind_run(run_id: str, ctx: RunContext) -> None:
    """Make `ctx` what the polls of run `run_id` use (before the first `poll_feed` of the run)."""
    _CONTEXTS[run_id] = ctx


def release_run(run_id: str) -> RunContext | None:
    """Forget the context of run `run_id` (after its last poll); returns it, or None if none was bound."""
    return _CONTEXTS.pop(run_id, None)


def _problem(run_id: str, uri: str, kind: str, reason: str, part: int = -1) -> dict[str, Any]:
    return {"run_id": run_id, "source_uri": uri, "part": part, "kind": kind, "reason": reason, "at": utcnow()}


def _load_state(db: str, feed: FeedConfig, settings: Settings, ctx: RunContext) -> FeedState:
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


def _known_entries(db: str, stories: Sequence[Story], settings: Settings, ctx: RunContext) -> set[tuple[str, str]]:
    """(story_id, entry hash) of feed entries stored before (so their article is not fetched again)."""
    sids = list({story_id(s) for s in stories})
    with ctx.lock, writer(db, wait=settings.lock_wait) as con:
        rows = con.execute(
            "SELECT DISTINCT story_id, json_extract_string(meta, '$.entry_sha256') FROM items "
            "WHERE story_id IN (SELECT unnest(?))", [sids]).fetchall()
    return {(r[0], r[1]) for r in rows if r[1]}


def _fetch_articles(stories: list[Story], feed: FeedConfig, db: str, settings: Settings, ctx: RunContext,
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
        report.failures = state.failures
        if state.failures and not state.disabled:
            report.status = (f"backing off after {state.failures} failed poll(s) ({state.last_status}); "
                             + report.status)
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
          settings: Settings, ctx: RunContext, hard: bool, retry_after: float | None = None) -> None:
    state.last_status = status
    state.last_error = status
    report.outcome, report.status = "error", status
    plan_next(state, now=now, interval_s=feed.interval_s, ok=False, hard=hard, retry_after=retry_after,
              settings=settings, rng=ctx.rng)
    if state.disabled:
        report.warnings.append(f"{feed.url}: {state.disabled_reason}")


def _store_entries(parsed: ParsedFeed, res: FetchResult, feed: FeedConfig, state: FeedState, report: FeedReport,
                   *, db: str, run_id: str, settings: Settings, ctx: RunContext, now: datetime) -> None:
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
