"""Scale-out: extraction on a Dask cluster through Prefect's DaskTaskRunner, one loader for DuckDB.

DuckDB has a single writer, so the work splits in two:
- `extract_chunk_task` runs on any Dask worker (one per core, on any machine that sees the files): it
  reads a chunk of files, parses them, runs spaCy and the extractors (model loaded once per worker
  process) and writes the chunk's rows as Parquet files into a shared batch folder (local disk, NFS or
  object storage mounted as a path). Workers never open the warehouse.
- the flow (the one loader) merges each finished batch into the warehouse with `load_batch`, one
  transaction per batch: duplicates, versions and the LSH index are decided there, against what is
  stored, so the result is the same as a local backfill.

`wire backfill --dask [ADDRESS]` uses it: with no address a local cluster of `--workers` processes is
started; with `tcp://scheduler:8786` an existing cluster is used.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extractors.errors import BadInput
from warehouse import Batch, writer
from warehouse.dedup import NearDupConfig
from warehouse.load import load_batch
from warehouse.lookup import SourceState, known_sources
from warehouse.tables import arrow_schema, table

from .backfill import Summary
from .errors import retry_transient
from .pipeline import (
    NLPRunner,
    Prepared,
    SourceFile,
    chunks,
    discover,
    item_rows,
    read_files,
    run_nlp,
    unchanged_since_read,
)
from .prefect_api import NONE, flow, task
from .settings import Settings, load_settings

__all__ = ["backfill_dask_flow", "extract_chunk", "merge_batch"]

_FACTS = ("actors", "mentions", "quotes", "numbers")


def extract_chunk(
    files: Sequence[SourceFile], out_dir: str, run_id: str, model: str, max_bytes: int,
    near_dup: NearDupConfig | None = None, states: dict[str, SourceState] | None = None,
    models: dict[str, str] | None = None,
) -> str:
    """Worker side: files -> Parquet batch folder (items, facts, sources, problems). Returns the folder.

    Files are read by `flows.pipeline.read_files`, the read path of the local flows; `states` are the
    warehouse's states of the files (looked up by the flow, since workers do not open the warehouse) and
    `models` the spaCy model of each language (`Settings.language_models()`)."""
    batch_dir = Path(out_dir) / f"batch-{uuid.uuid4().hex[:12]}"
    batch_dir.mkdir(parents=True)
    read = read_files(files, states or {}, run_id=run_id, max_bytes=max_bytes)
    stories, sources, problems = read.stories, read.sources, read.problems
    items = item_rows(stories, run_id=run_id)
    prepared = Prepared(items=items, stories=stories, needs_nlp=[i for i, s in enumerate(stories)
                                                                  if s.pub_status != "canceled"],
                        near_dup=near_dup or NearDupConfig(), models=models)
    runner = NLPRunner(model, 1)  # one Dask worker process = one core; the model stays loaded in it
    batch, _failed = run_nlp(prepared, runner, run_id=run_id)
    _write(batch_dir / "items.parquet", "items", batch.items)
    for name in _FACTS:
        rows = [r for ex in batch.extractions.values() for r in ex.get(name, [])]
        _write(batch_dir / f"{name}.parquet", name, rows)
    _write(batch_dir / "sources.parquet", "sources", sources)
    _write(batch_dir / "problems.parquet", "problems", problems + batch.problems)
    (batch_dir / "_SUCCESS").write_text(json.dumps({"files": len(files), "items": len(items)}))
    return str(batch_dir)


def _write(path: Path, name: str, rows: list[dict[str, Any]]) -> None:
    schema = arrow_schema(table(name))
    pq.write_table(pa.Table.from_pylist([{c: r.get(c) for c in schema.names} for r in rows], schema=schema), path)


def merge_batch(
    batch_dir: str, db: str, lock_wait: float = 60.0, near_dup: NearDupConfig | None = None
) -> dict[str, int]:
    """Loader side: one Parquet batch folder -> the warehouse, in one transaction."""
    folder = Path(batch_dir)
    if not (folder / "_SUCCESS").exists():
        raise BadInput(f"{batch_dir}: incomplete batch (no _SUCCESS marker)")
    items = pq.read_table(folder / "items.parquet").to_pylist()
    facts = {name: pq.read_table(folder / f"{name}.parquet").to_pylist() for name in _FACTS}
    extractions: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, rows in facts.items():
        for r in rows:
            extractions.setdefault(r["item_id"], {n: [] for n in _FACTS})[name].append(r)
    batch = Batch(items=items, extractions=extractions, near_dup=near_dup or NearDupConfig(),
                  sources=pq.read_table(folder / "sources.parquet").to_pylist(),
                  problems=pq.read_table(folder / "problems.parquet").to_pylist())
    with writer(db, wait=lock_wait) as con:
        res = load_batch(con, batch)
    return {"stored": res.stored - res.duplicates, "duplicates": res.duplicates, **res.counts,
            "skipped": sum(1 for p in batch.problems if p["kind"] == "skipped"),
            "errors": sum(1 for p in batch.problems if p["kind"] != "skipped")}


@task(name="extract-chunk-to-parquet", cache_policy=NONE, retries=1, retry_condition_fn=retry_transient)
def extract_chunk_task(
    files: list[SourceFile], out_dir: str, run_id: str, model: str, max_bytes: int, near_dup: NearDupConfig,
    states: dict[str, SourceState], models: dict[str, str],
) -> str:
    return extract_chunk(files, out_dir, run_id, model, max_bytes, near_dup, states, models)


@task(name="merge-batch", cache_policy=NONE)
def merge_task(batch_dir: str, db: str, lock_wait: float, near_dup: NearDupConfig) -> dict[str, int]:
    return merge_batch(batch_dir, db, lock_wait, near_dup)


def backfill_dask_flow(
    paths: list[str], db: str, out_dir: str, address: str | None = None, workers: int = 2,
    chunk_files: int = 64,
) -> dict[str, Any]:
    """Run the distributed backfill; builds the flow with its Dask task runner at call time."""
    from .prefect_api import DaskTaskRunner

    runner = (DaskTaskRunner(address=address) if address else
              DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                             "dashboard_address": None}))

    @flow(name="backfill-dask", task_runner=runner)  # type: ignore[arg-type]
    def backfill_dask(paths: list[str], db: str, out_dir: str) -> dict[str, Any]:
        settings: Settings = load_settings()
        run_id = uuid.uuid4().hex[:12]
        t0 = time.perf_counter()
        files, missing = discover(paths)
        with writer(db, wait=settings.lock_wait) as con:
            known = known_sources(con, [f.key for f in files])
        todo = [f for f in files if not unchanged_since_read(f, known.get(f.key))]
        futures = [extract_chunk_task.submit(list(part), out_dir, run_id, settings.model,
                                             settings.max_source_bytes, settings.near_dup(),
                                             {f.key: known[f.key] for f in part if f.key in known},
                                             settings.language_models())
                   for part in chunks(todo, chunk_files)]
        summary = Summary(run_id=run_id, db=db, seen=len(files), unchanged=len(files) - len(todo))
        summary.errors += len(missing)
        summary.error_reasons += [f"{m}: no such file or folder" for m in missing]
        for fut in futures:  # one loader: batches merge one at a time, in submission order
            batch_dir = fut.result()
            counts = merge_task(batch_dir, db, settings.lock_wait, settings.near_dup())
            shutil.rmtree(batch_dir, ignore_errors=True)  # merged: the warehouse holds it now
            summary.stored += counts["stored"]
            summary.duplicates += counts["duplicates"]
            summary.skipped += counts["skipped"]
            summary.errors += counts["errors"]
            summary.actors += counts.get("actors", 0)
            summary.quotes += counts.get("quotes", 0)
            summary.numbers += counts.get("numbers", 0)
            summary.mentions += counts.get("mentions", 0)
        summary.seconds = time.perf_counter() - t0
        return summary.as_dict()

    return backfill_dask(paths, db, out_dir)
