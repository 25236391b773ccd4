"""Patterns and word sets of the number grammar (the number-word, unit and currency lexicons are in
`extractors.numwords`)."""

from __future__ import annotations

import re

from ..numwords import (
    TENS_WORDS,
    UNITS_WORDS,
    VAGUE_WORDS,
)

__all__ = [
    "DECADE_SUFFIX",
    "DETERMINERS",
    "FIRST_DAY",
    "FIRST_MODERN_YEAR",
    "FIRST_YEAR",
    "HYPHENS",
    "LAST_CLOCK_TIME",
    "LAST_DAY",
    "LAST_YEAR",
    "MAX_CHANGE_HOPS",
    "MAX_DOLLAR_ADJECTIVE_GAP",
    "MAX_NOUN_RUN",
    "MAX_OF_OBJECT",
    "NOT_COUNTED",
    "NUM",
    "NUM_IN_TOKEN",
    "OPENERS",
    "ORDINAL_SUFFIX",
    "RANGE_TOKEN_RE",
    "RANGE_WORDS",
    "SEPARATORS",
    "STRIP_DOT_UNITS",
    "STRIP_DOT_WORDS",
    "TIME_DETERMINERS",
    "TOKEN_RE",
    "WORD_PREFIXES",
]

NUM = r"[-+−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
NUM_IN_TOKEN = re.compile(NUM)
TOKEN_RE = re.compile(rf"(?P<pre>\D*?)(?P<num>{NUM}|\d{{1,3}},\d{{1,2}})(?P<suf>\D*)")
RANGE_TOKEN_RE = re.compile(rf"(?P<a>{NUM})(?P<dash>[-–])(?P<b>\d[\d,]*(?:\.\d+)?)(?P<suf>[^\d\W]*)")
ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})
DECADE_SUFFIX = frozenset({"s", "'s", "′s", "’s"})
HYPHENS = frozenset({"-", "–", "—"})
RANGE_WORDS = frozenset({"to", "-", "–", "through", "and"})
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "your", "my", "those", "these"})
NOT_COUNTED = frozenset({"today", "tomorrow", "yesterday", "tonight", "ago", "apiece", "each"})
SEPARATORS = frozenset({"-", "–", "/", ":", "."})
TIME_DETERMINERS = frozenset({"last", "next", "this", "that", "every", "each", "per", "a", "an", "the"})
# The words a figure without digits can start with (`rules.FIGURE_RULES` find none at any other such piece):
# number words, "a"/"an" ("a thousand", "a third of"), vague plurals and "half".
OPENERS = frozenset(UNITS_WORDS) | frozenset(TENS_WORDS) | frozenset(VAGUE_WORDS) | {"a", "an", "one", "half"}

# Figures that are a day of the month or a year when a month name stands next to them ("5 May", "May 2019").
FIRST_DAY, LAST_DAY = 1, 31
FIRST_YEAR, LAST_YEAR = 1000, 2100
# A bare 4-digit figure in this range reads as a year without a word before it ("the 2019 list"); one from
# FIRST_YEAR up to it only after "in", "since" ... ("in 1066").
FIRST_MODERN_YEAR = 1900
# The largest figure before "GMT", "am", "hours" ... that is a clock time ("2400 GMT").
LAST_CLOCK_TIME = 2400
# Tokens looked at for a counted noun after a figure (its modifiers included: "600 North Korean soldiers") ...
MAX_NOUN_RUN = 6
# ... and for the noun after "of" ("thousands of the country's workers").
MAX_OF_OBJECT = 4
# Heads climbed from a figure to the verb that tells its change ("rose by 5%").
MAX_CHANGE_HOPS = 3
# Tokens between a currency adjective and "dollars" ("Canadian dollars", "Hong Kong dollars").
MAX_DOLLAR_ADJECTIVE_GAP = 2

WORD_PREFIXES = {"sub-": "sub", "minus-": "minus", "now-": "", "over-": "over", "under-": "under"}
STRIP_DOT_UNITS = frozenset({"m", "bn", "mn", "k", "b", "km", "kg", "lb", "lbs", "p", "ft", "oz", "yds", "mi"})
# words written with a stray "." or "-" glued on ("5 miles."): the mark becomes a piece of its own
STRIP_DOT_WORDS = STRIP_DOT_UNITS | {
    "miles", "yards", "feet", "metres", "meters", "inches", "pounds", "tonnes", "tons", "percent",
    "kilometres", "kilometers", "hours", "days", "years", "months", "weeks", "dollars", "euros",
}  # fmt: skip
