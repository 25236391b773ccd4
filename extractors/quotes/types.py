"""Working records of the quote extractor: quote segments, speaker phrases and resolution events."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import ActorKind

__all__ = ["Event", "Seg", "Speaker", "named"]


@dataclass
class Seg:
    """Words between one pair of quote marks, inside one paragraph."""

    start: int  # first quoted character (inside the marks)
    end: int  # end of the quoted words (exclusive, inside the marks)
    chain: int  # segments of one quote running over several paragraphs share a chain id
    closed: bool = True  # False when the paragraph ended before a closing mark


@dataclass
class Speaker:
    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    actor_id: str | None = None
    kind: ActorKind | None = None
    cue: str | None = None
    head: int = -1  # token index of the head of the speaker phrase, -1 when there is no phrase
    lo: int = 0  # token range of the phrase
    hi: int = 0


def named(sp: Speaker | None) -> bool:
    """Does `sp` carry a speaker phrase (not just a cue)?"""
    return sp is not None and sp.text is not None


@dataclass
class Event:
    """Something a later pronoun or nominal can point back to: a mention or a speaker."""

    pos: int
    name: str
    actor_id: str | None
    kind: ActorKind
    subject: bool
    text: str
    titles: list[str] = field(default_factory=list)

