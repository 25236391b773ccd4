"""Actor recognition on CoNLL-2003 (eng.testa by default), scored per story, and the cost of the pass.

    python -m eval.conll --shared ../shared [--file corpora/conll2003/eng.testb] [--limit N] [--validation]

With --validation, eng.testa (dev) and the validation split (the eng.train documents the bundled ner was not
trained on, see eval.splits) are scored and printed side by side.

Per story (split on -DOCSTART-), the set of (kind, surface form) of gold PER/ORG/LOC entities is
compared with the set of (kind, text) of the mentions from `extract_actors`; TP/FP/FN are summed over
stories (micro P/R/F1); a final "." is folded on both sides (see `form`). Kinds map person->PER,
org->ORG, place->LOC; group (nationalities, religions and other collectives used as nouns, e.g. "the
Kurds", which CoNLL tags MISC) and other are not scored, nor is gold MISC. Organisation nominals
("Seoul's foreign ministry") are org mentions and are scored (CoNLL does not tag them: they count as
false positives). CoNLL tokens are detokenised by extractors.ner.conll.detokenise (the same text the
bundled model was trained on).

Cost: the time of spaCy's small English model (as shipped, all components) over the same texts,
against wire's whole pass (wire pipeline + extract_actors).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extractors.actors import extract_actors
from extractors.actors.gazetteer import is_city
from extractors.ner.conll import ConllDoc, read_conll
from extractors.nlp import DEFAULT_MODEL, load_nlp
from extractors.training.train_ner import DEV_EVERY

from .splits import CONLL_OVERLAP_NOTE, conll_role

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["KIND_TO_CONLL", "Score", "main", "score_docs"]

KIND_TO_CONLL: dict[str, str] = {"person": "PER", "org": "ORG", "place": "LOC"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def form(text: str) -> str:
    """Surface form compared: a final "." is folded, since CoNLL splits a sentence-final period off an
    abbreviation ("Corp ." detokenises to "Corp.", and spaCy keeps "Corp." as one token)."""
    return text[:-1] if text.endswith(".") else text


def gold_set(doc: ConllDoc) -> set[tuple[str, str]]:
    return {(e.label, form(e.text)) for e in doc.entities if e.label in {"PER", "ORG", "LOC"}}


def score_docs(
    gold_docs: list[ConllDoc], predicted: list[set[tuple[str, str]]]
) -> tuple[Score, dict[str, Score]]:
    total = Score()
    per_kind = {k: Score() for k in ("PER", "ORG", "LOC")}
    for doc, pred in zip(gold_docs, predicted, strict=True):
        gold = gold_set(doc)
        for label, sc in per_kind.items():
            g = {x for x in gold if x[0] == label}
            p = {x for x in pred if x[0] == label}
            sc.tp += len(g & p)
            sc.fp += len(p - g)
            sc.fn += len(g - p)
        total.tp += len(gold & pred)
        total.fp += len(pred - gold)
        total.fn += len(gold - pred)
    return total, per_kind


def _shared(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("WIRE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / ".." / "shared"


@dataclass
class Run:
    docs: list[ConllDoc]
    predicted: list[set[tuple[str, str]]]
    base_pred: list[set[tuple[str, str]]]
    t_base: float = 0.0
    t_wire: float = 0.0
    c_base: float = 0.0
    c_wire: float = 0.0


def _run(docs: list[ConllDoc], nlp: Language, base: Language) -> Run:
    texts = [d.text for d in docs]
    # Interleave the two passes chunk by chunk and count process CPU time as well as wall time, so
    # other load on the machine weighs on both alike.
    base_docs: list[Doc] = []
    run = Run(docs, [], [])
    chunk = 16
    for i in range(0, len(texts), chunk):
        part = texts[i : i + chunk]
        w0, c0 = time.perf_counter(), time.process_time()
        base_docs.extend(base.pipe(part, batch_size=chunk))
        w1, c1 = time.perf_counter(), time.process_time()
        for doc in nlp.pipe(part, batch_size=chunk):
            _, mentions = extract_actors(doc)
            run.predicted.append({(KIND_TO_CONLL[m.kind], form(m.text)) for m in mentions if m.kind in KIND_TO_CONLL})
        w2, c2 = time.perf_counter(), time.process_time()
        run.t_base += w1 - w0
        run.t_wire += w2 - w1
        run.c_base += c1 - c0
        run.c_wire += c2 - c1
    # the base model's own entities, scored the same way, for reference
    base_kind = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
    run.base_pred = [{(base_kind[e.label_], form(e.text)) for e in d.ents if e.label_ in base_kind} for d in base_docs]
    return run


def validation_docs(train_text: str) -> list[ConllDoc]:
    """The eng.train documents eval.splits sets aside: those train_ner holds out of training."""
    return [d for i, d in enumerate(read_conll(train_text)) if conll_role(i, d.text, DEV_EVERY) == "validation"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CoNLL-2003 per-story actor evaluation")
    parser.add_argument("--shared", default=None, help="shared data folder (default ../shared or WIRE_SHARED)")
    parser.add_argument("--file", default="corpora/conll2003/eng.testa", help="CoNLL file under --shared")
    parser.add_argument("--limit", type=int, default=0, help="only the first N stories")
    parser.add_argument("--train-dev", action="store_true",
                        help="score the validation split instead: the documents held out of eng.train by the "
                             "training script (use with --file corpora/conll2003/eng.train)")
    parser.add_argument("--validation", action="store_true",
                        help="score --file (dev) and the validation split (eval.splits) and print them side by side")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent errors (not on validation)")
    args = parser.parse_args(argv)

    if args.errors and (args.train_dev or args.validation):
        print("--errors is refused on the validation split: its errors are not to be read", file=sys.stderr)
        return 2
    path = _shared(args.shared) / args.file
    if not path.is_file():
        print(f"no CoNLL file at {path}", file=sys.stderr)
        return 2
    docs = validation_docs(path.read_text(encoding="utf-8")) if args.train_dev else \
        read_conll(path.read_text(encoding="utf-8"))
    if args.limit:
        docs = docs[: args.limit]
    val: list[ConllDoc] = []
    if args.validation:
        train = _shared(args.shared) / "corpora" / "conll2003" / "eng.train"
        if not train.is_file():
            print(f"no CoNLL file at {train}", file=sys.stderr)
            return 2
        val = validation_docs(train.read_text(encoding="utf-8"))
        if args.limit:
            val = val[: args.limit]

    nlp = load_nlp(args.model)
    base = load_nlp(args.model, (), conll_ner=False)  # the small model as shipped, every component
    # warm both up so loading (models, gazetteers) is not timed
    is_city("")
    for doc in nlp.pipe([d.text for d in docs[:2]]):
        extract_actors(doc)
    list(base.pipe([d.text for d in docs[:2]]))

    run = _run(docs, nlp, base)
    if args.validation:
        vrun = _run(val, nlp, base)
        print(f"CoNLL-2003 per-story actors: dev = {args.file} ({len(docs)} stories), validation = eng.train "
              f"held-out documents ({len(val)} stories; {CONLL_OVERLAP_NOTE})")
        print(f"{'':<14}| {'dev':<44}| validation")
        rows = [("wire actors", lambda r: score_docs(r.docs, r.predicted)[0])]
        for label in ("PER", "ORG", "LOC"):
            rows.append((f"  {label}", lambda r, label=label: score_docs(r.docs, r.predicted)[1][label]))
        rows.append(("spaCy sm ents", lambda r: score_docs(r.docs, r.base_pred)[0]))
        for name, get in rows:
            cells = []
            for r in (run, vrun):
                sc = get(r)
                cells.append(f"P={sc.precision:.4f} R={sc.recall:.4f} F1={sc.f1:.4f}")
            print(f"{name:<14}| {cells[0]:<44}| {cells[1]}")
        return 0
    total, per_kind = score_docs(docs, run.predicted)
    where = f"{args.file} (validation split: {CONLL_OVERLAP_NOTE})" if args.train_dev else args.file
    print(f"CoNLL-2003 {where}: {len(docs)} stories, {sum(len(gold_set(d)) for d in docs)} gold (kind, form)")
    print(f"wire actors   P={total.precision:.4f} R={total.recall:.4f} F1={total.f1:.4f} "
          f"(tp={total.tp} fp={total.fp} fn={total.fn})")
    for label, sc in per_kind.items():
        print(f"  {label}: P={sc.precision:.4f} R={sc.recall:.4f} F1={sc.f1:.4f}")
    b_total, _ = score_docs(docs, run.base_pred)
    print(f"spaCy sm ents P={b_total.precision:.4f} R={b_total.recall:.4f} F1={b_total.f1:.4f}")
    n_chars = sum(len(d.text) for d in docs)
    print(f"time spaCy sm alone: {run.t_base:.2f}s wall / {run.c_base:.2f}s cpu; wire pass (pipeline + "
          f"extract_actors): {run.t_wire:.2f}s wall / {run.c_wire:.2f}s cpu; ratio {run.t_wire / run.t_base:.2f} "
          f"wall, {run.c_wire / run.c_base:.2f} cpu ({n_chars} chars)")
    if args.errors:
        from collections import Counter

        fps: Counter[tuple[str, str]] = Counter()
        fns: Counter[tuple[str, str]] = Counter()
        for cdoc, pred in zip(docs, run.predicted, strict=True):
            gold = gold_set(cdoc)
            fps.update(pred - gold)
            fns.update(gold - pred)
        print("false positives:", fps.most_common(args.errors))
        print("false negatives:", fns.most_common(args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
