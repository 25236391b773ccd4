"""The OntoNotes label of a CoNLL MISC name, as the base model's ner would give it (NORP or ORG).

wire runs one ner, the bundled CoNLL-2003 model, whose MISC type lumps nationalities, religions and parties
("Kurds", "Shiites", "Democrats") and some organisations ("Taliban") with events, works and products
("World Cup", "Windows"). The extractors read OntoNotes' NORP (groups, nationality adjectives, speaker
features) and ORG, which the base model's ner gave at the price of a second ner pass with its own tok2vec.
`extractors.training.mine_misc_labels` distils that knowledge into data/misc_labels.tsv (form, tab, label):
extractors.nlp gives a CoNLL MISC span whose text is listed that label in `doc.ents`.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["MISC_LABELS_FILE", "misc_label", "misc_labels"]

MISC_LABELS_FILE = Path(__file__).resolve().parent / "data" / "misc_labels.tsv"


@functools.cache
def misc_labels() -> dict[str, str]:
    """form -> OntoNotes label of MISC_LABELS_FILE (empty when it is missing)."""
    if not MISC_LABELS_FILE.is_file():
        return {}
    out = {}
    for line in MISC_LABELS_FILE.read_text(encoding="utf-8").splitlines():
        form, _, label = line.rstrip("\n").partition("\t")
        if form and label:
            out[form] = label
    return out


def misc_label(text: str) -> str | None:
    """The label of `text` (whitespace folded) in the lexicon, or None."""
    return misc_labels().get(" ".join(text.split()))
