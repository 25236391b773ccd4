"""Dedup at scale (issue #6): what share of a backfill's time does duplicate detection take with 100,000
stories already stored?

    python -m bench.dedup_scale [--stored 100000] [--new 120] [--corpus ../shared/corpora/bbc] [--db PATH]

1. Builds a warehouse of `--stored` stories generated from the corpus: each is spliced from paragraphs of
   three random stories with a few words swapped (so most are new stories, first of their group and
   indexed), with 10% near copies and 5% exact copies of earlier ones mixed in. They are loaded with
   `load_batch` (the authoritative dedup path, including LSH inserts), without NLP.
2. Writes `--new` story files (60% new splices, 25% near copies, 15% exact copies of stored stories) and
   runs a real `backfill` over them (NLP included), timing every dedup step inside it: the look-ups and
   decision in `prepare`, the extraction-change rule, the decision and the LSH insert in `load_batch`.
3. Prints the dedup seconds as a share of the backfill's seconds (target: at most 10%).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import flows.pipeline as pipeline_mod
import warehouse.load as load_mod
from extractors.identity import item_id, story_id
from extractors.records import Story
from flows.backfill import backfill
from flows.settings import Settings
from warehouse import Batch, reader, writer
from warehouse.dedup import NearDupConfig
from warehouse.rows import item_row

__all__ = ["Generator", "main"]

T = TypeVar("T")
_WORD = re.compile(r"\b[a-z]{4,}\b")


def default_corpus() -> Path:
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "bbc"


class Generator:
    """Deterministic story bodies made from the corpus's paragraphs."""

    def __init__(self, corpus: Path, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.paragraphs: list[list[str]] = []
        for path in sorted(corpus.rglob("*.txt")):
            if path.name.upper().startswith("README"):
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
            body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
            paras = [p.strip() for p in body.split("\n\n") if p.strip()]
            if len(paras) >= 2:
                self.paragraphs.append(paras)
        self.vocab = sorted({w for paras in self.paragraphs[:300] for p in paras for w in _WORD.findall(p)})

    def swap_words(self, body: str, n: int) -> str:
        words = body.split(" ")
        for _ in range(n):
            i = self.rng.randrange(len(words))
            if _WORD.fullmatch(words[i]):
                words[i] = self.rng.choice(self.vocab)
        return " ".join(words)

    def splice(self) -> str:
        paras: list[str] = []
        for source in self.rng.sample(self.paragraphs, 3):
            k = max(1, len(source) // 2)
            start = self.rng.randrange(0, len(source) - k + 1)
            paras.extend(source[start : start + k])
        self.rng.shuffle(paras)
        return self.swap_words("\n\n".join(paras), 3)

    def near(self, body: str) -> str:
        """A near copy: a few single words swapped (Jaccard typically 0.85-0.97)."""
        return self.swap_words(body, max(1, len(body.split()) // 120))

    def stored(self, count: int) -> Iterator[str]:
        made: list[str] = []
        for _ in range(count):
            r = self.rng.random()
            if made and r < 0.05:
                body = self.rng.choice(made)
            elif made and r < 0.15:
                body = self.near(self.rng.choice(made))
            else:
                body = self.splice()
            if len(made) < 20_000:
                made.append(body)
            else:
                made[self.rng.randrange(len(made))] = body
            yield body


def build(db: str, gen: Generator, count: int, config: NearDupConfig, batch: int = 2000) -> tuple[float, list[str]]:
    """Load `count` generated stories with load_batch; returns seconds and a sample of stored bodies."""
    t0 = time.perf_counter()
    sample: list[str] = []
    bodies = gen.stored(count)
    done = 0
    while done < count:
        chunk = [next(bodies) for _ in range(min(batch, count - done))]
        rows = []
        for j, body in enumerate(chunk):
            story = Story(source_uri=f"gen/{done + j:06d}.txt", source_kind="text", body=body, title="Generated")
            rows.append(item_row(story, item_id=item_id(story), story_id=story_id(story), run_id="bench-build"))
        with writer(db) as con:
            load_mod.load_batch(con, Batch(items=rows, near_dup=config))
        sample.extend(gen.rng.sample(chunk, min(20, len(chunk))))
        done += len(chunk)
        print(f"  built {done:,} stories in {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
    return time.perf_counter() - t0, sample


class Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable[..., T], when: Callable[..., bool] | None = None) -> Callable[..., T]:
        def timed(*args: Any, **kwargs: Any) -> T:
            if when is not None and not when(*args, **kwargs):
                return fn(*args, **kwargs)
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

        return timed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="dedup share of backfill time with many stored stories")
    ap.add_argument("--stored", type=int, default=100_000)
    ap.add_argument("--new", type=int, default=120, help="story files in the measured backfill")
    ap.add_argument("--corpus", default=str(default_corpus()))
    ap.add_argument("--db", default=None, help="warehouse to build (kept); default a temporary file")
    ap.add_argument("--reuse", action="store_true", help="--db is already built: skip step 1")
    ap.add_argument("--workers", type=int, default=Settings().workers)
    args = ap.parse_args(argv)
    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    settings = Settings(workers=args.workers)
    config = NearDupConfig(settings.near_dup_threshold, settings.minhash_perm)
    gen = Generator(corpus, seed=8 if args.reuse else 7)  # a reused warehouse holds seed 7's stories
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.duckdb")
        if args.reuse:
            with reader(db) as con:
                sample = [r[0] for r in con.execute(
                    "SELECT body FROM items USING SAMPLE 2000 ROWS (reservoir, 7)").fetchall()]
            build_s = 0.0
        else:
            build_s, sample = build(db, gen, args.stored, config)
        with reader(db) as con:
            stored, firsts, lsh = (
                int((con.execute(q).fetchone() or (0,))[0])
                for q in ("SELECT count(*) FROM items", "SELECT count(*) FROM items WHERE duplicate_of IS NULL",
                          "SELECT count(*) FROM lsh_buckets")
            )
        folder = Path(tmp) / "new"
        folder.mkdir()
        kinds = {"new": 0, "near": 0, "exact": 0}
        for i in range(args.new):
            r = gen.rng.random()
            if r < 0.15:
                body, kind = gen.rng.choice(sample), "exact"
            elif r < 0.40:
                body, kind = gen.near(gen.rng.choice(sample)), "near"
            else:
                body, kind = gen.splice(), "new"
            kinds[kind] += 1
            (folder / f"{i:04d}.txt").write_text(f"Generated headline {i}\n\n{body}\n", encoding="utf-8")

        timer = Timer()
        patches = [
            (pipeline_mod, "decide", timer.wrap("prepare: look-ups + decision", pipeline_mod.decide)),
            (pipeline_mod, "extraction_may_change",
             timer.wrap("prepare: extraction-change rule", pipeline_mod.extraction_may_change)),
            (load_mod, "decide", timer.wrap("load: look-ups + decision", load_mod.decide)),
            (load_mod, "insert_index", timer.wrap("load: LSH insert", load_mod.insert_index)),
        ]
        originals = [(mod, name, getattr(mod, name)) for mod, name, _ in patches]
        for mod, name, fn in patches:
            setattr(mod, name, fn)
        try:
            summary = backfill([str(folder)], db, settings)
        finally:
            for mod, name, fn in originals:
                setattr(mod, name, fn)
        with reader(db) as con:
            got = dict(con.execute(
                "SELECT coalesce(dup_kind, 'first'), count(*) FROM items WHERE run_id = ? GROUP BY 1",
                [summary.run_id]).fetchall())
            extracted = (con.execute("SELECT count(*) FROM items WHERE run_id = ? AND extracted",
                                     [summary.run_id]).fetchone() or (0,))[0]
        dedup_s = sum(timer.seconds.values())
        print(f"warehouse: {stored:,} stored items ({firsts:,} first-of-group), {lsh:,} LSH rows; "
              f"built in {build_s:.0f}s ({config.scheme})")
        print(f"backfill of {args.new} files ({kinds['new']} new, {kinds['near']} near copies, "
              f"{kinds['exact']} exact copies): {summary.seconds:.1f}s, workers={settings.workers}")
        print(f"  stored as: first {got.get('first', 0)}, near {got.get('near', 0)}, exact {got.get('exact', 0)}; "
              f"NLP ran on {extracted}")
        for name, s in timer.seconds.items():
            print(f"  {name}: {s:.2f}s")
        print(f"dedup time: {dedup_s:.2f}s = {100 * dedup_s / summary.seconds:.1f}% of the backfill "
              f"({1000 * dedup_s / args.new:.1f} ms per story; target <= 10%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
