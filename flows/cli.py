"""The `wire` command line.

Errors are one line naming the file, feed or warehouse (no traceback; `WIRE_DEBUG=1` shows it).
Prefect is imported only by the commands that run flows, so `wire sql` and `wire extract` start fast.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import csv
import importlib
import io
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractors.errors import WireError

from .settings import Settings, load_settings

__all__ = ["build_parser", "main"]


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="FILE", default=None,
                   help="warehouse file (default: $WIRE_DB or the `db` setting, 'warehouse.duckdb')")


def build_parser(extra_commands: bool = True) -> argparse.ArgumentParser:
    """The `wire` parser; without `extra_commands` only backfill, sql, extract and config (parsed sooner)."""
    parser = argparse.ArgumentParser(
        prog="wire",
        description="Ingest news wire stories into DuckDB with their actors, quotes and numbers.",
    )
    parser.add_argument("--config", metavar="TOML", default=None, help="settings file (default: ./wire.toml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("backfill", help="load archives of story files (recursively) into the warehouse",
                       description="Read every file under PATH... (text, HTML, agency formats), extract actors, "
                       "quotes and numbers, and load them into the warehouse. Files already stored and unchanged "
                       "are skipped, so running it again adds nothing.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to read")
    _db_arg(p)
    p.add_argument("--workers", type=int, default=None, help="NLP worker processes (default: all cores)")
    p.add_argument("--no-prefect", action="store_true",
                   help="run the same steps without a Prefect flow run (no API server needed)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--dask", nargs="?", const="local", default=None, metavar="ADDRESS",
                   help="extract on a Dask cluster (prefect-dask): a local cluster of --workers processes, or "
                   "the scheduler at ADDRESS (tcp://host:8786); one loader merges the batches")
    p.add_argument("--batch-dir", default=None, metavar="DIR",
                   help="shared folder for the Dask workers' Parquet batches (default: beside the warehouse)")

    p = sub.add_parser("sql", help="run a read-only SQL query on the warehouse",
                       description="Run one read-only query (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN). Anything that "
                       "writes (DDL, DML, COPY, ATTACH, INSTALL, LOAD, SET) is refused.")
    p.add_argument("query", help='SQL, e.g. "SELECT name, count(*) FROM actors GROUP BY 1"')
    _db_arg(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format")
    p.add_argument("--max-width", type=int, default=60, help="longest cell shown in table format (0: no limit)")

    p = sub.add_parser("extract", help="print one story's extraction as JSON, without storing it",
                       description="Read FILE, extract its actors, quotes and numbers, print them as JSON.")
    p.add_argument("file", help="story file (text, HTML or agency format)")
    p.add_argument("--compact", action="store_true", help="one line of JSON")

    p = sub.add_parser("config", help="print the effective settings and where each came from",
                       description="Print every setting with its value and origin (default, TOML file, WIRE_*).")
    p.add_argument("--format", choices=["table", "json"], default="table")
    for module in EXTRA_COMMAND_MODULES if extra_commands else ():
        COMMANDS.update(importlib.import_module(module).register(sub))
    return parser


def _db(args: argparse.Namespace, settings: Settings) -> str:
    return str(args.db or settings.db)


# --- output --------------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any, width: int) -> str:
    value = _plain(value)
    if value is None:
        text = "NULL"
    elif isinstance(value, list):
        text = "[" + ", ".join("NULL" if v is None else str(v) for v in value) + "]"
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    text = " ".join(text.split())
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"
    sep = "|-" + "-|-".join("-" * w for w in widths) + "-|"
    out = [line(list(columns)), sep, *(line(r) for r in cells)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> None:
    """Print rows as a table: rich's box-drawn table when stdout is a terminal, else `format_table`'s plain
    text (pipes, files, tests and the README blocks see the same bytes as before). Same cells either way,
    shown as text (a "[b]" in a value is not rich markup); rich is imported only on a terminal."""
    if not sys.stdout.isatty():
        print(format_table(columns, rows, max_width))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table()
    for column in columns:
        table.add_column(Text(column))
    for row in rows:
        table.add_row(*(Text(_cell(v, max_width)) for v in row))
    console = Console(highlight=False)
    console.print(table)
    console.print(Text(f"({len(rows)} row{'s' if len(rows) != 1 else ''})"))


def _print_rows(columns: list[str], rows: list[tuple[Any, ...]], fmt: str, max_width: int) -> None:
    if fmt == "json":
        print(json.dumps([dict(zip(columns, map(_plain, r), strict=True)) for r in rows], ensure_ascii=False,
                         indent=1))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if v is None else json.dumps(_plain(v)) if isinstance(v, list | dict) else _plain(v)
                        for v in r])
        sys.stdout.write(buf.getvalue())
    else:
        print_table(columns, rows, max_width)


# --- commands ------------------------------------------------------------------------------------------

def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    """`wire backfill`: SIGTERM is a clean exit from the first moment (workers started early for the run
    are terminated with it, never left as orphans), then the run itself."""
    from .signals import sigterm_as_exit

    with sigterm_as_exit():
        try:
            return _backfill(args, settings)
        finally:
            if "flows.backfill" in sys.modules:
                from .backfill import release_head_starts

                release_head_starts()
            if "flows.pipeline" in sys.modules:  # workers can only have been started through it
                from .pipeline import release_prewarmed

                release_prewarmed()


def _backfill(args: argparse.Namespace, settings: Settings) -> int:
    if args.workers:
        settings.workers = args.workers
    db = _db(args, settings)
    from .prefect_env import EarlyAPI, prepare_one_shot_env

    prepare_one_shot_env()
    # Cold start: Prefect's API server, Prefect's import and the spaCy model each take seconds; the server and
    # the model start before Prefect is imported, so the three overlap. A warehouse that does not exist yet
    # holds none of the files, so a flow run is certain and the server starts before anything else.
    prefect_run = not args.dask and not args.no_prefect
    api = EarlyAPI.start() if prefect_run and not Path(db).exists() else None
    from .pipeline import discover
    from .plan import nothing_new

    files, missing = discover(args.paths)  # once: for the look-ahead and the model warm-up
    # Nothing new (every file stored and unchanged by size and mtime): the same steps run without a Prefect
    # flow run, so a re-run costs file stats, not an API start-up.
    flow_run = prefect_run and not nothing_new(files, missing, db, wait=settings.read_wait)
    warmup = None
    if flow_run:
        api = api or EarlyAPI.start()
        if len(files) < settings.min_parallel:  # small runs parse in this process;
            warmup = _warm_model(settings.model)  # larger ones in worker processes, where a copy here is waste
        else:  # the workers load the model while the server starts; the run's NLPRunner takes them over
            from .pipeline import prewarm_workers

            prewarm_workers(settings.model, settings.workers)
    from .backfill import backfill, set_progress
    from .signals import exit_if_terminated

    exit_if_terminated()  # a SIGTERM during the steps above whose SystemExit DuckDB reported as a query error
    progress = None
    if not args.quiet and sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        progress = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), transient=True)
        progress.start()
        bar = progress.add_task("backfill", total=None)
        set_progress(lambda done, total: progress.update(bar, completed=done, total=total))
    elif not args.quiet:
        set_progress(lambda done, total: print(f"  {done}/{total} files", file=sys.stderr) if total else None)
    try:
        if args.dask:
            from .distributed import backfill_dask_flow

            batch_dir = args.batch_dir or str(Path(db).resolve().parent / (Path(db).name + ".batches"))
            summary = backfill_dask_flow(list(args.paths), db, batch_dir,
                                         address=None if args.dask == "local" else args.dask,
                                         workers=settings.workers)
        elif prefect_run and not flow_run:  # nothing new: one runs row says so
            from .backfill import record_unchanged

            summary = record_unchanged(args.paths, db, files, settings).as_dict()
        elif not flow_run:
            summary = backfill(args.paths, db, settings).as_dict()
        else:
            from .backfill import head_start

            if warmup is not None:
                warmup.join()  # rarely waits: a second load_nlp while the first runs would load the model twice
            # The first batch is read and parsed while Prefect is imported and its server starts (HeadStart).
            head_start(list(args.paths), db, settings, found=(files, missing))
            from .backfill import backfill_flow

            if api is not None and api.adopt():
                api.wait_ready()
            exit_if_terminated()  # a SIGTERM during the head start or the server's start-up
            summary = backfill_flow(list(args.paths), db)
    finally:
        if progress is not None:
            progress.stop()
        set_progress(None)
    _print_summary(summary)
    return 1 if summary["errors"] and not summary["stored"] and not summary["unchanged"] else 0


# A few sentences that reach the extractors' lazily loaded tables (gazetteers, titles, number units).
_WARMUP_TEXT = ('LONDON (AFP) - Prime Minister Tony Blair told reporters in London on Monday that the '
                'government would spend 2.5 billion pounds, up 12 percent. "We will act," he said.')


def _warm_model(model: str) -> threading.Thread:
    """Load the spaCy model, and run the extractors once, in a thread while Prefect starts its API."""
    def load() -> None:
        try:
            from extractors.extract import extract_doc, nlp_text

            from .nlp_worker import worker_nlp

            extract_doc(worker_nlp(model)(nlp_text(_WARMUP_TEXT, None)))  # the pipeline in-process NLP uses
        except Exception:  # reported properly when the run itself loads the model
            return

    thread = threading.Thread(target=load, name="wire-model-warmup", daemon=True)
    thread.start()
    return thread


def _print_summary(s: dict[str, Any]) -> None:
    print(f"wire backfill -> {s['db']} (run {s['run_id']}, {s['seconds']:.1f}s)")
    print(f"  files seen      {s['seen']:>8}")
    print(f"  unchanged       {s['unchanged']:>8}   (stored before, not read again)")
    print(f"  stored          {s['stored']:>8}")
    print(f"  duplicates      {s['duplicates']:>8}   (stored with duplicate_of, no NLP)")
    print(f"  skipped         {s['skipped']:>8}")
    for reason in s["skip_reasons"][:20]:
        print(f"    - {reason}")
    if len(s["skip_reasons"]) > 20:
        print(f"    ... {len(s['skip_reasons']) - 20} more (see the `problems` table)")
    print(f"  errors          {s['errors']:>8}")
    for reason in s["error_reasons"][:20]:
        print(f"    - {reason}")
    if s.get("warnings"):
        print(f"  warnings        {len(s['warnings']):>8}")
        for warning in s["warnings"][:10]:
            print(f"    - {warning}")
    print(f"  actors          {s['actors']:>8}")
    print(f"  quotes          {s['quotes']:>8}")
    print(f"  numbers         {s['numbers']:>8}")


def cmd_sql(args: argparse.Namespace, settings: Settings) -> int:
    from warehouse.query import run_query

    res = run_query(_db(args, settings), args.query, wait=settings.read_wait)
    _print_rows(res.columns, res.rows, args.format, args.max_width)
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from extractors.extract import extract_doc, nlp_text
    from extractors.nlp import load_nlp
    from extractors.readers import read_bytes

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WireError(f"{args.file}: cannot read: {exc.strerror or exc}") from exc
    stories = read_bytes(data, args.file, max_bytes=settings.max_source_bytes)
    nlp = load_nlp(settings.model)
    out = []
    for story in stories:
        ex = extract_doc(nlp(nlp_text(story.body, story.caption)), byline=story.byline, body_len=len(story.body))
        meta = {k: v for k, v in story.__dict__.items() if k not in {"body", "meta"}}
        out.append({"story": _plain(meta), "body": story.body, "meta": _plain(story.meta), **ex.to_dict()})
    print(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=None if args.compact else 1))
    return 0


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    rows = [(name, json.dumps(_plain(value), ensure_ascii=False), origin)
            for name, value, origin in settings.describe()]
    if args.format == "json":
        print(json.dumps({n: {"value": _plain(v), "from": o} for n, v, o in settings.describe()}, indent=1))
    else:
        print_table(["setting", "value", "from"], rows, 80)
    return 0


Handler = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Handler] = {
    "backfill": cmd_backfill, "sql": cmd_sql, "extract": cmd_extract, "config": cmd_config,
}
# Each module has `register(subparsers) -> {command: handler}` and owns its commands' arguments.
EXTRA_COMMAND_MODULES: tuple[str, ...] = (
    "flows.cli_watch", "flows.cli_feeds", "flows.cli_analyst", "flows.cli_dedup", "flows.cli_reextract",
)


def _command(argv: Sequence[str]) -> str | None:
    """The command word of a command line (after an optional `--config FILE`), None if unclear."""
    rest = list(argv)
    if rest[:1] == ["--config"]:
        rest = rest[2:]
    return rest[0] if rest and not rest[0].startswith("-") else None


def main(argv: Sequence[str] | None = None) -> int:
    # `wire backfill` is parsed without importing the other commands' modules (the warehouse, pyarrow ...):
    # on a cold run every moment before Prefect's API server starts is on the critical path.
    parser = build_parser(extra_commands=_command(sys.argv[1:] if argv is None else argv) != "backfill")
    args = parser.parse_args(argv)
    own_process = argv is None and args.command == "backfill"  # the `wire backfill` console script
    if own_process:
        atexit.register(_exit_without_teardown)  # first registered after logging's: runs after all the others
    code = _run(args)
    if own_process:
        _exit_code[0] = code
    return code


# `wire backfill` loads spaCy, Prefect, DuckDB and pandas; once every exit handler has run (Prefect's event
# flush, the API server's stop, multiprocessing's clean-up), the interpreter's teardown of those modules
# only frees memory the OS frees anyway, and measured 1.3-1.5 s of a cold run. The process ends without it.
_exit_code: list[int | None] = [None]


def _exit_without_teardown() -> None:
    code = _exit_code[0]
    if code is None:  # main did not return (an exception is propagating): the normal exit
        return
    logging.shutdown()  # the one exit handler registered before this one (on importing logging)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or broken pipe
            stream.flush()
    os._exit(code)


def _run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config)
        return COMMANDS[args.command](args, settings)
    except KeyboardInterrupt:
        print("wire: interrupted", file=sys.stderr)
        return 130
    except (WireError, FileNotFoundError) as exc:
        if os.environ.get("WIRE_DEBUG"):
            raise
        print(f"wire: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # duckdb errors in `wire sql` and the like: one line, not a traceback
        if os.environ.get("WIRE_DEBUG"):
            raise
        print(f"wire: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
