"""A large corpus of distinct stories made from the paragraphs of a real one, for memory and scale runs.

    python -m bench.synth --corpus ../shared/corpora/bbc --out /tmp/synth --stories 20000

Each generated story takes the headline of one source story and as many paragraphs as it has, drawn from
other source stories (seeded, so the same arguments give the same files), so the stories have real
wire sentences, names, quotes and numbers, are about as long as the source ones, and are neither exact
nor near duplicates of each other (each mixes paragraphs from several stories). The files are written under
--out in sub-folders of 1,000 files, in the plain-text story format (headline, blank line, paragraphs).
Nothing is written into the repository: the output is third-party text.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

__all__ = ["generate", "main"]


def _stories(root: Path) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for f in sorted(p for p in root.rglob("*.txt") if p.is_file() and p.name.upper() != "README.TXT"):
        blocks = [b.strip() for b in f.read_text(encoding="utf-8", errors="replace").split("\n\n") if b.strip()]
        if len(blocks) >= 3:
            out.append((blocks[0], blocks[1:]))
    return out


def generate(corpus: Path, out: Path, stories: int, seed: int = 9) -> int:
    """Write `stories` generated story files under `out`; returns the number of words written."""
    source = _stories(corpus)
    if not source:
        raise SystemExit(f"synth: no stories (headline + paragraphs) under {corpus}")
    rng = random.Random(seed)
    words = 0
    for n in range(stories):
        headline, shape = source[rng.randrange(len(source))]
        paragraphs: list[str] = []
        for _ in range(len(shape)):  # as many paragraphs as the story whose headline it takes
            _, paras = source[rng.randrange(len(source))]
            paragraphs.append(paras[rng.randrange(len(paras))])
        text = headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
        words += len(text.split())
        dst = out / f"{n // 1000:03d}" / f"{n:06d}.txt"
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(text, encoding="utf-8")
    return words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpora/bbc")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--stories", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=9)
    args = ap.parse_args(argv)
    words = generate(args.corpus, args.out, args.stories, args.seed)
    print(f"synth: {args.stories:,} stories, {words:,} words under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
