"""The shortcuts behind extract_doc's speed (issue #9) give what the spaCy objects they stand in for give."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.actors import extract_actors
from extractors.actors.tokens import TokView
from extractors.extract import extract_doc
from extractors.ids import actor_id, normalise_name, stable_id
from extractors.numbers import extract_numbers
from extractors.quotes import extract_quotes

# words, figures, quote marks of every kind, accents, white space runs and line breaks
_PIECES = [
    "Blair", "said", "the", "Kursk", "region", "\u00c9lys\u00e9e", "5bn", "\u00a31.2m", "12-15", "2\u00b2",
    "\u00bd", "\u201cWe", "won,\u201d", "\u2018no\u2019", '"yes"', "'s", "\u2019s", "(AFP)", "-", "\u2014",
    "U.S.", "ALL CAPS", "  ", "\n", "\n\n", " \n ", "\t", "caf\u00e9", "\u0130stanbul", "STRASSE", "\u00df",
]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_tokview_columns_are_the_token_attributes(nlp: Any, text: str) -> None:
    doc = nlp.make_doc(text)
    view = TokView(doc)
    assert view.text == doc.text
    assert view.texts == [t.text for t in doc]
    assert view.idxs == [t.idx for t in doc]
    assert view.spaces == [bool(t.whitespace_) for t in doc]
    assert view.lowers == [t.lower_ for t in doc]
    assert [t.i for t in view] == list(range(len(doc)))


def test_tokview_of_an_empty_doc(nlp: Any) -> None:
    view = TokView(nlp.make_doc(""))
    assert (view.text, view.texts, view.idxs, view.spaces, view.lowers, len(view)) == ("", [], [], [], [], 0)


_STORY = (
    "Blair 'will not run again'\n\n"
    "British Prime Minister Tony Blair said on Tuesday he would \u201cnot stand for a fourth term\u201d, "
    "according to the BBC. Blair, 51, told MPs that more than 2,000 troops would stay in Iraq.\n\n"
    '"It is the right thing to do," he said. Labour MP Barry Sheerman said the decision was "brave".\n\n'
    "Shares in BAE Systems Plc rose 3% to \u00a34.50, while sales fell by a third to $1.2bn in 2004."
)


def test_one_shared_view_gives_what_each_extractor_finds_alone(nlp: Any) -> None:
    doc = nlp(_STORY)
    actors, mentions = extract_actors(doc, byline="By John Smith")
    alone = {
        "actors": [dataclasses.asdict(a) for a in actors],
        "mentions": [dataclasses.asdict(m) for m in mentions],
        "quotes": [dataclasses.asdict(q) for q in extract_quotes(doc, actors, mentions)],
        "numbers": [dataclasses.asdict(n) for n in extract_numbers(doc)],
    }
    shared = dataclasses.asdict(extract_doc(doc, byline="By John Smith"))
    assert alone["actors"] and alone["quotes"] and alone["numbers"]
    assert {k: shared[k] for k in alone} == alone


def test_normalise_name_and_actor_id_are_stable_when_cached() -> None:
    for _ in range(2):  # the second round is served from the caches
        assert normalise_name("Ren\u00e9e  O\u2019Brien\u2019s") == "renee o brien"
        assert normalise_name("U.S. Security-Council's") == "u s security council"
        assert actor_id("Tony Blair", "person") == stable_id("actor", "person", "tony blair")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_plain_number_pieces_built_on_access_are_the_token(nlp: Any, text: str) -> None:
    from extractors.numbers.pieces import split_pieces as _pieces

    doc = nlp.make_doc(text)
    pieces, lows = _pieces(TokView(doc))
    assert len(lows) == len(pieces) >= len(doc)
    for i in range(len(pieces)):
        plain = isinstance(pieces.items[i], int)
        p = pieces[i]
        assert lows[i] == p.text.lower()
        assert pieces.has_value(i) == (p.value is not None)
        if plain:
            tok = doc[p.tok]
            assert (p.text, p.start, p.end, p.value, p.junk, p.ordinal) == (
                tok.text, tok.idx, tok.idx + len(tok.text), None, False, False)
            assert p.glued_prev == (tok.i > 0 and not doc[tok.i - 1].whitespace_)
