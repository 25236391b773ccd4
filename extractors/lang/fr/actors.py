"""French actors: the French model's PER/ORG/LOC entities, cleaned, resolved within the story, with titles.

The small French ner (fr_core_news_sm, WikiNER labels) finds most names but also takes titles ("ministre de
l'Agriculture") and sentence openers ("Selon") for names; those are dropped. Honorifics ("M.", "Mme") are
cut off the name and give the person's gender, as do feminine titles ("la présidente"); a surname alone
("Delorme", "M. Delorme") is the full name mentioned before it; an acronym in brackets after an
organisation ("(FNSEA)") is its alias. Titles are the phrases bound to a name by apposition: "le ministre
de l'Agriculture, Marc Delorme", "Claire Vasseur, présidente de la FNSEA", "le préfet Jean Moreau".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...ids import actor_id
from ...records import Actor, ActorKind, Mention
from .lexicon import APOS, FEMININE_TITLES, HONORIFICS, NOT_NAMES, TITLE_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["FrenchActors", "extract_actors_fr", "fold"]

_KINDS: dict[str, ActorKind] = {"PER": "person", "ORG": "org", "LOC": "place"}
_HONORIFIC = re.compile(r"^(?:M\.|MM\.|Mme|Mmes|Mlle|Me|Dr|Pr|Mgr)\s+")
_NAME_AFTER_HONORIFIC = re.compile(
    r"\b(?P<h>M\.|Mme|Mlle|Me|Dr|Mgr)\s+(?P<n>[A-ZÀ-Ý][\w’'-]+(?:\s+(?:de\s+|du\s+|d['’])?[A-ZÀ-Ý][\w’'-]+)?)")
_DET = re.compile(rf"^(?:le|la|les|l{APOS})\s*", re.IGNORECASE)
_ACRONYM_AFTER = re.compile(r"^\s*\((?P<a>[A-ZÀ-Ý][A-ZÀ-Ý0-9&.-]{1,11})\)")
_TITLE_WORD = "|".join(sorted((re.escape(t) for t in TITLE_NOUNS), key=len, reverse=True))
_ADJ = r"[a-zà-ÿ-]+(?:ale?s?|aux|aire|ien(?:ne)?|ique|el(?:le)?|aise?|aine?|oise?|ive?|eur|rice|ée?|ier|ière|ant|ante)"
# what may follow a title noun: adjectives, complements ("de l'Intérieur", "de la région Occitanie", "d'État")
_TAIL = (rf"(?:\s+(?:{_ADJ}|[A-ZÀ-Ý][\w'’-]*)"
         rf"|\s+(?:de|du|des|à|au|aux|pour|en|chargée?\s+de)(?:\s+(?:la|le|les))?\s*(?:l{APOS}|d{APOS})?\s*[\w'’-]+"
         rf"|\s+(?:d|l){APOS}\s*[\w-]+|\s+et\s+(?:de\s+|des\s+|du\s+)?(?:l{APOS}|la\s+)?[\w-]+)")
_HEAD = (rf"(?:(?:[Ll]e|[Ll]a|[Ll]{APOS}|[Ll]es)\s*)?(?:nouvel(?:le)?\s+|ancien(?:ne)?\s+|ex-)?(?:{_TITLE_WORD})\b"
         rf"(?:\s+(?:ministre|général|générale|adjoint|adjointe|délégué|déléguée))?")
# "le ministre de l'Intérieur, " / "la présidente de la FNSEA " right before a name
_TITLE_BEFORE = re.compile(rf"(?:^|(?<=[\s,;:(]))(?P<t>{_HEAD}{_TAIL}{{0,6}}?)\s*,?\s*$")
# ", présidente de la FNSEA," right after a name
_TITLE_AFTER = re.compile(rf"^\s*,\s*(?P<t>{_HEAD}{_TAIL}{{0,6}}?)\s*(?=[,.;:!?)\n]|$)")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


@dataclass
class _Cand:
    start: int
    end: int
    text: str
    kind: ActorKind
    gender: str | None = None


@dataclass
class _Entity:
    name: str
    kind: ActorKind
    gender: str | None = None
    titles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    title_orgs: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class FrenchActors:
    """Actors and mentions of one story, with what the quote extractor needs to resolve speakers."""

    actors: list[Actor]
    mentions: list[Mention]
    gender: dict[str, str | None]  # actor_id -> "m" | "f" | None
    titles: dict[str, list[str]]  # actor_id -> title phrases (folded, determiners dropped)


def _good_name(text: str, kind: ActorKind) -> bool:
    words = text.split()
    if not words or not text[0].isupper():
        return False
    if fold(words[0]) in NOT_NAMES or fold(text) in NOT_NAMES:
        return False
    if fold(words[0]) in TITLE_NOUNS or fold(words[0].split("'")[-1]) in TITLE_NOUNS:
        return False  # "Ministre de l'Agriculture" is a title, not an organisation
    if kind == "person" and any(fold(w) in NOT_NAMES for w in words):
        return False
    return len(text) >= 2


def _candidates(doc: Doc) -> list[_Cand]:
    text = doc.text
    out: list[_Cand] = []
    for ent in doc.ents:
        kind = _KINDS.get(ent.label_)
        if kind is None:
            continue
        start, end, surface, gender = ent.start_char, ent.end_char, ent.text, None
        m = _HONORIFIC.match(surface)
        if m:
            gender = HONORIFICS.get(fold(m.group(0).strip()))
            start += m.end()
            surface = surface[m.end():]
            kind = "person"
        d = _DET.match(surface)
        if d and kind != "person":
            start += d.end()
            surface = surface[d.end():]
        surface = surface.rstrip(" ,.;:")
        end = start + len(surface)
        if not _good_name(surface, kind):
            continue
        if gender is None:  # "M. Delorme" where the ner left the honorific out
            before = text[max(0, start - 6):start]
            h = re.search(r"(M\.|Mme|Mlle)\s+$", before)
            if h:
                gender, kind = HONORIFICS.get(fold(h.group(1))), "person"
        out.append(_Cand(start, end, surface, kind, gender))
    for m in _NAME_AFTER_HONORIFIC.finditer(text):  # honorific + name the ner missed
        s, e = m.start("n"), m.end("n")
        if any(c.start < e and s < c.end for c in out):
            continue
        if _good_name(m.group("n"), "person"):
            out.append(_Cand(s, e, m.group("n"), "person", HONORIFICS.get(fold(m.group("h")))))
    out.sort(key=lambda c: c.start)
    return out


def _last(name: str) -> str:
    return fold(name.split()[-1])


def _title_gender(title: str) -> str | None:
    words = fold(title).split()
    if not words:
        return None
    if words[0] == "la" or any(w in FEMININE_TITLES for w in words[:3]):
        return "f"
    if words[0] == "le":
        return "m"
    return None


def _clean_title(raw: str) -> str:
    return _DET.sub("", raw.strip(" ,")).strip()


def extract_actors_fr(doc: Doc) -> FrenchActors:
    """People, organisations and places of a French story, each mention carrying its actor's id."""
    text = doc.text
    cands = _candidates(doc)
    entities: list[_Entity] = []
    by_key: dict[tuple[str, ActorKind], _Entity] = {}
    acronyms: dict[str, _Entity] = {}
    for c in cands:
        ent: _Entity | None = None
        key = fold(c.text)
        if c.kind == "person" and len(c.text.split()) == 1:  # a surname: the full name mentioned before it
            ent = next((e for e in reversed(entities) if e.kind == "person" and len(e.name.split()) > 1
                        and _last(e.name) == key), None)
        if ent is None and c.kind == "org":
            ent = acronyms.get(key)
        if ent is None:
            ent = by_key.get((key, c.kind))
        if ent is None and c.kind != "person":  # the ner calls one name ORG here and LOC there
            ent = next((e for e in entities if fold(e.name) == key and e.kind != "person"), None)
        if ent is None:
            ent = _Entity(c.text, c.kind)
            entities.append(ent)
            by_key[(key, c.kind)] = ent
        elif fold(c.text) != fold(ent.name) and c.text not in ent.aliases:
            ent.aliases.append(c.text)
        ent.gender = ent.gender or c.gender
        ent.spans.append((c.start, c.end, c.text))
        if ent.kind == "org":
            a = _ACRONYM_AFTER.match(text[c.end:])
            if a and fold(a.group("a")) != key:
                acronyms[fold(a.group("a"))] = ent
                if a.group("a") not in ent.aliases:
                    ent.aliases.append(a.group("a"))
    # a full name seen only after its surname: fold the surname entity into it
    for e in [e for e in entities if e.kind == "person" and len(e.name.split()) == 1]:
        full = next((f for f in entities if f is not e and f.kind == "person" and len(f.name.split()) > 1
                     and _last(f.name) == fold(e.name)), None)
        if full is not None:
            full.spans.extend(e.spans)
            full.gender = full.gender or e.gender
            entities.remove(e)
    orgs = [e for e in entities if e.kind == "org"]
    for e in entities:
        if e.kind != "person":
            continue
        for s, end, _surface in e.spans:
            line_start = max(text.rfind("\n", 0, s), text.rfind(". ", 0, s) + 1, 0)
            found = [m.group("t") for m in (_TITLE_BEFORE.search(text[line_start:s]), _TITLE_AFTER.match(text[end:]))
                     if m]
            for raw in found:
                title = _clean_title(raw)
                if not title or title in e.titles:
                    continue
                e.titles.append(title)
                e.gender = e.gender or _title_gender(raw)
                for o in orgs:
                    if any(fold(n) in fold(title).split() or fold(n) in fold(title)
                           for n in [o.name, *o.aliases]) and o.name not in e.title_orgs:
                        e.title_orgs.append(o.name)
    actors: list[Actor] = []
    mentions: list[Mention] = []
    gender: dict[str, str | None] = {}
    titles: dict[str, list[str]] = {}
    for e in entities:
        aid = actor_id(e.name, e.kind)
        spans = sorted(set(e.spans))
        mentions.extend(Mention(actor_id=aid, text=t, kind=e.kind, start=s, end=end) for s, end, t in spans)
        actors.append(Actor(actor_id=aid, name=e.name, kind=e.kind, titles=e.titles, aliases=e.aliases,
                            mention_count=len(spans), title_orgs=e.title_orgs))
        gender[aid] = e.gender
        titles[aid] = [fold(t) for t in e.titles]
    mentions.sort(key=lambda m: m.start)
    return FrenchActors(actors, mentions, gender, titles)
