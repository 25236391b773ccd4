"""`extract_quotes`: the steps of one story, in order, each a named function of this module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..actors.tokens import TokView
from ..records import Actor, Mention, Quote
from .context import QuoteContext
from .filters import is_scare, kind_of
from .indirect import indirect_quotes
from .ranker import load_ranker, rerank
from .rules import attribute, inherit
from .types import Speaker, named

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_quotes"]

Pending = list[tuple[Quote, Speaker | None]]


class _Attributions:
    """Speaker and cue flag of every quote segment, by segment index."""

    def __init__(self, n: int) -> None:
        self.speakers: list[Speaker | None] = [None] * n
        self.cues: list[bool] = [False] * n


def attribute_segments(ctx: QuoteContext) -> _Attributions:
    """Each segment from its own sentence (`rules.ATTRIBUTION_RULES`), in text order."""
    found = _Attributions(len(ctx.segs))
    for k, seg in enumerate(ctx.segs):
        a = attribute(ctx, seg)
        found.speakers[k], found.cues[k] = a.speaker, a.has_cue
    return found


def share_across_paragraphs(ctx: QuoteContext, found: _Attributions) -> None:
    """A quote running over several paragraphs (one chain) shares one attribution."""
    chains: dict[int, list[int]] = {}
    for k, seg in enumerate(ctx.segs):
        chains.setdefault(seg.chain, []).append(k)
    for members in chains.values():
        if len(members) < 2:
            continue
        speaker = next((found.speakers[k] for k in members if named(found.speakers[k])), None)
        for k in members:
            if not named(found.speakers[k]):
                found.speakers[k] = speaker
                found.cues[k] = found.cues[k] or speaker is not None


def inherit_floating(ctx: QuoteContext, found: _Attributions) -> None:
    """Floating segments (no cue) inherit from their neighbours (`rules.INHERITANCE_RULES`)."""
    for k in range(len(ctx.segs)):
        if found.cues[k]:
            continue
        inherited = inherit(ctx, k, found.speakers, found.cues)
        if inherited is not None:
            found.speakers[k] = inherited
            found.cues[k] = True


def rank_speakers(ctx: QuoteContext, found: _Attributions) -> None:
    """The trained ranker (`ranker.py`) chooses each attributed segment's speaker among its candidates,
    the hand rules' choice a feature and the fallback."""
    rerank(ctx, found.speakers, found.cues, load_ranker())


def quoted_quotes(ctx: QuoteContext, found: _Attributions) -> Pending:
    """Direct and partial quotes, without scare quotes and titles and partial quotes of nobody."""
    pending: Pending = []
    for k, seg in enumerate(ctx.segs):
        kind = kind_of(ctx, seg)
        if is_scare(ctx, seg, found.speakers[k]):
            continue
        if kind == "partial" and not named(found.speakers[k]):
            continue
        q = Quote(text=ctx.text[seg.start : seg.end], kind=kind, start=seg.start, end=seg.end)
        pending.append((q, found.speakers[k]))
    return pending


def resolve_speakers(ctx: QuoteContext, pending: Pending) -> None:
    """Speaker phrases to actors in text order, so pronouns see the speakers before them."""
    speakers = {id(sp): sp for _, sp in pending if sp is not None and sp.text is not None}
    for sp in sorted(speakers.values(), key=lambda x: x.start or 0):
        assert sp.start is not None
        ctx.resolver.resolve(sp, ctx.doc[sp.head], sp.start, sp.lo, sp.hi)
        ctx.resolver.add_speaker(sp)


def finish(pending: Pending) -> list[Quote]:
    """Quotes with their speakers filled in, in text order."""
    out: list[Quote] = []
    for q, sp in pending:
        if sp is not None:
            q.speaker, q.speaker_actor_id = sp.name, sp.actor_id
            q.speaker_text, q.cue = sp.text, sp.cue or None
            q.speaker_start, q.speaker_end = sp.start, sp.end
        out.append(q)
    out.sort(key=lambda q: (q.start, q.end))
    return out


def extract_quotes(
    doc: Doc, actors: list[Actor], mentions: list[Mention], *, view: TokView | None = None
) -> list[Quote]:
    """Direct, partial and indirect quotes of one story (offsets into `doc.text`).

    Scare quotes and titles in quote marks are left out. `speaker` is the canonical name of the actor
    the speaker phrase resolves to, the phrase itself for a proper nominal that is no actor, else None.
    `view` is the story's `TokView` when the caller already built one (see `extract_doc`).
    """
    if view is None:
        view = TokView(doc)
    if not view.text.strip():
        return []
    ctx = QuoteContext(view, actors, mentions)  # scans the quote marks
    found = attribute_segments(ctx)
    share_across_paragraphs(ctx, found)
    inherit_floating(ctx, found)
    rank_speakers(ctx, found)
    pending = quoted_quotes(ctx, found)
    pending.extend(indirect_quotes(ctx))  # after the quotes: it skips the cues they used
    resolve_speakers(ctx, pending)
    return finish(pending)
