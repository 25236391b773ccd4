"""Typed records that flow one way: source bytes -> Story -> Extraction -> warehouse rows.

Every record is a frozen-ish dataclass with plain Python values so it can be pickled to worker
processes and turned into Arrow columns by the warehouse loader. Offsets (`start`, `end`) are
character offsets into `Story.body` (end exclusive).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "Actor",
    "ActorKind",
    "Extraction",
    "Mention",
    "Number",
    "NumberKind",
    "Quote",
    "QuoteKind",
    "Story",
]

ActorKind = Literal["person", "org", "place", "group", "other"]
QuoteKind = Literal["direct", "partial", "indirect"]
NumberKind = Literal["count", "money", "percent", "measure", "duration", "age", "ordinal", "other"]


@dataclass
class Story:
    """One news item as read from a source, before NLP.

    `body` is clean text: paragraphs separated by one blank line ("\\n\\n"), no markup, no caption,
    byline, dateline, trailer or editor notes. Everything that is not body goes into its own field.
    """

    source_uri: str  # file path or URL as given by the user
    source_kind: str  # text | html | feed | newsml | nitf | ninjs | anpa | iptc7901 | afp-newsml ...
    body: str
    title: str | None = None
    caption: str | None = None
    byline: str | None = None
    dateline: str | None = None
    agency: str | None = None
    published_at: datetime | None = None  # naive UTC
    guid: str | None = None  # agency/feed guid; None for plain files
    url: str | None = None
    version: int | None = None  # agency version number when the source states one
    pub_status: str = "usable"  # usable | withheld | canceled
    embargoed_until: datetime | None = None
    urgency: int | None = None
    slugline: str | None = None
    located: str | None = None  # place named by the dateline / located element
    language: str | None = None  # BCP 47 tag ("pt-BR"); set for every stored item (`und` when unknown)
    language_source: str | None = None  # stated | detected (None until extractors.lang settles it)
    subjects: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    part: int = 0  # index of the item inside a multi-item source (newsMessage, feed)
    source_key: str | None = None  # identity of the source (resolved path, canonical URL); set by flows
    meta: dict[str, Any] = field(default_factory=dict)  # anything else worth keeping (JSON)
    warnings: list[str] = field(default_factory=list)  # non-fatal problems met while reading


@dataclass
class Actor:
    """A person, organisation, place or group named in one story.

    `actor_id` is canonical across stories: a hash of kind + normalised canonical name, so that
    `GROUP BY actor_id` over many stories counts one actor once.
    """

    actor_id: str
    name: str
    kind: ActorKind
    titles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    mention_count: int = 0
    title_orgs: list[str] = field(default_factory=list)  # organisations named in titles
    origin: str = "nlp"  # nlp | agency (supplied by the item's metadata, not found in the text)


@dataclass
class Mention:
    actor_id: str
    text: str
    kind: ActorKind
    start: int
    end: int


@dataclass
class Quote:
    text: str  # the quoted words without the quote marks
    kind: QuoteKind
    start: int
    end: int
    speaker: str | None = None  # canonical name of the resolved actor
    speaker_actor_id: str | None = None
    speaker_text: str | None = None  # words in the body naming the speaker ("he", "the ministry")
    cue: str | None = None  # reporting verb / phrase ("said", "quoted ... as saying", "according to")
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass
class Number:
    text: str  # the surface span, e.g. "Around 600"
    value: float | None
    start: int
    end: int
    kind: NumberKind = "count"
    unit: str | None = None  # ISO currency code, "%", "pp", "km", "year" ...
    counted: str | None = None  # head noun counted ("soldiers")
    counted_modifier: str | None = None  # its modifiers ("North Korean")
    counted_key: str | None = None  # what it counts, for grouping: lower-case singular ("soldier", "person")
    approx: bool = False
    value_low: float | None = None
    value_high: float | None = None
    comparator: str | None = None  # "more than", "at least", "up to", "nearly" ...
    change: str | None = None  # "up" | "down" | None


@dataclass
class Extraction:
    """Everything NLP found in one story."""

    actors: list[Actor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    extractor_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
