"""Score `extract_quotes` on PolNeAR: direct quotes and indirect attributions, plus its cost.

    python -m eval.polnear [--split dev|train|validation|dev+validation] [--limit N] [--errors N]

Prints, for direct (quote-mark) quotes at 30% and 80% word overlap and for indirect attributions at 30%:
precision, recall, F1 and speaker accuracy; then the time of `nlp.pipe` against the time of
`extract_quotes` on the same texts. Gold is built by `eval.polnear_util` (see there). `validation` is the
20% of train articles `eval.splits` sets aside (`train` is the other 80%); `dev+validation` prints both side
by side (`make eval`), and `--errors` is refused on validation.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.ids import actor_id
from extractors.quotes import extract_quotes
from extractors.records import Actor, ActorKind, Mention, Quote

from .polnear_util import GoldDoc, Pred, Score, load_split, polnear_dir, score
from .splits import POLNEAR_VALIDATION, polnear_train_split

__all__ = ["main"]

_ENT_KINDS: dict[str, ActorKind] = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "NORP": "group"}


def _ents_actors(doc: object) -> tuple[list[Actor], list[Mention]]:
    """Stand-in for `extract_actors` while it is not written: one actor per entity name."""
    actors: dict[str, Actor] = {}
    mentions: list[Mention] = []
    for ent in doc.ents:  # type: ignore[attr-defined]
        kind = _ENT_KINDS.get(ent.label_)
        if kind is None:
            continue
        name = re.sub(r"(?i)^the\s+", "", ent.text)
        name = re.sub(r"['\u2019]s$", "", name).strip()
        aid = actor_id(name, kind)
        actors.setdefault(aid, Actor(aid, name, kind))
        actors[aid].mention_count += 1
        mentions.append(Mention(aid, ent.text, kind, ent.start_char, ent.end_char))
    return list(actors.values()), mentions


def _load_nlp() -> object:
    from extractors.nlp import load_nlp

    return load_nlp()


def _show(label: str, sc: Score) -> None:
    print(
        f"{label:<28} P={sc.precision:.3f} R={sc.recall:.3f} F1={sc.f1:.3f} "
        f"speaker_acc={sc.speaker_accuracy:.3f} (tp={sc.tp} pred={sc.n_pred} gold={sc.n_gold} "
        f"speaker {sc.speaker_right}/{sc.speaker_judged})"
    )


def _docs(split: str, limit: int | None) -> list[GoldDoc]:
    """dev: PolNeAR dev; train: the train articles kept for training; validation: the train articles set
    aside by eval.splits (never read errors from them)."""
    if split == "dev":
        return load_split("dev", limit)
    docs = [d for d in load_split("train") if polnear_train_split(d.name) == split]
    return docs[:limit] if limit else docs


@dataclass
class Run:
    docs: list[GoldDoc]
    totals: dict[str, Score]
    errors: dict[str, list[str]]
    t_nlp: float
    t_actors: float
    t_quotes: float
    fallback: bool


def _evaluate(docs: list[GoldDoc], nlp: object) -> Run:
    texts = [d.text for d in docs]
    t0 = time.perf_counter()
    parsed = list(nlp.pipe(texts, batch_size=16))  # type: ignore[attr-defined]
    t_nlp = time.perf_counter() - t0

    from extractors.actors import extract_actors

    t_actors = 0.0
    t_quotes = 0.0
    fallback = False
    results: list[list[Quote]] = []
    for doc in parsed:
        t1 = time.perf_counter()
        try:
            actors, mentions = extract_actors(doc, byline=None)
        except NotImplementedError:
            fallback = True
            actors, mentions = _ents_actors(doc)
        t2 = time.perf_counter()
        results.append(extract_quotes(doc, actors, mentions))
        t3 = time.perf_counter()
        t_actors += t2 - t1
        t_quotes += t3 - t2

    totals = {"direct@30": Score(), "direct@80": Score(), "indirect@30": Score()}
    errors: dict[str, list[str]] = {"fp": [], "fn": [], "speaker": [], "ifp": [], "ifn": [], "ispeaker": []}
    for gold, quotes in zip(docs, results, strict=True):
        text = gold.text
        direct = [Pred(q.start, q.end, q.speaker_text, q.speaker) for q in quotes if q.kind != "indirect"]
        indirect = [Pred(q.start, q.end, q.speaker_text, q.speaker) for q in quotes if q.kind == "indirect"]
        for label, preds, gq, thr, tag in (
            ("direct@30", direct, gold.direct, 0.3, ""),
            ("direct@80", direct, gold.direct, 0.8, None),
            ("indirect@30", indirect, gold.indirect, 0.3, "i"),
        ):
            sc, matched, missed = score(text, preds, gq, thr)
            totals[label].add(sc)
            if tag is None:
                continue
            for p, g in matched:
                snippet = text[p.start : p.end][:90].replace("\n", " ")
                if g is None:
                    errors[tag + "fp"].append(f"{gold.name}: {snippet!r} <- {p.speaker_text!r}")
                elif g.source and not _speaker_ok(g.source, p):
                    errors[tag + "speaker"].append(
                        f"{gold.name}: {snippet!r} gold={g.source!r} pred={p.speaker_text!r}/{p.speaker!r}"
                    )
            for g in missed:
                snippet = " ".join(text[a:b] for a, b in g.spans)[:90].replace("\n", " ")
                errors[tag + "fn"].append(f"{gold.name}: {snippet!r} ({g.source!r}, cue {g.cue!r})")
    return Run(docs, totals, errors, t_nlp, t_actors, t_quotes, fallback)


def _side_by_side(runs: dict[str, Run]) -> None:
    names = list(runs)
    print("PolNeAR quotes: " + ", ".join(f"{n} {len(r.docs)} texts" for n, r in runs.items())
          + f" (validation: {POLNEAR_VALIDATION:.0%} of train articles, eval.splits)")
    head = f"{'':<13}" + "".join(f"| {n:<40}" for n in names)
    print(head)
    for label in ("direct@30", "direct@80", "indirect@30"):
        cells = []
        for n in names:
            sc = runs[n].totals[label]
            cells.append(f"| P={sc.precision:.3f} R={sc.recall:.3f} F1={sc.f1:.3f} spk={sc.speaker_accuracy:.3f} ")
        print(f"{label:<13}" + "".join(f"{c:<42}" for c in cells))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=["dev", "train", "validation", "dev+validation"],
                    help="train: the train articles kept for training; validation: those set aside (eval.splits)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--errors", type=int, default=0, help="print this many errors of each kind (not on validation)")
    args = ap.parse_args(argv)
    splits = args.split.split("+")
    if args.errors and "validation" in splits:
        print("--errors is refused on the validation split: its errors are not to be read", file=sys.stderr)
        return 2

    runs: dict[str, Run] = {}
    nlp: object = None
    for split in splits:
        docs = _docs(split, args.limit)
        if not docs:
            print(f"PolNeAR not found under {polnear_dir()}: nothing to score", file=sys.stderr)
            return 1
        nlp = nlp or _load_nlp()
        runs[split] = _evaluate(docs, nlp)
    if len(runs) > 1:
        _side_by_side(runs)
        return 0
    (split, run), = runs.items()
    print(f"PolNeAR {split}: {len(run.docs)} texts, one annotator file per text (first sorted)")
    if run.fallback:
        print("note: extract_actors not implemented yet; actors from spaCy entities (eval-only stand-in)")
    for label, sc in run.totals.items():
        _show(label, sc)
    ratio = run.t_quotes / run.t_nlp if run.t_nlp else 0.0
    print(
        f"time: nlp.pipe {run.t_nlp:.2f}s, extract_actors {run.t_actors:.2f}s, extract_quotes {run.t_quotes:.2f}s "
        f"= {100 * ratio:.1f}% of the NLP pass"
    )
    if args.errors:
        for kind, lines in run.errors.items():
            print(f"\n== {kind} ({len(lines)})")
            for line in lines[: args.errors]:
                print("  " + line)
    return 0


def _speaker_ok(source: str, p: Pred) -> bool:
    from .polnear_util import speaker_ok

    return speaker_ok(source, p.speaker_text, p.speaker)


if __name__ == "__main__":
    raise SystemExit(main())
