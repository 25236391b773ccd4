"""Working records (candidate mentions, clusters, base entities) and token-span helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..records import ActorKind
from .gazetteer import (
    HONORIFICS,
)
from .tokens import TokView

if TYPE_CHECKING:
    from spacy.tokens import Span, Token
from .lexicon import (
    EDGE_DROP,
    HYPHEN_WORDS,
    normalise_name,
)

__all__ = [
    "Candidate",
    "Cluster",
    "Clustering",
    "Ent",
    "byline_names",
    "caps_sentences",
    "extend_hyphenated",
    "is_caps_word",
    "trim",
]

# A sentence is written in capitals (a headline, a dateline) when this share of its words are.
CAPS_SENTENCE_SHARE = 0.7


@dataclass
class Candidate:
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
class Cluster:
    kind: ActorKind
    mentions: list[Candidate] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    title_orgs: list[int] = field(default_factory=list)  # cluster indices of organisations in titles
    aliases: list[str] = field(default_factory=list)
    canonical: str | None = None  # forced canonical name (gazetteer)
    merged_into: int = -1


@dataclass
class Clustering:
    """The clusters being built and the keys they are found by (see `rules.CLUSTER_PASSES`)."""

    clusters: list[Cluster] = field(default_factory=list)
    by_key: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, normalised name) -> cluster
    singles: list[Candidate] = field(default_factory=list)  # one-word persons and acronyms, clustered second

    def new(self, kind: ActorKind, m: Candidate, key: str) -> None:
        self.clusters.append(Cluster(kind))
        m.cluster = len(self.clusters) - 1
        self.clusters[-1].mentions.append(m)
        self.by_key[(kind, key)] = m.cluster

    def join(self, m: Candidate, c: int) -> None:
        m.cluster = c
        self.clusters[c].mentions.append(m)


class Ent:
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


def is_caps_word(tok: Token) -> bool:
    return tok.is_alpha and tok.is_upper and len(tok.text) > 1


def caps_sentences(doc: TokView) -> set[int]:
    """Token indices of sentences written in capitals (headlines, datelines)."""
    out: set[int] = set()
    i = 0
    n = len(doc)
    texts = doc.texts  # `tok.is_alpha` / `tok.is_upper` are `str.isalpha` / `str.isupper` of the text
    while i < n:
        end = doc.sent_end[i]
        letters = [t for t in texts[i:end] if t.isalpha()]
        if len(letters) >= 2 and sum(1 for t in letters if t.isupper()) >= CAPS_SENTENCE_SHARE * len(letters):
            out.update(range(i, end))
        i = max(end, i + 1)
    return out


def trim(doc: TokView, start: int, end: int) -> tuple[int, int]:
    """Drop edge articles/possessives/punctuation and honorifics; extend over "-lowercase" parts."""
    texts, lowers = doc.texts, doc.lowers
    while start < end and (texts[start] in EDGE_DROP or doc[start].is_punct or doc[start].is_space
                           or lowers[start].rstrip(".") in HONORIFICS):
        start += 1
    while end > start and (texts[end - 1] in EDGE_DROP or doc[end - 1].is_space
                           or (doc[end - 1].is_punct and texts[end - 1] not in {".", ")"})):
        end -= 1
    # keep a trailing "." only as part of an abbreviation ("U.S.", "Corp.")
    while end > start and texts[end - 1] == ".":
        end -= 1
    return start, end


def extend_hyphenated(doc: TokView, end: int) -> int:
    """"Lee Seong" + "-kweun": a person name ends where its hyphenated word ends."""
    while (end + 1 < len(doc) and doc[end - 1].whitespace_ == "" and doc[end].text == "-"
           and doc[end].whitespace_ == "" and doc[end + 1].is_lower and doc[end + 1].is_alpha
           and doc[end + 1].tag_ not in {"VBN", "VBG", "VBD"} and doc[end + 1].lower_ not in HYPHEN_WORDS):
        end += 2
    return end


def byline_names(byline: str | None) -> set[str]:
    if not byline:
        return set()
    text = re.sub(r"(?i)^\s*by\s+", "", byline)
    text = re.sub(r"(?i)\s+(?:in|at|for)\s+[A-Z].*$", "", text)
    parts = re.split(r"\s*(?:,|&|\band\b|/|;)\s*", text)
    return {normalise_name(p) for p in parts if p.strip()}
