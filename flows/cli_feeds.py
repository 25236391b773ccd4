"""`wire ingest`, `wire feeds` and `wire serve`: live feeds from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import FeedsFailed
from .settings import Settings

__all__ = ["register"]


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="FILE", default=None,
                   help="warehouse file (default: $WIRE_DB or the `db` setting, 'warehouse.duckdb')")


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser(
        "ingest", help="poll feeds once and store their new entries",
        description="Poll each URL once (RSS, Atom or JSON Feed), or with no URL every configured [[feeds]] "
        "entry that is due, and store new or changed entries. Polls are conditional (ETag / Last-Modified), "
        "so polling an unchanged feed again stores nothing.")
    p.add_argument("urls", nargs="*", metavar="URL", help="feed URLs (default: the configured feeds)")
    _db_arg(p)
    p.add_argument("--all", action="store_true", help="with no URL: poll every configured feed, due or not")
    p.add_argument("--agency", default=None, help="agency of the given URLs' stories")
    p.add_argument("--fetch-article", action="store_true", default=None,
                   help="fetch the linked article page for entries that carry only a summary")
    p.add_argument("--workers", type=int, default=None, help="NLP worker processes (default: all cores)")
    p.add_argument("--no-prefect", action="store_true",
                   help="poll without a Prefect flow run (by default the poll is a flow run with one task per "
                   "feed and a summary artifact, on PREFECT_API_URL or a temporary API server)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")

    p = sub.add_parser(
        "feeds", help="list the feeds with their polling state",
        description="Every configured or polled feed: last poll, last status, new items, failures, next poll, "
        "and why a feed is disabled.")
    _db_arg(p)
    p.add_argument("--format", choices=["table", "json"], default="table", help="output format")

    p = sub.add_parser(
        "serve", help="poll the configured feeds on their intervals until stopped",
        description="Serve one Prefect deployment per configured feed, scheduled on the feed's interval "
        "(needs a Prefect server: `prefect server start`, PREFECT_API_URL). With --local, poll on the same "
        "schedule from a plain loop in this process, without Prefect. The warehouse file is held only "
        "during each short load, so `wire sql` works meanwhile.")
    _db_arg(p)
    p.add_argument("--local", action="store_true", help="plain polling loop, no Prefect server needed")
    p.add_argument("--tick", type=float, default=30.0, help="--local: longest sleep between checks (seconds)")
    return {"ingest": cmd_ingest, "feeds": cmd_feeds, "serve": cmd_serve}


def _db(args: argparse.Namespace, settings: Settings) -> str:
    return str(args.db or settings.db)


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value else "-"


def _print_report(summary: dict[str, Any]) -> None:
    print(f"wire ingest -> {summary['db']} (run {summary['run_id']}, {summary['seconds']:.1f}s)")
    for r in summary["feeds"]:
        label = r["name"] or r["url"]
        print(f"  {label}")
        print(f"    {r['outcome']}: {r['status']}")
        if r["outcome"] == "stored":
            extra = []
            if r["versions"]:
                extra.append(f"{r['versions']} new versions")
            if r["duplicates"]:
                extra.append(f"{r['duplicates']} duplicates of other stories")
            if r["already"]:
                extra.append(f"{r['already']} stored before")
            if r["repeated"]:
                extra.append(f"{r['repeated']} repeated in the feed")
            if r["articles"]:
                extra.append(f"{r['articles']} article pages fetched")
            print(f"    entries {r['entries']}, new items {r['new_items']}"
                  + (f" ({', '.join(extra)})" if extra else ""))
        for w in r["warnings"][:5]:
            print(f"    ! {w}")
        if r["next_poll"]:
            print(f"    next poll {str(r['next_poll'])[:19]} UTC")
    print(f"  total: {summary['new_items']} new items from {len(summary['feeds'])} feeds, "
          f"{summary['errors']} feeds with errors")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from .feeds_config import resolve_feeds
    from .prefect_env import prepare_prefect_env

    if args.workers:
        settings.workers = args.workers
    db = _db(args, settings)
    feeds = resolve_feeds(args.urls, settings, agency=args.agency, fetch_article=args.fetch_article)
    if not feeds:
        print("wire ingest: no URL given and no [[feeds]] configured (see `wire config`)", file=sys.stderr)
        return 2
    explicit = bool(args.urls) or args.all
    if not args.no_prefect:
        prepare_prefect_env()
        from .ingest import ingest_flow

        state: Any = ingest_flow(urls=[f.url for f in feeds] if args.urls else None, db=db,
                            skip="none" if explicit else "not_due", force=explicit, agency=args.agency,
                            fetch_article=args.fetch_article, return_state=True)
        summary = state.result(raise_on_failure=False)
        if isinstance(summary, FeedsFailed):  # every feed failed: the run is Failed and still reports
            summary = summary.summary
    else:
        from .ingest import ingest

        summary = json.loads(json.dumps(
            ingest(feeds, db, settings, skip="none" if explicit else "not_due", force=explicit).as_dict(),
            default=str))
    if args.format == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        _print_report(summary)
    return 1 if summary["errors"] else 0


def feed_rows(db: str, settings: Settings) -> list[dict[str, Any]]:
    """Configured feeds and every feed in the warehouse, with their state (configured first)."""
    from warehouse import reader
    from warehouse.feeds import FeedState, all_feed_states

    from .feeds_config import feed_configs

    states: list[FeedState] = []
    if Path(db).exists():
        with reader(db, wait=settings.read_wait) as con:
            has_table = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'feeds'").fetchone()
            if has_table and has_table[0]:
                states = all_feed_states(con)
    by_id = {s.feed_id: s for s in states}
    rows: list[dict[str, Any]] = []
    order = [f.feed_id for f in feed_configs(settings)]
    configured = {f.feed_id: f for f in feed_configs(settings)}
    for fid in order + [s.feed_id for s in states if s.feed_id not in configured]:
        cfg = configured.get(fid)
        st = by_id.get(fid)
        status = st.last_status if st and st.last_status else "never polled"
        if st and st.disabled:
            status = f"DISABLED: {st.disabled_reason or status}"
        rows.append({
            "name": (cfg.name if cfg else None) or (st.name if st else None) or "",
            "url": cfg.url if cfg else st.url if st else "",
            "configured": cfg is not None,
            "interval_s": cfg.interval_s if cfg else st.interval_s if st else None,
            "last_poll": st.last_poll if st else None,
            "last_status": status,
            "http": st.last_http if st else None,
            "new_items": st.new_items if st else 0,
            "total_items": st.total_items if st else 0,
            "failures": st.failures if st else 0,
            "next_poll": st.next_poll if st else None,
            "moved_to": st.permanent_url if st else None,
        })
    return rows


def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    from .cli import print_table

    rows = feed_rows(_db(args, settings), settings)
    if args.format == "json":
        print(json.dumps(rows, default=str, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("no feeds: none configured ([[feeds]] in wire.toml) and none polled in this warehouse")
        return 0
    columns = ["feed", "last poll (UTC)", "last status", "new", "total", "failures", "next poll (UTC)"]
    table = [
        (r["name"] or r["url"], _when(r["last_poll"]), r["last_status"], r["new_items"], r["total_items"],
         r["failures"], _when(r["next_poll"]) if not r["last_status"].startswith("DISABLED") else "disabled")
        for r in rows
    ]
    print_table(columns, table, 70)
    for r in rows:
        if r["name"]:
            print(f"  {r['name']}: {r['url']}" + (f" (moved to {r['moved_to']})" if r["moved_to"] else ""))
        elif r["moved_to"]:
            print(f"  {r['url']} moved to {r['moved_to']}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    db = _db(args, settings)
    if args.local:
        from .serve import serve_local

        print(f"wire serve --local: polling the configured feeds into {db} (Ctrl-C stops)", file=sys.stderr)

        def show(summary: Any) -> None:
            _print_report(json.loads(json.dumps(summary.as_dict(), default=str)))
            sys.stdout.flush()

        serve_local(settings, db, tick=args.tick, on_run=show)
        return 0
    from .prefect_env import prepare_prefect_env
    from .serve import serve

    prepare_prefect_env()
    serve(settings, db)
    return 0
