"""extract_quotes: quote forms (issue #3 point 1) and speakers (point 2) on small texts written here."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from extractors.ids import actor_id
from extractors.nlp import load_nlp
from extractors.quotes import extract_quotes
from extractors.records import Actor, ActorKind, Mention, Quote

ActorSpec = tuple[str, ActorKind, Sequence[str]]


@pytest.fixture(scope="module")
def nlp() -> Iterator[Language]:
    yield load_nlp()


def _cast(
    text: str, specs: Sequence[ActorSpec], titles: dict[str, list[str]] | None = None
) -> tuple[list[Actor], list[Mention]]:
    """Actors and their mentions by hand: every whole-word occurrence of each surface form."""
    actors: list[Actor] = []
    mentions: list[Mention] = []
    for name, kind, forms in specs:
        aid = actor_id(name, kind)
        actor = Actor(aid, name, kind, titles=(titles or {}).get(name, []), aliases=[f for f in forms if f != name])
        for form in sorted(set(forms) | {name}, key=len, reverse=True):
            for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
                if any(x.start <= m.start() < x.end for x in mentions):
                    continue
                mentions.append(Mention(aid, m.group(), kind, m.start(), m.end()))
        actor.mention_count = sum(1 for x in mentions if x.actor_id == aid)
        actors.append(actor)
    mentions.sort(key=lambda x: x.start)
    return actors, mentions


def _run(
    nlp: Language, text: str, specs: Sequence[ActorSpec] = (), titles: dict[str, list[str]] | None = None
) -> list[Quote]:
    doc: Doc = nlp(text)
    actors, mentions = _cast(text, specs, titles)
    quotes = extract_quotes(doc, actors, mentions)
    for q in quotes:  # offsets always index the body
        assert text[q.start : q.end] == q.text
        if q.speaker_start is not None and q.speaker_end is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text
    return quotes


def _one(quotes: list[Quote], words: str) -> Quote:
    found = [q for q in quotes if words in q.text]
    assert len(found) == 1, (words, quotes)
    return found[0]


SMITH: ActorSpec = ("Jane Smith", "person", ["Jane Smith", "Smith"])


# --- point 1: quote forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [('"', '"'), ("\u201c", "\u201d"), ("\u00ab", "\u00bb"), ("'", "'"), ("\u2018", "\u2019")],
    ids=["straight", "curly", "guillemets", "single-straight", "single-curly"],
)
def test_quote_marks(nlp: Language, opening: str, closing: str) -> None:
    text = f"{opening}We will rebuild the bridge before winter,{closing} Jane Smith said on Monday."
    q = _one(_run(nlp, text, [SMITH]), "rebuild")
    assert q.text == "We will rebuild the bridge before winter"
    assert q.kind == "direct"
    assert q.speaker == "Jane Smith"
    assert q.cue == "said"


def test_apostrophes_are_not_quote_marks(nlp: Language) -> None:
    text = "The players' union said it wasn't over, and Smith's lawyers didn't comment on the '90s deal."
    assert [q for q in _run(nlp, text, [SMITH]) if q.kind != "indirect"] == []


def test_quote_split_around_the_cue(nlp: Language) -> None:
    text = '"We will win this vote," Smith said, "and then we will win the next one."'
    quotes = _run(nlp, text, [SMITH])
    first, second = _one(quotes, "this vote"), _one(quotes, "next one")
    assert first.speaker == second.speaker == "Jane Smith"
    assert first.start < second.start


def test_partial_quote_inside_reported_speech(nlp: Language) -> None:
    text = 'Smith said the new tariffs were "a clear violation" of the trade agreement signed last year.'
    q = _one(_run(nlp, text, [SMITH]), "violation")
    assert q.kind == "partial"
    assert q.text == "a clear violation"
    assert q.speaker == "Jane Smith"


def test_quote_running_over_paragraphs(nlp: Language) -> None:
    text = (
        'Smith spoke for an hour. "The first thing we will do is fix the roads.\n\n'
        '"The second thing is the schools, and the third the hospitals," she said.'
    )
    quotes = [q for q in _run(nlp, text, [SMITH]) if q.kind != "indirect"]
    assert [q.text for q in quotes] == [
        "The first thing we will do is fix the roads.",
        "The second thing is the schools, and the third the hospitals",
    ]
    assert {q.speaker for q in quotes} == {"Jane Smith"}


def test_unclosed_quote_is_not_carried_into_a_paragraph_without_opening_mark(nlp: Language) -> None:
    text = 'Smith said: "The roads come first.\n\nThe council met on Tuesday to vote on the budget.'
    quotes = [q for q in _run(nlp, text, [SMITH]) if q.kind != "indirect"]
    assert [q.text for q in quotes] == ["The roads come first."]


def test_floating_quotes_inherit_the_speaker(nlp: Language) -> None:
    text = (
        '"We will win," Smith said after the meeting. "Nobody can stop us now."\n\n'
        '"We have the votes and we have the money."\n\n'
        "The opposition did not reply."
    )
    quotes = _run(nlp, text, [SMITH])
    for words in ("Nobody can stop", "We have the votes"):
        q = _one(quotes, words)
        assert q.kind == "direct"
        assert q.speaker == "Jane Smith", q


def test_floating_quote_does_not_reach_past_a_narrative_paragraph(nlp: Language) -> None:
    text = (
        '"We will win," Smith said.\n\n'
        "The council then debated the budget for three hours without a break.\n\n"
        '"This is a waste of money."'
    )
    q = _one(_run(nlp, text, [SMITH]), "waste of money")
    assert q.speaker is None


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        ("Smith said that the economy was growing faster than expected.", "economy was growing", "said"),
        ("The economy was growing faster than expected, Smith said on Friday.", "economy was growing", "said"),
        ("Smith told reporters the plan to close the mine was dead.", "plan to close the mine", "told"),
        ("Smith warned that prices would rise sharply next year.", "prices would rise", "warned"),
        ("Prices will rise sharply next year, according to Smith.", "Prices will rise", "according to"),
    ],
    ids=["said-that", "content-first", "told", "warned", "according-to"],
)
def test_indirect_speech(nlp: Language, text: str, content: str, cue: str) -> None:
    q = _one(_run(nlp, text, [SMITH]), content)
    assert q.kind == "indirect"
    assert q.speaker == "Jane Smith"
    assert q.cue == cue
    assert "Smith" not in q.text


@pytest.mark.parametrize(
    "text",
    [
        'The so-called "deal" was signed by both sides on Monday.',
        'Smith appeared on "Face the Nation" on Sunday morning.',
        'The bill, dubbed "Clean Streets," passed the council.',
    ],
    ids=["so-called", "show-title", "dubbed"],
)
def test_scare_quotes_and_titles_are_left_out(nlp: Language, text: str) -> None:
    assert [q for q in _run(nlp, text, [SMITH]) if q.kind != "indirect"] == []


# --- point 2: speakers -------------------------------------------------------------------------------


def test_pronoun_resolved_to_the_previous_speaker(nlp: Language) -> None:
    text = (
        "Jane Smith met John Brown in Paris on Monday.\n\n"
        '"The talks went well," Smith said.\n\n'
        '"We will meet again in May," she added.'
    )
    specs: list[ActorSpec] = [SMITH, ("John Brown", "person", ["John Brown", "Brown"])]
    q = _one(_run(nlp, text, specs), "meet again")
    assert q.speaker_text == "she"
    assert q.speaker == "Jane Smith"
    assert q.speaker_actor_id == actor_id("Jane Smith", "person")
    assert q.cue == "added"


def test_pronoun_skips_names_inside_the_quote(nlp: Language) -> None:
    text = 'Smith arrived late. "This is a gift from John Brown to our country," he was quoted as saying.'
    specs: list[ActorSpec] = [("Jane Smith", "person", ["Smith"]), ("John Brown", "person", ["John Brown"])]
    q = _one(_run(nlp, text, specs), "gift")
    assert q.speaker == "Jane Smith"


def test_unresolvable_pronoun_stays_null(nlp: Language) -> None:
    q = _one(_run(nlp, '"The bridge will be rebuilt," he said.'), "bridge")
    assert q.speaker_text == "he"
    assert q.speaker is None
    assert q.speaker_actor_id is None


def test_it_resolves_to_an_organisation(nlp: Language) -> None:
    text = (
        "The Finance Ministry issued a statement on Tuesday.\n\n"
        '"Prices will rise for a year," it said in the statement.'
    )
    q = _one(_run(nlp, text, [("Finance Ministry", "org", ["Finance Ministry"])]), "Prices")
    assert q.speaker == "Finance Ministry"
    assert q.speaker_text == "it"


def test_it_follows_a_speaker_that_is_no_actor(nlp: Language) -> None:
    text = (
        'Seoul\'s foreign ministry on Wednesday said the "deployment of workers breaks the rules".\n\n'
        '"We urge an immediate halt," it said in a statement.'
    )
    quotes = _run(nlp, text, [("Seoul", "place", ["Seoul"])])
    first, second = _one(quotes, "deployment"), _one(quotes, "immediate halt")
    assert first.speaker == "Seoul's foreign ministry"  # a proper nominal that is no actor keeps its words
    assert first.speaker_actor_id is None
    assert second.speaker == "Seoul's foreign ministry"


def test_nominal_with_title_resolves_to_the_person(nlp: Language) -> None:
    text = 'Foreign Minister Jane Smith flew to Rome on Monday.\n\n"The sanctions will stay," the minister said.'
    q = _one(_run(nlp, text, [SMITH], titles={"Jane Smith": ["Foreign Minister"]}), "sanctions")
    assert q.speaker_text == "the minister"
    assert q.speaker == "Jane Smith"


def test_nominal_for_a_newspaper(nlp: Language) -> None:
    text = 'The Daily Herald published the letter on Sunday.\n\n"The mayor knew about the deal," the newspaper said.'
    q = _one(_run(nlp, text, [("Daily Herald", "org", ["The Daily Herald", "Daily Herald"])]), "mayor knew")
    assert q.speaker == "Daily Herald"


def test_told_agency_never_makes_the_agency_the_speaker(nlp: Language) -> None:
    text = '"The plan is intended to increase trade," Hong Min, a senior analyst at the institute, told AFP.'
    specs: list[ActorSpec] = [("Hong Min", "person", ["Hong Min"]), ("AFP", "org", ["AFP"])]
    q = _one(_run(nlp, text, specs), "increase trade")
    assert q.speaker == "Hong Min"
    assert q.speaker_text == "Hong Min"
    assert q.cue == "told"


def test_told_reporters(nlp: Language) -> None:
    text = 'Smith told reporters: "We are ready for the vote."'
    q = _one(_run(nlp, text, [SMITH]), "ready")
    assert q.speaker == "Jane Smith"


def test_quoted_as_saying_gives_the_quoted_person(nlp: Language) -> None:
    text = 'The two sides reached a deal "on lasting cooperation", the TASS news agency quoted Shoigu as saying.'
    specs: list[ActorSpec] = [("Sergei Shoigu", "person", ["Shoigu"]), ("TASS", "org", ["TASS"])]
    q = _one(_run(nlp, text, specs), "lasting cooperation")
    assert q.speaker == "Sergei Shoigu"
    assert q.speaker_text == "Shoigu"
    assert q.cue is not None and "quoted" in q.cue


def test_according_to_gives_the_named_source(nlp: Language) -> None:
    text = 'The deal is "dead and buried", according to Smith.'
    q = _one(_run(nlp, text, [SMITH]), "dead and buried")
    assert q.speaker == "Jane Smith"
    assert q.cue == "according to"


def test_title_is_carried_in_speaker_text(nlp: Language) -> None:
    text = '"We are ready," Foreign Minister Jane Smith said.'
    q = _one(_run(nlp, text, [SMITH]), "ready")
    assert q.speaker == "Jane Smith"
    assert q.speaker_text is not None and "Foreign Minister" in q.speaker_text


def test_short_name_resolves_to_the_actor(nlp: Language) -> None:
    text = 'Jane Smith arrived in Rome. "The sanctions will stay," Smith said.'
    q = _one(_run(nlp, text, [SMITH]), "sanctions")
    assert q.speaker_actor_id == actor_id("Jane Smith", "person")


def test_empty_text(nlp: Language) -> None:
    assert _run(nlp, "") == []


def test_title_phrase_resolves_through_the_actor_titles(nlp: Language) -> None:
    text = (
        "The border will reopen next month, Moscow's security chief said on Tuesday.\n\n"
        "Sergei Shoigu was in Minsk for talks."
    )
    specs: list[ActorSpec] = [("Sergei Shoigu", "person", ["Sergei Shoigu"]), ("Moscow", "place", ["Moscow"])]
    q = _one(_run(nlp, text, specs, titles={"Sergei Shoigu": ["Moscow's security chief"]}), "border")
    assert q.kind == "indirect"
    assert q.speaker_text == "Moscow's security chief"
    assert q.speaker == "Sergei Shoigu"


def test_nested_quotes_stay_inside_the_outer_quote(nlp: Language) -> None:
    text = "\"He told me 'never again', and I believe him,\" Smith said."
    quotes = [q for q in _run(nlp, text, [SMITH]) if q.kind != "indirect"]
    assert [q.text for q in quotes] == ["He told me 'never again', and I believe him"]
    assert quotes[0].speaker == "Jane Smith"


def test_double_apostrophes_as_quote_marks(nlp: Language) -> None:
    text = "''We will not give up,'' Smith said."
    q = _one(_run(nlp, text, [SMITH]), "give up")
    assert q.text == "We will not give up"
    assert q.speaker == "Jane Smith"


def test_dash_attribution_after_the_quote(nlp: Language) -> None:
    text = "The readers wrote in.\n\n\u201cThe debate changed my mind about the vote.\u201d \u2015 Jane Smith"
    q = _one(_run(nlp, text, [SMITH]), "debate changed")
    assert q.speaker == "Jane Smith"


def test_transcript_turns_name_their_speaker(nlp: Language) -> None:
    text = 'The interview went on.\n\n"SMITH: We will hold the vote in May and we will win it."'
    q = _one(_run(nlp, text, [SMITH]), "hold the vote")
    assert q.speaker_text == "SMITH"
    assert q.speaker == "Jane Smith"


_PIECES = [
    "Smith",
    "said",
    "he",
    "told",
    "AFP",
    "the",
    "deal",
    "was",
    "good",
    ",",
    ".",
    ":",
    "\n\n",
    "\n",
    '"',
    "'",
    "\u201c",
    "\u201d",
    "\u2018",
    "\u2019",
    "\u00ab",
    "\u00bb",
    "''",
    "according",
    "to",
    "it",
    "--",
    "(",
    ")",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_any_mix_of_marks_gives_valid_offsets(nlp: Language, pieces: list[str]) -> None:
    text = " ".join(pieces)
    for q in _run(nlp, text, [SMITH]):  # _run checks that every offset indexes the text
        assert 0 <= q.start < q.end <= len(text)
        assert q.text.strip() == q.text
        assert q.kind in {"direct", "partial", "indirect"}


def test_plural_possessive_inside_single_quotes(nlp: Language) -> None:
    text = "'The players' union will not sign this deal,' Smith said."
    q = _one(_run(nlp, text, [SMITH]), "union")
    assert q.text == "The players' union will not sign this deal"
    assert q.speaker == "Jane Smith"


def test_mixed_curly_and_straight_marks(nlp: Language) -> None:
    text = '\u201cOur roads and bridges are crumbling," Smith said. "We need the money now.\u201d'
    quotes = _run(nlp, text, [SMITH])
    first, second = _one(quotes, "crumbling"), _one(quotes, "money")
    assert first.text == "Our roads and bridges are crumbling"
    assert first.speaker == second.speaker == "Jane Smith"
