"""Month names: the one table every reader and extractor takes them from.

The table has three parts per language, each a tuple of the twelve months (January first), each month a
space-separated list of lower-case spellings:

- `NAMES`: the full names as the language writes them;
- `ABBREVIATIONS`: the short forms agencies and feeds print ("Sept.", "févr.", "Mrz");
- `OTHER_SPELLINGS`: declined forms and spellings without diacritics ("stycznia", "fevrier", "maerz").

Views derived from it, one per use:

- `MONTH_NUMBERS`: every spelling -> month number (feed dates in any language, IPTC 7901 time groups);
- `ENGLISH_MONTH_WORDS`: English names and abbreviations, with and without a final ".", but not "may"
  (the number extractor matches "May" case-sensitively: "may" is a verb);
- `FRENCH_MONTHS`: the French names (the French number reader);
- `DATELINE_MONTH_WORDS`: the month words of a dateline: English and French names and abbreviations and
  German names, in lower case (the caller strips a final "." and folds case);
- `ENGLISH_MONTH_PREFIX`: a regex for an English month word next to a name, matched ignoring case: an
  abbreviation followed by any letters ("Sept.", "January"). It also lets words through that merely start
  like one ("Marseille", "Market"); the actor extractor's output depends on it, so it stays as it is.

To add a spelling, put it in the table under its language and month; every view takes it up. A spelling
may not name two months (the table is checked when the module is imported).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ABBREVIATIONS",
    "DATELINE_MONTH_WORDS",
    "ENGLISH_MONTH_PREFIX",
    "ENGLISH_MONTH_WORDS",
    "FRENCH_MONTHS",
    "MONTH_NUMBERS",
    "NAMES",
    "OTHER_SPELLINGS",
]

Months = tuple[str, str, str, str, str, str, str, str, str, str, str, str]

NAMES: Final[dict[str, Months]] = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "pl": ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
           "październik", "listopad", "grudzień"),
    "tr": ("ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım",
           "aralık"),
    "ru": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
           "декабрь"),
}  # fmt: skip
ABBREVIATIONS: Final[dict[str, Months]] = {
    "en": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep sept", "oct", "nov", "dec"),
    "fr": ("janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"),
    "de": ("jan jän", "feb", "mär mrz", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    "it": ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"),
    "pt": ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "", "nov", "dez"),
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "pl": ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"),
    "ru": ("янв", "фев", "", "апр", "", "июн", "июл", "авг", "сен сент", "окт", "ноя", "дек"),
}  # fmt: skip
OTHER_SPELLINGS: Final[dict[str, Months]] = {
    "fr": ("", "fevrier fevr fév", "", "", "", "", "", "aout", "", "", "", "decembre"),
    "de": ("jänner", "", "maerz marz", "", "", "", "", "", "", "", "", ""),
    "ro": ("ianuarie", "", "", "", "", "", "", "", "", "", "", ""),
    "pt": ("", "", "marco", "", "", "", "", "", "", "", "", ""),
    "pl": ("styczen stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
           "października", "listopada", "grudnia"),
    "tr": ("", "subat", "", "", "mayis", "", "", "agustos", "eylul", "", "kasim", "aralik"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
}  # fmt: skip


def _numbers() -> dict[str, int]:
    out: dict[str, int] = {}
    for table in (NAMES, ABBREVIATIONS, OTHER_SPELLINGS):
        for months in table.values():
            for number, spellings in enumerate(months, start=1):
                for word in spellings.split():
                    if out.setdefault(word, number) != number:
                        raise ValueError(f"month spelling {word!r} names months {out[word]} and {number}")
    return out


def _words(*parts: str) -> list[str]:
    return [w for part in parts for w in part.split()]


MONTH_NUMBERS: Final[dict[str, int]] = _numbers()

_EN_ABBREVIATIONS = _words(*ABBREVIATIONS["en"])
ENGLISH_MONTH_WORDS: Final[frozenset[str]] = frozenset(
    {*NAMES["en"], *_EN_ABBREVIATIONS, *(f"{a}." for a in _EN_ABBREVIATIONS)} - {"may", "may."}
)
FRENCH_MONTHS: Final[frozenset[str]] = frozenset(NAMES["fr"])

# The month words of a dateline ("Sept.", "févr.", "März"), compared in lower case without a final ".".
DATELINE_MONTH_WORDS: Final[frozenset[str]] = frozenset(
    _words(*NAMES["en"], *ABBREVIATIONS["en"], *NAMES["fr"], *ABBREVIATIONS["fr"], *NAMES["de"])
)
# An English month word next to a name (a date after a dateline's place: "LONDON Jan 5"): an abbreviation
# and any letters after it ("Jan", "Sept.", "January"), matched ignoring case.
ENGLISH_MONTH_PREFIX: Final[str] = "(?:" + "|".join(a.capitalize() for a in _EN_ABBREVIATIONS) + r")[a-z]*\.?"
