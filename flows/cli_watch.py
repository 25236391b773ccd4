"""`wire watch`: poll drop folders and ingest every settled new or changed file."""

from __future__ import annotations

import argparse
from typing import Any

from .settings import Settings

__all__ = ["register"]


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser(
        "watch", help="watch drop folders and ingest new or changed files as they settle",
        description="Poll FOLDER... (default: the [[drop_folders]] of the settings) every --interval seconds "
        "and ingest each new or changed file once it has stopped changing. What was ingested is recorded in the "
        "warehouse, so a restart neither repeats nor misses files.")
    p.add_argument("folders", nargs="*", metavar="FOLDER")
    p.add_argument("--db", metavar="FILE", default=None, help="warehouse file (default: $WIRE_DB or the `db` setting)")
    p.add_argument("--interval", type=float, default=None, help="seconds between polls (default: 30)")
    p.add_argument("--once", action="store_true", help="poll once and exit")
    p.add_argument("--no-prefect", action="store_true", help="ingest without Prefect flow runs")
    return {"watch": cmd_watch}


def cmd_watch(args: argparse.Namespace, settings: Settings) -> int:
    from .prefect_env import prepare_prefect_env

    prepare_prefect_env()
    from .errors import ConfigError
    from .watch import watch_loop

    folders = list(args.folders) or [str(d["path"]) for d in settings.drop_folders if "path" in d]
    if not folders:
        raise ConfigError("no folders to watch: give FOLDER... or [[drop_folders]] path = ... in wire.toml")
    intervals = [float(d.get("interval", 30)) for d in settings.drop_folders if "path" in d]
    interval = args.interval or (min(intervals) if intervals else 30.0)
    db = str(args.db or settings.db)

    def show(summary: Any) -> None:
        s = summary if isinstance(summary, dict) else summary.as_dict()
        print(f"wire watch: {s['stored']} stored, {s['duplicates']} duplicates, {s['skipped']} skipped, "
              f"{s['errors']} errors", flush=True)

    print(f"wire watch: polling {', '.join(folders)} every {interval:g}s into {db} (Ctrl-C stops)", flush=True)
    watch_loop(folders, db, interval=interval, settings=settings, polls=1 if args.once else None,
               use_prefect=not args.no_prefect, on_summary=show)
    return 0
