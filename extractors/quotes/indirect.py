"""Reported speech without quote marks: the complement of a reporting verb (`he said that ...`,
`..., according to X`, `Y quoted X as saying ...`), for every cue no direct or partial quote used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import Quote
from .context import QuoteContext
from .lexicon import OBJECT_REPORTS, QUOTE_ONLY_VERBS, QUOTING_VERBS
from .parse import CUE_WORDS, doc_slice, is_cue
from .speakers import speaker_of
from .types import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["MIN_INDIRECT_TOKENS", "indirect_quotes"]

# Reported content shorter than this many tokens is no quote ("he said so").
MIN_INDIRECT_TOKENS = 3
# An object reported by `announced`, `denied` ... needs at least this many tokens ("denied the claims").
MIN_OBJECT_TOKENS = 3


def indirect_quotes(ctx: QuoteContext) -> list[tuple[Quote, Speaker | None]]:
    out: list[tuple[Quote, Speaker | None]] = []
    doc = ctx.doc
    for i, word in enumerate(ctx.lowers):
        if word not in CUE_WORDS:
            continue
        tok = ctx.toks[i]
        if tok.i in ctx.used_cues or not is_cue(tok) or ctx.in_quote(tok.idx):
            continue
        low = tok.lower_
        if (low in QUOTE_ONLY_VERBS and low not in QUOTING_VERBS and low not in OBJECT_REPORTS) or low in {
            "put",
            "puts",
            "went",
            "goes",
        }:
            continue
        span = reported_content(ctx, tok)
        if span is None:
            continue
        a, b = span
        if b - a < MIN_INDIRECT_TOKENS:
            continue
        s, e = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        if any(s <= seg.end and seg.start <= e for seg in ctx.segs):
            continue
        while s < e and ctx.text[s] in " ,;:\u2014-":
            s += 1
        while e > s and ctx.text[e - 1] in " ,;:.\u2014-":
            e -= 1
        q = Quote(text=ctx.text[s:e], kind="indirect", start=s, end=e)
        sp = speaker_of(ctx, tok, s, e)
        if sp is not None and sp.start is not None and s <= sp.start < e:
            continue
        if sp is None:
            sp = Speaker(cue="according to" if low == "according" else tok.text)
        out.append((q, sp))
    return out


def reported_content(ctx: QuoteContext, verb: Token) -> tuple[int, int] | None:
    """Token range of what `verb` reports, or None."""
    low = verb.lower_
    if low == "according":
        host = verb.head
        if host is verb:
            return None
        skip = {t.i for t in verb.subtree}
        toks = [t.i for t in host.subtree if t.i not in skip]
        return contiguous(ctx, toks, verb)
    for child in verb.children:
        if child.dep_ in {"ccomp", "xcomp"}:
            toks = [t.i for t in child.subtree]
            return contiguous(ctx, toks, verb, drop_mark=True)
    if low in OBJECT_REPORTS:  # "announced a plan to ...", "denied the claims"
        for child in verb.children:
            if child.dep_ == "dobj" and child.pos_ in {"NOUN", "PROPN"}:
                toks = [t.i for t in child.subtree]
                if len(toks) >= MIN_OBJECT_TOKENS:
                    return contiguous(ctx, toks, verb)
    if low in QUOTING_VERBS:
        for child in verb.children:
            if child.dep_ in {"advcl", "prep"}:
                for sub in child.subtree:
                    if sub.lower_ in {"saying"}:
                        for c2 in sub.children:
                            if c2.dep_ == "ccomp":
                                return contiguous(ctx, [t.i for t in c2.subtree], verb, drop_mark=True)
        return None
    # "C, S said": the reporting clause hangs off the content clause
    if verb.dep_ in {"parataxis", "ccomp", "advcl", "conj"} and verb.head is not verb:
        host = verb.head
        if verb.i < host.i and verb.dep_ != "parataxis":
            return None
        skip = {t.i for t in verb.subtree}
        toks = [t.i for t in host.subtree if t.i not in skip]
        if verb.dep_ in {"advcl", "conj"} and not any(
            t.dep_ == "punct" and t.i == verb.left_edge.i - 1 for t in doc_slice(verb)
        ):
            return None
        return contiguous(ctx, toks, verb)
    return None


def contiguous(ctx: QuoteContext, toks: list[int], verb: Token, *, drop_mark: bool = False) -> tuple[int, int] | None:
    if not toks:
        return None
    toks.sort()
    doc = ctx.doc
    sent = ctx.sent_of(verb)
    # keep the run of tokens on the far side of the verb (content is on one side of the cue)
    if toks[-1] < verb.i:
        side = [i for i in toks if i < verb.i]
    elif toks[0] > verb.i:
        side = [i for i in toks if i > verb.i]
    else:
        before = [i for i in toks if i < verb.i]
        after = [i for i in toks if i > verb.i]
        side = before if len(before) >= len(after) else after
    side = [i for i in side if sent.start <= i < sent.end]
    if not side:
        return None
    a, b = side[0], side[-1] + 1
    if drop_mark and doc[a].lower_ in {"that", "whether", "if"} and doc[a].dep_ == "mark":
        a += 1
    while a < b and doc[a].is_punct:
        a += 1
    while b > a and doc[b - 1].is_punct:
        b -= 1
    if b <= a:
        return None
    return a, b
