"""The analyst's commands: `wire search`, `wire export`, `wire schema`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any

from extractors.errors import BadInput

from .settings import Settings

__all__ = ["register"]

_BOLD = ("\x1b[1m", "\x1b[0m")
_PLAIN = ("**", "**")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def register(sub: Any) -> dict[str, Any]:
    db_help = "warehouse file (default: $WIRE_DB or the `db` setting, 'warehouse.duckdb')"
    p = sub.add_parser(
        "search", help="find stories (or quotes) by words, best first, with highlighted snippets",
        description="Rank the latest stories (or, with --quotes, their quotes) by BM25 relevance to WORDS and show "
        "the best passage of each with the matching words marked. Works offline: the DuckDB fts extension comes "
        "from the installed duckdb-extension-fts wheel, and its index is refreshed when the warehouse changed.")
    p.add_argument("words", help='search words, e.g. "interest rates bank"')
    p.add_argument("--quotes", action="store_true", help="search quotes instead of stories")
    p.add_argument("--since", type=_date, default=None, metavar="DATE",
                   help="only stories published (else stored) on or after DATE (YYYY-MM-DD)")
    p.add_argument("--limit", type=int, default=10, help="number of results (default: 10)")
    p.add_argument("--language", metavar="CODE", default=None,
                   help="only stories in this language (BCP 47: 'fr' matches fr and fr-CA, 'pt-BR' only pt-BR); "
                   "stories are ranked with their language's stemmer where the index has one")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    p.add_argument("--engine", choices=["fts", "sql"], default=None,
                   help="force the fts index or the SQL BM25 fallback (default: fts when available)")
    p.add_argument("--db", metavar="FILE", default=None, help=db_help)

    p = sub.add_parser(
        "export", help="export every table to Parquet (partitioned by date), CSV or JSON lines",
        description="Write every table of the warehouse into DIR with a manifest (row counts), schema.sql, "
        "load.sql and views.sql, so the data loads into any engine. Parquet files of item tables are Hive "
        "partitioned by date (date=YYYY-MM-DD: publication date, else storage date).")
    p.add_argument("directory", metavar="DIR", help="output directory (created; must be empty)")
    p.add_argument("--format", choices=["parquet", "csv", "jsonl"], default="parquet", help="file format")
    p.add_argument("--since", type=_date, default=None, metavar="DATE",
                   help="only items published (else stored) on or after DATE, with their facts")
    p.add_argument("--overwrite", action="store_true", help="replace an earlier wire export in DIR")
    p.add_argument("--db", metavar="FILE", default=None, help=db_help)

    p = sub.add_parser(
        "schema", help="print every table and view with column types and meanings",
        description="Print every table and view of the warehouse with its columns, types and one-line meanings "
        "(generated from warehouse/tables.py and warehouse/views.py; no warehouse file is needed).")
    p.add_argument("--markdown", action="store_true", help="Markdown (the README's schema section)")
    p.add_argument("--json", action="store_true", help="JSON")
    return {"search": cmd_search, "export": cmd_export, "schema": cmd_schema}


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "undated"


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from warehouse.search import search

    if args.limit < 1:
        raise BadInput("--limit must be at least 1")
    db = str(args.db or settings.db)
    color = args.format == "text" and sys.stdout.isatty()
    res = search(db, args.words, quotes=args.quotes, since=args.since, limit=args.limit,
                 marks=_BOLD if color else _PLAIN, wait=settings.read_wait, engine=args.engine,
                 language=args.language)
    for note in res.notes:
        print(f"wire search: {note}", file=sys.stderr)
    if args.format == "json":
        hits = [{k: (v.isoformat(sep=" ") if isinstance(v, datetime) else v) for k, v in vars(h).items()}
                for h in res.hits]
        print(json.dumps({"query": res.query, "engine": res.engine, "hits": hits}, ensure_ascii=False, indent=1))
        return 0
    if not res.hits:
        print(f"no {'quotes' if args.quotes else 'stories'} match {args.words!r}")
        return 1
    for n, h in enumerate(res.hits, 1):
        where = ", ".join(x for x in (_when(h.published_at), h.agency) if x)
        print(f"{n:>2}. [{h.score:.2f}] {h.headline or '(no headline)'}  ({where})")
        if h.kind == "quote":
            print(f"    {h.speaker or 'unattributed'}: \u201c{h.snippet}\u201d")
        else:
            print(f"    {h.snippet}")
        ids = f"item {h.item_id}" + (f"  quote {h.quote_id}" if h.quote_id else "")
        print("    " + "  ".join(x for x in (h.source_uri, ids) if x))
    n = len(res.hits)
    noun = ("quote" if n == 1 else "quotes") if args.quotes else ("story" if n == 1 else "stories")
    print(f"({n} {noun}, BM25 via {res.engine})")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from warehouse.export import export

    db = str(args.db or settings.db)
    res = export(db, args.directory, fmt=args.format, since=args.since, overwrite=args.overwrite,
                 wait=settings.read_wait)
    print(f"wire export -> {res.directory} ({res.format}" + (f", since {res.since}" if res.since else "") + ")")
    for name, n in res.counts.items():
        print(f"  {name:<12} {n:>9} rows  {len(res.files[name]):>5} file{'s' if len(res.files[name]) != 1 else ''}")
    print("  reload: cd into it and run schema.sql, load.sql and views.sql in DuckDB (see manifest.json)")
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from warehouse.docs import render_markdown, render_text, schema_docs

    docs = schema_docs()
    if args.json:
        print(json.dumps([asdict(d) for d in docs], indent=1))
    elif args.markdown:
        sys.stdout.write(render_markdown(docs))
    else:
        sys.stdout.write(render_text(docs))
    return 0
