"""Actors (people, organisations, places, groups) with titles, resolved within a story.

Recognition combines three layers over one spaCy pass:
  1. the bundled CoNLL-2003 ner (doc.spans["conll"], see extractors.nlp): PER/ORG/LOC;
  2. the base model's OntoNotes entities (doc.ents): boundary repair, NORP groups, fall-back when the
     CoNLL model is not installed;
  3. rules: datelines ("SEOUL (AFP) -"), news agencies, "X region" places, "Org (ACR)" acronyms,
     organisation nominals ("Seoul's foreign ministry"), repeated names in all-caps lines.
Mentions are then resolved within the story (surname -> full name by title and recency, acronym <->
expansion, capital -> country when the country is named) and given canonical ids
(`extractors.ids.actor_id(canonical_name, kind)`).

Kinds: person, org (companies, agencies, ministries, parties, armed groups, teams), place, group
(collectives named by a nationality/religion/ideology word used as a noun: "the Kurds", "Shiites",
"the Taliban" when the ner calls it MISC). Nationality adjectives ("North Korean soldiers") are not
actors.

Output: every mention of a person/org/place/group (short forms "Shoigu", "KCNA", capitals in
headlines included) is a `Mention` carrying the full actor's id; an organisation nominal mention
("Seoul's foreign ministry") may contain a place mention ("Seoul"). `Actor.aliases` lists the other
surface forms seen (plus "Kursk region", "Russia's Security Council", "TASS news agency"),
`Actor.titles` the titles/roles bound to the actor and `Actor.title_orgs` the canonical names of the
organisations named in those titles. Canonical names: the longest personal name (honorifics dropped),
the expansion of an acronym, the gazetteer name of a country ("U.S." -> "United States") or agency
("KCNA" -> "Korean Central News Agency"). A story that only says "Blair" gives the actor "Blair":
`extractors.actors_canon.merge_across_stories` settles such short forms over a collection.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .actors_gazetteer import (
    AGENCIES,
    HONORIFICS,
    ORG_NOMINAL_HEADS,
    PLACE_SUFFIXES,
    TITLE_WORDS,
    capital_country,
    country_name,
    is_city,
    is_known_place,
)
from .actors_titles import apposition_title, fronted_title, premodifier_title
from .actors_tokens import TokView
from .ids import actor_id
from .ids import normalise_name as _normalise_name
from .records import Actor, ActorKind, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["extract_actors"]

CONLL_SPANS_KEY = "conll"  # same key as extractors.nlp.CONLL_SPANS_KEY (not imported: keeps spaCy lazy)

normalise_name = functools.lru_cache(maxsize=65536)(_normalise_name)

_CONLL_KIND: dict[str, ActorKind] = {"PER": "person", "ORG": "org", "LOC": "place"}
_BASE_KIND: dict[str, ActorKind] = {
    "PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place",
}
_KIND_RANK: dict[str, int] = {"person": 0, "org": 1, "place": 2, "group": 3, "other": 4}
_EDGE_DROP = frozenset({"the", "The", "THE", "'s", "'", "\u2019s", "\u2019"})
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z&]{1,7}$")
_INITIAL_SKIP = frozenset({"of", "for", "the", "and", "on", "de", "du", "des", "la", "le", "in", "&", "to"})
_HYPHEN_WORDS = frozenset({"based", "led", "backed", "born", "owned", "run", "style", "era", "type", "made",
                           "controlled", "speaking", "held", "linked", "allied", "bound", "level", "wide"})
_NAME_PARTICLES = frozenset({"of", "for", "and", "de", "da", "del", "van", "von", "der", "bin", "al", "la", "le",
                             "in", "on"})
_DATE_WORD = re.compile(
    r"^(?:\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?)$",
    re.I)
_NOT_NAME_TAGS = frozenset({"RB", "RBR", "RBS", "IN", "DT", "PRP", "PRP$", "MD", "UH", "WRB", "WP", "CC"})
_ORG_HEADS = frozenset({
    "agency", "organization", "organisation", "council", "committee", "commission", "bank", "fund", "institute",
    "ministry", "party", "union", "association", "federation", "court", "army", "front", "movement",
    "corporation", "company", "group", "authority", "office", "department", "board", "foundation", "alliance",
    "assembly", "parliament", "congress", "senate", "police", "service", "university",
})
_CORP_SUFFIXES = frozenset({
    "Inc", "Inc.", "Corp", "Corp.", "Co", "Co.", "Ltd", "Ltd.", "Plc", "PLC", "plc", "SpA", "AG", "SA", "S.A.",
    "NV", "N.V.", "GmbH", "LLC", "LLP", "Bhd", "Berhad", "Pty", "Cos", "Corporation", "Incorporated",
})
_NOMINAL_HEAD_WORDS = sorted((h.split() for h in ORG_NOMINAL_HEADS), key=lambda words: -len(words))
_PARA_START = re.compile(r"\n\s*")
# agency names on word boundaries, not inside a hyphenated name ("Itar-Tass" is one agency, not "Tass")
_AGENCY_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(AGENCIES, key=len, reverse=True)) + r")(?![\w-])")
_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


@dataclass
class _M:
    """A mention being built: token span, kind, where it came from."""

    start: int
    end: int
    kind: ActorKind
    source: str
    text: str = ""
    cluster: int = -1
    extra_alias: list[str] = field(default_factory=list)
    nominal: bool = False  # organisation nominal ("Seoul's foreign ministry"): may contain a place


@dataclass
class _Cluster:
    kind: ActorKind
    mentions: list[_M] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    title_orgs: list[int] = field(default_factory=list)  # cluster indices of organisations in titles
    aliases: list[str] = field(default_factory=list)
    canonical: str | None = None  # forced canonical name (gazetteer)
    merged_into: int = -1


class _Ent:
    """A base-model entity with its bounds and label read once (a Span looks them up anew on every access,
    and the recognition rules compare every CoNLL span with every base entity)."""

    __slots__ = ("end", "label_", "span", "start")

    def __init__(self, span: Span) -> None:
        self.span = span
        self.start: int = span.start
        self.end: int = span.end
        self.label_: str = span.label_

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def root(self) -> Token:
        return self.span.root


def _is_caps_word(tok: Token) -> bool:
    return tok.is_alpha and tok.is_upper and len(tok.text) > 1


def _caps_sentences(doc: TokView) -> set[int]:
    """Token indices of sentences written in capitals (headlines, datelines)."""
    out: set[int] = set()
    i = 0
    n = len(doc)
    texts = doc.texts  # `tok.is_alpha` / `tok.is_upper` are `str.isalpha` / `str.isupper` of the text
    while i < n:
        end = doc.sent_end[i]
        letters = [t for t in texts[i:end] if t.isalpha()]
        if len(letters) >= 2 and sum(1 for t in letters if t.isupper()) >= 0.7 * len(letters):
            out.update(range(i, end))
        i = max(end, i + 1)
    return out


def _trim(doc: TokView, start: int, end: int) -> tuple[int, int]:
    """Drop edge articles/possessives/punctuation and honorifics; extend over "-lowercase" parts."""
    texts, lowers = doc.texts, doc.lowers
    while start < end and (texts[start] in _EDGE_DROP or doc[start].is_punct or doc[start].is_space
                           or lowers[start].rstrip(".") in HONORIFICS):
        start += 1
    while end > start and (texts[end - 1] in _EDGE_DROP or doc[end - 1].is_space
                           or (doc[end - 1].is_punct and texts[end - 1] not in {".", ")"})):
        end -= 1
    # keep a trailing "." only as part of an abbreviation ("U.S.", "Corp.")
    while end > start and texts[end - 1] == ".":
        end -= 1
    return start, end


def _extend_hyphenated(doc: TokView, end: int) -> int:
    """"Lee Seong" + "-kweun": a person name ends where its hyphenated word ends."""
    while (end + 1 < len(doc) and doc[end - 1].whitespace_ == "" and doc[end].text == "-"
           and doc[end].whitespace_ == "" and doc[end + 1].is_lower and doc[end + 1].is_alpha
           and doc[end + 1].tag_ not in {"VBN", "VBG", "VBD"} and doc[end + 1].lower_ not in _HYPHEN_WORDS):
        end += 2
    return end


def _initials(words: list[str]) -> str:
    out = []
    for w in words:
        if w.lower() in _INITIAL_SKIP:
            continue
        for part in w.split("-"):
            if part[:1].isalpha():
                out.append(part[0].upper())
    return "".join(out)


def _acronym_key(text: str) -> str:
    return text.replace(".", "").replace(" ", "").upper()


def _byline_names(byline: str | None) -> set[str]:
    if not byline:
        return set()
    text = re.sub(r"(?i)^\s*by\s+", "", byline)
    text = re.sub(r"(?i)\s+(?:in|at|for)\s+[A-Z].*$", "", text)
    parts = re.split(r"\s*(?:,|&|\band\b|/|;)\s*", text)
    return {normalise_name(p) for p in parts if p.strip()}


class _Builder:
    def __init__(self, doc: Doc, byline: str | None, view: TokView | None = None) -> None:
        self.spacy_doc = doc
        self.doc = view if view is not None else TokView(doc)
        self.byline = _byline_names(byline)
        self.caps = _caps_sentences(self.doc)
        self.mentions: list[_M] = []
        self.taken: list[bool] = [False] * len(doc)
        self.misc: set[int] = set()
        self.base_label: dict[tuple[int, int], str] = {}
        self.misc_spans: set[tuple[int, int]] = set()
        self.base: list[_Ent] = []  # the base model's entities of actor kinds and NORP (set by `recognise`)
        self.conll_spans: list[Span] = []  # doc.spans[CONLL_SPANS_KEY] (set by `_joined_conll`)

    # ---------------------------------------------------------------- recognition
    def _add(self, start: int, end: int, kind: ActorKind, source: str, *, force: bool = False) -> _M | None:
        start, end = _trim(self.doc, start, end)
        if kind == "person" and end > start:
            end = _extend_hyphenated(self.doc, end)
        if end <= start:
            return None
        text = self.doc.span_text(start, end)
        letters = sum(map(str.isalpha, text))
        if not letters or not any(map(str.isupper, text)) or 2 * letters < len(text.replace(" ", "")):
            return None
        if any(self.taken[start:end]):
            if not force:
                return None
            self.mentions = [m for m in self.mentions
                             if m.nominal or m.end <= start or m.start >= end]
            for i in range(len(self.taken)):
                self.taken[i] = False
            for m in self.mentions:
                if not m.nominal:
                    for i in range(m.start, m.end):
                        self.taken[i] = True
        m = _M(start, end, kind, source)
        self.mentions.append(m)
        for i in range(start, end):
            self.taken[i] = True
        return m

    def recognise(self) -> None:
        doc = self.doc
        base = [_Ent(e) for e in self.spacy_doc.ents if e.label_ in _BASE_KIND or e.label_ == "NORP"]
        self.base = base
        self.base_label = {(e.start, e.end): e.label_ for e in base}
        has_conll = CONLL_SPANS_KEY in self.spacy_doc.spans
        self._datelines()
        self._region_places()
        if has_conll:
            for span in self._joined_conll():
                if span.label_ == "MISC":
                    if self._misc_org(span, base):
                        self._add(span.start, span.end, "org", "conll")
                        continue
                    if self._misc_group(span, base):
                        self._add(span.start, span.end, "group", "conll")
                        continue
                    self.misc.update(range(span.start, span.end))
                    self.misc_spans.add((span.start, span.end))
                    continue
                kind = _CONLL_KIND.get(span.label_)
                if kind is None:
                    continue
                if kind != "person" and self._is_demonym(span, base):
                    if span.root.tag_ in {"NNS", "NNPS"}:  # "Britons", "Kurds": a group, not a place or org
                        self._add(span.start, span.end, "group", "norp")
                    continue
                if len(span) == 1 and (span[0].tag_ in _NOT_NAME_TAGS or self._opening_word(span, base)):
                    continue  # "Unfortunately", "Clearly": a sentence-initial word, not a name
                if kind == "person" and self._is_demonym(span, base, any_pos=True):
                    if span.root.tag_ in {"NNS", "NNPS"} or span.text.endswith("s"):
                        self._add(span.start, span.end, "group", "norp")  # "Latinos", "Muslims"
                    continue
                start, end = self._repair(span, base, kind)
                kind = self._kind_conflict(start, end, kind, base)
                if self._split_title(start, end, kind, base) or self._split_places(start, end):
                    continue
                self._add(start, end, kind, "conll")
            self._base_fill(base)
        else:
            for ent in base:
                if ent.label_ in _BASE_KIND:
                    self._add(ent.start, ent.end, _BASE_KIND[ent.label_], "base")
        self._agencies()
        self._groups(base)
        self._acronyms()
        self._org_nominals()
        for m in self.mentions:
            m.text = doc.span_text(m.start, m.end)

    def _joined_conll(self) -> list[Span]:
        """CoNLL spans with "X and" + "Y" pieces joined ("Department for Education and" + "Skills")."""
        spans = self.conll_spans = list(self.spacy_doc.spans[CONLL_SPANS_KEY])
        out: list[Span] = []
        for span in spans:
            prev = out[-1] if out else None
            if prev is not None and prev.end == span.start and prev.label_ in {"ORG", "LOC"} \
                    and prev[-1].lower_ in {"and", "of", "for", "&"}:
                out[-1] = self.spacy_doc[prev.start:span.end]
                out[-1].label_ = prev.label_
                continue
            out.append(span)
        return out

    def _misc_org(self, span: Span, base: list[_Ent]) -> bool:
        """A MISC span the base model calls ORG and whose head word names an organisation."""
        if span[-1].lower_ not in _ORG_HEADS:
            return False
        return any(e.label_ == "ORG" and e.start <= span.start and span.end <= e.end for e in base)

    @staticmethod
    def _misc_group(span: Span, base: list[_Ent]) -> bool:
        """"The Taliban seized ...": a MISC name used as a noun that the base model calls ORG or NORP."""
        root = span.root
        return root.tag_ in {"NNP", "NNPS"} and root.dep_ not in {"amod", "compound"} and any(
            e.label_ in {"ORG", "NORP"} and e.start == span.start and span.end == e.end for e in base)

    def _split_places(self, start: int, end: int) -> bool:
        """"North Korea-Russia (border)": two known places joined by a hyphen are two places."""
        doc = self.doc
        for k in range(start + 1, end - 1):
            if doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_:
                left, right = doc.span_text(start, k), doc.span_text(k + 1, end)
                if all(country_name(x) or capital_country(x) or is_known_place(x) for x in (left, right)):
                    self._add(start, k, "place", "conll")
                    self._add(k + 1, end, "place", "conll")
                    return True
        return False

    def _split_title(self, start: int, end: int, kind: ActorKind, base: list[_Ent]) -> bool:
        """"Labour MP Barry Sheerman" tagged as one organisation: an org, a title, then a person."""
        if kind == "person":
            return False
        doc = self.doc
        for ent in base:
            if ent.label_ == "PERSON" and ent.end == end and start + 1 < ent.start and len(ent) >= 2 \
                    and doc[ent.start - 1].lower_.rstrip(".") in TITLE_WORDS:
                if ent.start - 1 > start:
                    self._add(start, ent.start - 1, kind, "conll")
                self._add(ent.start, ent.end, "person", "conll")
                return True
        return False

    def _kind_conflict(self, start: int, end: int, kind: ActorKind, base: list[_Ent]) -> ActorKind:
        """Org head words make organisations; at a sentence start, the base model's person wins."""
        if kind == "person" and end - start >= 2 and self.doc[end - 1].lower_ in _ORG_HEADS:
            return "org"  # "Blackpool Hotel Association"
        if kind == "person" or end - start < 2 or self.doc.sent_start[start] != start:
            return kind
        if self.doc[end - 1].lower_ in _ORG_HEADS:
            return kind
        for ent in base:
            if ent.label_ == "PERSON" and ent.start < end and start < ent.end and ent.end - ent.start >= 2:
                overlap = min(end, ent.end) - max(start, ent.start)
                if overlap >= 2 and overlap >= 0.6 * (end - start):
                    return "person"
        return kind

    def _base_fill(self, base: list[_Ent]) -> None:
        """Multi-word person names the CoNLL model left untagged but the base model tags."""
        conll_tokens = {i for s in self.conll_spans for i in range(s.start, s.end)}
        for ent in base:
            if ent.label_ != "PERSON" or ent.end - ent.start < 2:
                continue
            if any(i in conll_tokens for i in range(ent.start, ent.end)):
                continue
            self._add(ent.start, ent.end, _BASE_KIND[ent.label_], "base")

    def _opening_word(self, span: Span, base: list[_Ent]) -> bool:
        """"Fortunately, ...": a sentence adverb opening a sentence before a comma, not a name."""
        i = span.start
        if self.doc.sent_start[i] != i or i + 1 >= len(self.doc) or self.doc[i + 1].text != ",":
            return False
        low = self.doc[i].lower_
        return len(low) > 5 and low.endswith("ly") and not any(e.start <= i < e.end for e in base)

    @staticmethod
    def _is_demonym(span: Span, base: list[_Ent], any_pos: bool = False) -> bool:
        """"North Korean" (soldiers): a nationality adjective, not an actor."""
        root = span.root
        start, end = span.start, span.end
        if (any_pos or root.tag_ == "JJ" or root.dep_ == "amod") and any(
                e.label_ == "NORP" and e.start == start and e.end == end for e in base):
            return True
        # "New South Korean (President)": a nationality phrase before a title or noun
        nxt = span.doc[end] if end < len(span.doc) else None
        return nxt is not None and (nxt.is_lower or nxt.lower_ in TITLE_WORDS) and any(
            e.label_ == "NORP" and e.end == end and 2 * (e.end - e.start) >= end - start for e in base)

    def _repair(self, span: Span, base: list[_Ent], kind: ActorKind) -> tuple[int, int]:
        """Extend a CoNLL span to a base entity of the same kind that strictly contains it."""
        start, end = span.start, span.end
        for ent in base:
            if ent.start <= start and end <= ent.end and (ent.end - ent.start) > end - start:
                extra = [t for t in self.doc[ent.start:ent.end] if t.i < start or t.i >= end]
                if _BASE_KIND.get(ent.label_) == kind and len(extra) <= 3 and all(
                        (t.is_title or t.is_upper or t.lower_ in _NAME_PARTICLES) and t.is_alpha for t in extra):
                    return ent.start, ent.end
        return span.start, span.end

    def _datelines(self) -> None:
        """"SEOUL (AFP) -" / "WASHINGTON, Jan 5 (Reuters) -" at a paragraph start: place + agency."""
        doc = self.doc
        starts = [0] + [m.end() for m in _PARA_START.finditer(doc.text)]
        for char in starts:
            if char >= len(doc.text):
                continue
            first = self.spacy_doc.char_span(char, char + 1, alignment_mode="expand")
            if first is None or not len(first):
                continue
            tok = doc[first.start]
            j = tok.i
            while j < len(doc) and j - tok.i < 4 and _is_caps_word(doc[j]):
                j += 1
            if j == tok.i or j >= len(doc):
                continue
            k = j
            while k < len(doc) and k - j < 8 and doc[k].text != "(" and doc[k].text not in _DASHES \
                    and "\n" not in doc[k].text:
                k += 1
            if k + 2 < len(doc) and doc[k].text == "(":
                close = k + 1
                while close < len(doc) and close - k < 6 and doc[close].text != ")":
                    close += 1
                if close < len(doc) and doc[close].text == ")" and close + 1 < len(doc) \
                        and doc[close + 1].text in _DASHES:
                    self._add(tok.i, j, "place", "dateline")
                    self._add(k + 1, close, "org", "dateline")

    def _agencies(self) -> None:
        doc = self.doc
        exact = {(m.start, m.end): m for m in self.mentions}
        for match in _AGENCY_RE.finditer(doc.text):
            span = self.spacy_doc.char_span(match.start(), match.end())
            if span is None:
                continue  # not on token boundaries
            a, b = span.start, span.end
            found = exact.get((a, b))
            if found is not None:
                found.kind, found.source = "org", "agency"
            else:  # a full agency name wins over pieces of it ("Presse")
                inside = all(m.end <= a or m.start >= b or (a <= m.start and m.end <= b) for m in self.mentions)
                self._add(a, b, "org", "agency", force=inside)

    def _region_places(self) -> None:
        """"the Kursk region", "Donetsk oblast": proper name + lower-case place noun -> place."""
        doc = self.doc
        for i, text in enumerate(doc.texts):
            if text not in PLACE_SUFFIXES or i == 0:
                continue
            tok = doc[i]
            j = tok.i
            while j > 0 and doc[j - 1].pos_ == "PROPN" and doc[j - 1].text[:1].isupper() \
                    and tok.i - j < 3 and not doc[j - 1].is_sent_start:
                j -= 1
            if j == tok.i:
                continue
            if any(self.taken[i] for i in range(j, tok.i)) or doc[j].ent_type_ == "PERSON":
                continue
            m = self._add(j, tok.i, "place", "region")
            if m is not None:
                m.extra_alias.append(doc.span_text(j, tok.i + 1))

    def _groups(self, base: list[_Ent]) -> None:
        """NORP words used as nouns ("the Kurds", "Shiites") are group actors; demonym adjectives are not."""
        for ent in base:
            if ent.label_ != "NORP":
                continue
            root = ent.root
            if root.pos_ not in {"NOUN", "PROPN"} or root.dep_ in {"amod", "compound"}:
                continue
            if root.tag_ not in {"NNS", "NNPS"} and not (ent.start > 0 and self.doc[ent.start - 1].lower_ == "the"):
                continue
            self._add(ent.start, ent.end, "group", "norp")

    def _acronyms(self) -> None:
        """"Korean Central News Agency (KCNA)": the bracketed acronym joins the name before it."""
        doc = self.doc
        ends = {m.end: m for m in self.mentions if m.kind in {"org", "group", "place"}}
        texts = doc.texts
        for i, text in enumerate(texts):
            if text != "(" or i + 2 >= len(doc) or texts[i + 2] != ")":
                continue
            tok = doc[i]
            acr = doc[tok.i + 1]
            if not _ACRONYM.match(acr.text):
                continue
            prev = ends.get(tok.i)
            if prev is None or prev.source == "dateline" or acr.text in AGENCIES:
                continue
            initials = _initials(doc.span_text(prev.start, prev.end).split())
            if not initials or initials[0] != _acronym_key(acr.text)[0]:
                continue
            existing = [m for m in self.mentions if m.start == acr.i and m.end == acr.i + 1]
            if existing:
                existing[0].kind = prev.kind
            else:
                self._add(acr.i, acr.i + 1, prev.kind, "acronym", force=True)
            prev.extra_alias.append("=" + acr.text)  # marker: acronym of this name

    def _org_nominals(self) -> None:
        """"Seoul's foreign ministry", "the South Korean government": organisations named by role."""
        doc = self.doc
        places = {m.end: m for m in self.mentions if m.kind == "place"}
        norp_end = {e.end: e for e in self.base if e.label_ == "NORP"}
        heads = _NOMINAL_HEAD_WORDS
        for i in sorted(set(places) | set(norp_end)):
            if i >= len(doc):
                continue
            tok = doc[i]
            owner: tuple[int, int] | None = None
            start_words = tok.i
            if tok.tag_ == "POS" and tok.i in places:
                owner = (places[tok.i].start, tok.i)
                start_words = tok.i + 1
            elif tok.i in norp_end and not any(self.taken[i] for i in range(norp_end[tok.i].start, tok.i)):
                ent = norp_end[tok.i]
                owner = (ent.start, ent.end)
                start_words = tok.i
            if owner is None:
                continue
            for words in heads:
                # allow one lower-case modifier before the head ("foreign ministry", "military junta")
                for skip in (0, 1):
                    s = start_words + skip
                    if doc.lowers[s:s + len(words)] == words and \
                            all(t.is_lower for t in doc[start_words:s + len(words)]):
                        end = s + len(words)
                        if any(self.taken[i] for i in range(start_words, end)):
                            break
                        m = _M(owner[0], end, "org", "nominal", nominal=True)
                        self.mentions.append(m)
                        for i in range(start_words, end):
                            self.taken[i] = True
                        break
                else:
                    continue
                break

    def corporate(self) -> None:
        """"Bear Stearns & Co Inc", "Pirelli SpA": company suffixes and "& Co" extend a name into an org."""
        doc = self.doc
        n = len(doc)
        for m in self.mentions:
            if m.nominal or m.kind == "group":
                continue
            end = m.end
            while end < n:
                tok = doc[end]
                if tok.text in _CORP_SUFFIXES and doc[end - 1].whitespace_:
                    end += 1
                elif tok.text == "&" and end + 1 < n and doc[end + 1].text[:1].isupper() \
                        and not self.taken[end + 1]:
                    end += 2
                else:
                    break
            if end > m.end and not any(self.taken[i] for i in range(m.end, end)):
                for i in range(m.end, end):
                    self.taken[i] = True
                m.end = end
                m.kind = "org"
                m.text = doc.span_text(m.start, m.end)
            elif m.end - m.start >= 2 and doc[m.end - 1].text in _CORP_SUFFIXES:
                m.kind = "org"

    def caps_repeats(self) -> None:
        """Names already found, seen again in capitals (headlines) or missed by the ner."""
        doc = self.doc
        forms: dict[str, list[tuple[list[str], _M]]] = {}
        for m in self.mentions:
            if m.nominal:
                continue
            words = doc.lowers[m.start:m.end]
            if len(words) == 1 and len(words[0]) < 3:
                continue
            forms.setdefault(words[0], []).append((words, m))
        for i, low in enumerate(doc.lowers):
            if self.taken[i] or i in self.misc or low not in forms:
                continue
            tok = doc[i]
            for words, src in sorted(forms[low], key=lambda x: -len(x[0])):
                n = len(words)
                seg = doc[tok.i:tok.i + n]
                if len(seg) != n or doc.lowers[tok.i:tok.i + n] != words:
                    continue
                if any(self.taken[i] or i in self.misc for i in range(tok.i, tok.i + n)):
                    continue
                in_caps = all(i in self.caps for i in range(tok.i, tok.i + n))
                if in_caps:
                    ok = all(_is_caps_word(t) or not t.is_alpha for t in seg)
                else:
                    ok = doc.texts[tok.i:tok.i + n] == doc.texts[src.start:src.end] and \
                        seg[0].pos_ == "PROPN"
                if ok:
                    added = self._add(tok.i, tok.i + n, src.kind, "repeat")
                    if added is not None:
                        added.text = doc.span_text(tok.i, tok.i + n)
                    break

    def name_parts(self) -> None:
        """A surname or first name of a person already named, standing alone ("Hong said")."""
        doc = self.doc
        parts: dict[str, ActorKind] = {}
        for m in self.mentions:
            if m.kind != "person":
                continue
            words = [t for t in doc[m.start:m.end] if t.is_alpha]
            if len(words) < 2:
                continue
            for t in (words[0], words[-1]):
                if len(t.text) >= 3 and t.lower_ not in _NAME_PARTICLES and t.text[:1].isupper() \
                        and country_name(t.text) is None and capital_country(t.text) is None:
                    parts[t.text] = "person"
                    parts[t.text.upper()] = "person"
        if not parts:
            return
        n = len(doc)
        for i, text in enumerate(doc.texts):
            if text not in parts or self.taken[i] or (i in self.misc and (i, i + 1) not in self.misc_spans):
                continue
            tok = doc[i]
            if tok.is_upper and i not in self.caps and not tok.text.istitle():
                continue
            if tok.pos_ != "PROPN" and i not in self.caps:
                continue
            if i + 1 < n and doc[i + 1].pos_ == "PROPN" and doc[i + 1].text[:1].isupper():
                continue
            if i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper() \
                    and doc[i - 1].lower_ not in TITLE_WORDS and doc.sent_start[i] != i:
                continue
            added = self._add(i, i + 1, "person", "part")
            if added is not None:
                added.text = tok.text

    # ---------------------------------------------------------------- resolution
    def _dateline_position(self, m: _M) -> bool:
        """A name opening a paragraph, followed by a date, a comma or "(agency)": "LONDON 1996-08-30"."""
        doc = self.doc
        if not (m.start == 0 or doc[m.start - 1].is_space or "\n" in doc[m.start - 1].whitespace_):
            return False
        if m.end >= len(doc):
            return False
        nxt = doc[m.end]
        return nxt.text in {",", "("} or bool(_DATE_WORD.match(nxt.text))

    def drop_byline(self) -> None:
        if not self.byline:
            return
        self.mentions = [m for m in self.mentions
                         if not (m.kind == "person" and normalise_name(m.text) in self.byline)]

    def vote_kinds(self) -> None:
        """Gazetteer fixes per mention, then one kind per surface form (majority; ties person > org > place)."""
        persons = {w for m in self.mentions if m.kind == "person" and len(m.text.split()) > 1
                   for w in normalise_name(m.text).split()}
        fixed: set[int] = set()
        for n, m in enumerate(self.mentions):
            if m.nominal or m.kind == "group":
                fixed.add(n)
                continue
            key = normalise_name(m.text)
            if m.source in {"agency", "dateline"} and m.kind == "org":
                fixed.add(n)
            elif country_name(key) is not None or (
                    self._dateline_position(m) and (is_known_place(key) or is_city(key))):
                m.kind = "place"  # countries always; known cities/states where a dateline stands
                fixed.add(n)
            elif (m.kind == "person" and m.end - m.start == 1 and key not in persons
                    and self.base_label.get((m.start, m.end)) in {"GPE", "LOC"}):
                m.kind = "place"  # "Paris said": the base model and the gazetteer agree on a place
        votes: dict[str, Counter[str]] = {}
        for m in self.mentions:
            if not m.nominal and m.kind != "group":
                votes.setdefault(normalise_name(m.text), Counter())[m.kind] += 1
        for n, m in enumerate(self.mentions):
            if n in fixed:
                continue
            key = normalise_name(m.text)
            best = max(votes[key].items(), key=lambda kv: (kv[1], -_KIND_RANK[kv[0]]))[0]
            m.kind = best  # type: ignore[assignment]
            # a lone surname tagged as place/org joins the person who bears it ("Hong" -> Hong Min)
            if (m.kind != "person" and " " not in key and key in persons and m.source not in {"agency", "dateline"}
                    and country_name(key) is None and capital_country(key) is None):
                m.kind = "person"

    def cluster(self) -> list[_Cluster]:
        clusters: list[_Cluster] = []
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        by_key: dict[tuple[str, str], int] = {}

        def new(kind: ActorKind, m: _M, key: str) -> None:
            clusters.append(_Cluster(kind))
            m.cluster = len(clusters) - 1
            clusters[-1].mentions.append(m)
            by_key[(kind, key)] = m.cluster

        def join(m: _M, c: int) -> None:
            m.cluster = c
            clusters[c].mentions.append(m)

        # pass 1: full names (several words), acronym-marked names, places by gazetteer
        singles: list[_M] = []
        for m in self.mentions:
            key = normalise_name(m.text)
            if m.kind == "place":
                key = normalise_name(country_name(key) or key)
            if not key:
                continue
            if m.kind == "person" and " " not in key:
                singles.append(m)
                continue
            if m.kind == "org" and not m.nominal and _ACRONYM.match(m.text.replace(" ", "")):
                singles.append(m)
                continue
            if (m.kind, key) in by_key:
                join(m, by_key[(m.kind, key)])
            else:
                new(m.kind, m, key)
                if m.kind == "place":
                    clusters[-1].canonical = country_name(key)

        # person full names that are sub-names of a longer one ("George Bush" < "George W. Bush")
        person_keys = [(k, c) for (kind, k), c in by_key.items() if kind == "person"]
        for k, c in person_keys:
            name_words = set(k.split())
            longer = [c2 for k2, c2 in person_keys if c2 != c and len(k2.split()) > len(name_words)
                      and name_words <= set(k2.split()) and k2.split()[-1] == k.split()[-1]]
            if len(longer) == 1:
                self._merge(clusters, c, longer[0])

        # pass 2: single-word persons and acronyms
        for m in singles:
            key = normalise_name(m.text)
            target = (self._resolve_person(clusters, m, key) if m.kind == "person"
                      else self._resolve_acronym(clusters, m))
            if target is not None:
                join(m, target)
            elif (m.kind, key) in by_key:
                join(m, self._live(clusters, by_key[(m.kind, key)]))
            else:
                new(m.kind, m, key)

        # org short forms: "Security Council" after "U.N. Security Council" joins it (earlier mentions only)
        for c, cl in enumerate(clusters):
            if cl.kind != "org" or cl.merged_into >= 0:
                continue
            first = min(cl.mentions, key=lambda m: m.start)
            words = normalise_name(first.text).split()
            if first.nominal or len(words) < 2:
                continue
            best: tuple[int, int] | None = None
            for c2, cl2 in enumerate(clusters):
                if c2 == c or cl2.kind != "org" or cl2.merged_into >= 0:
                    continue
                for m2 in cl2.mentions:
                    w2 = normalise_name(m2.text).split()
                    if m2.start < first.start and len(w2) > len(words) and w2[-len(words):] == words \
                            and (best is None or m2.start > best[0]):
                        best = (m2.start, c2)
            if best is not None:
                self._merge(clusters, c, best[1])

        # news agencies take their canonical name, so "Agence France-Presse" and "AFP" share one id
        for cl in clusters:
            if cl.kind == "org" and cl.merged_into < 0 and cl.canonical is None:
                names = [AGENCIES[m.text] for m in cl.mentions if m.text in AGENCIES]
                if names:
                    cl.canonical = names[0]

        # capital -> country when the country itself is named as a place in the story
        countries = {cl.canonical: c for c, cl in enumerate(clusters)
                     if cl.kind == "place" and cl.canonical and cl.merged_into < 0}
        for c, cl in enumerate(clusters):
            if cl.kind != "place" or cl.canonical or cl.merged_into >= 0:
                continue
            if any(m.source == "dateline" for m in cl.mentions):
                continue  # a dateline names where the story was filed, not the government
            country = capital_country(cl.mentions[0].text)
            if country and country in countries:
                self._merge(clusters, c, countries[country])
        return clusters

    @staticmethod
    def _live(clusters: list[_Cluster], c: int) -> int:
        while clusters[c].merged_into >= 0:
            c = clusters[c].merged_into
        return c

    def _merge(self, clusters: list[_Cluster], src: int, dst: int) -> None:
        src, dst = self._live(clusters, src), self._live(clusters, dst)
        if src == dst:
            return
        for m in clusters[src].mentions:
            m.cluster = dst
        clusters[dst].mentions.extend(clusters[src].mentions)
        clusters[src].mentions = []
        clusters[src].merged_into = dst

    def _resolve_person(self, clusters: list[_Cluster], m: _M, key: str) -> int | None:
        """A surname/first name joins the full name bearing it: title match, then recency."""
        cands = [c for c, cl in enumerate(clusters) if cl.kind == "person" and cl.merged_into < 0
                 and any(" " in normalise_name(x.text) and key in normalise_name(x.text).split()
                         for x in cl.mentions)]
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        doc = self.doc
        title = doc[m.start - 1].lower_ if m.start > 0 else ""
        if title in TITLE_WORDS:
            titled = [c for c in cands if any(title in t.lower() for t in self._titles_near(clusters[c]))]
            if len(titled) == 1:
                return titled[0]

        def last_before(c: int) -> int:
            return max((x.start for x in clusters[c].mentions if x.start < m.start), default=-1)

        before = [(last_before(c), c) for c in cands]
        best = max(before)
        if best[0] >= 0:
            return best[1]
        return min(cands, key=lambda c: min(x.start for x in clusters[c].mentions))

    def _titles_near(self, cl: _Cluster) -> list[str]:
        out: list[str] = []
        for x in cl.mentions:
            span = premodifier_title(self.doc, x.start, set())
            if span:
                out.append(self.doc.span_text(span[0], span[1]))
        return out

    def _resolve_acronym(self, clusters: list[_Cluster], m: _M) -> int | None:
        key = _acronym_key(m.text)
        for c, cl in enumerate(clusters):
            if cl.kind != m.kind or cl.merged_into >= 0:
                continue
            for x in cl.mentions:
                if "=" + m.text in x.extra_alias or (len(x.text.split()) > 1 and _initials(x.text.split()) == key):
                    return c
        return None

    # ---------------------------------------------------------------- titles and output
    def titles(self, clusters: list[_Cluster]) -> None:
        doc = self.doc
        person_tokens = {i for m in self.mentions if m.kind == "person" for i in range(m.start, m.end)}
        org_at: dict[int, _M] = {}
        for m in self.mentions:
            if m.kind == "org" and not m.nominal:
                for i in range(m.start, m.end):
                    org_at[i] = m
        for cl in clusters:
            if cl.kind not in {"person", "org"} or not cl.mentions:
                continue
            for m in cl.mentions:
                if m.nominal:
                    continue
                spans = []
                pre = premodifier_title(doc, m.start, person_tokens, person=cl.kind == "person")
                if pre is not None and (cl.kind == "person" or all(t.is_lower for t in doc[pre[0]:pre[1]])):
                    spans.append(pre)
                if cl.kind == "person":
                    for found in (apposition_title(doc, m.end), fronted_title(doc, m.start)):
                        if found is not None and not any(i in person_tokens for i in range(*found)):
                            spans.append(found)
                for s, e in spans:
                    text = doc.span_text(s, e)
                    if text not in cl.titles:
                        cl.titles.append(text)
                    for i in range(s, e):
                        org = org_at.get(i)
                        if org is not None and org.cluster >= 0:
                            cl.title_orgs.append(org.cluster)
                # "Russia's Security Council", "the TASS news agency": owner / descriptor forms
                if cl.kind == "org" and m.start >= 2 and doc[m.start - 1].tag_ == "POS":
                    owner = doc[m.start - 2]
                    if owner.pos_ == "PROPN":
                        cl.aliases.append(doc.span_text(m.start - 2, m.end))
                if cl.kind == "org" and m.end + 1 < len(doc):
                    nxt = doc[m.end:m.end + 2]
                    if nxt[0].is_lower and nxt[0].pos_ == "NOUN":
                        e = m.end + (2 if nxt[1].is_lower and nxt[1].pos_ == "NOUN" else 1)
                        if doc[e - 1].lower_ in {"agency", "newspaper", "daily", "broadcaster", "network",
                                                 "group", "party", "movement", "militia", "company"}:
                            cl.aliases.append(doc.span_text(m.start, e))
                            desc = doc.span_text(m.end, e)
                            if desc not in cl.titles:
                                cl.titles.append(desc)

    def output(self, clusters: list[_Cluster]) -> tuple[list[Actor], list[Mention]]:
        by_id: dict[str, Actor] = {}
        mentions: list[Mention] = []
        names: dict[int, str] = {}
        for c, cl in enumerate(clusters):
            if cl.merged_into < 0 and cl.mentions:
                names[c] = cl.canonical or self._canonical(cl)
        for c, cl in enumerate(clusters):
            if c not in names:
                continue
            kinds = Counter(m.kind for m in cl.mentions)
            kind = cl.kind if cl.kind in kinds else kinds.most_common(1)[0][0]
            name = names[c]
            aid = actor_id(name, kind)
            seen = {normalise_name(name)}
            aliases: list[str] = []
            forms = [m.text for m in sorted(cl.mentions, key=lambda m: m.start)]
            forms += [a for m in cl.mentions for a in m.extra_alias if not a.startswith("=")]
            forms += cl.aliases
            for form in forms:
                key = normalise_name(form)
                if key and key not in seen:
                    seen.add(key)
                    aliases.append(form)
            title_orgs: list[str] = []
            for org_c in cl.title_orgs:
                org_name = names.get(self._live(clusters, org_c))
                if org_name and org_name not in title_orgs:
                    title_orgs.append(org_name)
            prior = by_id.get(aid)
            if prior is None:
                by_id[aid] = Actor(actor_id=aid, name=name, kind=kind, titles=list(cl.titles), aliases=aliases,
                                   mention_count=len(cl.mentions), title_orgs=title_orgs)
            else:  # two clusters with one canonical name: one actor
                prior.mention_count += len(cl.mentions)
                prior.titles += [t for t in cl.titles if t not in prior.titles]
                prior.aliases += [a for a in aliases if a not in prior.aliases]
                prior.title_orgs += [o for o in title_orgs if o not in prior.title_orgs]
            for m in cl.mentions:
                mentions.append(Mention(actor_id=aid, text=m.text, kind=kind,
                                        start=self.doc.idxs[m.start],
                                        end=self.doc.idxs[m.end - 1] + len(self.doc.texts[m.end - 1])))
        mentions.sort(key=lambda x: (x.start, x.end))
        first: dict[str, int] = {}
        for x in mentions:
            first.setdefault(x.actor_id, x.start)
        actors = sorted(by_id.values(), key=lambda a: first.get(a.actor_id, 0))
        return actors, mentions

    @staticmethod
    def _canonical(cl: _Cluster) -> str:
        """Longest name form (acronyms lose to expansions; capitals-only forms lose to mixed case)."""
        def score(m: _M) -> tuple[int, int, int, int]:
            text = m.text
            acronym = 1 if _ACRONYM.match(text.replace(" ", "")) else 0
            caps = 1 if text.isupper() and not acronym else 0
            return (-int(m.nominal), -acronym, -caps, len(text.split()) * 100 - m.start)

        best = max(cl.mentions, key=score)
        text = best.text
        if text.isupper() and not _ACRONYM.match(text.replace(" ", "")):
            text = text.title()
        return text


def extract_actors(
    doc: Doc, *, byline: str | None = None, view: TokView | None = None
) -> tuple[list[Actor], list[Mention]]:
    """Actors of one story and their mentions (offsets into `doc.text`).

    `byline` names the author(s); they are metadata, never actors of the story. `view` is the
    story's `TokView` when the caller already built one (see `extract_doc`).
    """
    builder = _Builder(doc, byline, view)
    builder.recognise()
    builder.corporate()
    builder.caps_repeats()
    builder.name_parts()
    builder.drop_byline()
    builder.vote_kinds()
    clusters = builder.cluster()
    builder.titles(clusters)
    actors, mentions = builder.output(clusters)
    return actors, mentions
