"""Duplicate decisions against the warehouse: exact body hashes and MinHash LSH look-ups in `lsh_buckets`.

`decide` is called twice per batch with the same rows: by `flows.pipeline.prepare` before NLP (to skip
NLP for duplicates) and by `load_batch` inside the load transaction, where its answer is authoritative.
It never rebuilds an index: stored items are found through their stored band keys, new items of the
batch through an in-memory index of the batch's earlier rows. (If another writer stores items between the
two calls, the answers can differ: an item judged a duplicate before NLP but not at load is stored as a
first item with `extracted = false` (no facts); the reverse drops the facts NLP found for it.)

Rules:
- Only the first item of a group (a *root*: `duplicate_of IS NULL`) is a candidate, so every duplicate
  points at its group's first item and groups are stars: if A~B and B~C but not A~C, C is compared with
  A only and starts its own group (no chains that would pair A with C).
- An item is never a duplicate of an item of its own story (same `story_id`): that is a new version.
- Items that are not usable (kills, withheld) or have an empty body are never duplicates and are not
  indexed: their bodies are status notices, not content.
- Exact: same normalised-body hash. Near: shares an LSH bucket with a root of another story AND the real
  Jaccard similarity of the word 3-shingle sets is >= the threshold; the most similar root wins (ties: the
  earliest).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import duckdb
import pyarrow as pa

from extractors.dedup import MinHasher, jaccard, shingles

from .tables import arrow_schema, table

__all__ = ["Decision", "NearDupConfig", "decide", "index_rows", "insert_index", "reindex"]

Row = dict[str, Any]
_LSH_SCHEMA = arrow_schema(table("lsh_buckets"))
_LSH_COLUMNS = _LSH_SCHEMA.names
_KEYS = "_lsh_keys"  # private row key: band keys computed by prepare, reused by load (not a column)


@dataclass(frozen=True)
class NearDupConfig:
    threshold: float = 0.8  # Jaccard of word 3-shingles at or above which bodies are near-duplicates
    num_perm: int = 128  # MinHash permutations
    seed: int = 1

    @property
    def enabled(self) -> bool:
        return 0.0 < self.threshold <= 1.0

    @property
    def scheme(self) -> str:
        """Names the band-key scheme; keys stored under another scheme are not comparable."""
        p = hasher(self).params
        return f"mh{self.num_perm}-b{p.bands}r{p.rows}-s{self.seed}"


@lru_cache(maxsize=8)
def hasher(config: NearDupConfig) -> MinHasher:
    return MinHasher(config.num_perm, config.threshold if config.enabled else 0.8, config.seed)


@dataclass
class Decision:
    duplicate_of: str | None = None
    kind: str | None = None  # "exact" | "near"
    similarity: float | None = None
    original_body: str | None = None  # body of `duplicate_of`, for deciding whether NLP is still needed
    keys: list[int] = field(default_factory=list)  # LSH band keys of the row (indexed when it is a root)

    @property
    def is_root(self) -> bool:
        return self.duplicate_of is None


@dataclass
class _Root:
    item_id: str
    story_id: str | None
    body: str
    order: tuple[int, str]  # (0 stored / 1 batch, tie-break) - earlier wins ties
    _shingles: set[tuple[str, ...]] | None = None

    def shingles(self) -> set[tuple[str, ...]]:
        if self._shingles is None:
            self._shingles = shingles(self.body)
        return self._shingles


def _eligible(row: Row) -> bool:
    return (row.get("pub_status") or "usable") == "usable" and bool((row.get("body") or "").strip())


def _row_keys(row: Row, config: NearDupConfig) -> list[int]:
    cached = row.get(_KEYS)
    if isinstance(cached, tuple) and cached[0] == config.scheme:
        return list(cached[1])
    keys = hasher(config).keys_of(row["body"]) if config.enabled else []
    row[_KEYS] = (config.scheme, tuple(keys))
    return keys


def _stored_exact(con: duckdb.DuckDBPyConnection, shas: list[str]) -> dict[str, list[_Root]]:
    out: dict[str, list[_Root]] = defaultdict(list)
    if not shas:
        return out
    for sha, iid, sid, body in con.execute(
        """SELECT body_sha256, item_id, story_id, body FROM items
           WHERE body_sha256 IN (SELECT unnest(?)) AND duplicate_of IS NULL
             AND coalesce(pub_status, 'usable') = 'usable'
           ORDER BY ingested_at, item_id""",
        [shas],
    ).fetchall():
        out[sha].append(_Root(iid, sid, body or "", (0, "")))
    return out


def _stored_candidates(
    con: duckdb.DuckDBPyConnection, keys: dict[int, list[int]], config: NearDupConfig
) -> tuple[dict[int, set[str]], dict[str, _Root]]:
    """Row index -> stored root ids sharing a band bucket; and those roots' story and body."""
    idx: list[int] = []
    bands: list[int] = []
    buckets: list[int] = []
    for i, ks in keys.items():
        for band, key in enumerate(ks):
            idx.append(i)
            bands.append(band)
            buckets.append(key)
    by_row: dict[int, set[str]] = defaultdict(set)
    if not idx:
        return by_row, {}
    probe = pa.table({"i": pa.array(idx, pa.int32()), "band": pa.array(bands, pa.int32()),
                      "bucket": pa.array(buckets, pa.int64())})
    con.register("_wire_lsh_probe", probe)
    try:
        hits = con.execute(
            """SELECT DISTINCT p.i, b.item_id FROM _wire_lsh_probe p
               JOIN lsh_buckets b ON b.scheme = ? AND b.band = p.band AND b.bucket = p.bucket""",
            [config.scheme],
        ).fetchall()
    finally:
        con.unregister("_wire_lsh_probe")
    for i, iid in hits:
        by_row[int(i)].add(iid)
    ids = sorted({iid for _, iid in hits})
    roots: dict[str, _Root] = {}
    if ids:
        for iid, sid, body, ts in con.execute(
            """SELECT item_id, story_id, body, ingested_at FROM items
               WHERE item_id IN (SELECT unnest(?)) AND duplicate_of IS NULL""",
            [ids],
        ).fetchall():
            roots[iid] = _Root(iid, sid, body or "", (0, f"{ts.isoformat() if ts else ''}{iid}"))
    return by_row, roots


def decide(con: duckdb.DuckDBPyConnection, rows: Sequence[Row], config: NearDupConfig | None = None) -> list[Decision]:
    """Exact / near / not a duplicate for each new item row, in order, against stored roots and the
    earlier rows of `rows`. Rows must not be stored yet. Reads only."""
    config = config or NearDupConfig()
    eligible = [_eligible(r) for r in rows]
    keys: dict[int, list[int]] = {i: _row_keys(r, config) for i, r in enumerate(rows) if eligible[i]}
    stored_exact = _stored_exact(con, sorted({rows[i]["body_sha256"] for i in keys}))
    cands, stored_roots = (
        _stored_candidates(con, {i: k for i, k in keys.items() if k}, config) if config.enabled else ({}, {})
    )
    batch_exact: dict[str, list[_Root]] = defaultdict(list)
    batch_index: dict[tuple[int, int], list[_Root]] = defaultdict(list)
    out: list[Decision] = []
    for i, row in enumerate(rows):
        decision = Decision(keys=keys.get(i, []))
        out.append(decision)
        if not eligible[i]:
            continue
        sid = row.get("story_id")
        same_body = stored_exact.get(row["body_sha256"], []) + batch_exact.get(row["body_sha256"], [])
        if same_body and not any(r.story_id == sid for r in same_body):
            first = same_body[0]
            decision.duplicate_of, decision.kind, decision.similarity = first.item_id, "exact", 1.0
            decision.original_body = first.body
            continue
        if not same_body and decision.keys:
            pool = {iid: stored_roots[iid] for iid in cands.get(i, ()) if iid in stored_roots}
            for band, key in enumerate(decision.keys):
                for r in batch_index.get((band, key), ()):
                    pool.setdefault(r.item_id, r)
            best: tuple[float, tuple[int, str], _Root] | None = None
            mine: set[tuple[str, ...]] | None = None
            for root in pool.values():
                if root.story_id == sid:
                    continue  # an earlier version of the same story, not a duplicate
                if mine is None:
                    mine = shingles(row["body"])
                sim = jaccard(mine, root.shingles())
                if sim >= config.threshold and (
                    best is None or sim > best[0] or (sim == best[0] and root.order < best[1])
                ):
                    best = (sim, root.order, root)
            if best is not None:
                decision.duplicate_of, decision.kind = best[2].item_id, "near"
                decision.similarity, decision.original_body = round(best[0], 6), best[2].body
                continue
        root = _Root(row["item_id"], sid, row["body"], (1, f"{i:09d}"))
        batch_exact[row["body_sha256"]].append(root)
        for band, key in enumerate(decision.keys):
            batch_index[(band, key)].append(root)
    return out


def index_rows(rows: Sequence[Row], decisions: Sequence[Decision], config: NearDupConfig) -> list[Row]:
    """`lsh_buckets` rows for the roots among `rows` (duplicates are never candidates, so not indexed)."""
    scheme = config.scheme
    return [
        {"scheme": scheme, "band": band, "bucket": key, "item_id": row["item_id"]}
        for row, d in zip(rows, decisions, strict=True)
        if d.is_root
        for band, key in enumerate(d.keys)
    ]


def insert_index(con: duckdb.DuckDBPyConnection, rows: Sequence[Row]) -> int:
    """Append `lsh_buckets` rows (plain INSERT: the table has no key, the rows are of new items)."""
    if not rows:
        return 0
    arrow = pa.Table.from_pylist([{c: r[c] for c in _LSH_COLUMNS} for r in rows], schema=_LSH_SCHEMA)
    con.register("_wire_lsh_rows", arrow)
    try:
        cols = ", ".join(f'"{c}"' for c in _LSH_COLUMNS)
        con.execute(f"INSERT INTO lsh_buckets ({cols}) SELECT {cols} FROM _wire_lsh_rows")
    finally:
        con.unregister("_wire_lsh_rows")
    return len(rows)


def reindex(con: duckdb.DuckDBPyConnection, config: NearDupConfig, *, batch: int = 5000) -> int:
    """(Re)build the band keys of every stored usable root under `config`'s scheme (after the
    threshold or permutation count changed); returns the rows written. Keys of other schemes stay."""
    if not config.enabled:
        return 0
    h = hasher(config)
    ids = [r[0] for r in con.execute(
        """SELECT item_id FROM items WHERE duplicate_of IS NULL AND coalesce(pub_status, 'usable') = 'usable'
           AND item_id NOT IN (SELECT item_id FROM lsh_buckets WHERE scheme = ?) ORDER BY item_id""",
        [config.scheme],
    ).fetchall()]
    written = 0
    for start in range(0, len(ids), batch):
        chunk = con.execute(
            "SELECT item_id, body FROM items WHERE item_id IN (SELECT unnest(?))", [ids[start : start + batch]]
        ).fetchall()
        rows = [{"scheme": config.scheme, "band": band, "bucket": key, "item_id": iid}
                for iid, body in chunk for band, key in enumerate(h.keys_of(body or ""))]
        written += insert_index(con, rows)
    return written
