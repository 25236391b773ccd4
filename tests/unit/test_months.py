"""The month table (extractors.months) and the views the readers and extractors take from it."""

from __future__ import annotations

import re

from extractors.months import (
    DATELINE_MONTH_WORDS,
    ENGLISH_MONTH_PREFIX,
    ENGLISH_MONTH_WORDS,
    FRENCH_MONTHS,
    MONTH_NUMBERS,
)


def test_every_language_spells_twelve_months_and_no_spelling_names_two() -> None:
    from extractors import months

    for table in (months.NAMES, months.ABBREVIATIONS, months.OTHER_SPELLINGS):
        assert all(len(spellings) == 12 for spellings in table.values())
    assert MONTH_NUMBERS["sept"] == MONTH_NUMBERS["września"] == MONTH_NUMBERS["сентября"] == 9
    assert MONTH_NUMBERS["mrz"] == MONTH_NUMBERS["märz"] == 3 and MONTH_NUMBERS["fév"] == 2


def test_english_words_leave_may_to_the_caller() -> None:
    assert {"january", "jan", "jan.", "sept", "sept.", "december"} <= ENGLISH_MONTH_WORDS
    assert "may" not in ENGLISH_MONTH_WORDS and "may." not in ENGLISH_MONTH_WORDS
    assert "août" in FRENCH_MONTHS and len(FRENCH_MONTHS) == 12


def test_dateline_month_words() -> None:
    assert {"jan", "sept", "january", "févr", "juillet", "märz"} <= DATELINE_MONTH_WORDS
    assert not {"monday", "rome", "marseille", "main", "janeiro"} & DATELINE_MONTH_WORDS
    assert re.fullmatch(ENGLISH_MONTH_PREFIX, "Sept.", re.IGNORECASE)
