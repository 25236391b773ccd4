"""A trained ranker over the speaker candidates of a quote segment, with the hand rules as features and
as the fallback.

The hand rules (`rules.ATTRIBUTION_RULES`, `rules.INHERITANCE_RULES`) give each segment one speaker: the
first rule that answers wins. Here every finder is asked instead, and each answer is a candidate:

- the speaker of every cue of the segment's frame (`speakers.speaker_of`), with the cue's rank from
  `rules.cue_ranking` (does it govern the quote in the parse, how far is it);
- the other forms of attribution (transcript label, dash signature, colon, headline, governing clause);
- what each inheritance rule would give (the quote before in the paragraph, the last quote of the
  paragraph before, the quote after, the subject of the sentence before, a paragraph introduction);
- the speaking subjects and the named entities of the frame outside quote marks.

Candidates with the same head token are one candidate carrying all their sources. Each candidate gets
binary features (`features`): which finders proposed it, whether it is the hand rules' choice, its
direction and distance from the quote, whether it is the subject of the cue, the cue verb's class, its
entity type / pronoun / nominal, where the quote sits in its paragraph ... A linear model
(`data/speaker_ranker.json`, written by `extractors.training.train_speaker_ranker` from PolNeAR train)
scores them, and the best candidate replaces the rules' choice only when it beats it by the model's
`margin`. Segments for which the rules found no speaker phrase are left alone (the ranker only chooses
between phrases), so which quotes come out does not change, only who said them.

Cheap by design: no spaCy pass, only look-ups over the parse the rules already read. When the data file
is missing or does not match `FEATURES`, `load_ranker()` returns None and the hand rules decide alone.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .context import QuoteContext
from .lexicon import LISTENER_VERBS, ORG_NOUNS, PERSON_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS, QUOTING_VERBS
from .parse import animate
from .rules import INHERITANCE_RULES, SegmentFrame, cue_ranking, floating_frame
from .speakers import (
    colon_speaker,
    dash_speaker,
    governor_speaker,
    headline_speaker,
    label_speaker,
    phrase_outside_quotes,
    speaker_of,
    trim_phrase,
)
from .types import Seg, Speaker, named

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "DATA_FILE",
    "FEATURES",
    "LAYOUT_SOURCES",
    "Candidate",
    "SpeakerRanker",
    "candidates",
    "features",
    "load_ranker",
    "rerank",
]

DATA_FILE = Path(__file__).resolve().parent / "data" / "speaker_ranker.json"

# Finders that can propose a candidate (feature `src=<name>`).
SOURCES: tuple[str, ...] = (
    "rules",  # the hand rules' choice
    "cue_governs",  # speaker of a cue that governs the quote in the parse (cue rank 0)
    "cue_first",  # speaker of the best-ranked cue that names somebody (what `reporting_verb` takes)
    "cue_other",  # speaker of another cue of the frame
    "own_clause",  # subject of a clause of its own the quote hangs from
    "label",
    "dash",
    "colon",
    "headline",
    "governor",
    *(f"inherit:{name}" for name, _ in INHERITANCE_RULES),
    "frame_subject",  # a speaking subject of the frame outside quote marks
    "frame_entity",  # a person / organisation / group named in the frame outside quote marks
)
# Forms of attribution by layout (`"PENCE: ..."`, `"..." -- Jane Doe`): when the rules found one, it stands.
LAYOUT_SOURCES = frozenset({"label", "dash"})
CUE_CLASSES: tuple[str, ...] = ("say", "tell", "according", "quote", "write", "other", "none")
HEAD_TYPES: tuple[str, ...] = (
    "person_ent",
    "org_ent",
    "norp_ent",
    "gpe_ent",
    "propn",
    "he_she",
    "they",
    "it",
    "i_we",
    "nominal_person",
    "nominal_org",
    "nominal_other",
)
DEPS: tuple[str, ...] = ("nsubj", "nsubjpass", "pobj", "dobj", "poss", "appos", "compound", "conj", "other")
DIST_BINS: tuple[int, ...] = (0, 3, 8, 20, 50)  # token distance from the quote, lower bounds
WHERE: tuple[str, ...] = ("before", "after")
SENTS: tuple[str, ...] = ("same_sent", "prev_sent", "next_sent", "other_sent", "prev_para", "other_para")

FEATURES: tuple[str, ...] = (
    "bias_rules",  # the rules' candidate (so the margin lives in the weights too)
    *(f"src={s}" for s in SOURCES),
    "n_sources",  # how many finders proposed it, minus one (log)
    "cue_subject",  # the subject of its cue in the parse
    "cue_rank0",  # its cue governs the quote
    *(f"cue={c}" for c in CUE_CLASSES),
    "listener_object",  # the object of told / asked (who was spoken to)
    *(f"head={h}" for h in HEAD_TYPES),
    *(f"dep={d}" for d in DEPS),
    "animate",
    "has_mention",  # its head is covered by a mention of an actor
    "mention_person",
    *(f"dist>={b}" for b in DIST_BINS),
    *(f"where={w}" for w in WHERE),
    *SENTS,
    "quote_opens_para",
    "quote_whole_para",
    "quote_in_headline",
    "quote_short",  # five words or fewer (a partial quote)
    "cand_in_headline",
    "long_phrase",  # more than six tokens
    "after_rules",  # farther from the quote than the rules' candidate, on the same side
    "nearest_of_kind",  # the nearest candidate on its side of the quote
    "cue_subject&cue_rank0",
    "cue_order=0",  # its cue is the frame's best-ranked cue ...
    "cue_order=1",
    "cue_order>=2",
    "cue_adjacent",  # its cue is at most three tokens from the quote marks
    "cue_adjacent&cue_subject",
    "cue_in_quote_sent",  # its cue is in a sentence of the quote
)
# Where the quote sits (the same for all its candidates) conjoined with what tells them apart.
QUOTE_CONTEXTS: tuple[str, ...] = ("quote_opens_para", "quote_whole_para", "quote_in_headline", "quote_short")
CONJOINED: tuple[str, ...] = (
    *(f"src={s}" for s in SOURCES),
    *(f"where={w}" for w in WHERE),
    *SENTS,
    "cue_subject",
    "cue_rank0",
    "head=he_she",
    "head=person_ent",
    "dep=nsubj",
    "dep=poss",
    "nearest_of_kind",
)
FEATURES = FEATURES + tuple(f"{q}&{c}" for q in QUOTE_CONTEXTS for c in CONJOINED)
_INDEX = {name: i for i, name in enumerate(FEATURES)}
_CONJOINED = frozenset(CONJOINED)


@dataclass
class Candidate:
    speaker: Speaker
    sources: set[str] = field(default_factory=set)
    cue: Token | None = None  # the cue through which it was found, if any
    cue_rank: int | None = None
    cue_order: int = 0  # place of its cue among the frame's ranked cues
    cue_subject: bool = False
    feats: list[int] = field(default_factory=list)  # indices into FEATURES (binary features)
    values: dict[int, float] = field(default_factory=dict)  # real-valued features


def _cue_class(tok: Token | None) -> str:
    if tok is None:
        return "none"
    low = tok.lower_
    if low in {"said", "says", "say", "saying"}:
        return "say"
    if low in LISTENER_VERBS:
        return "tell"
    if low == "according":
        return "according"
    if low in QUOTING_VERBS:
        return "quote"
    if low.startswith(("wr", "tweet", "post", "stat")):
        return "write"
    return "other"


def _head_type(head: Token) -> str:
    low = head.lower_
    if head.tag_ == "PRP" or low in PERSON_PRONOUNS or low in PLURAL_PRONOUNS:
        if low in {"he", "she", "him", "her"}:
            return "he_she"
        if low in {"they", "them"}:
            return "they"
        if low == "it":
            return "it"
        return "i_we"
    ent = head.ent_type_
    if ent == "PERSON":
        return "person_ent"
    if ent == "ORG":
        return "org_ent"
    if ent == "NORP":
        return "norp_ent"
    if ent in {"GPE", "LOC"}:
        return "gpe_ent"
    if head.pos_ == "PROPN":
        return "propn"
    if low in ORG_NOUNS:
        return "nominal_org"
    if low in PERSON_NOUNS or low.endswith(("man", "men", "woman", "women", "ist", "ists")):
        return "nominal_person"
    return "nominal_other"


def _dep(head: Token) -> str:
    d = head.dep_
    return d if d in DEPS else "other"


def _phrase_at(ctx: QuoteContext, head: Token, cue: str) -> Speaker | None:
    """The speaker phrase headed by `head`, cut at quote marks (as `speaker_of` cuts it)."""
    lo, hi = phrase_outside_quotes(ctx, head)
    if hi <= lo or not (lo <= head.i < hi):
        return None
    lo, hi = trim_phrase(lo, hi, head)
    return ctx.phrase(lo, hi, head, cue)


def _frame(ctx: QuoteContext, seg: Seg) -> SegmentFrame:
    lo, hi, near = ctx.frame(seg)
    cues = [v for v in ctx.cues_in(lo, hi) if v.idx < near or v.idx < seg.end]
    return SegmentFrame(seg, lo, hi, cues)


def candidates(
    ctx: QuoteContext, k: int, speakers: list[Speaker | None], cues: list[bool]
) -> tuple[list[Candidate], int]:
    """The speaker candidates of segment `k` with their features, and the index of the rules' choice
    (`speakers[k]`, which must be named) among them."""
    seg = ctx.segs[k]
    doc = ctx.doc
    by_head: dict[int, Candidate] = {}

    def add(
        sp: Speaker | None, *sources: str, cue: Token | None = None, rank: int | None = None, order: int = 0
    ) -> None:
        if sp is None or sp.text is None or sp.head < 0:
            return
        c = by_head.get(sp.head)
        if c is None:  # the same phrase found with another head (`Jo Bo.` and `Jo Bo`): one candidate
            c = next((x for x in by_head.values() if x.speaker.lo <= sp.head < x.speaker.hi
                      or sp.lo <= x.speaker.head < sp.hi), None)
        if c is None:
            c = by_head[sp.head] = Candidate(sp)
        c.sources.update(sources)
        if cue is not None and c.cue is None:  # the cues come best first
            c.cue, c.cue_rank, c.cue_order = cue, rank, order
            head = doc[sp.head]
            c.cue_subject = head.head.i == cue.i and head.dep_ in {"nsubj", "nsubjpass"}

    rule_sp = speakers[k]
    assert rule_sp is not None and rule_sp.text is not None
    add(rule_sp, "rules")  # first, so that its phrase (and cue) is the one its candidate keeps
    f = _frame(ctx, seg)
    if f.cues:
        own, ranked = cue_ranking(ctx, f)
        add(own, "own_clause")
        first = True
        for order, (rank, _, verb) in enumerate(ranked):
            sp = speaker_of(ctx, verb, seg.start, seg.end)
            if sp is None:
                continue
            srcs = ("cue_governs",) if rank == 0 else ()
            add(sp, *srcs, "cue_first" if first else "cue_other", cue=verb, rank=rank, order=order)
            first = False
    add(label_speaker(ctx, seg), "label")
    add(dash_speaker(ctx, seg), "dash")
    add(colon_speaker(ctx, seg, f.lo), "colon")
    headline = ctx.is_headline(seg.start)
    if headline:
        add(headline_speaker(ctx, seg), "headline")
    add(governor_speaker(ctx, seg), "governor")
    fl = floating_frame(ctx, k, speakers, cues)
    for name, rule in INHERITANCE_RULES:
        add(rule(ctx, fl), f"inherit:{name}")
    cue_text = rule_sp.cue or ""
    for t in ctx.tokens(f.lo, f.hi):
        if ctx.in_quote(t.idx) or t.i in by_head:
            continue
        if t.dep_ in {"nsubj", "nsubjpass"} and t.tag_ not in {"WP", "WDT"} and animate(t):
            add(_phrase_at(ctx, t, cue_text), "frame_subject")
        elif t.ent_type_ in {"PERSON", "ORG", "NORP"} and (t.i + 1 >= len(doc) or doc[t.i + 1].ent_iob_ != "I"):
            add(_phrase_at(ctx, t, cue_text), "frame_entity")
    cands = sorted(by_head.values(), key=lambda c: c.speaker.head)
    rule_idx = next(i for i, c in enumerate(cands) if "rules" in c.sources)
    for c in cands:
        c.feats, c.values = features(ctx, seg, c, cands[rule_idx], cands, headline)
    return cands, rule_idx


def features(
    ctx: QuoteContext, seg: Seg, c: Candidate, rules_c: Candidate, cands: list[Candidate], headline: bool
) -> tuple[list[int], dict[int, float]]:
    """Binary features (indices into FEATURES) and real-valued ones of candidate `c` of `seg` (`headline`:
    is the quote in a headline)."""
    doc = ctx.doc
    head = doc[c.speaker.head]
    on: list[str] = [f"src={s}" for s in c.sources]
    if "rules" in c.sources:
        on.append("bias_rules")
    if c.cue_subject:
        on.append("cue_subject")
    if c.cue_rank == 0:
        on.append("cue_rank0")
    on.append(f"cue={_cue_class(c.cue)}")
    if head.head.lower_ in LISTENER_VERBS and head.dep_ in {"dobj", "dative", "pobj"}:
        on.append("listener_object")
    on.append(f"head={_head_type(head)}")
    on.append(f"dep={_dep(head)}")
    if animate(head):
        on.append("animate")
    m = ctx.resolver.mention_at(c.speaker.start or 0, c.speaker.end or 0, head)
    if m is not None:
        on.append("has_mention")
        if m.kind == "person":
            on.append("mention_person")
    qa = ctx.tokens(seg.start, seg.end)
    before = head.i < qa.start
    dist = qa.start - c.speaker.hi if before else c.speaker.lo - qa.end
    dist = max(dist, 0)
    on.extend(f"dist>={b}" for b in DIST_BINS if dist >= b)
    on.append("where=before" if before else "where=after")
    sq, sc = ctx.sent_index(seg.start), ctx.sent_index(head.idx)
    pq, pc = ctx.para_bounds(seg.start), ctx.para_bounds(head.idx)
    if pq != pc:
        prev = ctx.prev_paragraph(pq[0])
        on.append("prev_para" if prev is not None and prev[0] == pc[0] else "other_para")
    elif sc == sq or ctx.sent_index(max(seg.start, seg.end - 1)) == sc:
        on.append("same_sent")
    elif sc == sq - 1:
        on.append("prev_sent")
    elif sc == ctx.sent_index(max(seg.start, seg.end - 1)) + 1:
        on.append("next_sent")
    else:
        on.append("other_sent")
    pa, pb = pq
    if not ctx.text[pa : seg.start - 1].strip():
        on.append("quote_opens_para")
        if not ctx.text[seg.end + 1 : pb].strip(" \"'\u201d\u2019.,"):
            on.append("quote_whole_para")
    if headline:
        on.append("quote_in_headline")
    if len(qa) <= 5:
        on.append("quote_short")
    if pc == pq and headline:
        on.append("cand_in_headline")
    if c.speaker.hi - c.speaker.lo > 6:
        on.append("long_phrase")
    r_head = rules_c.speaker.head
    same_side = (head.i < qa.start) == (r_head < qa.start)
    if c is not rules_c and same_side and abs(head.i - qa.start) > abs(r_head - qa.start):
        on.append("after_rules")
    side = [x for x in cands if (x.speaker.head < qa.start) == before]
    nearest = min(side, key=lambda x: abs(x.speaker.head - (qa.start if before else qa.end)))
    if nearest is c:
        on.append("nearest_of_kind")
    if c.cue_subject and c.cue_rank == 0:
        on.append("cue_subject&cue_rank0")
    if c.cue is not None:
        on.append("cue_order=0" if c.cue_order == 0 else ("cue_order=1" if c.cue_order == 1 else "cue_order>=2"))
        cue_i = c.cue.i
        if qa.start - 4 <= cue_i < qa.end + 4:
            on.append("cue_adjacent")
            if c.cue_subject:
                on.append("cue_adjacent&cue_subject")
        if sq <= ctx.sent_index(c.cue.idx) <= ctx.sent_index(max(seg.start, seg.end - 1)):
            on.append("cue_in_quote_sent")
    quote_ctx = [q for q in QUOTE_CONTEXTS if q in on]
    if quote_ctx:
        conj = [x for x in on if x in _CONJOINED]
        on.extend(f"{q}&{x}" for q in quote_ctx for x in conj)
    values = {_INDEX["n_sources"]: math.log(len(c.sources))}
    return sorted({_INDEX[n] for n in on}), values


class SpeakerRanker:
    """A linear scorer over FEATURES; `choose` keeps the rules' candidate unless another beats it by
    `margin`."""

    def __init__(self, weights: list[float], margin: float) -> None:
        if len(weights) != len(FEATURES):
            raise ValueError(f"{len(weights)} weights for {len(FEATURES)} features")
        self.weights = weights
        self.margin = margin

    def score(self, c: Candidate) -> float:
        w = self.weights
        return sum(w[i] for i in c.feats) + sum(w[i] * v for i, v in c.values.items())

    def choose(self, cands: list[Candidate], rule_idx: int) -> int:
        if cands[rule_idx].sources & LAYOUT_SOURCES:
            return rule_idx
        scores = [self.score(c) for c in cands]
        best = max(range(len(cands)), key=lambda i: (scores[i], i == rule_idx))
        return best if scores[best] > scores[rule_idx] + self.margin else rule_idx


@functools.cache
def load_ranker(path: Path = DATA_FILE) -> SpeakerRanker | None:
    """The ranker shipped in `data/`; None (the hand rules alone) when it is absent or was trained on
    other features than FEATURES."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if tuple(data.get("features", ())) != FEATURES:
        return None
    weights = data["weights"]
    return SpeakerRanker([float(weights[n]) for n in FEATURES], float(data.get("margin", 0.0)))


def rerank(
    ctx: QuoteContext,
    speakers: list[Speaker | None],
    cues: list[bool],
    ranker: SpeakerRanker | None,
    record: list[tuple[int, list[Candidate], int]] | None = None,
) -> None:
    """In text order, the speaker of each segment the rules gave a speaker phrase: the ranker's choice
    among its candidates (the rules' choice when there is no ranker). `record` collects (segment,
    candidates, rules' index) for training."""
    if ranker is None and record is None:
        return
    for k in range(len(ctx.segs)):
        if not named(speakers[k]):
            continue
        cands, rule_idx = candidates(ctx, k, speakers, cues)
        if record is not None:
            record.append((k, cands, rule_idx))
        if ranker is not None and len(cands) > 1:
            speakers[k] = cands[ranker.choose(cands, rule_idx)].speaker
