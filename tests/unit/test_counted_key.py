"""`extractors.numbers.counted` (#16.4): what a figure counts, folded the way an analyst groups it. Words
written for the test."""

from __future__ import annotations

import pytest

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
