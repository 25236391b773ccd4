"""Train the speaker ranker of `extractors.quotes.ranker` on PolNeAR train and write its data file.

    python -m extractors.training.train_speaker_ranker [--shared ../shared] [--cache /tmp/polnear.spacy]
        [--out extractors/quotes/data/speaker_ranker.json] [--l2 1.0] [--margin 0.0] [--steps 300]

Training pairs: every PolNeAR train article that `eval.splits.polnear_train_split` keeps for training (the
validation articles are never read here) is parsed with `extractors.nlp.load_nlp()`, its actors extracted,
and its quote segments attributed by the hand rules (`extractors.quotes.extractor`). Each segment the rules
gave a speaker phrase is matched to the gold direct quotes as `eval.polnear` matches them (30% word overlap);
for a matched quote with a gold Source, every candidate of `ranker.candidates` is labelled right or wrong by
`eval.polnear_util.speaker_ok` (its phrase or the actor it resolves to shares a content word with the Source).
Groups with at least one right and one wrong candidate train a conditional logit (softmax over the
candidates of a segment, the probability of the right ones maximised, L2 penalty), by full-batch gradient
descent from zero weights: deterministic, no sampling. The margin by which a candidate must beat the
rules' choice is a parameter (tuned on PolNeAR dev, never on validation).

It prints the training set's size and, on train and on PolNeAR dev, how often the rules' choice and the
ranker's choice are right among the judged segments (dev is parsed too, for that figure only).
`--cache` keeps the parsed texts in a DocBin so that a second run does not parse again.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from eval.polnear_util import GoldDoc

__all__ = ["Group", "fit", "groups_of", "main"]

SEED = 16


@dataclasses.dataclass
class Group:
    """The candidates of one judged segment: feature rows, which are right, the rules' index."""

    rows: list[tuple[list[int], dict[int, float]]]
    right: list[bool]
    rule_idx: int
    locked: bool = False  # the rules' candidate is a layout form (`ranker.LAYOUT_SOURCES`): it stands


def _parse(texts: list[str], cache: Path | None) -> dict[str, Doc]:
    from spacy.tokens import DocBin

    from extractors.nlp import load_nlp

    nlp: Language = load_nlp()
    have: dict[str, Doc] = {}
    if cache is not None and cache.exists():
        db = DocBin().from_bytes(cache.read_bytes())
        have = {d.text: d for d in db.get_docs(nlp.vocab)}
    todo = [t for t in dict.fromkeys(texts) if t not in have]
    if todo:
        print(f"parsing {len(todo)} texts ...", flush=True)
        for doc in nlp.pipe(todo, batch_size=16):
            have[doc.text] = doc
        if cache is not None:
            db = DocBin(store_user_data=True)
            for doc in have.values():
                db.add(doc)
            cache.write_bytes(db.to_bytes())
    return have


def groups_of(gold: GoldDoc, doc: Doc) -> tuple[list[Group], int]:
    """The judged segments of one article, and how many segments the rules attributed."""
    from eval.polnear_util import Pred, score, speaker_ok
    from extractors.actors import extract_actors
    from extractors.actors.tokens import TokView
    from extractors.quotes.context import QuoteContext
    from extractors.quotes.extractor import (
        attribute_segments,
        inherit_floating,
        quoted_quotes,
        resolve_speakers,
        share_across_paragraphs,
    )
    from extractors.quotes.indirect import indirect_quotes
    from extractors.quotes.ranker import LAYOUT_SOURCES, rerank

    actors, mentions = extract_actors(doc, byline=None)
    ctx = QuoteContext(TokView(doc), actors, mentions)
    found = attribute_segments(ctx)
    share_across_paragraphs(ctx, found)
    inherit_floating(ctx, found)
    record: list = []
    rerank(ctx, found.speakers, found.cues, None, record)
    pending = quoted_quotes(ctx, found)
    pending.extend(indirect_quotes(ctx))
    resolve_speakers(ctx, pending)
    preds = [Pred(ctx.segs[k].start, ctx.segs[k].end, None, None) for k, _, _ in record]
    _, matched, _ = score(gold.text, preds, gold.direct, 0.3)
    out: list[Group] = []
    for (_, cands, rule_idx), (_, g) in zip(record, matched, strict=True):
        if g is None or not g.source or not any(ch.isalnum() for ch in g.source):
            continue
        right = []
        for c in cands:
            sp = dataclasses.replace(c.speaker, name=None, actor_id=None, kind=None)
            assert sp.start is not None
            ctx.resolver.resolve(sp, doc[sp.head], sp.start, sp.lo, sp.hi)
            right.append(speaker_ok(g.source, sp.text, sp.name))
        locked = bool(cands[rule_idx].sources & LAYOUT_SOURCES)
        out.append(Group([(c.feats, c.values) for c in cands], right, rule_idx, locked))
    return out, len(record)


def _matrix(g: Group, n_feats: int) -> np.ndarray:
    x = np.zeros((len(g.rows), n_feats))
    for r, (on, values) in enumerate(g.rows):
        x[r, on] = 1.0
        for i, v in values.items():
            x[r, i] = v
    return x


def fit(groups: list[Group], n_feats: int, l2: float, steps: int = 300, lr: float = 0.05) -> np.ndarray:
    """Conditional logit by full-batch Adam from zero weights (deterministic)."""
    data = [(_matrix(g, n_feats), np.array(g.right, dtype=float)) for g in groups if any(g.right) and not all(g.right)]
    w = np.zeros(n_feats)
    m = np.zeros(n_feats)
    v = np.zeros(n_feats)
    n = max(1, len(data))
    for t in range(1, steps + 1):
        grad = l2 * w / n
        for x, y in data:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            q = p * y
            q /= q.sum()
            grad += x.T @ (p - q) / n
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def _accuracy(groups: list[Group], w: np.ndarray, margin: float, n_feats: int) -> tuple[int, int, int, int]:
    """(rules right, ranker right, oracle right, judged) over the groups."""
    rules = ranker = oracle = 0
    for g in groups:
        s = _matrix(g, n_feats) @ w
        best = int(np.argmax(s))
        pick = best if s[best] > s[g.rule_idx] + margin and not g.locked else g.rule_idx
        rules += g.right[g.rule_idx]
        ranker += g.right[pick]
        oracle += any(g.right)
    return rules, ranker, oracle, len(groups)


def _show(label: str, acc: tuple[int, int, int, int]) -> None:
    rules, ranker, oracle, n = acc
    d = max(1, n)
    print(f"{label}: {n} judged segments; rules right {rules} ({rules / d:.3f}), ranker right {ranker} "
          f"({ranker / d:.3f}), some candidate right {oracle} ({oracle / d:.3f})")


def main(argv: Sequence[str] | None = None) -> int:
    from extractors.quotes.ranker import DATA_FILE, FEATURES

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=None, help="the shared folder (else $WIRE_SHARED or ../shared)")
    ap.add_argument("--cache", type=Path, default=None, help="DocBin of parsed texts, read and written")
    ap.add_argument("--out", type=Path, default=DATA_FILE)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--margin", type=float, default=0.0)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--no-dev", action="store_true", help="skip the dev figures")
    args = ap.parse_args(argv)
    if args.shared is not None:
        os.environ["WIRE_SHARED"] = str(args.shared.resolve())
    random.seed(SEED)
    np.random.seed(SEED)

    from eval.polnear_util import load_split, polnear_dir
    from eval.splits import polnear_train_split

    t0 = time.perf_counter()
    train = [d for d in load_split("train") if polnear_train_split(d.name) == "train"]
    dev = [] if args.no_dev else load_split("dev")
    if not train:
        print(f"PolNeAR not found under {polnear_dir()}", file=sys.stderr)
        return 1
    docs = _parse([d.text for d in train + dev], args.cache)
    n_feats = len(FEATURES)

    def build(golds: list[GoldDoc]) -> tuple[list[Group], int]:
        groups: list[Group] = []
        attributed = 0
        for gold in golds:
            gs, n = groups_of(gold, docs[gold.text])
            groups.extend(gs)
            attributed += n
        return groups, attributed

    train_groups, attributed = build(train)
    trainable = [g for g in train_groups if any(g.right) and not all(g.right)]
    n_cands = sum(len(g.rows) for g in trainable)
    print(f"PolNeAR train (validation articles excluded): {len(train)} articles, {attributed} attributed "
          f"segments, {len(train_groups)} matched to a gold quote with a Source; {len(trainable)} training groups "
          f"(a right and a wrong candidate) with {n_cands} candidates; {n_feats} features")
    w = fit(train_groups, n_feats, args.l2, steps=args.steps)
    _show("train", _accuracy(train_groups, w, args.margin, n_feats))
    if dev:
        dev_groups, _ = build(dev)
        _show("dev", _accuracy(dev_groups, w, args.margin, n_feats))
    data = {
        "about": "speaker ranker of extractors.quotes.ranker: linear weights over FEATURES, trained by "
        "extractors.training.train_speaker_ranker on PolNeAR train without the validation articles",
        "features": list(FEATURES),
        "weights": {name: round(float(x), 6) for name, x in zip(FEATURES, w, strict=True)},
        "margin": args.margin,
        "l2": args.l2,
        "steps": args.steps,
        "training": {"articles": len(train), "groups": len(trainable), "candidates": n_cands},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
