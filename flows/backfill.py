"""The `backfill` Prefect flow: archives of files -> warehouse, in batches.

One flow run per `wire backfill`; per batch of files three task runs (read, extract, load), so a
20,000-file archive costs about 240 task runs and no per-item Prefect overhead. The extract task hands a
batch to the NLP worker processes and returns; while they parse it, the flow reads and prepares the next
batch and the load task of the previous one waits for its extractions and loads them. Only transient errors
(warehouse busy) are retried; bad files are recorded as problems and the run goes on.
"""

from __future__ import annotations

import functools
import itertools
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from warehouse import Batch, LoadResult, writer
from warehouse.load import finish_run, start_run
from warehouse.rows import utcnow

from .errors import retry_transient
from .pipeline import (
    NLPJob,
    NLPRunner,
    Prepared,
    ReadResult,
    SourceFile,
    chunks,
    discover,
    finish_nlp,
    prepare,
    read_sources,
    start_nlp,
    store,
)
from .settings import Settings, load_settings
from .signals import exit_if_terminated, sigterm_as_exit

__all__ = ["HeadStart", "Summary", "backfill", "backfill_flow", "head_start", "record_unchanged", "release_head_starts",
           "set_progress"]

backfill_flow: Any  # the Prefect flow, built on first access (module __getattr__ below)

ProgressFn = Callable[[int, int], None]
_progress: ProgressFn | None = None


def set_progress(fn: ProgressFn | None) -> None:
    """Install a callback (done, total) the CLI uses for its progress bar."""
    global _progress
    _progress = fn


@dataclass
class Summary:
    run_id: str
    db: str
    seen: int = 0
    unchanged: int = 0
    stored: int = 0
    duplicates: int = 0
    already: int = 0
    skipped: int = 0
    errors: int = 0
    actors: int = 0
    quotes: int = 0
    numbers: int = 0
    mentions: int = 0
    seconds: float = 0.0
    skip_reasons: list[str] = field(default_factory=list)
    error_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # non-fatal problems of stored items (cp1252 ...)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_batch(files: Sequence[SourceFile], db: str, run_id: str, settings: Settings) -> ReadResult:
    return read_sources(files, db=db, run_id=run_id, max_bytes=settings.max_source_bytes,
                        lock_wait=settings.lock_wait)


def extract_batch(
    read: ReadResult, db: str, run_id: str, runner: NLPRunner, settings: Settings,
    in_flight: Sequence[dict[str, Any]] = (),
) -> tuple[Prepared, NLPJob]:
    """Decide what needs NLP and hand it to the workers; returns without waiting for them."""
    prepared: Prepared = prepare(read.stories, db=db, run_id=run_id, lock_wait=settings.lock_wait,
                                 near_dup=settings.near_dup(), in_flight=in_flight,
                                 models=settings.language_models())
    return prepared, start_nlp(prepared, runner)


def load_batch_step(
    read: ReadResult, prepared: Prepared, job: NLPJob, db: str, run_id: str, settings: Settings
) -> tuple[Batch, LoadResult]:
    """Wait for the batch's extractions and load the batch (one transaction)."""
    batch, _failed = finish_nlp(prepared, job, run_id=run_id)
    batch.sources = read.sources
    batch.problems = read.problems + batch.problems
    return batch, store(batch, db=db, lock_wait=settings.lock_wait)


# The first batch is smaller: the workers wait for it to be read and prepared (1.2 s for 256 short stories),
# then parse it while the next, full-size batch is read. FIRST_BATCH_BYTES of files (~3 s of parsing for
# both workers), and never fewer files than twice `min_parallel` (fewer stories are parsed in-process).
FIRST_BATCH_BYTES = 64 * 1024


def _batches(files: Sequence[SourceFile], size: int, min_files: int) -> Iterator[Sequence[SourceFile]]:
    """The files in batches of `size`, the first one smaller (see FIRST_BATCH_BYTES)."""
    first = total = 0
    while first < min(size, len(files)) and (first < min_files or total + files[first].size <= FIRST_BATCH_BYTES):
        total += files[first].size
        first += 1
    yield from chunks(files[:first], size)
    yield from chunks(files[first:], size)


@dataclass
class HeadStart:
    """A `wire backfill` begun before its Prefect flow run exists: the files found, the run id, the NLP
    runner (its workers loading the model) and the first batches read, prepared and sent to the workers.

    Prefect's temporary API server takes seconds of one core to start, and the flow run can only be created
    once it answers; meanwhile the workers, their model loaded, used to wait with the other core idle (about
    4 of a short-story backfill's 35 s). `head_start` does the first batches' read and extract steps then, as
    plain functions (nothing is stored before the flow run: the load tasks of those batches store them), and
    `backfill` of the same paths and warehouse carries on from here. Timing and the run's start time count
    from the head start."""

    paths: tuple[str, ...]
    db: str
    settings: Settings
    run_id: str
    files: list[SourceFile]
    missing: list[str]
    runner: NLPRunner
    parts: Iterator[Sequence[SourceFile]]
    begun: list[tuple[ReadResult, Prepared, NLPJob]]
    started: Any
    t0: float


# Batches begun before the flow run: the small first one (the workers start on it as soon as their model is
# loaded) and a full one, about as much parsing as the wait for Prefect's server leaves a core idle for.
HEAD_START_BATCHES = 2

_HEAD_STARTS: dict[tuple[tuple[str, ...], str], HeadStart] = {}


def head_start(paths: Sequence[str], db: str, settings: Settings, *,
               found: tuple[list[SourceFile], list[str]] | None = None) -> HeadStart:
    """Begin the backfill of `paths` into `db` (see HeadStart); the next `backfill(paths, db)` in this process
    takes it over. A batch that cannot be read now (the warehouse busy, say) and those after it are left to the
    run itself, which meets and reports the same problem in its own task."""
    t0 = time.perf_counter()
    started = utcnow()
    files, missing = found or discover(paths)
    run_id = uuid.uuid4().hex[:12]
    runner = NLPRunner(settings.model, settings.workers, nlp_batch=settings.nlp_batch,
                       min_parallel=settings.min_parallel)
    parts = _batches(files, settings.batch_files, 2 * settings.min_parallel)
    begun: list[tuple[ReadResult, Prepared, NLPJob]] = []
    now = replace(settings, lock_wait=0.0)  # a busy warehouse: the run's tasks wait for it (and retry), not this
    for part in itertools.islice(parts, HEAD_START_BATCHES):
        exit_if_terminated()
        try:
            read = read_batch(part, db, run_id, now)
            if read.stories and len(files) >= settings.min_parallel:
                runner.warm()
            in_flight = [row for _r, p, _j in begun for row in p.items]
            prepared, job = extract_batch(read, db, run_id, runner, now, in_flight)
        except Exception:  # the run's own tasks redo this batch, and report what went wrong
            exit_if_terminated()  # DuckDB turns the SIGTERM's SystemExit raised inside a query into an error
            parts = itertools.chain([part], parts)
            break
        begun.append((read, prepared, job))
    head = HeadStart(paths=tuple(paths), db=db, settings=settings, run_id=run_id, files=files, missing=missing,
                     runner=runner, parts=parts, begun=begun, started=started, t0=t0)
    _HEAD_STARTS[(head.paths, db)] = head
    return head


def release_head_starts() -> None:
    """End the workers of head starts no run took over (the flow run failed or was stopped before it began)."""
    while _HEAD_STARTS:
        _HEAD_STARTS.popitem()[1].runner.close(abort=True)


def record_unchanged(paths: Sequence[str], db: str, files: Sequence[SourceFile],
                     settings: Settings | None = None) -> Summary:
    """The run of a `wire backfill` whose every file is stored and unchanged by size and mtime
    (`flows.plan.nothing_new` has just said so): recorded in `runs` with one write, without reading the
    sources' states again batch by batch (a re-run of 941 files took 0.6 s of its 1.6 s doing that)."""
    settings = settings or load_settings()
    t0 = time.perf_counter()
    summary = Summary(run_id=uuid.uuid4().hex[:12], db=db, seen=len(files), unchanged=len(files))
    started = utcnow()
    if _progress:
        _progress(len(files), len(files))
    summary.seconds = time.perf_counter() - t0
    with writer(db, wait=settings.lock_wait) as con:
        finish_run(con, _run_row(summary, paths, started, "completed"))
    return summary


def _same(value: Any) -> Any:
    return value


def _add(summary: Summary, read: ReadResult, batch: Batch, result: LoadResult) -> None:
    summary.unchanged += read.unchanged
    summary.stored += result.stored - result.duplicates
    summary.duplicates += result.duplicates
    summary.already += result.already
    summary.actors += result.counts.get("actors", 0)
    summary.quotes += result.counts.get("quotes", 0)
    summary.numbers += result.counts.get("numbers", 0)
    summary.mentions += result.counts.get("mentions", 0)
    stored = set(result.stored_ids)
    summary.warnings.extend(w if row["source_uri"] in w else f"{row['source_uri']}: {w}"
                            for row in batch.items if row["item_id"] in stored for w in row.get("warnings") or [])
    for p in batch.problems:
        if p["kind"] == "skipped":
            summary.skipped += 1
            summary.skip_reasons.append(p["reason"])
        else:
            summary.errors += 1
            summary.error_reasons.append(p["reason"])


def _run_row(summary: Summary, paths: Sequence[str], started: Any, status: str) -> dict[str, Any]:
    return {"run_id": summary.run_id, "flow": "backfill", "started_at": started,
            "finished_at": None if status == "running" else utcnow(), "args": " ".join(paths),
            "seen": summary.seen, "unchanged": summary.unchanged, "stored": summary.stored + summary.duplicates,
            "duplicates": summary.duplicates, "skipped": summary.skipped, "errors": summary.errors,
            "status": status}


def backfill(
    paths: Sequence[str],
    db: str,
    settings: Settings | None = None,
    run_id: str | None = None,
    *,
    use_tasks: bool = False,
) -> Summary:
    """The flow body. With `use_tasks` each batch step is a Prefect task run (inside `backfill_flow`);
    without, the same steps run as plain functions, with no Prefect API at all (tests, benchmarks)."""
    read_step: Callable[..., Any] = read_batch
    extract_step: Callable[..., Any] = extract_batch
    load_step: Callable[..., Any] = load_batch_step
    q: Callable[[Any], Any] = _same
    if use_tasks:
        from .prefect_api import quote

        read_step, extract_step, load_step = _tasks()
        # Prefect walks every task argument looking for futures: through the stories, item rows and
        # extraction rows of a batch that was 9% of the run's CPU. quote() hands them over as they are.
        q = quote
    head = _HEAD_STARTS.pop((tuple(paths), db), None)
    if head is not None:
        settings, run_id, t0, started = head.settings, head.run_id, head.t0, head.started
        files, missing = head.files, head.missing
    else:
        settings = settings or load_settings()
        run_id = run_id or uuid.uuid4().hex[:12]
        t0 = time.perf_counter()
        started = utcnow()
        files, missing = discover(paths)
    summary = Summary(run_id=run_id, db=db)
    summary.seen = len(files)
    with writer(db, wait=settings.lock_wait) as con:
        start_run(con, _run_row(summary, paths, started, "running"))
    for m in missing:
        summary.errors += 1
        summary.error_reasons.append(f"{m}: no such file or folder")
    done = 0
    if _progress:
        _progress(0, len(files))
    status = "failed"
    try:
        runner_cm = head.runner if head is not None else NLPRunner(
            settings.model, settings.workers, nlp_batch=settings.nlp_batch, min_parallel=settings.min_parallel)
        with sigterm_as_exit(), runner_cm as runner:
            # One batch is parsed by the workers while the main process reads and prepares the next one
            # and loads the one before: the cores never wait for reading, dedup look-ups or loads.
            pending: deque[tuple[ReadResult, Prepared, NLPJob]] = deque()
            if head is not None and head.begun:
                pending.extend(head.begun)  # read and sent to the workers before the flow run began
                if use_tasks:
                    from .prefect_api import get_run_logger

                    get_run_logger().info("backfill %s: the first %d files were read and sent to NLP while the "
                                          "flow run was being created (head start)", run_id,
                                          sum(r.seen for r, _p, _j in head.begun))

            def finish_oldest() -> None:
                nonlocal done
                read, prepared, job = pending.popleft()
                batch, result = load_step(q(read), q(prepared), q(job), db, run_id, settings)
                _add(summary, read, batch, result)
                done += read.seen
                if _progress:
                    _progress(done, len(files))

            parts = head.parts if head is not None else _batches(files, settings.batch_files,
                                                                  2 * settings.min_parallel)
            for part in parts:
                exit_if_terminated()
                read = read_step(q(part), db, run_id, settings)
                if read.stories and len(files) >= settings.min_parallel:
                    runner.warm()  # the workers load the model while this batch is prepared (not if nothing is new)
                in_flight = [row for _r, p, _j in pending for row in p.items]
                prepared, job = extract_step(q(read), db, run_id, q(runner), settings, q(in_flight))
                pending.append((read, prepared, job))
                while len(pending) > 1:
                    finish_oldest()
            runner.last_job_sent()  # the workers end while the last batch loads
            while pending:
                finish_oldest()
        status = "completed"
    finally:
        summary.seconds = time.perf_counter() - t0
        with writer(db, wait=settings.lock_wait) as con:
            finish_run(con, _run_row(summary, paths, started, status))
    return summary


def _backfill_flow_body(paths: list[str], db: str) -> dict[str, Any]:
    """Backfill archives of story files into the warehouse."""
    from .prefect_api import create_table_artifact, get_run_logger

    summary = backfill(paths, db, use_tasks=True)
    logger = get_run_logger()
    logger.info("backfill %s: %s stored, %s duplicates, %s skipped, %s errors", summary.run_id,
                summary.stored, summary.duplicates, summary.skipped, summary.errors)
    create_table_artifact(
        key="backfill-summary",
        table=[{"measure": k, "value": str(v)} for k, v in summary.as_dict().items()
               if not isinstance(v, list)]
        + [{"measure": "skipped: " + r.split(": ", 1)[-1][:80], "value": r.split(": ", 1)[0]}
           for r in summary.skip_reasons[:50]],
        description=f"wire backfill of {', '.join(paths)} into {db}",
    )
    return summary.as_dict()


@functools.cache
def _tasks() -> tuple[Any, Any, Any]:
    """The batch steps as Prefect tasks (created on first use: a run with nothing new never imports Prefect)."""
    from .prefect_api import NONE, task

    return (
        task(name="read-batch", cache_policy=NONE)(read_batch),
        task(name="extract-batch", cache_policy=NONE)(extract_batch),
        task(name="load-batch", cache_policy=NONE, retries=3, retry_delay_seconds=[1, 5, 15],
             retry_condition_fn=retry_transient)(load_batch_step),
    )


@functools.cache
def _backfill_flow() -> Any:
    from .prefect_api import flow

    return flow(name="backfill", log_prints=False)(_backfill_flow_body)


def __getattr__(name: str) -> Any:
    """`backfill_flow`, the Prefect flow, is built when first imported (Prefect costs ~3 s to import)."""
    if name == "backfill_flow":
        return _backfill_flow()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
