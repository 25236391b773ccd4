"""The batch steps every flow composes: read sources -> stories -> item rows -> NLP -> load.

Plain functions (no Prefect) so they can be unit-tested and reused by the backfill, feed and drop-folder
flows; the flows wrap them in tasks that work on whole batches.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
import threading
import traceback
import types
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool as BrokenExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.dedup import extraction_may_change
from extractors.errors import BadInput
from extractors.extract import EXTRACTOR_VERSION
from extractors.gaps import fill_gaps
from extractors.identity import item_id, story_id
from extractors.lang import model_for, no_model_reason, settle_language
from extractors.lang.plain import plain_extraction
from extractors.readers import read_bytes
from extractors.records import Extraction, Story

# Absolute, never relative: the pool pickles these by module path, and a worker process must import them as
# `flows.nlp_worker` whatever name this module was loaded under (Prefect loads a flow file as a script).
from flows.nlp_worker import NLPInput, extract_chunk, init_worker, warm_up
from warehouse import Batch, LoadResult, load_batch, writer
from warehouse.dedup import NearDupConfig, decide
from warehouse.lookup import SourceState, known_items, known_sources
from warehouse.rows import extraction_rows, item_row, utcnow

__all__ = [
    "FileRead",
    "NLPJob",
    "NLPRunner",
    "Prepared",
    "ReadResult",
    "SourceFile",
    "chunks",
    "discover",
    "finish_nlp",
    "item_rows",
    "prepare",
    "prewarm_workers",
    "read_file",
    "read_files",
    "read_sources",
    "release_prewarmed",
    "run_nlp",
    "start_nlp",
    "store",
]


@dataclass(frozen=True)
class SourceFile:
    uri: str  # as given (joined with the walked relative path)
    key: str  # resolved absolute path
    size: int
    mtime_ns: int


@dataclass
class ReadResult:
    stories: list[Story] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    seen: int = 0


def _problem(run_id: str, uri: str, kind: str, reason: str, part: int = -1) -> dict[str, Any]:
    return {"run_id": run_id, "source_uri": uri, "part": part, "kind": kind, "reason": reason, "at": utcnow()}


def discover(paths: Sequence[str]) -> tuple[list[SourceFile], list[str]]:
    """Every regular file under the paths (recursive, sorted, hidden folders skipped); missing paths."""
    files: list[SourceFile] = []
    missing: list[str] = []
    seen: set[str] = set()
    for given in paths:
        p = Path(given)
        if p.is_file():
            candidates: Iterable[Path] = [p]
        elif p.is_dir():
            candidates = sorted(
                f for f in p.rglob("*")
                if not any(part.startswith(".") for part in f.relative_to(p).parts[:-1])
            )
        else:
            missing.append(given)
            continue
        for f in candidates:
            try:
                st = f.stat()
            except OSError:
                continue
            if not f.is_file():
                continue
            key = _printable_path(str(f.resolve()))
            if key in seen:
                continue
            seen.add(key)
            files.append(SourceFile(uri=_printable_path(str(f)), key=key, size=st.st_size, mtime_ns=st.st_mtime_ns))
    return files, missing


def _printable_path(path: str) -> str:
    """A file name that is not valid UTF-8 (surrogate escapes) cannot go into DuckDB: it made the first
    look-up raise and the whole run fail. Escaped (b'\\xff' -> '\\\\xff'), such a file is recorded as
    unreadable under that name while the rest of the batch is stored."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def unchanged_since_read(f: SourceFile, state: SourceState | None) -> bool:
    """Stored (or skipped) before with the same size and mtime: not even opened again."""
    return state is not None and state[3] in {"stored", "skipped"} and (state[0], state[1]) == (f.size, f.mtime_ns)


def chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), max(1, size)):
        yield seq[i : i + size]


@dataclass
class FileRead:
    """What reading one source file gave: its `sources` row (None when it was not even opened), a problem
    row when it could not be read, and its stories."""

    source: dict[str, Any] | None
    problem: dict[str, Any] | None = None
    stories: list[Story] = field(default_factory=list)
    unchanged: bool = False


def read_file(f: SourceFile, state: SourceState | None, *, run_id: str, max_bytes: int) -> FileRead:
    """Read one source file into stories: the one read path of every flow (local, feeds' drop folders, Dask).

    `state` is what the warehouse knows of the file (`known_sources`), or None. A file whose size and mtime
    equal the stored ones is not even opened; one whose bytes hash to the stored hash is not parsed again.
    A file that is not a story is skipped with the reason; a reader bug is an error row, never a crash."""
    if unchanged_since_read(f, state):
        return FileRead(None, unchanged=True)
    source = {"source_key": f.key, "source_uri": f.uri, "size": f.size, "mtime_ns": f.mtime_ns,
              "content_sha256": None, "status": "stored", "reason": None, "items": 0,
              "run_id": run_id, "seen_at": utcnow()}

    def failed(kind: str, reason: str) -> FileRead:
        source.update(status=kind, reason=reason)
        return FileRead(source, _problem(run_id, f.uri, kind, reason))

    if f.size > max_bytes:
        return failed("skipped", f"{f.uri}: {f.size:,} bytes is larger than the {max_bytes:,}-byte limit "
                                 "for one story file")
    try:
        data = Path(f.uri).read_bytes()
    except OSError as exc:
        return failed("error", f"{f.uri}: cannot read: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    source["content_sha256"] = sha
    if state and state[2] == sha and state[3] in {"stored", "skipped"}:
        source["status"] = state[3]
        return FileRead(source, unchanged=True)
    try:
        stories = read_bytes(data, f.uri, max_bytes=max_bytes)
    except BadInput as exc:
        return failed("skipped", str(exc))
    except Exception as exc:  # a reader bug must not stop the batch: record it, go on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return failed("error", f"{f.uri}: reader failed: {type(exc).__name__}: {exc} "
                               f"({Path(where.filename).name}:{where.lineno})")
    for story in stories:
        story.source_key = f.key
    source["items"] = len(stories)
    return FileRead(source, stories=stories)


def read_sources(
    files: Sequence[SourceFile], *, db: str, run_id: str, max_bytes: int, lock_wait: float = 60.0
) -> ReadResult:
    """Read the files of one batch into stories (`read_files`), with the warehouse's states of the files."""
    with writer(db, wait=lock_wait) as con:
        known = known_sources(con, [f.key for f in files])
    return read_files(files, known, run_id=run_id, max_bytes=max_bytes)


def read_files(
    files: Sequence[SourceFile], states: dict[str, SourceState], *, run_id: str, max_bytes: int
) -> ReadResult:
    """`read_file` over a batch, given the warehouse's states of its files (by key; absent: not stored)."""
    result = ReadResult(seen=len(files))
    for f in files:
        got = read_file(f, states.get(f.key), run_id=run_id, max_bytes=max_bytes)
        result.unchanged += got.unchanged
        if got.source is not None:
            result.sources.append(got.source)
        if got.problem is not None:
            result.problems.append(got.problem)
        result.stories.extend(got.stories)
    return result


def item_rows(stories: Sequence[Story], *, run_id: str) -> list[dict[str, Any]]:
    """Stories -> item rows with their ids, after the gaps are filled and the language settled (in place)."""
    for s in stories:  # feed entries come here without read_bytes (and after article pages were merged)
        settle_language(fill_gaps(s))
    return [item_row(s, item_id=item_id(s), story_id=story_id(s), run_id=run_id) for s in stories]


@dataclass
class Prepared:
    """Item rows of a batch and the stories that still need NLP (index into `items`)."""

    items: list[dict[str, Any]]
    stories: list[Story]
    needs_nlp: list[int]
    exact_dups: int = 0
    near_dups: int = 0  # near-duplicates found before NLP (of which near_nlp still need NLP)
    near_nlp: int = 0
    near_dup: NearDupConfig = field(default_factory=NearDupConfig)
    models: dict[str, str] | None = None  # language -> spaCy model (settings.language_models()); None: English
    plain: dict[int, str] = field(default_factory=dict)  # index -> why no NLP model serves it (set by start_nlp)


def prepare(
    stories: Sequence[Story],
    *,
    db: str,
    run_id: str,
    lock_wait: float = 60.0,
    near_dup: NearDupConfig | None = None,
    in_flight: Sequence[dict[str, Any]] = (),
    models: dict[str, str] | None = None,
) -> Prepared:
    """Give each story its ids and decide which need NLP: not exact duplicates, not kills, and not
    near-duplicates whose differences cannot change what the extractors find
    (`extractors.dedup.extraction_may_change`). `load_batch` re-decides duplicates authoritatively.

    `in_flight` are the item rows of earlier batches that are being parsed but are not stored yet: a copy
    of one of them is a duplicate too (no NLP for it), as it would be had that batch been loaded first."""
    near_dup = near_dup or NearDupConfig()
    items = item_rows(stories, run_id=run_id)
    with writer(db, wait=lock_wait) as con:
        stored = known_items(con, [r["item_id"] for r in items])
        fresh = [i for i, row in enumerate(items) if row["item_id"] not in stored]
        earlier = [r for r in in_flight if r["item_id"] not in stored]
        decided = decide(con, earlier + [items[i] for i in fresh], near_dup, with_bodies=True)[len(earlier):]
        decisions = dict(zip(fresh, decided, strict=True))
    prepared = Prepared(items=items, stories=list(stories), needs_nlp=[], near_dup=near_dup, models=models)
    for i, d in decisions.items():
        if d.kind == "exact":
            prepared.exact_dups += 1
            continue
        if d.kind == "near":
            prepared.near_dups += 1
            if not extraction_may_change(d.original_body or "", stories[i].body):
                continue
            prepared.near_nlp += 1
        if stories[i].pub_status == "canceled":
            continue
        prepared.needs_nlp.append(i)
    return prepared


# --- NLP in worker processes (the worker side lives in flows.nlp_worker, which imports no warehouse) -----

class NLPRunner:
    """Runs spaCy + the extractors, in-process for small batches, else in a pool of worker processes.

    Workers are spawned (not forked: the parent runs Prefect's threads) and load the model once each.
    """

    def __init__(self, model: str, workers: int, *, nlp_batch: int = 16, min_parallel: int = 24,
                 use_service: bool = True) -> None:
        self.model = model
        self.workers = max(1, workers)
        self.nlp_batch = nlp_batch
        self.min_parallel = min_parallel
        self.use_service = use_service
        self._pool: Executor | None = None
        self._client: ThreadPoolExecutor | None = None
        self._ending: tuple[list[Any], threading.Thread | None] | None = None  # see last_job_sent

    def __enter__(self) -> NLPRunner:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(abort=exc_type is not None)

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers. On an error or an interrupt (Ctrl-C, SIGTERM) they are terminated at once rather
        than left to finish their chunks: the batch being parsed is not stored, and the next run redoes it."""
        if self._client is not None:
            client, self._client = self._client, None
            client.shutdown(wait=not abort, cancel_futures=True)
        if self._pool is not None:
            pool, self._pool = self._pool, None
            if abort:
                _terminate(pool)
            else:
                pool.shutdown(wait=True, cancel_futures=True)
        if self._ending is not None:
            processes, manager, self._ending = self._ending[0], self._ending[1], None
            for proc in processes:
                if abort:
                    proc.terminate()
                proc.join()
            if manager is not None:
                manager.join()

    def last_job_sent(self) -> None:
        """No job will follow the ones sent: the worker processes end as soon as those are done, while the
        caller loads the last batch, rather than when the runner closes (0.6 s of a backfill's tail). Their
        results come as before; `close` waits for the processes (or terminates them on an error)."""
        pool = self._pool
        if not isinstance(pool, ProcessPoolExecutor):
            return
        self._pool = None
        self._ending = (_processes(pool), getattr(pool, "_executor_manager_thread", None))
        pool.shutdown(wait=False)

    def _executor(self) -> Executor:
        if self._pool is None:
            self._pool = _take_prewarmed(self.model, self.workers) or _new_pool(self.model, self.workers)
        return self._pool

    def warm(self) -> None:
        """Start the worker processes now (each loads the model) so they are ready when the first batch is.
        Once: later calls do nothing."""
        if self.workers > 1 and self._pool is None:
            self._executor()

    def submit(self, texts: Sequence[NLPInput], models: Sequence[str] | None = None) -> NLPJob:
        """Start extracting `texts` and return at once (in worker processes); small jobs run here and now.
        `models` names the spaCy model of each text (default: the runner's model): the texts are sent in
        chunks of one model each (a worker keeps one loaded pipeline per model) and the results come back
        in input order. Under `wire serve` every job goes to the serve process's shared workers
        (`flows.nlp_service`), so a flow run loads no model of its own."""
        if not texts:
            return NLPJob(done=[])
        if models is None or all(m == self.model for m in models):
            return self._submit_model(self.model, texts)
        if len(models) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(models)} model names")
        groups: dict[str, list[int]] = {}
        for i, name in enumerate(models):
            groups.setdefault(name, []).append(i)
        return NLPJob.merged([(idx, self._submit_model(name, [texts[i] for i in idx])) for name, idx in groups.items()])

    def _submit_model(self, model: str, texts: Sequence[NLPInput]) -> NLPJob:
        remote = self._remote_job(model, texts)
        if remote is not None:
            return remote
        if self.workers == 1 or len(texts) < self.min_parallel:
            return NLPJob(done=extract_chunk((model, list(texts), self.nlp_batch)))
        # chunks small enough to balance the two cores, large enough to amortise pickling
        size = max(4, min(64, len(texts) // (self.workers * 4) or 1))
        pool = self._executor()
        return NLPJob(futures=[pool.submit(extract_chunk, (model, list(c), self.nlp_batch))
                               for c in chunks(texts, size)])

    def run(self, texts: Sequence[NLPInput]) -> list[Extraction | str]:
        return self.submit(texts).result()

    def run_models(self, texts: Sequence[NLPInput], models: Sequence[str]) -> list[Extraction | str]:
        """`run` with the model of each text named (see `submit`)."""
        return self.submit(texts, models).result()

    def extract_chunk(self, texts: list[NLPInput], model: str | None = None) -> list[Extraction | str]:
        """Extract one chunk now with `model` (default: the runner's): in this process with one worker, else
        on one worker of the pool (which loads another model on first use). A pool whose worker died
        (BrokenProcessPool) is replaced by a fresh one for the next call."""
        model = model or self.model
        if self.workers == 1:
            return extract_chunk((model, texts, self.nlp_batch))
        try:
            return self._executor().submit(extract_chunk, (model, texts, self.nlp_batch)).result()
        except BrokenExecutor:
            self.close(abort=True)
            raise

    def _remote_job(self, model: str, texts: Sequence[NLPInput]) -> NLPJob | None:
        """The job sent to the serve process's NLP service, or None without one (or when it is gone)."""
        if not self.use_service:
            return None
        from flows.nlp_service import service_address

        found = service_address()
        if found is None:
            return None
        address, key = found
        size = max(4, min(64, len(texts) // 4 or 1))
        if self._client is None:
            self._client = ThreadPoolExecutor(max_workers=4, thread_name_prefix="wire-nlp-client")
        pool = self._client
        parts = [list(c) for c in chunks(texts, size)]
        return NLPJob(futures=[pool.submit(self._ask_service, address, key, model, part) for part in parts])

    def _ask_service(self, address: str, key: bytes, model: str, texts: list[NLPInput]) -> list[Extraction | str]:
        from flows.errors import NLPServiceUnavailable
        from flows.nlp_service import remote_chunk

        try:
            return remote_chunk(address, key, model, texts, self.nlp_batch)
        except NLPServiceUnavailable:  # serve stopped or refused the model: parse here, lose nothing
            self.use_service = False
            return extract_chunk((model, texts, self.nlp_batch))


def _new_pool(model: str, workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` spawned NLP processes, all started now (see `_plain_main`)."""
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker, initargs=(model,))
    _start_workers(pool, workers)
    return pool


@contextmanager
def _plain_main() -> Iterator[None]:
    """Spawn workers that import only `flows.nlp_worker`. multiprocessing makes every spawned child run the
    parent's `__main__` again: under Prefect that is `prefect.engine` (seconds and ~100 MB per worker), in a
    notebook or `python -` a file that does not exist (the worker dies at start). Nothing a worker runs
    lives in `__main__`, so for the moment of spawning `__main__` is an empty module."""
    main = sys.modules.get("__main__")
    stub = types.ModuleType("__main__")
    sys.modules["__main__"] = stub
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _start_workers(pool: Executor, workers: int) -> None:
    # ProcessPoolExecutor spawns a process per submit while none is idle: `workers` submits start them all
    with _plain_main():
        for _ in range(workers):
            pool.submit(warm_up)


_PREWARMED: dict[tuple[str, int], ProcessPoolExecutor] = {}


def prewarm_workers(model: str, workers: int) -> None:
    """Start a pool of NLP workers before the run exists (e.g. while Prefect's API server starts), so each
    has loaded the model by the time the first batch comes; the run's `NLPRunner` with the same model and
    worker count takes it over (and shuts it down). No-op for a single worker."""
    if workers > 1 and (model, workers) not in _PREWARMED:
        pool = _new_pool(model, workers)
        _PREWARMED[(model, workers)] = pool


def release_prewarmed() -> None:
    """Terminate prewarmed pools no run took over (the run failed or was stopped before it began)."""
    while _PREWARMED:
        _terminate(_PREWARMED.popitem()[1])


def _processes(pool: Executor) -> list[Any]:
    """The worker processes of a process pool (none for a thread pool)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def _terminate(pool: Executor) -> None:
    """End a pool at once: its workers terminated mid-chunk, pending work cancelled."""
    for proc in _processes(pool):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _take_prewarmed(model: str, workers: int) -> ProcessPoolExecutor | None:
    return _PREWARMED.pop((model, workers), None)


class NLPJob:
    """The extractions of one batch, being computed by the worker pool (or already done)."""

    def __init__(self, *, futures: Sequence[Future[list[Extraction | str]]] = (),
                 done: list[Extraction | str] | None = None,
                 parts: Sequence[tuple[Sequence[int], NLPJob]] = ()) -> None:
        self._futures = list(futures)
        self._done = done
        self._parts = list(parts)  # (input positions, job) of a job merged from one job per model

    @classmethod
    def merged(cls, parts: Sequence[tuple[Sequence[int], NLPJob]]) -> NLPJob:
        """One job over the jobs of disjoint subsets of the inputs; `result()` puts them back in input order."""
        return cls(parts=parts)

    def result(self) -> list[Extraction | str]:
        """Wait for every chunk; in input order. Calling it again (a retried load) does not wait again."""
        if self._done is None and self._parts:
            slots: dict[int, Extraction | str] = {}
            for positions, job in self._parts:
                slots.update(zip(positions, job.result(), strict=True))
            self._done, self._parts = [slots[i] for i in range(len(slots))], []
        if self._done is None:
            out: list[Extraction | str] = []
            for fut in self._futures:
                out.extend(fut.result())
            self._done, self._futures = out, []
        return self._done


def start_nlp(prepared: Prepared, runner: NLPRunner) -> NLPJob:
    """Submit the stories of a prepared batch that need NLP, each with the model its language maps to
    (setting `models`); `finish_nlp` collects them. A story in a language no model serves is not submitted:
    it gets `plain_extraction`."""
    models = _split_by_model(prepared, runner.model)
    stories = [prepared.stories[i] for i in prepared.needs_nlp]
    return runner.submit([(s.body, s.caption, s.byline) for s in stories], models)


def _split_by_model(prepared: Prepared, default: str) -> list[str]:
    """The model of every story left in `needs_nlp`; the ones no model serves move to `prepared.plain`."""
    models = prepared.models if prepared.models is not None else {"en": default}
    chosen: list[str] = []
    for i in prepared.needs_nlp:
        model = model_for(prepared.stories[i].language, models)
        if model is None:
            prepared.plain[i] = no_model_reason(prepared.stories[i].language, models) or "no NLP model"
        else:
            chosen.append(model)
    if prepared.plain:
        prepared.needs_nlp = [i for i in prepared.needs_nlp if i not in prepared.plain]
    return chosen


def finish_nlp(prepared: Prepared, job: NLPJob, *, run_id: str) -> tuple[Batch, int]:
    """Wait for the batch's extractions; returns the batch to load and the count of failed extractions."""
    batch = Batch(items=prepared.items, near_dup=prepared.near_dup)
    failed = 0
    for i, reason in prepared.plain.items():  # no model for the language: agency actors and plain figures
        row = prepared.items[i]
        row["not_extracted_reason"] = reason
        row["extractor_version"] = EXTRACTOR_VERSION
        batch.extractions[row["item_id"]] = extraction_rows(row["item_id"],
                                                            plain_extraction(prepared.stories[i], EXTRACTOR_VERSION))
    for i, result in zip(prepared.needs_nlp, job.result(), strict=True):
        row = prepared.items[i]
        if isinstance(result, str):
            failed += 1
            story = prepared.stories[i]
            batch.problems.append(_problem(run_id, story.source_uri, "error", f"{story.source_uri}: {result}",
                                           story.part))
            continue
        row["extracted"] = True
        row["extractor_version"] = result.extractor_version or EXTRACTOR_VERSION
        batch.extractions[row["item_id"]] = extraction_rows(row["item_id"], result)
    return batch, failed


def run_nlp(prepared: Prepared, runner: NLPRunner, *, run_id: str) -> tuple[Batch, int]:
    """Extract the stories that need it; returns the batch to load and the count of failed extractions."""
    return finish_nlp(prepared, start_nlp(prepared, runner), run_id=run_id)


def store(batch: Batch, *, db: str, lock_wait: float = 60.0) -> LoadResult:
    with writer(db, wait=lock_wait) as con:
        return load_batch(con, batch)

