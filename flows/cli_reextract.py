"""`wire reextract`: run the current extractors again over the stored items whose facts are stale."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from .errors import ConfigError
from .settings import Settings

__all__ = ["register"]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser(
        "reextract", help="re-run the extractors over stored items whose facts are from other extractors",
        description="Parse the stored body, caption and byline of items again with the current extractors and "
        "replace their actors, mentions, quotes and numbers, one batch per transaction. By default only the items "
        "whose extractor_version is not the current one; duplicates and kills are never extracted. Facts that come "
        "out the same keep their rows and ids. A killed run is continued by running it again.")
    p.add_argument("--db", metavar="FILE", default=None,
                   help="warehouse file (default: $WIRE_DB or the `db` setting, 'warehouse.duckdb')")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every extractable item, current or not")
    which.add_argument("--since", type=_date, metavar="DATE", help="extractable items ingested on or after DATE")
    which.add_argument("--where", metavar="SQL", help="extractable items matching an SQL condition on `items` "
                       "(e.g. \"agency = 'AFP'\")")
    p.add_argument("--workers", type=int, default=None, help="NLP worker processes (default: all cores)")
    p.add_argument("--no-prefect", action="store_true", help="run the same steps without a Prefect flow run")
    p.add_argument("--quiet", action="store_true", help="no progress")
    return {"reextract": cmd_reextract}


def cmd_reextract(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from warehouse.reextract import Selection

    if args.workers:
        settings.workers = args.workers
    db = str(args.db or settings.db)
    if not Path(db).exists():
        raise ConfigError(f"{db}: no such warehouse (run `wire backfill ... --db {db}` first)")
    selection = Selection(all=args.all, since=args.since, where=args.where)
    from .reextract import reextract, set_progress

    progress = None
    if not args.quiet and sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        progress = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), transient=True)
        progress.start()
        bar = progress.add_task("reextract", total=None)
        set_progress(lambda done, total: progress.update(bar, completed=done, total=total))
    elif not args.quiet:
        set_progress(lambda done, total: print(f"  {done}/{total} items", file=sys.stderr) if total else None)
    try:
        if args.no_prefect:
            summary = reextract(db, selection, settings).as_dict()
        else:
            from .prefect_env import prepare_prefect_env

            prepare_prefect_env()
            from .reextract import reextract_flow

            summary = reextract_flow(db, all_=selection.all,
                                     since=selection.since.isoformat() if selection.since else None,
                                     where=selection.where)
    finally:
        if progress is not None:
            progress.stop()
        set_progress(None)
    _print_summary(summary)
    return 1 if summary["failed"] and not summary["reextracted"] else 0


def _print_summary(s: dict[str, Any]) -> None:
    print(f"wire reextract ({s['selection']}) -> {s['db']} (run {s['run_id']}, {s['seconds']:.1f}s)")
    print(f"  extractor version {s['version']}" + ("   (continued an unfinished run)" if s["resumed"] else ""))
    print(f"  items chosen    {s['chosen']:>8}")
    print(f"  re-extracted    {s['reextracted']:>8}   in {s['batches']} batches")
    print(f"  facts changed   {s['changed']:>8}   items whose facts differ from the stored ones")
    print(f"  failed          {s['failed']:>8}   (facts and version left as they were)")
    for reason in s["error_reasons"][:20]:
        print(f"    - {reason}")
    for name in ("actors", "mentions", "quotes", "numbers"):
        print(f"  {name:<15} +{s['added'].get(name, 0)} -{s['removed'].get(name, 0)} ~{s['updated'].get(name, 0)}")
