"""extractors.nlp: the AttributeTable that replaces the model's attribute_ruler sets the same attributes."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from extractors.nlp import _MODEL_FALLBACKS, DEFAULT_MODEL, AttributeTable, load_nlp

# Sentences that exercise the word exceptions, the dependency rules and the multi-token rules
# (ain't, gonna, gotta, let's, c'mon, y'all, "there is"), plus runs of white space.
TEXTS = [
    "Ain't nobody gonna stop us, y'all. Let's go, c'mon! There is a dog and there's a cat.",
    "I did it, you have it and it does. Gotta go.\n\n  Hello   there; but I told him that he'd won.",
    "The minister, who has said that she doesn't know, gets what she wants: 3.5% of $2bn (about £1.5bn).",
    "He said   that it was \t fine.\nBut there were \n\n two of them, which nobody had expected.",
]


@pytest.fixture(scope="module")
def base() -> Language:
    try:
        return spacy.load(DEFAULT_MODEL, exclude=["lemmatizer", "ner"])
    except OSError:
        return spacy.load(_MODEL_FALLBACKS[DEFAULT_MODEL], exclude=["lemmatizer", "ner"])


def _annotations(doc: Any) -> list[tuple[str, str, str, str, str]]:
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


def test_attribute_table_sets_what_the_attribute_ruler_sets(base: Language) -> None:
    ruler = base.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    table = AttributeTable(base.vocab)
    table.set_rules(ruler.patterns, ruler.attrs)
    with base.select_pipes(disable=["attribute_ruler"]):
        docs = list(base.pipe(TEXTS))
    for doc in docs:
        expected, got = ruler(doc.copy()), table(doc.copy())
        assert _annotations(got) == _annotations(expected)
        assert (got.to_array([POS, MORPH, LEMMA, TAG, DEP]) == expected.to_array([POS, MORPH, LEMMA, TAG, DEP])).all()
    # the rare rules did fire: a multi-token lemma, a dependency-dependent POS, white space
    lemmas = {t.text: t.lemma_ for t in table(docs[0].copy())}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"
    assert any(t.pos_ == "SPACE" for t in table(docs[1].copy()))


def test_load_nlp_runs_the_attribute_table() -> None:
    nlp = load_nlp()
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeTable)
    doc = nlp("The Prime Minister has said that he will visit Paris.")
    assert [t.pos_ for t in doc][:5] == ["DET", "PROPN", "PROPN", "AUX", "VERB"]
