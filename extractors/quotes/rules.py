"""The attribution rules of a quote segment, in the order they are tried.

Two ordered tables hold the rule order, and each rule is a named function:

- `ATTRIBUTION_RULES`: who speaks a quote segment, read from its own sentence. The first rule that
  returns an `Attribution` wins; when none does, the segment is "floating" (no speaker, no cue).
- `INHERITANCE_RULES`: who speaks a floating segment, read from its neighbours. The first speaker found
  wins.

To add a rule, write a function of the same signature and put it in the table at the place where it
must be tried; the order is the behaviour (the output-identity golden in tests/golden shows the effect).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .context import QuoteContext
from .parse import is_cue
from .speakers import (
    colon_speaker,
    dash_speaker,
    governor_speaker,
    headline_speaker,
    label_speaker,
    speaker_of,
    subject_before,
)
from .types import Seg, Speaker, named

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "ATTRIBUTION_RULES",
    "INHERITANCE_RULES",
    "Attribution",
    "AttributionRule",
    "Floating",
    "InheritanceRule",
    "SegmentFrame",
    "attribute",
    "cue_ranking",
    "floating_frame",
    "inherit",
]

# A word inside the quote climbs at most this many heads to find the cue it hangs from ...
MAX_HOPS_QUOTE_TO_CUE = 6
# ... and a cue climbs at most this many heads to find a word of the quote it hangs from.
MAX_HOPS_CUE_TO_QUOTE = 4
# Words allowed between a floating quote opening a paragraph and the last attributed quote of the
# paragraph before (its attribution and a little more) ...
FEW_WORDS_ACROSS_PARAGRAPHS = 14
# ... and between a floating quote and the attributed quote right after it in its paragraph.
FEW_WORDS_BEFORE_NEXT = 2


@dataclass(frozen=True)
class Attribution:
    speaker: Speaker | None
    has_cue: bool  # False when the speaker was found without a cue (a colon), so it may still inherit


@dataclass
class SegmentFrame:
    """A segment and where its attribution is looked for (see `QuoteContext.frame`)."""

    seg: Seg
    lo: int
    hi: int
    cues: list[Token] = field(default_factory=list)  # cue tokens of the frame outside quote marks, in order


AttributionRule = Callable[[QuoteContext, SegmentFrame], "Attribution | None"]


def transcript_label(ctx: QuoteContext, f: SegmentFrame) -> Attribution | None:
    """A transcript turn inside the quote: `"PENCE: Well, ..."`."""
    sp = label_speaker(ctx, f.seg)
    return Attribution(sp, True) if sp is not None else None


def cue_ranking(ctx: QuoteContext, f: SegmentFrame) -> tuple[Speaker | None, list[tuple[int, int, Token]]]:
    """The cues of the frame as (rank, distance in characters, cue), best first: rank 0 for a cue that
    governs the quote in the parse (the quote hangs from it, or it hangs from the quote), 1 for the others.
    When a quoted word hangs from a clause of its own with a speaking subject (`as Trump went on about
    "..."`), that subject comes first instead and the list is empty."""
    seg = f.seg
    governs: set[int] = set()
    for t in ctx.tokens(seg.start, seg.end):
        if t.head.i == t.i or seg.start <= t.head.idx < seg.end:
            continue
        up, hops = t.head, 0
        while hops < MAX_HOPS_QUOTE_TO_CUE:
            if is_cue(up) and not ctx.in_quote(up.idx):
                governs.add(up.i)
                break
            if (
                up.pos_ in {"VERB", "AUX"}
                and up.dep_ in {"advcl", "conj", "relcl"}
                and not ctx.in_quote(up.idx)
                and any(c.dep_ == "nsubj" and c.tag_ not in {"WP", "WDT"} for c in up.children)
            ):
                own = governor_speaker(ctx, seg)  # a clause of its own: `as Trump went on about "..."`
                if own is not None:
                    return own, []
                break
            if up.head.i == up.i:
                break
            up, hops = up.head, hops + 1
    ranked: list[tuple[int, int, Token]] = []
    for verb in f.cues:
        dist = seg.start - (verb.idx + len(verb.text)) if verb.idx < seg.start else verb.idx - seg.end
        rank = 1
        if verb.i in governs:
            rank = 0
        else:
            up, hops = verb, 0
            while up.head.i != up.i and hops < MAX_HOPS_CUE_TO_QUOTE:
                up, hops = up.head, hops + 1
                if seg.start <= up.idx < seg.end:
                    rank = 0
                    break
        ranked.append((rank, dist, verb))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return None, ranked


def reporting_verb(ctx: QuoteContext, f: SegmentFrame) -> Attribution | None:
    """The cues of the frame: the one that governs the quote in the parse (the quote hangs from it, or
    it hangs from the quote) first, then the nearest (`cue_ranking`); the first that names a speaker gives
    it. A quote with cues but no speaker phrase keeps the best cue (always an attribution when there are
    cues)."""
    if not f.cues:
        return None
    seg = f.seg
    own, ranked = cue_ranking(ctx, f)
    if own is not None:
        return Attribution(own, True)
    for _, _, verb in ranked:
        sp = speaker_of(ctx, verb, seg.start, seg.end)
        if sp is not None:
            ctx.used_cues.add(verb.i)
            return Attribution(sp, True)
    fallback = ranked[0][2]
    ctx.used_cues.add(fallback.i)
    return Attribution(Speaker(cue="according to" if fallback.lower_ == "according" else fallback.text), True)


def dash_signature(ctx: QuoteContext, f: SegmentFrame) -> Attribution | None:
    """`"..." -- Jane Doe` at the end of a line."""
    sp = dash_speaker(ctx, f.seg)
    return Attribution(sp, True) if sp is not None else None


def colon_introduction(ctx: QuoteContext, f: SegmentFrame) -> Attribution | None:
    """A name before a colon that introduces the quote (`Lynch: 'Be the voice'`); found without a cue."""
    sp = colon_speaker(ctx, f.seg, f.lo)
    return Attribution(sp, False) if sp is not None else None


def headline_lead(ctx: QuoteContext, f: SegmentFrame) -> Attribution | None:
    """In a headline, the name it opens with (`Obama Sees 'Personal Insult'`)."""
    if not ctx.is_headline(f.seg.start):
        return None
    sp = headline_speaker(ctx, f.seg)
    return Attribution(sp, True) if sp is not None else None


def governing_clause(ctx: QuoteContext, f: SegmentFrame) -> Attribution | None:
    """Words quoted in a clause with no reporting verb belong to its subject when it can speak
    (`Reid pounded Trump as a "con artist"`)."""
    sp = governor_speaker(ctx, f.seg)
    return Attribution(sp, True) if sp is not None else None


# The order in which a segment's own sentence is read for its speaker. `reporting_verb` answers whenever
# the frame holds a cue, so the rules after it only see segments without one.
ATTRIBUTION_RULES: tuple[tuple[str, AttributionRule], ...] = (
    ("transcript label", transcript_label),
    ("reporting verb", reporting_verb),
    ("dash signature", dash_signature),
    ("colon introduction", colon_introduction),
    ("headline lead", headline_lead),
    ("governing clause", governing_clause),
)
FLOATING = Attribution(None, False)


def attribute(ctx: QuoteContext, seg: Seg) -> Attribution:
    """Speaker of a quote segment from its own sentence: the first of `ATTRIBUTION_RULES` that answers."""
    lo, hi, near = ctx.frame(seg)
    cues = [v for v in ctx.cues_in(lo, hi) if v.idx < near or v.idx < seg.end]
    frame = SegmentFrame(seg, lo, hi, cues)
    for _, rule in ATTRIBUTION_RULES:
        found = rule(ctx, frame)
        if found is not None:
            return found
    return FLOATING


@dataclass
class Floating:
    """A floating segment (index `k`) with its paragraph and the attributions found so far."""

    k: int
    seg: Seg
    pa: int  # its paragraph's bounds
    pb: int
    opens_paragraph: bool  # nothing but white space before it in its paragraph
    prev_para: tuple[int, int] | None  # bounds of the last non-blank paragraph before
    speakers: list[Speaker | None]
    cues: list[bool]

    def attributed(self, j: int) -> bool:
        return named(self.speakers[j]) and self.cues[j]


InheritanceRule = Callable[[QuoteContext, Floating], "Speaker | None"]


def previous_in_paragraph(ctx: QuoteContext, f: Floating) -> Speaker | None:
    """The attributed quote just before it in its paragraph, when little but the attribution lies between."""
    for j in range(f.k - 1, -1, -1):
        prev = ctx.segs[j]
        if prev.start < f.pa:
            break
        if f.attributed(j):
            if ctx.few_words(prev.end, f.seg.start - 1, f.speakers[j]):
                return f.speakers[j]
            break
    return None


def last_of_previous_paragraph(ctx: QuoteContext, f: Floating) -> Speaker | None:
    """When it opens its paragraph: the last quote of the paragraph before, when nothing but its
    attribution follows that quote."""
    if not f.opens_paragraph or f.prev_para is None:
        return None
    ppa, ppb = f.prev_para
    for j in range(f.k - 1, -1, -1):
        prev = ctx.segs[j]
        if prev.start < ppa:
            break
        if prev.start >= f.pa:
            continue
        if f.attributed(j) and ctx.few_words(prev.end, ppb, f.speakers[j], limit=FEW_WORDS_ACROSS_PARAGRAPHS):
            return f.speakers[j]
        break
    return None


def next_in_paragraph(ctx: QuoteContext, f: Floating) -> Speaker | None:
    """The attributed quote just after it in its paragraph, with almost nothing between."""
    for j in range(f.k + 1, len(ctx.segs)):
        nxt = ctx.segs[j]
        if nxt.start >= f.pb:
            break
        if f.attributed(j):
            if ctx.few_words(f.seg.end, nxt.start, None, limit=FEW_WORDS_BEFORE_NEXT):
                return f.speakers[j]
            break
    return None


def subject_of_sentence_before(ctx: QuoteContext, f: Floating) -> Speaker | None:
    """The sentence just before names who talks: `Bolton distanced himself from X. "I'm going to ..."`."""
    return subject_before(ctx, f.seg, f.pa, f.prev_para if f.opens_paragraph else None)


def paragraph_introduction(ctx: QuoteContext, f: Floating) -> Speaker | None:
    """A paragraph before that ends by introducing the quote ("He added:")."""
    if not (f.opens_paragraph and f.prev_para is not None):
        return None
    ppa, ppb = f.prev_para
    if not ctx.text[ppa:ppb].rstrip().endswith(":"):
        return None
    intro = ctx.cues_in(ppa, ppb)
    return speaker_of(ctx, intro[-1], f.seg.start, f.seg.end) if intro else None


# The order in which the neighbours of a floating segment are read for its speaker.
INHERITANCE_RULES: tuple[tuple[str, InheritanceRule], ...] = (
    ("previous quote in the paragraph", previous_in_paragraph),
    ("last quote of the paragraph before", last_of_previous_paragraph),
    ("next quote in the paragraph", next_in_paragraph),
    ("subject of the sentence before", subject_of_sentence_before),
    ("paragraph introduction", paragraph_introduction),
)


def floating_frame(ctx: QuoteContext, k: int, speakers: list[Speaker | None], cues: list[bool]) -> Floating:
    """What the inheritance rules read of segment `k`: its paragraph, whether it opens it, the paragraph
    before, and the speakers and cue flags found so far."""
    seg = ctx.segs[k]
    pa, pb = ctx.para_bounds(seg.start)
    return Floating(
        k=k,
        seg=seg,
        pa=pa,
        pb=pb,
        opens_paragraph=not ctx.text[pa : seg.start - 1].strip(),
        prev_para=ctx.prev_paragraph(pa),
        speakers=speakers,
        cues=cues,
    )


def inherit(ctx: QuoteContext, k: int, speakers: list[Speaker | None], cues: list[bool]) -> Speaker | None:
    """Speaker of the floating segment `k`: the first of `INHERITANCE_RULES` that finds one."""
    floating = floating_frame(ctx, k, speakers, cues)
    for _, rule in INHERITANCE_RULES:
        found = rule(ctx, floating)
        if found is not None:
            return found
    return None
