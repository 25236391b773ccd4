"""Datelines: the place (and date) and agency a story opens with, "SEOUL, June 18 (AFP) - ...".

`split_dateline(paragraph)` splits a leading dateline off a paragraph: (dateline, agency, rest), or
(None, None, paragraph). Two layouts are read:

- place and/or date, then the agency in brackets and a dash: "ATLANTA (AP) _ ", "STOCKHOLM, Aug 29, 2014
  (AFP) - ", "Berlin (dpa) - ", "Jan 3 (OPTA) - ", "LONDON, Jan 3 (Reuters) - ", "(Sports Network) - ";
- the agency first, then place and date: "(ANSA) - Rome, October 11 - ".

The words before the brackets must read as a place and/or a date (capitalised words, month words of
`extractors.months.DATELINE_MONTH_WORDS`, figures, particles such as "de" or "am"), not as a sentence, and the
agency is at most four words. `place_from_dateline` gives the dateline's place ("Stockholm"), `nice_place`
title-cases a place written in capitals. The text reader and the agency readers both split datelines
here.
"""

from __future__ import annotations

import re

from .clean import clean_inline
from .clean import title_words as _title_words
from .months import DATELINE_MONTH_WORDS

__all__ = ["nice_place", "place_from_dateline", "split_dateline"]

_DASH = r"(?:\.?\s*(?:—|–|-{1,2}|_))"  # "(AP) _", "(dpa) -", "(EFE).-"
# "ATLANTA (AP) _ ", "STOCKHOLM, Aug 29, 2014 (AFP) - ", "Berlin (dpa) - ", "Jan 3 (OPTA) - ",
# "(Sports Network) - ", "LONDON, Jan 3 (Reuters) - "
_DATELINE = re.compile(
    r"^(?P<dateline>(?P<place>[^\s()\"“”«»][^()\"“”«»!?;:]{0,80}?)?\s*\((?P<agency>[^()\n]{1,40})\))"
    rf"\s*{_DASH}\s+(?=\S)"
)
# "(ANSA) - Rome, October 11 - ": agency first, then place and date.
_DATELINE_AGENCY_FIRST = re.compile(
    rf"^(?P<dateline>\((?P<agency>[^()\n]{{1,40}})\)\s*{_DASH}\s*(?P<place>[^\n()]{{1,60}}?))\s*{_DASH}\s+(?=\S)"
)
_FIGURE = re.compile(r"^\d{1,4}$")


def _date_word(word: str) -> bool:
    """A month word ("Aug", "sept", "März") or a day or year figure; `word` without its final "."."""
    return word.casefold() in DATELINE_MONTH_WORDS or _FIGURE.match(word) is not None


def _place_words_ok(place: str) -> bool:
    """The text before "(Agency)" must look like a place and/or a date, not like a sentence."""
    if re.search(r"\.\s+[a-z]", place):
        return False  # a sentence boundary, not an abbreviation such as "Mass." or "St."
    words = re.findall(r"[^\s,/]+", place)
    if not words or len(words) > 10:
        return not words
    for word in words:
        core = word.strip(".'’-")
        if not core:
            continue
        if _date_word(core):
            continue
        if core[0].isupper() or core[0].isdigit():
            continue
        if core.lower() in {"de", "la", "el", "le", "les", "am", "an", "of", "du", "des", "da", "do", "al",
                            "del", "di", "van", "von", "y", "upon", "on", "sur", "im", "bei"}:
            continue
        return False
    return True


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """("ATLANTA (AP)", "AP", rest) when the paragraph starts with a dateline, else (None, None, text)."""
    first = _DATELINE_AGENCY_FIRST.match(paragraph)
    if first:
        rest = paragraph[first.end() :]
        place = first.group("place").strip()
        if len(first.group("agency").split()) <= 4 and _place_words_ok(place) and not rest[:1].islower():
            return clean_inline(first.group("dateline")), first.group("agency").strip(), rest
    match = _DATELINE.match(paragraph)
    if not match:
        return None, None, paragraph
    place = (match.group("place") or "").strip()
    agency = match.group("agency").strip()
    rest = paragraph[match.end() :]
    if len(agency.split()) > 4 or not _place_words_ok(place) or rest[:1].islower():
        return None, None, paragraph
    return clean_inline(match.group("dateline")), agency, rest


def nice_place(place: str | None) -> str | None:
    """Title-case a place written in capitals ("NEW YORK" -> "New York"); keep mixed case."""
    if not place:
        return None
    place = clean_inline(place).strip(" ,-")
    if not place:
        return None
    letters = [ch for ch in place if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return _title_words(place)
    return place


def place_from_dateline(dateline: str | None) -> str | None:
    """The place of a dateline: "STOCKHOLM, Aug 29, 2014 (AFP)" -> "Stockholm"; None for "Jan 3 (OPTA)"."""
    if not dateline:
        return None
    head = dateline.split("(", 1)[0]
    if not head.strip() and ")" in dateline:  # "(ANSA) - Rome, October 11"
        head = re.sub(r"^\s*[-—–_.]+\s*", "", dateline.split(")", 1)[1])
    head = head.split(",", 1)[0].strip(" ,-")
    if not head or any(_date_word(w.strip(".")) for w in head.split()):
        return None
    return nice_place(head)
