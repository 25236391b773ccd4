"""Kinds, patterns and word sets of actor recognition (the place, agency and title gazetteers are in
`gazetteer`)."""

from __future__ import annotations

import functools
import re

from ..agencies import AGENCIES_IN_TEXT as AGENCIES
from ..ids import normalise_name as _normalise_name
from ..months import ENGLISH_MONTH_PREFIX
from ..records import ActorKind
from .gazetteer import (
    ORG_NOMINAL_HEADS,
)

__all__ = [
    "AGENCY_RE",
    "BASE_KIND",
    "CONLL_KIND",
    "CONLL_SPANS_KEY",
    "CORP_SUFFIXES",
    "DASHES",
    "DATE_WORD",
    "EDGE_DROP",
    "HYPHEN_WORDS",
    "KIND_RANK",
    "NAME_PARTICLES",
    "NOMINAL_HEAD_WORDS",
    "NOT_NAME_TAGS",
    "ORG_HEADS",
    "PARA_START",
    "normalise_name",
]

CONLL_SPANS_KEY = "conll"  # same key as extractors.nlp.CONLL_SPANS_KEY (not imported: keeps spaCy lazy)

normalise_name = functools.lru_cache(maxsize=65536)(_normalise_name)

CONLL_KIND: dict[str, ActorKind] = {"PER": "person", "ORG": "org", "LOC": "place"}
BASE_KIND: dict[str, ActorKind] = {
    "PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place",
}
KIND_RANK: dict[str, int] = {"person": 0, "org": 1, "place": 2, "group": 3, "other": 4}
EDGE_DROP = frozenset({"the", "The", "THE", "'s", "'", "\u2019s", "\u2019"})
HYPHEN_WORDS = frozenset({"based", "led", "backed", "born", "owned", "run", "style", "era", "type", "made",
                           "controlled", "speaking", "held", "linked", "allied", "bound", "level", "wide"})
NAME_PARTICLES = frozenset({"of", "for", "and", "de", "da", "del", "van", "von", "der", "bin", "al", "la", "le",
                             "in", "on"})
DATE_WORD = re.compile(rf"^(?:\d{{4}}-\d\d-\d\d|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|{ENGLISH_MONTH_PREFIX})$", re.I)
NOT_NAME_TAGS = frozenset({"RB", "RBR", "RBS", "IN", "DT", "PRP", "PRP$", "MD", "UH", "WRB", "WP", "CC"})
ORG_HEADS = frozenset({
    "agency", "organization", "organisation", "council", "committee", "commission", "bank", "fund", "institute",
    "ministry", "party", "union", "association", "federation", "court", "army", "front", "movement",
    "corporation", "company", "group", "authority", "office", "department", "board", "foundation", "alliance",
    "assembly", "parliament", "congress", "senate", "police", "service", "university",
})
CORP_SUFFIXES = frozenset({
    "Inc", "Inc.", "Corp", "Corp.", "Co", "Co.", "Ltd", "Ltd.", "Plc", "PLC", "plc", "SpA", "AG", "SA", "S.A.",
    "NV", "N.V.", "GmbH", "LLC", "LLP", "Bhd", "Berhad", "Pty", "Cos", "Corporation", "Incorporated",
})
NOMINAL_HEAD_WORDS = sorted((h.split() for h in ORG_NOMINAL_HEADS), key=lambda words: -len(words))
PARA_START = re.compile(r"\n\s*")
# agency names on word boundaries, not inside a hyphenated name ("Itar-Tass" is one agency, not "Tass")
AGENCY_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(AGENCIES, key=len, reverse=True)) + r")(?![\w-])")
DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
