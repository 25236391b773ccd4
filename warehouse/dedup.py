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
- Exact: same normalised-body hash. Near: shares `LshParams.min_bands` LSH buckets (2 by default) with a
  root of another story AND the real Jaccard similarity of the word 3-shingle sets (compared as sets of
  64-bit shingle hashes) is >= the threshold; the most similar root wins (ties: the earliest).

Cost on a large warehouse is dominated by reading stored bodies of candidates, so: two shared buckets
rather than one (about 30x fewer false candidates at Jaccard 0.3, recall at the threshold still >= 0.999),
bodies read only for candidates whose shingle hashes are not cached, through literal IN lists.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from extractors.shared import MinHasher, shingle_hashes

from .tables import arrow_schema, table

__all__ = ["Decision", "NearDupConfig", "decide", "hasher", "index_rows", "insert_index", "reindex"]

Row = dict[str, Any]
_LSH_SCHEMA = arrow_schema(table("lsh_buckets"))
_LSH_COLUMNS = _LSH_SCHEMA.names
U64 = npt.NDArray[np.uint64]
_EMPTY: U64 = np.empty(0, dtype=np.uint64)
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
    original_body: str | None = None  # near: body of `duplicate_of` (decide(with_bodies=True)), for the NLP rule
    keys: list[int] = field(default_factory=list)  # LSH band keys of the row (indexed when it is a root)

    @property
    def is_root(self) -> bool:
        return self.duplicate_of is None


@dataclass
class _Root:
    item_id: str
    story_id: str | None
    order: tuple[int, str]  # (0 stored / 1 batch, tie-break) - earlier wins ties
    hashes: U64 | None = None  # sorted unique shingle hashes of the body


# Shingle hashes of stored first items by item_id. Bodies never change, so the cache is never stale; it
# spares `load_batch` re-reading the bodies `prepare` just read (a body column read is the one costly step
# of a decision on a large warehouse) and keeps often-matched stories at hand in long-running processes.
_CACHE_SIZE = 16_384
_hash_cache: OrderedDict[str, U64] = OrderedDict()


_cache_lock = threading.Lock()  # flows may decide from several threads (Prefect's thread task runner)


def _cache_get(item_id: str) -> U64 | None:
    with _cache_lock:
        return _hash_cache.get(item_id)


def _cache_put(item_id: str, hashes: U64) -> None:
    with _cache_lock:
        _hash_cache[item_id] = hashes
        _hash_cache.move_to_end(item_id)
        while len(_hash_cache) > _CACHE_SIZE:
            _hash_cache.popitem(last=False)


def _hash_jaccard(a: U64, b: U64) -> float:
    """Jaccard similarity of two shingle sets given as sorted unique 64-bit hashes (equal to the Jaccard of
    the shingle sets unless two distinct shingles collide, odds ~1e-14 per body pair)."""
    if a.size == 0 or b.size == 0:
        return 0.0
    inter = int(np.intersect1d(a, b, assume_unique=True).size)
    return inter / (a.size + b.size - inter)


def _eligible(row: Row) -> bool:
    return (row.get("pub_status") or "usable") == "usable" and bool((row.get("body") or "").strip())


def _row_fingerprint(row: Row, config: NearDupConfig) -> tuple[list[int], U64]:
    """Band keys and shingle hashes of a row, computed once (prepare) and reused (load)."""
    cached = row.get(_KEYS)
    if isinstance(cached, tuple) and cached[0] == config.scheme:
        return list(cached[1]), cached[2]
    hashes = shingle_hashes(row["body"])
    h = hasher(config)
    keys = h.band_keys(h.signature(hashes)) if config.enabled and hashes.size else []
    row[_KEYS] = (config.scheme, tuple(keys), hashes)
    return keys, hashes


def _stored_exact(con: duckdb.DuckDBPyConnection, shas: list[str]) -> dict[str, list[_Root]]:
    """body_sha256 -> stored usable first items with that body, oldest first (bodies are not read)."""
    out: dict[str, list[_Root]] = defaultdict(list)
    if not shas:
        return out
    for sha, iid, sid in con.execute(
        """SELECT body_sha256, item_id, story_id FROM items
           WHERE body_sha256 IN (SELECT unnest(?)) AND duplicate_of IS NULL
             AND coalesce(pub_status, 'usable') = 'usable'
           ORDER BY ingested_at, item_id""",
        [shas],
    ).fetchall():
        out[sha].append(_Root(iid, sid, (0, "")))
    return out


def _by_ids(con: duckdb.DuckDBPyConnection, columns: str, ids: Sequence[str], where: str = "") -> list[Any]:
    """Rows of items with the given ids. A literal IN list (chunked) rather than a semi-join with an
    unnested list: DuckDB then reads only the matching rows' other columns, not the whole body column."""
    out: list[Any] = []
    ids = list(ids)
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        marks = ", ".join("?" * len(part))
        out.extend(con.execute(f"SELECT {columns} FROM items WHERE item_id IN ({marks}){where}", part).fetchall())
    return out


def _bodies(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, str]:
    return {iid: body or "" for iid, body in _by_ids(con, "item_id, body", ids)}


def _stored_candidates(
    con: duckdb.DuckDBPyConnection, keys: dict[int, list[int]], config: NearDupConfig
) -> tuple[dict[int, set[str]], dict[str, _Root]]:
    """Row index -> stored first items sharing enough band buckets; and those items with their shingle hashes."""
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
            """SELECT p.i, b.item_id FROM _wire_lsh_probe p
               JOIN lsh_buckets b ON b.scheme = ? AND b.band = p.band AND b.bucket = p.bucket
               GROUP BY ALL HAVING count(*) >= ?""",
            [config.scheme, hasher(config).params.min_bands],
        ).fetchall()
    finally:
        con.unregister("_wire_lsh_probe")
    for i, iid in hits:
        by_row[int(i)].add(iid)
    ids = sorted({iid for _, iid in hits})
    roots: dict[str, _Root] = {}
    if ids:
        for iid, sid, ts in _by_ids(con, "item_id, story_id, ingested_at", ids, " AND duplicate_of IS NULL"):
            roots[iid] = _Root(iid, sid, (0, f"{ts.isoformat() if ts else ''}{iid}"), _cache_get(iid))
        missing = [iid for iid, r in roots.items() if r.hashes is None]
        for iid, body in _bodies(con, missing).items():
            roots[iid].hashes = shingle_hashes(body)
        for iid, r in roots.items():
            if r.hashes is not None:
                _cache_put(iid, r.hashes)
    return by_row, roots


def decide(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[Row],
    config: NearDupConfig | None = None,
    *,
    with_bodies: bool = False,
) -> list[Decision]:
    """Exact / near / not a duplicate for each new item row, in order, against stored roots and the
    earlier rows of `rows`. Rows must not be stored yet. Reads only. With `with_bodies`, near-duplicate
    decisions carry the body of the item they copy (`original_body`, for the skip-NLP rule)."""
    config = config or NearDupConfig()
    eligible = [_eligible(r) for r in rows]
    prints = {i: _row_fingerprint(r, config) for i, r in enumerate(rows) if eligible[i]}
    stored_exact = _stored_exact(con, sorted({rows[i]["body_sha256"] for i in prints}))
    cands, stored_roots = (
        _stored_candidates(con, {i: k for i, (k, _) in prints.items() if k}, config)
        if config.enabled else ({}, {})
    )
    min_bands = hasher(config).params.min_bands
    batch_exact: dict[str, list[_Root]] = defaultdict(list)
    batch_index: dict[tuple[int, int], list[_Root]] = defaultdict(list)
    out: list[Decision] = []
    for i, row in enumerate(rows):
        keys, hashes = prints.get(i, ([], _EMPTY))
        decision = Decision(keys=keys)
        out.append(decision)
        if not eligible[i]:
            continue
        sid = row.get("story_id")
        same_body = stored_exact.get(row["body_sha256"], []) + batch_exact.get(row["body_sha256"], [])
        if same_body and not any(r.story_id == sid for r in same_body):
            decision.duplicate_of, decision.kind, decision.similarity = same_body[0].item_id, "exact", 1.0
            continue
        if not same_body and keys:
            pool = {iid: stored_roots[iid] for iid in cands.get(i, ()) if iid in stored_roots}
            shared = Counter(r.item_id for band, key in enumerate(keys) for r in batch_index.get((band, key), ()))
            for band, key in enumerate(keys):
                for r in batch_index.get((band, key), ()):
                    if shared[r.item_id] >= min_bands:
                        pool.setdefault(r.item_id, r)
            best: tuple[float, tuple[int, str], _Root] | None = None
            for root in pool.values():
                if root.story_id == sid or root.hashes is None:
                    continue  # an earlier version of the same story, not a duplicate
                sim = _hash_jaccard(hashes, root.hashes)
                if sim >= config.threshold and (
                    best is None or sim > best[0] or (sim == best[0] and root.order < best[1])
                ):
                    best = (sim, root.order, root)
            if best is not None:
                decision.duplicate_of, decision.kind = best[2].item_id, "near"
                decision.similarity = round(best[0], 6)
                continue
        root = _Root(row["item_id"], sid, (1, f"{i:09d}"), hashes)
        batch_exact[row["body_sha256"]].append(root)
        for band, key in enumerate(keys):
            batch_index[(band, key)].append(root)
    if with_bodies:
        near = [d for d in out if d.kind == "near"]
        in_batch = {r["item_id"]: r["body"] for r in rows}
        wanted = {d.duplicate_of for d in near if d.duplicate_of and d.duplicate_of not in in_batch}
        stored = _bodies(con, sorted(wanted))
        for d in near:
            d.original_body = in_batch.get(d.duplicate_of or "", stored.get(d.duplicate_of or ""))
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
