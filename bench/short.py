"""A short-story newswire corpus for `make bench` (#18): the 946 documents of CoNLL-2003 eng.train.

They are Reuters newswire of 1996, about 190 words each: the length of typical agency copy, where
per-story and per-batch costs (start-up, Prefect, dedup look-ups, loads) weigh more than in BBC's longer
stories. Each document becomes one text file, its first paragraph as the headline and the rest as the
body ("headline, blank line, body", read by wire's text reader). The files are written to a temporary
folder at bench time and never into the repository (third-party text).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_short_corpus"]


def write_short_corpus(conll_train: Path, out: Path, limit: int | None = None) -> int:
    """Write the documents of `conll_train` (eng.train) as story files under `out`; returns how many."""
    from extractors.ner.conll import read_conll

    docs = read_conll(conll_train.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for i, doc in enumerate(docs[:limit] if limit else docs):
        head, _, body = doc.text.strip().partition("\n\n")
        if not body.strip():
            continue
        (out / f"reuters-{i:04d}.txt").write_text(f"{head.strip()}\n\n{body.strip()}\n", encoding="utf-8")
        n += 1
    return n
