"""extractors.nlp: the AttributeTable that replaces the model's attribute_ruler sets the same attributes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from extractors import nlp as nlp_module
from extractors.errors import BadInput
from extractors.ner.misc_labels import misc_label
from extractors.nlp import DEFAULT_MODEL, MODEL_FALLBACKS, AttributeTable, load_nlp

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
        return spacy.load(MODEL_FALLBACKS[DEFAULT_MODEL], exclude=["lemmatizer", "ner"])


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


def _bundled_ner_listens() -> bool:
    if not (nlp_module.CONLL_MODEL_DIR / "meta.json").is_file():
        return False
    meta = json.loads((nlp_module.CONLL_MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    return nlp_module.CONLL_TOK2VEC_KEY in meta


@pytest.mark.skipif(not _bundled_ner_listens(), reason="the bundled CoNLL ner has its own tok2vec")
def test_conll_ner_listens_to_the_running_tok2vec() -> None:
    nlp = load_nlp()
    names = nlp.pipe_names
    assert names.index("tok2vec") < names.index("conll_ner") < names.index("conll_entities")
    assert "ner" not in names
    assert "conll_ner" in nlp.get_pipe("tok2vec").listening_components
    doc = nlp("Tony Blair met Gordon Brown in London, Reuters said.")
    assert {(e.text, e.label_) for e in doc.spans["conll"]} >= {("Tony Blair", "PER"), ("London", "LOC")}


@pytest.mark.skipif(not _bundled_ner_listens(), reason="the bundled CoNLL ner has its own tok2vec")
def test_conll_ner_trained_on_another_tok2vec_is_refused(
    base: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "conll_ner"
    shutil.copytree(nlp_module.CONLL_MODEL_DIR, model)
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta[nlp_module.CONLL_TOK2VEC_KEY] = "0" * 64
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    monkeypatch.setattr(nlp_module, "CONLL_MODEL_DIR", model)
    with pytest.raises(BadInput, match="another tok2vec"):
        nlp_module._add_conll_ner(base)


@pytest.mark.skipif(not (nlp_module.CONLL_MODEL_DIR / "meta.json").is_file(), reason="no bundled CoNLL ner")
def test_one_ner_pass_gives_ontonotes_labels_to_conll_entities() -> None:
    nlp = load_nlp()
    assert "ner" not in nlp.pipe_names and "conll_ner" in nlp.pipe_names
    doc = nlp("Tony Blair told the Kurds in London that Reuters and the World Cup were German.")
    conll = {(e.text, e.label_) for e in doc.spans["conll"]}
    ents = {(e.text, e.label_) for e in doc.ents}
    assert {("Tony Blair", "PER"), ("London", "LOC"), ("Reuters", "ORG")} <= conll
    assert {("Tony Blair", "PERSON"), ("London", "GPE"), ("Reuters", "ORG")} <= ents
    # MISC: a name of the misc_labels lexicon gets its label, any other MISC span is left out of doc.ents
    for text, label in conll:
        if label == "MISC":
            assert {lab for t, lab in ents if t == text} == ({misc_label(text)} - {None})


def test_the_base_model_keeps_its_own_ner_without_the_conll_ner() -> None:
    nlp = load_nlp(conll_ner=False)
    assert "ner" in nlp.pipe_names and "conll_ner" not in nlp.pipe_names


def test_numpy_ops_parse_the_same_and_leave_no_layer_on_blis() -> None:
    from thinc.backends.numpy_ops import NumpyOps
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        plain, on_numpy = load_nlp(), load_nlp(numpy_ops=True)
        assert plain is not on_numpy
        layers = [node for _n, c in on_numpy.pipeline if hasattr(getattr(c, "model", None), "walk")
                  for node in c.model.walk()]
        assert layers and all(isinstance(n.ops, NumpyOps) and not n.ops.use_blis for n in layers)
        for text in [*TEXTS, "Angela Merkel told Reuters in Berlin on Monday that 3,000 jobs at Siemens AG were safe."]:
            a, b = plain(text), on_numpy(text)
            assert [(t.tag_, t.dep_, t.head.i) for t in a] == [(t.tag_, t.dep_, t.head.i) for t in b]
            assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
