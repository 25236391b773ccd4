"""`Number.counted_key` (#16.4): what a figure counts, folded the way an analyst groups it. Words and sentences
written for the test."""

from __future__ import annotations

from typing import Any

import pytest

from extractors.lang.fr.numbers import counted_key_fr
from extractors.numbers import extract_numbers
from extractors.numbers.counted import counted_key, singular_noun

# (counted as written, tagged plural, key)
PAIRS: list[tuple[str, bool, str]] = [
    # regular plurals
    ("games", True, "game"), ("Games", True, "game"), ("rebounds", True, "rebound"), ("points", True, "point"),
    ("countries", True, "country"), ("churches", True, "church"), ("boxes", True, "box"), ("classes", True, "class"),
    ("dishes", True, "dish"), ("prizes", True, "prize"), ("buzzes", True, "buzz"), ("houses", True, "house"),
    ("cases", True, "case"), ("executives", True, "executive"), ("shoes", True, "shoe"), ("ties", True, "tie"),
    ("Americans", True, "american"), ("times", True, "time"),
    # irregular plurals, folded whatever the tag
    ("people", True, "person"), ("people", False, "person"), ("persons", True, "person"),
    ("children", True, "child"), ("women", True, "woman"), ("men", False, "man"), ("teeth", True, "tooth"),
    ("mice", True, "mouse"), ("criteria", True, "criterion"), ("phenomena", True, "phenomenon"),
    ("analyses", True, "analysis"), ("crises", True, "crisis"), ("indices", True, "index"),
    ("alumni", True, "alumnus"), ("passersby", True, "passerby"), ("quizzes", True, "quiz"),
    ("MEPs", True, "mep"), ("CDs", False, "cd"),
    # plurals with a lexicon entry
    ("businessmen", True, "businessman"), ("gunmen", True, "gunman"), ("lives", True, "life"),
    ("wolves", True, "wolf"), ("heroes", True, "hero"), ("potatoes", True, "potato"), ("movies", True, "movie"),
    ("calories", True, "calorie"), ("headaches", True, "headache"), ("tranches", True, "tranche"),
    ("coaches", True, "coach"), ("buses", True, "bus"), ("viruses", True, "virus"), ("bonuses", True, "bonus"),
    ("menus", True, "menu"),
    # not changed: singular, invariant, or no plural an analyst would group under
    ("news", True, "news"), ("species", True, "species"), ("series", True, "series"), ("data", True, "data"),
    ("media", True, "media"), ("analysis", False, "analysis"), ("analysis", True, "analysis"),
    ("business", True, "business"), ("campus", True, "campus"), ("status", False, "status"),
    ("police", True, "police"), ("staff", True, "staff"), ("sheep", True, "sheep"), ("aircraft", True, "aircraft"),
    ("politics", True, "politics"), ("headquarters", True, "headquarters"), ("innings", True, "innings"),
    ("earnings", True, "earnings"), ("savings", True, "savings"),
    ("specimen", True, "specimen"), ("AIDS", True, "aids"), ("US", True, "us"),
    ("soldier", False, "soldier"), ("Premiership", False, "premiership"), ("wounded", False, "wounded"),
    # a word in -s the tagger did not take for a plural is only lower-cased
    ("Jones", False, "jones"), ("games", False, "games"),
]


@pytest.mark.parametrize(("word", "plural", "key"), PAIRS)
def test_singular_noun(word: str, plural: bool, key: str) -> None:
    assert singular_noun(word, plural) == key
    assert singular_noun(key, False) == key  # a key is a fixed point


def test_counted_key_of_several_words_and_none() -> None:
    assert counted_key("polling stations", True) == "polling station"
    assert counted_key("Polling Stations", True) == "polling station"
    assert counted_key("people", False) == "person"
    assert counted_key(None, True) is None


@pytest.mark.parametrize(("text", "counted", "key"), [
    ("The team has won 12 games this season.", "games", "game"),
    ("She scored 31 points and grabbed 14 rebounds.", "rebounds", "rebound"),
    ("About 1,200 people were evacuated.", "people", "person"),
    ("The school took in 40 children.", "children", "child"),
    ("A 10-game run ended on Sunday.", "game", "game"),
    ("Voters queued at 300 polling stations.", "stations", "station"),
    ("Two species of frog were found.", "species", "species"),
    ("The fund lost 3 million dollars.", None, None),
])
def test_extractor_sets_the_key(nlp: Any, text: str, counted: str | None, key: str | None) -> None:
    found = [n for n in extract_numbers(nlp(text)) if n.counted == counted]
    assert found, f"no figure counting {counted!r} in {text!r}"
    assert {n.counted_key for n in found} == {key}


@pytest.mark.parametrize(("word", "plural", "key"), [
    ("personnes", True, "personne"), ("exploitations", True, "exploitation"), ("emplois", True, "emploi"),
    ("journaux", True, "journal"), ("hôpitaux", True, "hôpital"), ("bateaux", True, "bateau"),
    ("jeux", True, "jeu"), ("bijoux", True, "bijou"), ("yeux", True, "œil"), ("travaux", True, "travail"),
    ("fois", True, "fois"), ("pays", True, "pays"), ("prix", True, "prix"), ("taux", True, "taux"),
    ("succès", True, "succès"), ("virus", True, "virus"), ("Départements", True, "département"),
    ("élève", False, "élève"), ("prix", False, "prix"),
])
def test_french_counted_key(word: str, plural: bool, key: str) -> None:
    assert counted_key_fr(word, plural) == key


def test_french_extractor_sets_the_key() -> None:
    from extractors.lang.fr.numbers import extract_numbers_fr
    from extractors.nlp import load_nlp

    found = extract_numbers_fr(load_nlp("fr_core_news_sm")("La région compte 1 200 exploitations et 40 journaux."))
    assert {(n.counted, n.counted_key) for n in found} == {("exploitations", "exploitation"),
                                                           ("journaux", "journal")}
