"""The worker side of NLP: parse and extract chunks of stories in a process that holds the model.

Kept apart from flows.pipeline so a worker process imports spaCy and the extractors only, not the
warehouse (DuckDB, Arrow): about 60 MB less per worker. Docs are parsed in batches bounded both by a
number of stories and by a number of characters: spaCy's working memory grows with the tokens of a batch
(a batch holding one 38,000-character story peaked at +210 MB in tok2vec alone), so a long story is parsed
with fewer companions and the peak memory of a worker does not depend on what the corpus happens to hold.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractors.extract import extract_parsed, nlp_text
from extractors.records import Extraction
from extractors.version import extractor_version

__all__ = ["BATCH_CHARS", "MAX_NLP_CHARS", "NLPInput", "batches_by_size", "extract_chunk", "init_worker",
           "single_threaded_blas", "warm_up", "worker_nlp"]

_WORKER_NLP: dict[str, Any] = {}  # model name -> loaded pipeline (a process may serve more than one model)

NLPInput = tuple[str, str | None, str | None]  # body, caption, byline
# Longest text given to spaCy. Parsing is linear but slow (~10-50 s per 200,000 characters on 2 cores), so a
# 1.5 MB text file held a batch for many minutes; real stories are far shorter (the corpora: < 60 KB).
MAX_NLP_CHARS = 200_000
# Characters per spaCy batch at most (a single longer story is a batch of its own): about 12 typical stories.
BATCH_CHARS = 30_000


def single_threaded_blas() -> bool:
    """Limit numpy's BLAS to one thread in this process; whether it now is (threadpoolctl saw its library).
    wire parallelises with processes, one per core: a BLAS thread pool per worker only competes for them."""
    import numpy  # noqa: F401  (threadpoolctl limits the BLAS libraries already loaded: numpy's)
    from threadpoolctl import threadpool_info, threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    blas = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return bool(blas) and all(pool.get("num_threads") == 1 for pool in blas)


def worker_nlp(model: str) -> Any:
    """The pipeline of `model` in this process, loaded once: on numpy's single-threaded BLAS when it can be
    limited (extractors.nlp.use_numpy_ops: ~9% less CPU, same parses), else as spaCy loads it."""
    from extractors.nlp import load_nlp

    nlp = _WORKER_NLP.get(model)
    if nlp is None:
        nlp = _WORKER_NLP[model] = load_nlp(model, numpy_ops=single_threaded_blas())
    return nlp


def init_worker(model: str) -> None:
    worker_nlp(model)


def warm_up() -> None:
    """A no-op task: submitting one per worker makes the pool start its processes (and load the model)."""
    return None


def batches_by_size(texts: list[str], max_docs: int, max_chars: int = BATCH_CHARS) -> Iterator[list[str]]:
    """Consecutive groups of `texts` (in order) of at most `max_docs` texts and `max_chars` characters;
    a text longer than `max_chars` is a group of its own."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and (len(group) >= max_docs or size + len(text) > max_chars):
            yield group
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield group


def _parse_docs(nlp: Any, texts: list[str], nlp_batch: int) -> Iterator[Any]:
    """Docs of `texts` in order. If spaCy fails on a batch, its texts are parsed one at a time and a
    text that fails on its own yields its error message instead of a doc (the others still get parsed)."""
    for group in batches_by_size(texts, max(1, nlp_batch)):
        done = 0
        try:
            for doc in nlp.pipe(group, batch_size=len(group)):
                done += 1
                yield doc
        except Exception:
            for text in group[done:]:
                try:
                    yield nlp(text)
                except Exception as exc:
                    yield f"parse failed: {type(exc).__name__}: {exc}"


def extract_chunk(args: tuple[str, list[NLPInput], int]) -> list[Extraction | str]:
    """Worker side: parse and extract a chunk of stories; a failing story gives its error text."""
    model, texts, nlp_batch = args
    nlp = worker_nlp(model)
    out: list[Extraction | str] = []
    limit = min(int(nlp.max_length), MAX_NLP_CHARS)
    inputs = [nlp_text(body, caption) for body, caption, _ in texts]
    docs = _parse_docs(nlp, [t for t in inputs if len(t) <= limit], nlp_batch)
    for (body, _caption, byline), text in zip(texts, inputs, strict=True):
        if len(text) > limit:  # spaCy raises for it (and would need GBs): one story's error, not the batch's
            out.append(f"story too long for NLP: {len(text):,} characters (limit {limit:,}); stored without facts")
            continue
        doc = next(docs)
        if isinstance(doc, str):
            out.append(doc)
            continue
        try:
            ex = extract_parsed(doc, byline=byline, body_len=len(body))
            ex.extractor_version = extractor_version(model)  # the version covers the model parsed with
            out.append(ex)
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            out.append(f"extraction failed: {type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})")
    return out
