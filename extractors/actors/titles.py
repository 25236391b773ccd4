"""Titles and roles bound to a named person or organisation.

Three shapes are read, all inside the name's sentence:
  pre-modifier  "South Korean lawmaker Lee Seong-kweun", "President Lee"
  apposition    "Hong Min, a senior analyst at the Korea Institute ...", "Shoigu, head of ..."
  fronted       "the head of the IMF, Kristalina Georgieva,"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .gazetteer import HONORIFICS, TITLE_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .tokens import TokView

__all__ = ["apposition_title", "fronted_title", "premodifier_title"]

_STOP_TEXT = frozenset({",", ".", ";", ":", "(", ")", '"', "\u201c", "\u201d", "--", "\u2014", "\u2013",
                        "?", "!", "[", "]"})
_PRE_POS = frozenset({"NOUN", "PROPN", "ADJ"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_REL = frozenset({"who", "which", "that", "whose", "whom", "where", "when"})
_LEAD_DET = frozenset({"a", "an", "the"})
_MAX_APPOS = 16
_ROLE_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person", "ee", "ive", "ier", "eur",
                  "arch", "crat", "naut", "smith", "wright")
_NOT_ROLES = frozenset({
    "committee", "degree", "fee", "guarantee", "order", "number", "power", "border", "water", "matter",
    "letter", "paper", "center", "centre", "quarter", "corner", "chapter", "summer", "winter", "error",
    "sector", "factor", "motor", "mirror", "floor", "door", "color", "colour", "labor", "labour", "honor",
    "honour", "favor", "favour", "rumor", "rumour", "talent", "event", "percent", "content", "extent",
    "incident", "accident", "element", "parent", "plant", "restaurant", "variant", "weather",
    "cancer", "computer", "answer", "offer", "tower", "river", "rather", "other", "either", "another",
    "dinner", "manner", "banner", "shelter", "theater", "theatre", "murder", "disorder", "meter", "metre",
    "liter", "litre", "register", "character", "monster", "filter", "poster", "barrier",
    "carrier", "frontier", "objective", "incentive", "initiative", "archive", "drive", "motive",
})
_TEMPORAL = frozenset({"year", "month", "week", "day", "time", "season", "night", "morning", "evening",
                       "afternoon", "weekend", "decade", "century", "quarter", "hour", "minute"})
_NUMERIC_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


def _role(tok: Token) -> bool:
    """A word naming what a person is: a title word or a role noun ("lawmaker", "analyst", "envoy")."""
    low = tok.lower_.rstrip(".")
    if low in TITLE_WORDS:
        return True
    return tok.is_alpha and low.endswith(_ROLE_SUFFIXES) and not low.endswith(("ment", "ative")) \
        and low not in _NOT_ROLES


def _titleish(tok: Token) -> bool:
    low = tok.lower_.rstrip(".")
    if tok.pos_ == "NOUN" and tok.is_lower and tok.is_alpha:
        return True
    return low in TITLE_WORDS


def _has_digit(tok: Token) -> bool:
    return any(ch.isdigit() for ch in tok.text)


def premodifier_title(
    doc: TokView, start: int, blocked: set[int], *, person: bool = True
) -> tuple[int, int] | None:
    """Token span of a title written just before the name starting at token `start`.

    `blocked` holds token indices of other person names (a title never runs across them).
    """
    if start == 0:
        return None
    sent_start = doc.sent_start[start]
    j = start - 1
    while j >= sent_start:
        tok = doc[j]
        if j in blocked or tok.text in _STOP_TEXT or tok.is_space:
            break
        if tok.tag_ == "POS" or tok.lower_ in {"'s", "'"}:
            j -= 1  # "Russia's security chief X": the possessor is part of the title
            continue
        if tok.pos_ not in _PRE_POS and not (tok.text == "-" and j > sent_start):
            break
        if tok.lower_.rstrip(".") in HONORIFICS or tok.ent_type_ in _NUMERIC_ENTS:
            break
        j -= 1
    first = j + 1
    # drop leading words with digits ("44-year-old") and hyphens
    while first < start and (_has_digit(doc[first]) or doc[first].text == "-" or doc[first].tag_ == "POS"):
        first += 1
    if first >= start:
        return None
    last = doc[start - 1]
    if last.tag_ in {"POS", "NNS"} or not _titleish(last) or last.lower_ in _TEMPORAL or (person and not _role(last)):
        return None  # a title before a name is singular: "lawmaker X", not "women X"
    return first, start


def apposition_title(doc: TokView, end: int) -> tuple[int, int] | None:
    """Token span of an apposition after the name ending at token `end` (exclusive): ", a X at Y,"."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return None
    sent_end = doc.sent_end[end]
    i = end + 1
    first = i
    if doc[i].lower_ in _LEAD_DET:
        first = i + 1
    if first >= sent_end:
        return None
    lead = doc[first]
    if lead.lower_ in _REL or lead.pos_ in {"VERB", "AUX", "PRON", "NUM", "ADP", "CCONJ", "ADV"}:
        return None
    if lead.pos_ == "PROPN" and doc[first].ent_type_ in {"PERSON"}:
        return None  # a list of names, not an apposition
    k = first
    while k < sent_end and k - first < _MAX_APPOS:
        tok = doc[k]
        if tok.text in _STOP_TEXT or tok.lower_ in _REL or tok.is_space:
            break
        if tok.tag_ in _FINITE:
            return None  # a clause ("X, he said"), not an apposition
        k += 1
    if k == first or k - first >= _MAX_APPOS:
        return None
    # the apposition must end where the noun phrase ends: a comma, full stop, quote or clause break
    if k < sent_end and doc[k].text not in _STOP_TEXT and doc[k].lower_ not in _REL:
        return None
    span = doc[first:k]
    head = [t for t in span if t.pos_ == "ADP"]
    before_adp = [t for t in span if not head or t.i < head[0].i]
    if not any(_titleish(t) and _role(t) for t in before_adp):
        return None
    if all(t.pos_ == "PROPN" or t.ent_type_ for t in span):
        return None  # "John Smith, Ohio": a place or another name
    return first, k


def fronted_title(doc: TokView, start: int) -> tuple[int, int] | None:
    """Token span of "the head of the IMF, <name>": a title noun phrase, a comma, then the name."""
    if start < 3 or doc[start - 1].text != ",":
        return None
    sent_start = doc.sent_start[start]
    j = start - 2
    while j >= sent_start and doc[j].text not in _STOP_TEXT and doc[j].pos_ not in {"VERB", "AUX"}:
        if start - 2 - j > _MAX_APPOS:
            return None
        j -= 1
    first = j + 1
    if first < start - 1 and doc[first].lower_ in _LEAD_DET:
        first += 1
    if first >= start - 1:
        return None
    head = doc[first]
    if head.lower_ not in TITLE_WORDS or not head.is_lower:
        return None
    return first, start - 1
