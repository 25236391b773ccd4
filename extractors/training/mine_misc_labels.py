"""Mine extractors/ner/data/misc_labels.tsv: the base model's NORP/ORG for names the CoNLL ner calls MISC.

    python -m extractors.training.mine_misc_labels --shared ../shared [--counts counts.json]

wire runs one ner, the bundled CoNLL-2003 model (see extractors.nlp and extractors.ner.misc_labels). This
script runs the base model's ner (en_core_web_sm) over the training text wire has (CoNLL-2003 eng.train
documents of role "train", PolNeAR train articles kept for training, the BBC corpus; never a validation
split, see eval.splits) and keeps, for each of LABELS, the surface forms the model gives that label at least
MIN_COUNT times and in at least MIN_SHARE of the times it tags them at all. A NORP form must also never be a
CoNLL PER/ORG/LOC and either be a CoNLL MISC in the gold or pass the stricter UNSEEN_* bar. Deterministic:
same corpora and model, same list.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from extractors.ner.conll import ConllDoc, read_conll
from extractors.ner.misc_labels import MISC_LABELS_FILE
from extractors.training.train_ner import BASE_MODEL, DEV_EVERY, silver_texts

__all__ = ["LABELS", "MIN_COUNT", "MIN_SHARE", "UNSEEN_COUNT", "UNSEEN_SHARE", "base_counts", "conll_train_docs",
           "gold_forms", "main", "select", "training_texts"]

LABELS = ("NORP", "ORG")  # the OntoNotes labels a CoNLL MISC name may get (NORP first)
MIN_COUNT = {"NORP": 3, "ORG": 2}  # times the base model gives the form the label (ORG only relabels a span the
# CoNLL ner already calls MISC, and names of armed groups are rare in the training text: a lower bar)
MIN_SHARE = 0.8  # of the times it gives the form any entity type
UNSEEN_COUNT = 6  # ... for a form the CoNLL gold never tags MISC
UNSEEN_SHARE = 0.9


def conll_train_docs(shared: Path) -> Iterator[ConllDoc]:
    """The CoNLL-2003 eng.train documents of role "train" (eval.splits.conll_role), none if it is absent."""
    from eval.splits import conll_role

    train = shared / "corpora" / "conll2003" / "eng.train"
    if train.is_file():
        for i, doc in enumerate(read_conll(train.read_text(encoding="utf-8"))):
            if conll_role(i, doc.text, DEV_EVERY) == "train":
                yield doc


def training_texts(shared: Path) -> Iterator[str]:
    """The training text of every corpus under `shared`, validation splits left out: the CoNLL documents of
    role "train", then the present-day news `train_ner.silver_texts` trains on."""
    for doc in conll_train_docs(shared):
        yield doc.text
    yield from silver_texts(shared)


def gold_forms(shared: Path) -> tuple[Counter[str], Counter[str]]:
    """How often each form is a CoNLL-2003 PER/ORG/LOC, and a MISC, in the eng.train documents of role "train"."""
    names: Counter[str] = Counter()
    misc: Counter[str] = Counter()
    for doc in conll_train_docs(shared):
        for e in doc.entities:
            (misc if e.label == "MISC" else names)[" ".join(doc.text[e.start:e.end].split())] += 1
    return names, misc


def base_counts(texts: Iterator[str], model: str = BASE_MODEL) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """How often the base model gives each form each of LABELS, and how often any entity type."""
    import spacy

    nlp = spacy.load(model, enable=["ner"])
    by_label: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    tagged: Counter[str] = Counter()
    for doc in nlp.pipe(texts, batch_size=64):
        for ent in doc.ents:
            form = " ".join(ent.text.split())
            tagged[form] += 1
            if ent.label_ in by_label:
                by_label[ent.label_][form] += 1
    return by_label, tagged


def select(by_label: dict[str, Counter[str]], tagged: Counter[str], names: Counter[str],
           misc: Counter[str]) -> dict[str, str]:
    """form -> label by the rule of the module docstring."""
    out: dict[str, str] = {}
    for label in LABELS:
        for form, n in by_label.get(label, Counter()).items():
            if n < MIN_COUNT[label] or n < MIN_SHARE * tagged[form]:
                continue
            if label == "NORP" and (names[form] or not (
                    misc[form] or (n >= UNSEEN_COUNT and n >= UNSEEN_SHARE * tagged[form]))):
                continue
            out.setdefault(form, label)
    return dict(sorted(out.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=MISC_LABELS_FILE)
    parser.add_argument("--counts", type=Path, default=None, help="keep the base model's counts in this JSON file")
    args = parser.parse_args(argv)
    if not (args.shared / "corpora").is_dir():
        print(f"no corpora under {args.shared}", file=sys.stderr)
        return 2
    cache = args.counts
    if cache is not None and cache.is_file():
        counts = json.loads(cache.read_text(encoding="utf-8"))
        by_label = {label: Counter(c) for label, c in counts["by_label"].items()}
        tagged = Counter(counts["tagged"])
    else:
        by_label, tagged = base_counts(training_texts(args.shared))
        if cache is not None:
            cache.write_text(json.dumps({"by_label": by_label, "tagged": tagged}), encoding="utf-8")
    labels = select(by_label, tagged, *gold_forms(args.shared))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(f"{form}\t{label}\n" for form, label in labels.items()), encoding="utf-8")
    print(f"{len(labels)} forms written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
