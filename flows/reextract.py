"""The `reextract` Prefect flow: run the current extractors again over stored items, in batches.

`wire reextract` chooses the extractable items whose `extractor_version` is not the current one (or
`--all`, `--since DATE`, `--where SQL`), reads their body, caption and byline from the warehouse (never the
sources), parses them in the NLP worker processes and replaces their facts one batch per transaction
(`warehouse.reextract`). Two task runs per batch (extract, load) and at most ~90 batches, so a run costs
at most ~180 task runs whatever the size of the warehouse; while the workers parse one batch, the previous
one is loaded. Killed at any point, the warehouse holds whole batches only; the next run redoes the rest.
"""

from __future__ import annotations

import functools
import math
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from extractors.records import Extraction
from extractors.version import extractor_version
from warehouse import reader, writer
from warehouse.load import finish_run, start_run
from warehouse.reextract import (
    ItemText,
    ReplaceResult,
    Selection,
    item_texts,
    mark_pending,
    replace_facts,
    select_items,
)
from warehouse.rows import extraction_rows, utcnow

from .errors import retry_transient
from .pipeline import NLPJob, NLPRunner, chunks
from .settings import Settings, load_settings
from .signals import exit_if_terminated, sigterm_as_exit

__all__ = ["MAX_BATCHES", "ReextractSummary", "reextract", "reextract_flow", "set_progress"]

reextract_flow: Any  # the Prefect flow, built on first access (module __getattr__ below)

MAX_BATCHES = 90  # batches per run at most: two task runs each keeps a run under ~200 task runs

ProgressFn = Callable[[int, int], None]
_progress: ProgressFn | None = None


def set_progress(fn: ProgressFn | None) -> None:
    """Install a callback (items done, items chosen) the CLI uses for its progress bar."""
    global _progress
    _progress = fn


@dataclass
class ReextractSummary:
    run_id: str
    db: str
    selection: str
    version: str
    chosen: int = 0  # items chosen
    reextracted: int = 0  # items whose facts were replaced
    changed: int = 0  # of which facts differ from the stored ones
    failed: int = 0  # extraction failed: facts and version left as they were
    batches: int = 0
    resumed: bool = False  # continued an unfinished run of the same selection
    added: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    error_reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def add(self, r: ReplaceResult) -> None:
        self.reextracted += r.items
        self.changed += r.changed_items
        self.failed += r.failed
        self.error_reasons.extend(r.reasons)
        for mine, theirs in ((self.added, r.added), (self.removed, r.removed), (self.updated, r.updated)):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v


def _run_row(s: ReextractSummary, started: Any, status: str) -> dict[str, Any]:
    return {"run_id": s.run_id, "flow": "reextract", "started_at": started,
            "finished_at": None if status == "running" else utcnow(), "args": s.selection,
            "seen": s.chosen, "unchanged": s.reextracted - s.changed, "stored": s.reextracted, "duplicates": 0,
            "skipped": 0, "errors": s.failed, "status": status}


def batch_size(chosen: int, settings: Settings) -> int:
    """Items per batch: the backfill's batch size, larger when that would make more than MAX_BATCHES."""
    return max(1, settings.batch_files, math.ceil(chosen / MAX_BATCHES))


def _unfinished_same(db: str, selection: str, settings: Settings) -> bool:
    """Whether the last reextract run of this selection did not complete (killed or failed)."""
    with reader(db, wait=settings.read_wait) as con:
        row = con.execute("SELECT status FROM runs WHERE flow = 'reextract' AND args = ? "
                          "ORDER BY started_at DESC LIMIT 1", [selection]).fetchone()
    return row is not None and row[0] != "completed"


def choose(
    db: str, selection: Selection, version: str, settings: Settings, *, resumed: bool = False
) -> tuple[list[str], bool]:
    """The items to re-extract, in ingestion order, and whether an unfinished run is being continued.

    An explicit selection marks its items pending first (resumability); when the last run of the same
    selection did not complete (`resumed`), the selected items it left pending are continued instead of
    starting over."""
    with reader(db, wait=settings.read_wait) as con:  # read-only: a --where condition cannot write
        ids = select_items(con, selection, version, pending_only=True) if resumed else []
        resumed = bool(ids)
        if not resumed:
            ids = select_items(con, selection, version)
    if selection.explicit and not resumed:
        with writer(db, wait=settings.lock_wait) as con:
            mark_pending(con, ids, version)
    return ids, resumed


def extract_batch(ids: Sequence[str], db: str, runner: NLPRunner, settings: Settings) -> tuple[list[ItemText], NLPJob]:
    """Read the batch's stored texts and hand them to the NLP workers; returns without waiting."""
    with reader(db, wait=settings.read_wait) as con:
        texts = item_texts(con, ids)
    return texts, runner.submit([(t.body, t.caption, t.byline) for t in texts])


def load_batch_step(
    texts: Sequence[ItemText], job: NLPJob, db: str, version: str, run: dict[str, Any], settings: Settings
) -> ReplaceResult:
    """Wait for the batch's extractions and replace its facts (one transaction, the run's counts with it)."""
    facts: dict[str, dict[str, list[dict[str, Any]]]] = {}
    failed: list[str] = []
    problems: list[dict[str, Any]] = []
    for t, result in zip(texts, job.result(), strict=True):
        if isinstance(result, Extraction) and (result.extractor_version or version) == version:
            facts[t.item_id] = extraction_rows(t.item_id, result)
            continue
        failed.append(t.item_id)
        reason = result if isinstance(result, str) else f"extracted with {result.extractor_version}, not {version}"
        problems.append({"run_id": run["run_id"], "source_uri": f"item:{t.item_id}", "part": -1, "kind": "error",
                         "reason": f"item {t.item_id}: {reason}", "at": utcnow()})
    with writer(db, wait=settings.lock_wait) as con:
        return replace_facts(con, texts, facts, version, failed=failed, run=run, problems=problems)


def _same(value: Any) -> Any:
    return value


def reextract(
    db: str,
    selection: Selection | None = None,
    settings: Settings | None = None,
    run_id: str | None = None,
    *,
    use_tasks: bool = False,
    log: Callable[[str], None] | None = None,
) -> ReextractSummary:
    """The flow body. With `use_tasks` each batch step is a Prefect task run (inside `reextract_flow`);
    without, the same steps run as plain functions."""
    extract_step: Callable[..., Any] = extract_batch
    load_step: Callable[..., Any] = load_batch_step
    q: Callable[[Any], Any] = _same
    if use_tasks:
        from .prefect_api import quote

        extract_step, load_step = _tasks()
        q = quote
    selection = selection or Selection()
    settings = settings or load_settings()
    version = extractor_version(settings.model)
    summary = ReextractSummary(run_id=run_id or uuid.uuid4().hex[:12], db=db, selection=selection.describe(),
                               version=version)
    t0 = time.perf_counter()
    started = utcnow()
    resumed = selection.explicit and _unfinished_same(db, summary.selection, settings)
    with writer(db, wait=settings.lock_wait) as con:  # recorded before any item is marked pending
        start_run(con, _run_row(summary, started, "running"))
    ids, summary.resumed = choose(db, selection, version, settings, resumed=resumed)
    summary.chosen = len(ids)
    size = batch_size(len(ids), settings)
    done = 0
    if _progress:
        _progress(0, len(ids))
    status = "failed"
    try:
        with sigterm_as_exit(), NLPRunner(settings.model, settings.workers, nlp_batch=settings.nlp_batch,
                                          min_parallel=settings.min_parallel) as runner:
            pending: deque[tuple[list[ItemText], NLPJob]] = deque()

            def finish_oldest() -> None:
                nonlocal done
                texts, job = pending.popleft()
                summary.batches += 1
                result = load_step(q(texts), q(job), db, version, _counted(summary, started, len(texts)), settings)
                summary.add(result)
                done += len(texts)
                if log:
                    log(f"batch {summary.batches}: {done}/{len(ids)} items, {result.items} re-extracted, "
                        f"{result.changed_items} changed, {result.failed} failed")
                if _progress:
                    _progress(done, len(ids))

            for part in chunks(ids, size):
                exit_if_terminated()  # a SIGTERM DuckDB reported as a query error (see flows.signals)
                if len(ids) >= settings.min_parallel:
                    runner.warm()
                texts, job = extract_step(q(list(part)), db, q(runner), settings)
                pending.append((texts, job))
                while len(pending) > 1:
                    finish_oldest()
            while pending:
                finish_oldest()
        status = "completed"
    finally:
        summary.seconds = time.perf_counter() - t0
        with writer(db, wait=settings.lock_wait) as con:
            finish_run(con, _run_row(summary, started, status))
    return summary


def _counted(summary: ReextractSummary, started: Any, batch_items: int) -> dict[str, Any]:
    """The runs row as it will be once this batch is committed (stored with the batch's facts). Counts
    changed/failed are not known before the batch: the row is rewritten with them at the end."""
    row = _run_row(summary, started, "running")
    row["stored"] = summary.reextracted + batch_items
    return row


def _flow_body(db: str, all_: bool = False, since: str | None = None, where: str | None = None) -> dict[str, Any]:
    """Re-extract stored items (stale ones by default) with the current extractors."""
    from datetime import date

    from .prefect_api import (
        create_progress_artifact,
        create_table_artifact,
        get_run_logger,
        update_progress_artifact,
    )

    logger = get_run_logger()
    artifact = create_progress_artifact(progress=0.0, key="reextract-progress",
                                        description=f"wire reextract of {db}")
    assert isinstance(artifact, uuid.UUID)  # the sync call inside a sync flow
    selection = Selection(all=all_, since=date.fromisoformat(since) if since else None, where=where)

    def log(line: str) -> None:
        logger.info("reextract: %s", line)

    previous = _progress

    def progress(done: int, total: int) -> None:
        update_progress_artifact(artifact_id=artifact, progress=100.0 * done / total if total else 100.0)
        if previous:
            previous(done, total)

    set_progress(progress)
    try:
        summary = reextract(db, selection, use_tasks=True, log=log)
    finally:
        set_progress(previous)
    logger.info("reextract %s: %s chosen, %s re-extracted, %s changed, %s failed", summary.run_id,
                summary.chosen, summary.reextracted, summary.changed, summary.failed)
    create_table_artifact(
        key="reextract-summary",
        table=[{"measure": k, "value": str(v)} for k, v in summary.as_dict().items() if not isinstance(v, list)],
        description=f"wire reextract ({summary.selection}) of {db}",
    )
    return summary.as_dict()


@functools.cache
def _tasks() -> tuple[Any, Any]:
    from .prefect_api import NONE, task

    return (
        task(name="reextract-extract-batch", cache_policy=NONE)(extract_batch),
        task(name="reextract-load-batch", cache_policy=NONE, retries=3, retry_delay_seconds=[1, 5, 15],
             retry_condition_fn=retry_transient)(load_batch_step),
    )


@functools.cache
def _reextract_flow() -> Any:
    from .prefect_api import flow

    return flow(name="reextract", log_prints=False)(_flow_body)


def __getattr__(name: str) -> Any:
    if name == "reextract_flow":
        return _reextract_flow()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
