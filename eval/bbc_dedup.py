"""Near-duplicate evaluation on the BBC corpus (issue #6): store every story, score pairs from the warehouse.

    python -m eval.bbc_dedup [--corpus ../shared/corpora/bbc] [--db out.duckdb] [--threshold 0.8] [--perm 128]

Stores every story file through the pipeline's real dedup path (`read_sources` -> `prepare` -> `load_batch`)
with NLP left out (it does not take part in the duplicate decision), then scores:

- gold pairs: story pairs whose bodies (the text after the first blank line of the file, or with
  `--gold-body stored` the stored body, for agency formats) have word 3-shingle Jaccard >= 0.8, words
  being case-folded runs of letters/digits. Found exactly (prefix filtering, no sampling).
- predicted pairs: pairs of stories in one `coalesce(duplicate_of, item_id)` group, read from the
  warehouse with SQL (files that are the same source item, stored once, are in one group). Pairs that
  are versions of one story (same story_id) are never duplicates; they are reported apart.

Prints counts, pair precision / recall / F1, the same for the dev and validation halves of the pairs
(eval.splits) side by side, and the missed and wrong pairs of the dev half only. Works on any folder of story
files (held-out re-sends of wire stories are measured the same way).
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from extractors.dedup import extraction_may_change
from extractors.errors import BadInput
from extractors.identity import item_id
from extractors.readers import read_bytes
from extractors.records import Extraction
from flows.pipeline import SourceFile, chunks, discover, prepare, read_sources
from flows.settings import Settings
from warehouse import Batch, reader, writer
from warehouse.dedup import NearDupConfig
from warehouse.load import load_batch

from .splits import bbc_pair_split

__all__ = ["gold_pairs", "main", "nlp_rule_check", "predicted_pairs", "score", "store_corpus"]

_WORD = re.compile(r"\w+")
Pair = tuple[str, str]


def default_corpus() -> Path:
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "bbc"


def raw_body(path: str) -> str:
    """The text after the first blank line of a story file (the BBC layout: headline, blank line, body)."""
    text = Path(path).read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    return text.split("\n\n", 1)[1] if "\n\n" in text else ""


def _shingles(body: str, k: int = 3) -> set[tuple[str, ...]]:
    w = _WORD.findall(body.casefold())
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def gold_pairs(bodies: dict[str, str], threshold: float = 0.8) -> dict[Pair, float]:
    """Every pair of keys whose bodies' word 3-shingle Jaccard is >= threshold (exact, via prefix
    filtering: two sets with Jaccard >= t share a shingle among each one's rarest |s| - ceil(t|s|) + 1)."""
    sets = {k: _shingles(b) for k, b in bodies.items()}
    sets = {k: s for k, s in sets.items() if s}
    df: Counter[tuple[str, ...]] = Counter(x for s in sets.values() for x in s)
    posting: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key, s in sets.items():
        ordered = sorted(s, key=lambda x: (df[x], x))
        for x in ordered[: len(s) - math.ceil(threshold * len(s)) + 1]:
            posting[x].append(key)
    candidates: set[Pair] = set()
    for keys in posting.values():
        for a, b in combinations(sorted(keys), 2):
            candidates.add((a, b))
    out: dict[Pair, float] = {}
    for a, b in candidates:
        sa, sb = sets[a], sets[b]
        j = len(sa & sb) / len(sa | sb)
        if j >= threshold:
            out[(a, b)] = j
    return out


def store_corpus(files: Sequence[SourceFile], db: str, config: NearDupConfig, batch_files: int) -> dict[str, float]:
    """Store the files through read -> prepare -> load (no NLP); returns counts and seconds."""
    counts: Counter[str] = Counter()
    t0 = time.perf_counter()
    for part in chunks(files, batch_files):
        read = read_sources(part, db=db, run_id="eval-dedup", max_bytes=Settings().max_source_bytes)
        prepared = prepare(read.stories, db=db, run_id="eval-dedup", near_dup=config)
        counts["near_found_before_nlp"] += prepared.near_dups
        counts["near_needing_nlp"] += prepared.near_nlp
        counts["exact_found_before_nlp"] += prepared.exact_dups
        batch = Batch(items=prepared.items, sources=read.sources, problems=read.problems, near_dup=config)
        with writer(db) as con:
            result = load_batch(con, batch)
        counts["stored"] += result.stored
        counts["problems"] += len(read.problems)
    out = {k: float(v) for k, v in counts.items()}
    out["seconds"] = time.perf_counter() - t0
    return out


def read_keys(files: Sequence[SourceFile], max_bytes: int) -> dict[str, tuple[str, str]]:
    """Story key (the file, or file#part inside a multi-item source) -> (item_id, body), read the way the
    pipeline reads them, so files that are the same source item (layer a) map to one stored row."""
    out: dict[str, tuple[str, str]] = {}
    for f in files:
        try:
            stories = read_bytes(Path(f.uri).read_bytes(), f.uri, max_bytes=max_bytes)
        except BadInput:
            continue
        for story in stories:
            story.source_key = f.key
            key = f.uri if len(stories) == 1 else f"{f.uri}#{story.part}"
            out[key] = (item_id(story), story.body)
    return out


def predicted_pairs(db: str, keys: dict[str, tuple[str, str]]) -> tuple[set[Pair], set[Pair], dict[str, int]]:
    """Pairs of story keys in one coalesce(duplicate_of, item_id) group; pairs that are versions of one
    story (same story_id) instead; and item counts by kind."""
    with reader(db) as con:
        rows = con.execute("SELECT item_id, coalesce(duplicate_of, item_id), story_id FROM items").fetchall()
        kinds = dict(con.execute("SELECT coalesce(dup_kind, 'first'), count(*) FROM items GROUP BY 1").fetchall())
    group = {iid: (grp, sid) for iid, grp, sid in rows}
    kinds["groups"] = len({g for g, _ in group.values()})
    by_group: dict[str, list[str]] = defaultdict(list)
    by_story: dict[str, list[str]] = defaultdict(list)
    for key, (iid, _) in keys.items():
        if iid in group:
            by_group[group[iid][0]].append(key)
            by_story[group[iid][1]].append(key)
    same_group = {(a, b) for ks in by_group.values() for a, b in combinations(sorted(ks), 2)}
    same_story = {(a, b) for ks in by_story.values() for a, b in combinations(sorted(ks), 2)} - same_group
    return same_group, same_story, kinds


def score(gold: set[Pair], predicted: set[Pair]) -> dict[str, float]:
    tp = len(gold & predicted)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": len(predicted - gold), "fn": len(gold - predicted), "precision": p, "recall": r, "f1": f}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--corpus", default=str(default_corpus()), help="folder of story files")
    ap.add_argument("--db", default=None, help="warehouse file to build (default: a temporary one)")
    ap.add_argument("--threshold", type=float, default=Settings().near_dup_threshold)
    ap.add_argument("--perm", type=int, default=Settings().minhash_perm)
    ap.add_argument("--gold-threshold", type=float, default=0.8)
    ap.add_argument("--gold-body", choices=("raw", "stored"), default="raw",
                    help="raw: text after the first blank line of the file; stored: items.body")
    ap.add_argument("--batch", type=int, default=Settings().batch_files, help="files per load transaction")
    ap.add_argument("--nlp-rule", type=int, default=0, metavar="N",
                    help="also measure the skip-NLP rule: N stories x 5 kinds of near copies, extracted both ways")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus} (the BBC corpus lives in ../shared/corpora/bbc)", file=sys.stderr)
        return 2
    files, _ = discover([str(corpus)])
    files = [f for f in files if not Path(f.uri).name.upper().startswith("README")]
    uris = {f.uri for f in files}
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "eval.duckdb")
        config = NearDupConfig(args.threshold, args.perm)
        stats = store_corpus(files, db, config, args.batch)
        keys = read_keys(files, Settings().max_source_bytes)
        predicted, versions, kinds = predicted_pairs(db, keys)
        if args.gold_body == "raw":
            bodies = {k: raw_body(k) if k in uris else body for k, (_, body) in keys.items()}
        else:
            bodies = {k: body for k, (_, body) in keys.items()}
        gold = gold_pairs(bodies, args.gold_threshold)
        s = score(set(gold), predicted)
        rel = {k: str(Path(k.split("#")[0]).relative_to(corpus)) + ("#" + k.split("#")[1] if "#" in k else "")
               for k in keys}
        print(f"corpus: {corpus} ({len(files)} story files)")
        print(f"settings: near_dup_threshold={config.threshold} minhash_perm={config.num_perm} scheme={config.scheme}")
        print(f"stored items: {int(stats['stored'])} in {stats['seconds']:.1f}s, problems: {int(stats['problems'])}")
        print(f"items by kind: first-of-group {kinds.get('first', 0)}, exact duplicates {kinds.get('exact', 0)}, "
              f"near duplicates {kinds.get('near', 0)}; groups {kinds['groups']}")
        print(f"before NLP: {int(stats['exact_found_before_nlp'])} exact, {int(stats['near_found_before_nlp'])} near "
              f"({int(stats['near_needing_nlp'])} of them still sent to NLP: extraction may change)")
        print(f"story keys: {len(keys)}; gold pairs (Jaccard >= {args.gold_threshold}): {len(gold)}; "
              f"predicted pairs: {len(predicted)}")
        print(f"TP {s['tp']}  FP {s['fp']}  FN {s['fn']}")
        print(f"pair precision {s['precision']:.4f}  recall {s['recall']:.4f}  F1 {s['f1']:.4f}")
        if versions:
            v = score(set(gold), predicted | versions)
            print(f"{len(versions)} more pairs are versions of one story (same story_id, never duplicates); "
                  f"counting them as pairs: precision {v['precision']:.4f}  recall {v['recall']:.4f}  "
                  f"F1 {v['f1']:.4f}")
        # the pairs split in halves (eval.splits, by a hash of the two files): dev beside validation, and only
        # the dev half's missed and wrong pairs are listed
        def half(pair: Pair) -> str:
            return bbc_pair_split(rel.get(pair[0], pair[0]), rel.get(pair[1], pair[1]))

        print(f"{'':<11}| {'gold':>6} {'pred':>6} {'TP':>6} {'FP':>4} {'FN':>4} | precision  recall  F1")
        for name in ("dev", "validation"):
            hs = score({p for p in gold if half(p) == name}, {p for p in predicted if half(p) == name})
            print(f"{name:<11}| {hs['tp'] + hs['fn']:>6} {hs['tp'] + hs['fp']:>6} {hs['tp']:>6} {hs['fp']:>4} "
                  f"{hs['fn']:>4} | {hs['precision']:.4f}     {hs['recall']:.4f}  {hs['f1']:.4f}")
        for a, b in sorted(p for p in set(gold) - predicted if half(p) == "dev")[:20]:
            print(f"  missed: {rel.get(a, a)} ~ {rel.get(b, b)} (Jaccard {gold[(a, b)]:.3f})")
        for a, b in sorted(p for p in predicted - set(gold) if half(p) == "dev")[:20]:
            j = _jaccard_of(bodies.get(a, ""), bodies.get(b, ""))
            print(f"  wrong:  {rel.get(a, a)} ~ {rel.get(b, b)} (Jaccard {j:.3f})")
        if args.nlp_rule:
            real = [(bodies[a], bodies[b]) for (a, b), j in sorted(gold.items()) if j < 1.0]
            nlp_rule_check(list(bodies.values()), args.nlp_rule, real)
    return 0


def _jaccard_of(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


# --- the skip-NLP rule for near-duplicates -----------------------------------------------------------

_LOWER = re.compile(r"(?<=[a-z,] )[a-z]{4,}\b")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b")
_DIGITS = re.compile(r"\d+")


def _signature(ex: Extraction) -> tuple[object, ...]:
    """What an extraction found, without offsets (offsets of a near copy shift anyway)."""
    return (
        sorted((a.name, a.kind, tuple(sorted(a.titles))) for a in ex.actors),
        sorted((q.text, q.kind, q.speaker or "", q.cue or "") for q in ex.quotes),
        sorted((n.text, n.value or 0.0, n.unit or "", n.counted or "", n.kind) for n in ex.numbers),
    )


def _edit(body: str, kind: str, rng: random.Random, lower: list[str], names: list[str]) -> str | None:
    """A near copy of `body` made by one kind of edit (None when the body offers no place for it)."""
    def swap(pattern: re.Pattern[str], pool: list[str], count: int, drop: bool = False) -> str | None:
        spots = list(pattern.finditer(body))
        if len(spots) < count:
            return None
        out = body
        for m in sorted(rng.sample(spots, count), key=lambda m: -m.start()):
            new = "" if drop else rng.choice(pool)
            end = m.end() + 1 if drop and out[m.end() : m.end() + 1] == " " else m.end()
            out = out[: m.start()] + new + out[end:]
        return out

    if kind == "reword":
        return swap(_LOWER, lower, 2)
    if kind == "drop":
        return swap(_LOWER, lower, 2, drop=True)
    if kind == "name":
        return swap(_NAME, names, 1)
    if kind == "figure":
        spots = list(_DIGITS.finditer(body))
        if not spots:
            return None
        m = rng.choice(spots)
        return body[: m.start()] + str(int(m.group()) + 1 + rng.randrange(9)) + body[m.end() :]
    if kind == "quote":
        paras = body.split("\n\n")
        i = rng.randrange(len(paras))
        paras[i] += ' "We will look at this again," a spokesman said.'
        return "\n\n".join(paras)
    raise ValueError(kind)


def nlp_rule_check(bodies: list[str], n: int, real_pairs: list[tuple[str, str]], seed: int = 11) -> None:
    """Does skipping NLP for a near copy lose anything? Extract original and copy, compare what was found.

    Prints, per kind of edit and for the corpus's own near-duplicate pairs: how often the rule sends the
    copy to NLP, and how often the extraction really changed, split by the rule's decision.
    """
    from extractors.extract import extract_texts
    from extractors.nlp import load_nlp

    rng = random.Random(seed)
    pool = [b for b in bodies if len(b.split()) >= 120]
    lower = sorted({w for b in pool[:400] for w in _LOWER.findall(b)})
    names = sorted({w for b in pool[:400] for w in _NAME.findall(b)})
    pairs: list[tuple[str, str, str]] = [("corpus pair", a, b) for a, b in real_pairs]
    for body in rng.sample(pool, min(n, len(pool))):
        for kind in ("reword", "drop", "name", "figure", "quote"):
            copy = _edit(body, kind, rng, lower, names)
            if copy is not None:
                pairs.append((kind, body, copy))
    nlp = load_nlp()
    texts = sorted({t for _, a, b in pairs for t in (a, b)})
    t0 = time.perf_counter()
    found = dict(zip(texts, (_signature(e) for e in extract_texts(nlp, ((t, None, None) for t in texts))),
                     strict=True))
    seconds = time.perf_counter() - t0
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, a, b in pairs:
        run = extraction_may_change(a, b)
        changed = found[a] != found[b]
        for key in (kind, "all"):
            table[key][("run" if run else "skip") + ("-changed" if changed else "-same")] += 1
    print(f"skip-NLP rule: {len(pairs)} near copies, {len(texts)} texts extracted in {seconds:.0f}s")
    print(f"  {'edit':<12} {'pairs':>5} {'skip':>5} {'skip, extraction changed':>25} {'run':>5} "
          f"{'run, extraction changed':>24}")
    for kind, c in table.items():
        skip, sent = c["skip-same"] + c["skip-changed"], c["run-same"] + c["run-changed"]
        print(f"  {kind:<12} {skip + sent:>5} {skip:>5} {c['skip-changed']:>25} {sent:>5} {c['run-changed']:>24}")


if __name__ == "__main__":
    raise SystemExit(main())
