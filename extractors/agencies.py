"""News agencies: the one table of their names, for the readers (credits, provider ids, datelines,
trailers) and for actor recognition (agency names in story text).

`AGENCIES` has one row per agency: the name wire gives it (as credits print it: "AFP", "dpa", "ČTK"), the
other names and ids it goes by in metadata (matched case-folded), the forms recognised as the agency in a
story's text (case-sensitive, on token boundaries: "Agence France-Presse", "Itar-Tass") and, when it is not
the name, the canonical name of the agency as an actor ("KCNA" -> "Korean Central News Agency"; "CTK" stays
"CTK", the form the actor ids stored so far were made from).

Views derived from it:

- `AGENCY_NAMES`: case-folded spelling -> name (`agency_name`, `known_agency`, the text reader);
- `AGENCIES_IN_TEXT`: form recognised in story text -> actor's canonical name (`extractors.actors`).

`agency_name(raw)` gives the agency of a credit, provider id, qcode or domain; `known_agency(token)` says
whether a token names a known agency. To add an agency or a spelling, add it to its row (or a row): both
views and both functions take it up. Only add `in_text` forms that cannot be ordinary words of a story,
since every occurrence in a body becomes an organisation mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .clean import clean_inline

__all__ = ["AGENCIES", "AGENCIES_IN_TEXT", "AGENCY_NAMES", "Agency", "agency_name", "known_agency"]


@dataclass(frozen=True)
class Agency:
    name: str
    spellings: tuple[str, ...] = ()  # other names and ids in metadata, matched case-folded
    in_text: tuple[str, ...] = ()  # forms recognised in story text, case-sensitive
    actor_name: str | None = None  # canonical actor name when it is not `name`


AGENCIES: Final[tuple[Agency, ...]] = (
    Agency("AFP", ("agence france-presse", "agence france presse"),
           ("AFP", "Agence France-Presse", "Agence France Presse")),
    Agency("Reuters", ("thomson reuters", "rtr"), ("Reuters",)),
    Agency("AP", ("associated press", "the associated press", "apnews"), ("AP", "Associated Press")),
    Agency("TASS", (), ("TASS", "Tass", "ITAR-TASS", "Itar-Tass")),
    Agency("KCNA", (), ("KCNA",), actor_name="Korean Central News Agency"),
    Agency("Yonhap", (), ("Yonhap",)),
    Agency("Xinhua", (), ("Xinhua",)),
    Agency("Interfax", (), ("Interfax",)),
    Agency("RIA Novosti", (), ("RIA Novosti",)),
    Agency("Kyodo", (), ("Kyodo",)),
    Agency("Jiji", (), ("Jiji",)),
    Agency("ANSA", ("agenzia ansa",), ("ANSA",)),
    Agency("EFE", ("agencia efe",), ("EFE",)),
    Agency("dpa", ("deutsche presse-agentur",), ("DPA", "dpa")),
    Agency("Bernama", (), ("Bernama",)),
    Agency("Antara", (), ("Antara",)),
    Agency("IRNA", (), ("IRNA",)),
    Agency("PTI", (), ("PTI",)),
    Agency("Anadolu", (), ("Anadolu",)),
    Agency("Bloomberg", (), ("Bloomberg",)),
    Agency("UPI", (), ("UPI",)),
    Agency("MENA", (), ("MENA",)),
    Agency("SANA", (), ("SANA",)),
    Agency("WAFA", (), ("WAFA",)),
    Agency("PAP", (), ("PAP",)),
    Agency("ČTK", ("ctk",), ("CTK",), actor_name="CTK"),
    Agency("BTA", (), ("BTA",)),
    Agency("AAP", ("australian associated press",)),
    Agency("NTB", ("norsk telegrambyrå",)),
    Agency("PA"),
    Agency("APA"),
    Agency("SDA"),
    Agency("ANP"),
    Agency("TT"),
    Agency("Ritzau"),
    Agency("STT"),
    Agency("Belga"),
    Agency("CP", ("canadian press",)),
    Agency("KNA"),
    Agency("epd"),
    Agency("SID"),
    Agency("IANS"),
    Agency("Lusa"),
    Agency("Europa Press"),
    Agency("BBC"),
)  # fmt: skip


def _names() -> dict[str, str]:
    out: dict[str, str] = {}
    for agency in AGENCIES:
        for spelling in (agency.name, *agency.spellings, *agency.in_text):
            key = spelling.casefold()
            if out.setdefault(key, agency.name) != agency.name:
                raise ValueError(f"agency spelling {spelling!r} names {out[key]} and {agency.name}")
    return out


AGENCY_NAMES: Final[dict[str, str]] = _names()
AGENCIES_IN_TEXT: Final[dict[str, str]] = {
    form: agency.actor_name or agency.name for agency in AGENCIES for form in agency.in_text
}


def agency_name(raw: str | None) -> str | None:
    """Canonical agency name from a provider id, qcode, domain or credit ("nprov:REUTERS",
    "afp.com", "reuters.com", "dpa"); the cleaned input when it is not a known agency."""
    if not raw:
        return None
    text = clean_inline(str(raw))
    if not text:
        return None
    key = text.split(":", 1)[1] if re.match(r"^[a-z][\w-]*:", text) and "://" not in text else text
    key = re.sub(r"^(?:https?://)?(?:www\.)?", "", key.casefold())
    key = re.sub(r"\.(?:com|de|fr|org|net|co\.uk|it|es|at|ch)(?:/.*)?$", "", key).strip(" .")
    if key in AGENCY_NAMES:
        return AGENCY_NAMES[key]
    words = [w for w in re.split(r"[\s/]+", key) if w]
    if len(words) <= 3:
        for word in words:  # "dpa/lni", "AP Sports", "tca/dpa"
            if word in AGENCY_NAMES:
                return AGENCY_NAMES[word]
    return text


def known_agency(token: str | None) -> str | None:
    """Canonical name when `token` names a known agency ("dpa", "AFP", "reuters.com"), else None."""
    if not token:
        return None
    key = re.sub(r"\.(?:com|de|fr|org|net)$", "", clean_inline(token).casefold())
    if key in AGENCY_NAMES:
        return AGENCY_NAMES[key]
    head = re.split(r"[-/]", key, maxsplit=1)[0]  # "dpa-tns"
    return AGENCY_NAMES.get(head) if head != key else None
