"""`wire dedup-reindex`: rebuild the near-duplicate index after `near_dup_threshold` or `minhash_perm` changed.

Band keys are stored per scheme (permutations, bands x rows, seed); items stored under another scheme are
not found by look-ups until their keys are computed again under the current one.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from warehouse import writer
from warehouse.dedup import NearDupConfig, reindex

from .settings import Settings

__all__ = ["register"]


def register(sub: Any) -> dict[str, Any]:
    p = sub.add_parser(
        "dedup-reindex", help="compute near-duplicate band keys of stored stories under the current settings",
        description="Compute the MinHash LSH band keys of every stored first-of-group story that has none under "
        "the current near_dup_threshold / minhash_perm, so later loads find near-duplicates among them. Needed "
        "once after changing either setting; keys of other settings are kept (nothing is deleted).")
    p.add_argument("--db", metavar="FILE", default=None,
                   help="warehouse file (default: $WIRE_DB or the `db` setting, 'warehouse.duckdb')")
    return {"dedup-reindex": cmd_reindex}


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    config = NearDupConfig(settings.near_dup_threshold, settings.minhash_perm)
    if not config.enabled:
        print(f"near-duplicate detection is off (near_dup_threshold = {config.threshold}); nothing to index")
        return 0
    t0 = time.perf_counter()
    with writer(str(args.db or settings.db), wait=settings.lock_wait, threads=None) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            written = reindex(con, config)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    print(f"{written:,} band keys written under scheme {config.scheme} in {time.perf_counter() - t0:.1f}s")
    return 0
