"""Actor recognition on CoNLL-2003 (eng.testa by default), scored per story, and the cost of the pass.

    python -m eval.conll --shared ../shared [--file corpora/conll2003/eng.testb] [--limit N]

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

if TYPE_CHECKING:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CoNLL-2003 per-story actor evaluation")
    parser.add_argument("--shared", default=None, help="shared data folder (default ../shared or WIRE_SHARED)")
    parser.add_argument("--file", default="corpora/conll2003/eng.testa", help="CoNLL file under --shared")
    parser.add_argument("--limit", type=int, default=0, help="only the first N stories")
    parser.add_argument("--train-dev", action="store_true",
                        help="score the development documents held out of eng.train by the training script "
                             "(use with --file corpora/conll2003/eng.train)")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent errors")
    args = parser.parse_args(argv)

    path = _shared(args.shared) / args.file
    if not path.is_file():
        print(f"no CoNLL file at {path}", file=sys.stderr)
        return 2
    docs = read_conll(path.read_text(encoding="utf-8"))
    if args.train_dev:
        # the eng.train documents that extractors.training.train_ner holds out (never trained on)
        docs = [d for i, d in enumerate(docs) if i % DEV_EVERY == DEV_EVERY - 1]
    if args.limit:
        docs = docs[: args.limit]
    texts = [d.text for d in docs]

    nlp = load_nlp(args.model)
    base = load_nlp(args.model, (), conll_ner=False)  # the small model as shipped, every component
    # warm both up so loading (models, gazetteers) is not timed
    is_city("")
    for doc in nlp.pipe(texts[:2]):
        extract_actors(doc)
    list(base.pipe(texts[:2]))

    # Interleave the two passes chunk by chunk and count process CPU time as well as wall time, so
    # other load on the machine weighs on both alike.
    base_docs: list[Doc] = []
    predicted: list[set[tuple[str, str]]] = []
    t_base = t_wire = c_base = c_wire = 0.0
    chunk = 16
    for i in range(0, len(texts), chunk):
        part = texts[i : i + chunk]
        w0, c0 = time.perf_counter(), time.process_time()
        base_docs.extend(base.pipe(part, batch_size=chunk))
        w1, c1 = time.perf_counter(), time.process_time()
        for doc in nlp.pipe(part, batch_size=chunk):
            _, mentions = extract_actors(doc)
            predicted.append({(KIND_TO_CONLL[m.kind], form(m.text)) for m in mentions if m.kind in KIND_TO_CONLL})
        w2, c2 = time.perf_counter(), time.process_time()
        t_base += w1 - w0
        t_wire += w2 - w1
        c_base += c1 - c0
        c_wire += c2 - c1

    # the base model's own entities, scored the same way, for reference
    base_kind = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
    base_pred = [{(base_kind[e.label_], form(e.text)) for e in d.ents if e.label_ in base_kind} for d in base_docs]

    total, per_kind = score_docs(docs, predicted)
    print(f"CoNLL-2003 {args.file}: {len(docs)} stories, {sum(len(gold_set(d)) for d in docs)} gold (kind, form)")
    print(f"wire actors   P={total.precision:.4f} R={total.recall:.4f} F1={total.f1:.4f} "
          f"(tp={total.tp} fp={total.fp} fn={total.fn})")
    for label, sc in per_kind.items():
        print(f"  {label}: P={sc.precision:.4f} R={sc.recall:.4f} F1={sc.f1:.4f}")
    b_total, _ = score_docs(docs, base_pred)
    print(f"spaCy sm ents P={b_total.precision:.4f} R={b_total.recall:.4f} F1={b_total.f1:.4f}")
    n_chars = sum(len(t) for t in texts)
    print(f"time spaCy sm alone: {t_base:.2f}s wall / {c_base:.2f}s cpu; wire pass (pipeline + extract_actors): "
          f"{t_wire:.2f}s wall / {c_wire:.2f}s cpu; ratio {t_wire / t_base:.2f} wall, {c_wire / c_base:.2f} cpu "
          f"({n_chars} chars)")
    if args.errors:
        from collections import Counter

        fps: Counter[tuple[str, str]] = Counter()
        fns: Counter[tuple[str, str]] = Counter()
        for cdoc, pred in zip(docs, predicted, strict=True):
            gold = gold_set(cdoc)
            fps.update(pred - gold)
            fns.update(gold - pred)
        print("false positives:", fps.most_common(args.errors))
        print("false negatives:", fns.most_common(args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
