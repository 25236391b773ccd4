"""Validation splits of every corpus: set aside, scored by `make eval`, never read for errors.

The rules were developed against the shared dev sets (PolNeAR dev, CoNLL eng.testa, NewsQuant dev.json,
the BBC pairs), and figures on those sets flatter them. Each corpus therefore gets a validation part that
nobody tunes on: evaluators print its figures beside the dev figures, and error listings (`--errors`)
are refused on it. Assignment is by hash of a stable key of each unit (document name, story text,
sentence, pair of files) with a salt per corpus, so it is the same on every machine and does not move
when the corpus is re-ordered or grows:

| corpus | unit | dev (tune on it) | validation (never look at errors) |
|---|---|---|---|
| PolNeAR | article | `dev/` (84) | 20% of `train/` articles (by name; the other 80% stay for training) |
| CoNLL-2003 | document | eng.testa | the eng.train documents the bundled ner did not train on (*) |
| NewsQuant | sentence | half of dev.json (`tune`) | the other half |
| BBC dedup | story pair | half of the pairs | the other half |

(*) `extractors.training.train_ner` leaves every DEV_EVERY-th (20th) eng.train document out: those are the
CoNLL validation split. Of the others, a hash-chosen CONLL_NER_DEV share (`conll_role(...) == "ner_dev"`)
chooses the best checkpoint and the rest are trained on, so the bundled model was neither trained nor
selected on the validation documents (the model bundled before Dec 2026 had chosen its checkpoint on them).
The silver documents the trainer may add (`--silver`, labelled by the base model) are PolNeAR train
articles kept for training and BBC stories, never CoNLL text.
"""

from __future__ import annotations

import hashlib
from typing import Literal

__all__ = [
    "BBC_VALIDATION",
    "CONLL_OVERLAP_NOTE",
    "NEWSQUANT_VALIDATION",
    "POLNEAR_VALIDATION",
    "bbc_pair_split",
    "conll_role",
    "fraction",
    "newsquant_split",
    "polnear_train_split",
]

POLNEAR_VALIDATION = 0.20  # share of PolNeAR train articles set aside
NEWSQUANT_VALIDATION = 0.50  # share of NewsQuant dev.json sentences set aside
BBC_VALIDATION = 0.50  # share of BBC story pairs set aside
CONLL_NER_DEV = 0.05  # share of the trainable eng.train documents the trainer chooses checkpoints on
CONLL_OVERLAP_NOTE = ("validation = the eng.train documents the bundled ner was neither trained on nor had "
                      "its checkpoint chosen on")

Split = Literal["dev", "validation"]


def fraction(salt: str, key: str) -> float:
    """A number in [0, 1) fixed by (salt, key): sha256, first 8 bytes."""
    digest = hashlib.sha256(f"{salt}\x1f{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def polnear_train_split(name: str) -> Literal["train", "validation"]:
    """PolNeAR train article `name` (file stem): kept for training, or set aside as validation."""
    return "validation" if fraction("polnear", name) < POLNEAR_VALIDATION else "train"


def newsquant_split(sentence: str) -> Literal["tune", "validation"]:
    """NewsQuant sentence: in the half tuned on, or in the validation half."""
    return "validation" if fraction("newsquant", " ".join(sentence.split())) < NEWSQUANT_VALIDATION else "tune"


def bbc_pair_split(a: str, b: str) -> Split:
    """A BBC story pair (paths relative to the corpus, either order): dev or validation."""
    lo, hi = sorted((a, b))
    return "validation" if fraction("bbc-pair", f"{lo}\x1e{hi}") < BBC_VALIDATION else "dev"


def conll_role(index: int, text: str, dev_every: int) -> Literal["train", "ner_dev", "validation"]:
    """Role of eng.train document number `index` (from 0): `validation` for the documents train_ner holds
    out (every `dev_every`-th); of the others, a hash-chosen CONLL_NER_DEV share is `ner_dev` (for choosing
    checkpoints in a clean retrain) and the rest `train`."""
    if index % dev_every == dev_every - 1:
        return "validation"
    return "ner_dev" if fraction("conll-ner-dev", text[:2000]) < CONLL_NER_DEV else "train"
