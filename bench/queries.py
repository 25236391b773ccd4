"""Query speed at scale: build a warehouse of generated items and time the README's analyst queries.

    python -m bench.queries [--items 1000000] [--db /tmp/wire-1m.duckdb] [--keep]

The generator writes through the real schema (warehouse.schema.migrate) with DuckDB SQL only: per item
5 actors (names drawn from a 50,000-name pool with a skewed distribution, so some actors are in many
stories), 5 mentions, 2 quotes with speakers and titles, 3 numbers; 2% of items are exact duplicates and
1% are second versions, so the views do real work. It then runs every query of warehouse/examples.py
(the README's) read-only, three times each, and prints the best time of each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from warehouse.examples import EXAMPLES
from warehouse.schema import migrate

__all__ = ["generate", "main"]


def generate(db: str, items: int, *, seed: float = 0.42) -> dict[str, int]:
    con = duckdb.connect(db)
    try:
        migrate(con)
        con.execute(f"SELECT setseed({seed})")
        con.execute(f"""
            CREATE TEMP TABLE gen AS
            SELECT i,
                   substr(md5('item' || i), 1, 16) AS item_id,
                   substr(md5('story' || CASE WHEN i % 100 = 99 THEN i - 1 ELSE i END), 1, 16) AS story_id,
                   CASE WHEN i % 100 = 99 THEN 2 ELSE 1 END AS version,
                   CASE WHEN i % 50 = 49 THEN substr(md5('item' || (i - 7)), 1, 16) END AS duplicate_of,
                   TIMESTAMP '2024-01-01' + to_minutes(i::BIGINT) AS published_at,
                   ['AFP', 'AP', 'Reuters', 'dpa', 'EFE'][1 + i % 5] AS agency
            FROM range({items}) t(i)
        """)
        con.execute("""
            INSERT INTO items (item_id, story_id, version, is_head, source_uri, source_kind, part, title, byline,
                               agency,
                               published_at, ingested_at, pub_status, body, body_sha256, word_count,
                               duplicate_of, dup_kind, extracted, extractor_version, run_id, subjects, keywords,
                               warnings)
            SELECT item_id, story_id, version, i % 100 != 98, 'gen/' || i || '.txt', 'text', 0,
                   'Generated story ' || i || ' about topic ' || (i % 997), 'Reporter ' || (i % 300), agency,
                   published_at, published_at + INTERVAL 5 MINUTE, 'usable',
                   'Body of generated story ' || i || '. Officials said ' || (i % 1000) || ' people were affected.'
                     || ' The minister of topic ' || (i % 997) || ' said talks would go on.',
                   md5('body' || i), 24, duplicate_of, CASE WHEN duplicate_of IS NOT NULL THEN 'exact' END,
                   duplicate_of IS NULL, '0', 'gen', [], [], []
            FROM gen
        """)
        con.execute("""
            CREATE TEMP TABLE pool AS
            SELECT k, 'Actor ' || k AS name, ['person', 'org', 'place', 'person', 'group'][1 + k % 5] AS kind,
                   substr(md5('actor' || k), 1, 16) AS actor_id
            FROM range(50000) t(k)
        """)
        con.execute("""
            CREATE TEMP TABLE picks AS
            SELECT g.item_id, j, (floor(pow(random(), 3) * 50000))::BIGINT AS k
            FROM gen g, range(5) r(j) WHERE g.duplicate_of IS NULL
        """)
        con.execute("""
            INSERT INTO actors
            SELECT p.item_id, a.actor_id, a.name, a.kind,
                   CASE WHEN a.kind = 'person' THEN ['minister of topic ' || (a.k % 997)] ELSE [] END,
                   [], [], 1 + (a.k % 3)::INTEGER
            FROM (SELECT DISTINCT item_id, k FROM picks) p JOIN pool a USING (k)
        """)
        con.execute("""
            INSERT INTO mentions
            SELECT a.item_id, substr(md5(a.item_id || a.actor_id), 1, 16), a.actor_id, a.name, a.kind, 10, 20
            FROM actors a
        """)
        con.execute("""
            INSERT INTO quotes
            SELECT a.item_id, substr(md5('q' || a.item_id || a.actor_id), 1, 16),
                   'Generated quote by ' || a.name || ' on topic ' || (hash(a.item_id) % 997), 'direct',
                   a.name, a.actor_id, a.name, 'said', 30, 90
            FROM actors a WHERE a.kind IN ('person', 'org') AND hash(a.item_id || a.actor_id) % 2 = 0
        """)
        con.execute("""
            INSERT INTO numbers
            SELECT g.item_id, substr(md5('n' || g.item_id || j), 1, 16), (g.i % 1000 + j)::VARCHAR,
                   (g.i % 1000 + j)::DOUBLE, NULL, NULL,
                   CASE WHEN j = 1 THEN 'USD' WHEN j = 2 THEN '%' END,
                   CASE WHEN j = 0 THEN ['people', 'soldiers', 'homes', 'jobs'][1 + g.i % 4] END, NULL, j = 0,
                   NULL, NULL, ['count', 'money', 'percent'][1 + j], 50, 60
            FROM gen g, range(3) r(j) WHERE g.duplicate_of IS NULL
        """)
        counts = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
                  for t in ("items", "actors", "mentions", "quotes", "numbers")}
        con.execute("CHECKPOINT")
        return counts
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--db", default=None, help="warehouse to build (default: a temporary file)")
    ap.add_argument("--reuse", action="store_true", help="time queries on an existing --db without building")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wire-queries-") as tmp:
        db = args.db or str(Path(tmp) / "gen.duckdb")
        if not args.reuse:
            if Path(db).exists():
                Path(db).unlink()
            t0 = time.perf_counter()
            counts = generate(db, args.items)
            print(f"generated {db} in {time.perf_counter() - t0:.1f}s: "
                  + ", ".join(f"{v:,} {k}" for k, v in counts.items()), flush=True)
        con = duckdb.connect(db, read_only=True)
        print("\n| query | question | best of 3 | rows |\n|---|---|---|---|")
        worst = 0.0
        for ex in EXAMPLES:
            best = float("inf")
            rows = 0
            for _ in range(3):
                t0 = time.perf_counter()
                rows = len(con.execute(ex.sql).fetchall())
                best = min(best, time.perf_counter() - t0)
            worst = max(worst, best)
            print(f"| {ex.name} | {ex.question} | {best * 1000:,.0f} ms | {rows} |")
        con.close()
        print(f"\nslowest query: {worst * 1000:,.0f} ms ({'under' if worst < 1 else 'OVER'} one second)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
