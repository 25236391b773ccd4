"""Deterministic crash points for the kill tests: SIGKILL the running `wire` process at a named place.

`WIRE_FAULT=<point>:<n>` (read by `install_from_env`, which the test CLI runner calls before `main`)
kills the process with SIGKILL - no clean-up, no `finally`, exactly like `kill -9` - the n-th time
(1-based) the point is reached:

  migrate             creating the schema (inside the migration transaction of a new warehouse)
  read                reading a source file (before the batch's first transaction)
  nlp                 starting NLP on a chunk of stories
  insert-<table>      inside a load transaction, just before rows of <table> are inserted
                      (items, actors, mentions, quotes, numbers, sources, problems)
  done-<table>        inside a load transaction right after rows of <table> were inserted
                      (done-problems: after the last insert, i.e. right before COMMIT)
  committed           right after a load transaction committed, before the connection is closed
                      (so before DuckDB's checkpoint: the rows exist only in the WAL)
  finish              before the run row is marked finished
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

__all__ = ["POINTS", "install", "install_from_env"]

POINTS = ("migrate", "read", "nlp", "insert-items", "insert-actors", "insert-mentions", "insert-quotes",
          "insert-numbers", "insert-sources", "insert-problems", "done-sources", "done-problems", "committed",
          "finish")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _counting(point: str, target: str, n: int, fn: Callable[..., Any], *, after: bool = False,
              table: str | None = None) -> Callable[..., Any]:
    seen = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        # only calls that do work count (a batch whose files were all stored before loads nothing)
        if table is not None:
            hit = len(args) > 2 and args[1] == table and bool(args[2])
        elif target == "load_batch":
            hit = len(args) > 1 and bool(getattr(args[1], "items", None))
        else:
            hit = True
        if hit:
            seen += 1
        if hit and seen == n and not after:
            _die()
        result = fn(*args, **kwargs)
        if hit and seen == n and after:
            _die()
        return result

    return wrapper


def install(spec: str) -> None:
    point, _, count = spec.rpartition(":")
    n = int(count)
    if point == "migrate":
        import warehouse.schema as schema

        schema.create_views = _counting(point, "create_views", n, schema.create_views)
    elif point == "read":
        import flows.pipeline as pipeline

        pipeline.read_bytes = _counting(point, "read_bytes", n, pipeline.read_bytes)
    elif point == "nlp":
        import flows.pipeline as pipeline

        pipeline.extract_chunk = _counting(point, "extract_chunk", n, pipeline.extract_chunk)
    elif point.startswith(("insert-", "done-")):
        import warehouse.load as load

        table = point.split("-", 1)[1]
        load.insert_rows = _counting(point, "insert_rows", n, load.insert_rows, table=table,
                                     after=point.startswith("done-"))
    elif point == "committed":
        import flows.pipeline as pipeline
        import flows.poll as poll  # `wire ingest` loads through its own import of load_batch

        pipeline.load_batch = _counting(point, "load_batch", n, pipeline.load_batch, after=True)
        poll.load_batch = _counting(point, "load_batch", n, poll.load_batch, after=True)
    elif point == "finish":
        import flows.backfill as backfill

        backfill.finish_run = _counting(point, "finish_run", n, backfill.finish_run)
    else:
        raise ValueError(f"unknown fault point {point!r} (known: {', '.join(POINTS)})")


def install_from_env() -> None:
    spec = os.environ.get("WIRE_FAULT")
    if spec:
        install(spec)
