"""Numbers as French writes them, with what they count: "1 000,5 hectares", "3,2 millions d'euros", "12 %",
"vingt départements", "près de 1 200 exploitations".

Figures are read from the text (digits grouped by spaces or points with a decimal comma, read by
`extractors.lang.plain.parse_figure`; number words "deux" to "mille" with their compounds), then a scale
("millions", "milliards"), then what follows: a percent sign or "pour cent", a currency, a unit of
measure or time, else the noun the parse gives right after the figure (`counted`; its singular,
`counted_key`, by `counted_key_fr`). A comparator before the figure ("plus de", "près de", "environ") sets
`approx`; a verb or noun of change before it ("a baissé de", "hausse de") sets `change`. Not numbers:
years (a bare 1800-2100 with nothing counted), dates ("25 mars"), clock times ("14h30"), ordinals ("1er",
"3e") and the articles "un"/"une".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...months import FRENCH_MONTHS as MONTHS
from ...records import Number
from ..plain import parse_figure
from .lexicon import (
    APOS,
    CHANGE_DOWN,
    CHANGE_UP,
    COMPARATORS,
    CURRENCIES,
    DURATIONS,
    FR_INVARIANT,
    FR_IRREGULAR_PLURALS,
    MEASURES,
    NUMBER_WORDS,
    SCALES,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["counted_key_fr", "extract_numbers_fr", "number_words_value"]

_DIGITS = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_WORD_NUMS = sorted((w for w in NUMBER_WORDS if w not in {"un", "une", "et"}), key=len, reverse=True)
_WORD = "|".join(_WORD_NUMS)
_WORDS = rf"(?:{_WORD})(?:(?:-|\s+et\s+|-et-|\s+)(?:{_WORD}|un|une))*"
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?<![\w,.\u00a0])(?:(?P<d>{_DIGITS})|(?P<w>{_WORDS}))(?![\w])"
    rf"(?:\s+(?P<scale>{_SCALE})\b)?", re.IGNORECASE)
_CURRENCY = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))
_AFTER_UNIT = re.compile(
    rf"^(?:\s+(?:de\s+|d{APOS}))?\s*(?:(?P<pct>%|pour\s?cent\b|points?\s+de\s+pourcentage\b)"
    rf"|(?P<cur>{_CURRENCY})(?![\w]))", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?P<cur>€|\$|£|US\$)\s*$")
_ORDINAL = re.compile(r"^(?:e|er|ère|ème|es|èmes|ᵉ)\b")
_TIME = re.compile(r"^\s?h(?:\s?\d{2})?\b")
_COMPARATOR = re.compile(r"(?:^|(?<=\s))(?P<c>" + "|".join(
    sorted((re.escape(c) for c in COMPARATORS), key=len, reverse=True)) + r")\s*$", re.IGNORECASE)
_AGE = re.compile(r"\bâgée?s?\s+de\s*$")
_UNIT_WORD = re.compile(r"^\s*(?:de\s+|d['’])?(?P<u>[\wÀ-ÿ°²]+)")


def number_words_value(words: str) -> float | None:
    """The value of French number words: "vingt" 20, "quatre-vingt-dix" 90, "trente et un" 31, "deux mille" 2000."""
    total, current = 0, 0
    for w in re.split(r"[-\s]+", words.casefold()):
        if not w or w == "et":
            continue
        n = NUMBER_WORDS.get(w)
        if n is None:
            return None
        if n == 1000:
            total += (current or 1) * 1000
            current = 0
        elif n == 100:
            current = (current or 1) * 100
        elif n == 20 and current % 100 == 4:  # quatre-vingt(s)
            current = current - 4 + 80
        else:
            current += n
    value = total + current
    return float(value) if value else None


def counted_key_fr(word: str, plural: bool) -> str:
    """The grouping key of a French counted noun (`Number.counted_key`), as `extractors.numbers.counted` gives
    for English: the lower-case singular. `plural` is the parse's `Number=Plur`; a noun not taken for a plural,
    or one the same in the singular (`FR_INVARIANT`: "fois", "pays", "prix"; any word in -ès or -us: "succès",
    "virus"), is only lower-cased. Plurals: `FR_IRREGULAR_PLURALS` ("yeux", "travaux"), -eaux/-yaux -> -eau/-yau
    ("bateaux"), -aux -> -al ("journaux"), -eux/-oux/-œux -> drop "x" ("jeux", "bijoux"), else drop the final
    "s" ("personnes")."""
    w = word.casefold()
    if w in FR_IRREGULAR_PLURALS:
        return FR_IRREGULAR_PLURALS[w]
    if not plural or w in FR_INVARIANT or len(w) <= 2 or w.endswith(("ès", "us")):
        return w
    if w.endswith(("eaux", "yaux", "eux", "oux", "œux")):
        return w[:-1]
    if w.endswith("aux"):
        return w[:-3] + "al"
    return w[:-1] if w.endswith("s") else w


def _token_at(doc: Doc, pos: int) -> int | None:
    """Index of the first token starting at or after `pos`."""
    for tok in doc:
        if tok.idx >= pos:
            return tok.i
    return None


def extract_numbers_fr(doc: Doc) -> list[Number]:
    """The figures of a French story body (see the module doc)."""
    text = doc.text
    out: list[Number] = []
    for m in _FIGURE.finditer(text):
        start, end = m.start(), m.end()
        rest = text[end:]
        if m.group("d"):
            if _ORDINAL.match(rest) or _TIME.match(rest) or re.match(r"^[/:-]\d", rest):
                continue
            value = parse_figure(m.group("d"), "fr")
        else:
            value = number_words_value(m.group("w"))
        if value is None:
            continue
        scale = (m.group("scale") or "").casefold()
        if scale:
            value *= SCALES[scale]
        if re.match(r"^\s+(?:" + "|".join(MONTHS) + r")\b", rest, re.IGNORECASE):
            continue  # a date: "25 mars"
        kind, unit, counted, counted_key = "count", None, None, None
        u = _AFTER_UNIT.match(rest)
        before = text[max(0, start - 40):start]
        cb = _CURRENCY_BEFORE.search(before)
        if u and u.group("pct"):
            kind, unit = "percent", ("pp" if u.group("pct").casefold().startswith("point") else "%")
            end += u.end()
        elif u and u.group("cur"):
            kind, unit = "money", CURRENCIES.get(u.group("cur").casefold(), u.group("cur").upper())
            end += u.end()
        elif cb:
            kind, unit = "money", CURRENCIES.get(cb.group("cur").casefold(), "USD")
            start -= len(before) - cb.start()
        else:
            w = _UNIT_WORD.match(rest)
            word = w.group("u").casefold() if w else ""
            if word in MEASURES:
                kind, unit = "measure", MEASURES[word]
                end += w.end() if w else 0
            elif word in DURATIONS:
                kind, unit = ("age" if _AGE.search(before) else "duration"), DURATIONS[word]
                end += w.end() if w else 0
            else:
                i = _token_at(doc, end)
                tok = doc[i] if i is not None else None
                if tok is not None and tok.pos_ == "ADP" and scale:  # "millions de personnes"
                    tok = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
                if tok is not None and tok.pos_ == "ADJ" and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "NOUN":
                    tok = doc[tok.i + 1]  # "1 200 nouvelles exploitations"
                if tok is not None and tok.pos_ in {"NOUN", "PROPN"} and tok.text[:1].islower():
                    counted = tok.text.casefold()
                    counted_key = counted_key_fr(counted, "Plur" in tok.morph.get("Number", []))
                    end = tok.idx + len(tok.text)
                elif m.group("w") or (m.group("d") and re.fullmatch(r"\d{4}", m.group("d"))
                                      and 1800 <= value <= 2100):
                    continue  # a number word counting nothing ("neuf" the adjective), or a year
        if m.group("d") and re.fullmatch(r"\d{4}", m.group("d")) and 1800 <= value <= 2100 and kind == "count" \
                and counted is None:
            continue
        comparator = None
        c = _COMPARATOR.search(text[max(0, start - 30):start])
        if c:
            comparator = c.group("c").casefold().replace("’", "'")
            start = start - (len(text[max(0, start - 30):start]) - c.start("c"))
        lead = text[max(0, start - 40):start]
        change = "down" if CHANGE_DOWN.search(lead) else "up" if CHANGE_UP.search(lead) else None
        out.append(Number(text=text[start:end], value=value, start=start, end=end, kind=kind,  # type: ignore[arg-type]
                          unit=unit, counted=counted, counted_key=counted_key, approx=comparator is not None,
                          comparator=comparator, change=change))
    return out
