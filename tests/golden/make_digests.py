"""Output-identity golden for the extractors: one sha256 per story of the shared corpora.

    python -m tests.golden.make_digests [--shared ../shared] [--check]

The stories are a fixed, spread selection of the shared corpora (read from `../shared` or `$WIRE_SHARED`,
never copied into the repository): 150 BBC stories (30 from each of the five folders, evenly spaced), the
84 PolNeAR dev texts and the first 16 train texts, the first 50 CoNLL-2003 eng.testa documents
(detokenised as for training), the 200 NewsQuant dev sentences and the seed story. Files are read with
`extractors.readers.read_bytes` and parsed by `extractors.nlp.load_nlp()` (the pipeline's model, with
the bundled CoNLL ner); each story's `Extraction` is turned into canonical JSON (sorted keys, no spaces,
UTF-8) and hashed. Only the digests are committed (tests/golden/extraction_digests.json), no text.

`tests/golden/test_extraction_digests.py` recomputes them and names the stories that differ.

Regenerate the file (`--write`, the default) ONLY in a commit whose message states which fix changed
what output (and why that change is right); a refactoring must leave every digest as it is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from extractors.records import Extraction

__all__ = [
    "DIGESTS",
    "Sample",
    "canonical_json",
    "compute_digests",
    "main",
    "samples",
    "shared_dir",
]

DIGESTS = Path(__file__).resolve().parent / "extraction_digests.json"
BBC_FOLDERS = ("business", "entertainment", "politics", "sport", "tech")
BBC_PER_FOLDER = 30
POLNEAR_TRAIN = 16
CONLL_DOCS = 50
BATCH_SIZE = 16

Sample = tuple[str, str, str | None, str | None]  # key, body, caption, byline


def shared_dir() -> Path:
    """`$WIRE_SHARED`, else the `shared` folder beside the repository."""
    env = os.environ.get("WIRE_SHARED")
    if env:
        return Path(env)
    return (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()


def _spread(paths: list[Path], n: int) -> list[Path]:
    """`n` paths evenly spaced over the sorted list (all of them when there are fewer)."""
    if len(paths) <= n:
        return paths
    return [paths[i * len(paths) // n] for i in range(n)]


def _read_file(key: str, path: Path) -> Iterator[Sample]:
    from extractors.readers import read_bytes

    for i, story in enumerate(read_bytes(path.read_bytes(), str(path))):
        yield (key if i == 0 else f"{key}#{i}", story.body, story.caption, story.byline)


def samples(shared: Path) -> list[Sample]:
    """The selected stories in a fixed order; raises FileNotFoundError when a corpus is missing."""
    from extractors.ner.conll import read_conll

    corpora = shared / "corpora"
    out: list[Sample] = []
    for folder in BBC_FOLDERS:
        files = sorted((corpora / "bbc" / folder).glob("*.txt"))
        if not files:
            raise FileNotFoundError(corpora / "bbc" / folder)
        for path in _spread(files, BBC_PER_FOLDER):
            out.extend(_read_file(f"bbc/{folder}/{path.name}", path))
    dev = sorted((corpora / "polnear" / "dev" / "text").glob("*.txt"))
    train = sorted((corpora / "polnear" / "train" / "text").glob("*.txt"))[:POLNEAR_TRAIN]
    if not dev or not train:
        raise FileNotFoundError(corpora / "polnear")
    for split, paths in (("dev", dev), ("train", train)):
        for path in paths:
            out.extend(_read_file(f"polnear/{split}/{path.name}", path))
    testa = (corpora / "conll2003" / "eng.testa").read_text(encoding="utf-8")
    for i, doc in enumerate(read_conll(testa)):
        if i >= CONLL_DOCS:
            break
        out.append((f"conll/testa/{i:03d}", doc.text, None, None))
    quant = json.loads((corpora / "newsquant" / "dev.json").read_text(encoding="utf-8"))
    for i, row in enumerate(quant):
        out.append((f"newsquant/dev/{i:03d}", row["text"], None, None))
    seeds = sorted((shared / "seeds").glob("*.txt"))
    if not seeds:
        raise FileNotFoundError(shared / "seeds")
    for path in seeds:
        out.extend(_read_file(f"seeds/{path.name}", path))
    return out


def canonical_json(extraction: Extraction) -> str:
    """The extraction as canonical JSON, without `extractor_version`: that label is derived from the
    extractors' files (extractors/version.py), so it changes with any edit, while this golden is about
    what the extractors find."""
    data = extraction.to_dict()
    data.pop("extractor_version", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_digests(selected: list[Sample], nlp: Language | None = None) -> dict[str, str]:
    """sha256 of the canonical JSON of each story's Extraction, by story key."""
    from extractors.extract import extract_texts
    from extractors.nlp import load_nlp

    nlp = nlp if nlp is not None else load_nlp()
    triples = [(body, caption, byline) for _, body, caption, byline in selected]
    out: dict[str, str] = {}
    for (key, *_), extraction in zip(selected, extract_texts(nlp, triples, batch_size=BATCH_SIZE), strict=True):
        out[key] = hashlib.sha256(canonical_json(extraction).encode("utf-8")).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=None, help="shared folder (default ../shared)")
    parser.add_argument("--check", action="store_true", help="compare with the committed digests, write nothing")
    args = parser.parse_args(argv)
    digests = compute_digests(samples(args.shared or shared_dir()))
    if args.check:
        stored: dict[str, str] = json.loads(DIGESTS.read_text(encoding="utf-8"))["stories"]
        differ = sorted(k for k in stored.keys() | digests.keys() if stored.get(k) != digests.get(k))
        for key in differ:
            print(f"differs: {key}")
        print(f"{len(digests)} stories, {len(differ)} differ")
        return 1 if differ else 0
    DIGESTS.write_text(
        json.dumps({"count": len(digests), "stories": digests}, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(digests)} digests to {DIGESTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
