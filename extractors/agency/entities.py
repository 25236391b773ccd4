"""People, organisations and places that an agency item names in its metadata (not found by NLP).

NewsML-G2 `<subject type="cpnat:person|organisation|geoArea|poi">`, NITF `<person>`, `<org>` and
`<location>` (in `<identified-content>` or marked up in the body) and ninjs `people`, `organisations` and
`places`. They are stored as actors with `origin = 'agency'`, so an item in a language without an NLP
model still has the actors the agency itself supplied.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from ..clean import title_words
from ..lang.plain import AGENCY_ACTORS_KEY as AGENCY_ACTORS  # Story.meta key: [{name, kind}]
from .common import clean_inline

__all__ = ["AGENCY_ACTORS", "g2_entities", "ninjs_entities", "nitf_entities"]

_G2_TYPES = {"person": "person", "organisation": "org", "organization": "org", "geoarea": "place", "poi": "place"}
_NITF_TAGS = {"person": "person", "org": "org", "location": "place"}
_NINJS_KEYS = {"people": "person", "person": "person", "organisations": "org", "organisation": "org",
               "organizations": "org", "places": "place", "place": "place"}


def _unique(found: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    out: dict[tuple[str, str], dict[str, str]] = {}
    for name, kind in found:
        name = clean_inline(name).strip(" ,;:")
        if kind == "place" and name.isupper():
            name = title_words(name)  # "NEW YORK" in a NITF dateline
        if 1 < len(name) <= 120 and (name.casefold(), kind) not in out:
            out[(name.casefold(), kind)] = {"name": name, "kind": kind}
    return list(out.values())


def _g2_name(el: etree._Element, language: str | None) -> str | None:
    names = el.findall("name")
    want = (language or "").split("-")[0].lower()
    for n in names:
        lang = (n.get("{http://www.w3.org/XML/1998/namespace}lang") or "").split("-")[0].lower()
        if want and lang == want and (n.text or "").strip():
            return n.text
    for n in names:
        if (n.text or "").strip():
            return n.text
    return el.get("literal")


def g2_entities(content_meta: etree._Element, language: str | None) -> list[dict[str, str]]:
    """Typed subjects (and the located place) of a NewsML-G2 contentMeta."""
    found: list[tuple[str, str]] = []
    for el in content_meta:
        if not isinstance(el.tag, str) or el.tag not in {"subject", "located"}:
            continue
        kind = _G2_TYPES.get((el.get("type") or "").rsplit(":", 1)[-1].casefold())
        if kind is None and el.tag == "located":
            kind = "place"
        name = _g2_name(el, language) if kind else None
        if kind and name:
            found.append((name, kind))
    return _unique(found)


def nitf_entities(nitf: etree._Element) -> list[dict[str, str]]:
    """`<person>`, `<org>` and `<location>` anywhere in a NITF document."""
    found: list[tuple[str, str]] = []
    for el in nitf.iter("person", "org", "location"):
        text = " ".join("".join(el.itertext()).split())
        if text:
            found.append((text, _NITF_TAGS[str(el.tag)]))
    return _unique(found)


def ninjs_entities(item: dict[str, Any]) -> list[dict[str, str]]:
    """ninjs `people`, `organisations` and `places` (objects with a `name`, or plain strings)."""
    found: list[tuple[str, str]] = []
    for key, kind in _NINJS_KEYS.items():
        values = item.get(key)
        if isinstance(values, dict):
            values = [values]
        if not isinstance(values, list):
            continue
        for value in values:
            name = value.get("name") if isinstance(value, dict) else value
            if isinstance(name, str) and name.strip():
                found.append((name, kind))
    return _unique(found)
