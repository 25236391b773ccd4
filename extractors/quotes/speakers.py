"""Speaker finders: each reads one form of attribution around a quote segment and returns the speaker
phrase (a `Speaker`) or None. `rules.py` decides in which order they are tried."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import QuoteContext
from .lexicon import (
    COPULAS,
    DASH_AFTER,
    DOCUMENT_VERBS,
    LABEL,
    LISTENER_VERBS,
    ORG_NOUNS,
    QUOTE_ONLY_VERBS,
    QUOTING_VERBS,
)
from .parse import animate, best_head, find_speaker_token, np_span
from .types import Seg, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "colon_speaker",
    "dash_speaker",
    "governor_speaker",
    "headline_speaker",
    "label_speaker",
    "phrase_outside_quotes",
    "speaker_of",
    "subject_before",
    "surface_subject",
    "trim_phrase",
]

# A speaker phrase longer than this many tokens is cut to a window around its head.
MAX_PHRASE_TOKENS = 15
PHRASE_KEEP_BEFORE = 6  # tokens kept before the head of a cut phrase
PHRASE_KEEP_AFTER = 3  # tokens kept after it (the head included)
# `surface_subject` looks back at most this many tokens for the "(" of `Rep. Jo Bo (D-Md.) said` ...
PAREN_LOOKBACK = 12
# ... and for the first comma of an apposition between commas (`Jo Bo, an analyst, said`).
APPOSITION_LOOKBACK = 20
# `governor_speaker` climbs at most this many heads from a quoted word to the verb it hangs from.
MAX_HOPS_TO_GOVERNOR = 5


def trim_phrase(lo: int, hi: int, head: Token) -> tuple[int, int]:
    """A phrase longer than `MAX_PHRASE_TOKENS` cut to a window around its head."""
    if hi - lo > MAX_PHRASE_TOKENS:
        return max(lo, head.i - PHRASE_KEEP_BEFORE), min(hi, head.i + PHRASE_KEEP_AFTER)
    return lo, hi


def phrase_outside_quotes(ctx: QuoteContext, head: Token) -> tuple[int, int]:
    """Token range of the noun phrase headed by `head`, cut where it runs into a quote."""
    lo, hi = np_span(head)
    doc = ctx.doc
    while lo < hi and ctx.in_quote(doc[lo].idx):
        lo += 1
    while hi > lo and ctx.in_quote(doc[hi - 1].idx):
        hi -= 1
    return lo, hi


def speaker_of(ctx: QuoteContext, verb: Token, quote_lo: int, quote_hi: int) -> Speaker | None:
    """Speaker named through `verb`, or None when the parse names nobody outside the quote."""
    head, cue = find_speaker_token(verb)
    if head is not None and (ctx.in_quote(head.idx) or ctx.para_bounds(head.idx) != ctx.para_bounds(verb.idx)):
        head = None  # the parse took words of a quote or of another paragraph for the subject
    # a verb that only reports speech when somebody does it ("called", "praised") needs a speaking subject
    needs_speaker = verb.lower_ in QUOTE_ONLY_VERBS and verb.lower_ not in DOCUMENT_VERBS
    if head is not None and needs_speaker and not animate(head):
        head = None
    if head is None and verb.lower_ != "according" and verb.lower_ not in QUOTING_VERBS:
        head = surface_subject(ctx, verb)
        if head is not None and needs_speaker and not animate(head):
            head = None
    if head is None:
        return None
    if ctx.in_quote(head.idx) and quote_lo <= head.idx < quote_hi:
        return None
    lo, hi = phrase_outside_quotes(ctx, head)
    if hi <= lo:
        return None
    lo, hi = trim_phrase(lo, hi, head)
    return ctx.phrase(lo, hi, head, cue)


def surface_subject(ctx: QuoteContext, verb: Token) -> Token | None:
    """The speaker by word order when the parse gave the cue no subject: the noun phrase right
    before the verb (over an apposition between commas), or right after it (`said John Smith`)."""
    doc = ctx.doc
    sent = ctx.sent_of(verb)
    j = verb.i - 1
    while j >= sent.start and doc[j].pos_ in {"ADV", "AUX", "PART"} and not ctx.in_quote(doc[j].idx):
        j -= 1
    if j > sent.start and doc[j].text == ")":  # "Rep. Jo Bo (D-Md.) said"
        k = j - 1
        while k > max(sent.start, j - PAREN_LOOKBACK) and doc[k].text != "(":
            k -= 1
        if doc[k].text == "(":
            j = k - 1
    if j >= sent.start and doc[j].text == "," and not ctx.in_quote(doc[j].idx):
        k = j - 1
        while k > max(sent.start, j - APPOSITION_LOOKBACK) and doc[k].text != "," and not ctx.in_quote(doc[k].idx):
            k -= 1
        if k > sent.start and doc[k].text == "," and not ctx.in_quote(doc[k - 1].idx):
            j = k - 1
        else:
            return None
    if (
        j >= sent.start
        and not ctx.in_quote(doc[j].idx)
        and (doc[j].pos_ in {"PROPN", "NOUN"} or doc[j].tag_ == "PRP")
    ):
        return doc[j]
    # the subject of the clause the cue hangs on: `Clinton seemed ready, telling the crowd, "..."`
    for k in range(verb.i - 1, sent.start - 1, -1):
        tok = doc[k]
        if tok.dep_ == "nsubj" and not ctx.in_quote(tok.idx) and animate(tok):
            return tok
    if verb.lower_ not in LISTENER_VERBS and verb.i + 1 < sent.end:
        nxt = doc[verb.i + 1]
        if nxt.pos_ in {"PROPN", "NOUN", "DET"} and not ctx.in_quote(nxt.idx):
            while nxt.pos_ == "DET" or (nxt.dep_ in {"compound", "amod"} and nxt.i + 1 < sent.end):
                if nxt.i + 1 >= sent.end:
                    break
                nxt = doc[nxt.i + 1]
            if nxt.pos_ in {"PROPN", "NOUN"}:
                return nxt
    return None


def governor_speaker(ctx: QuoteContext, seg: Seg) -> Speaker | None:
    """For words quoted inside the reporter's sentence with no reporting verb (`X slammed Y as a
    "con artist"`): the subject of the nearest verb the quote hangs from."""
    for t in ctx.tokens(seg.start, seg.end):
        if t.head.i == t.i or seg.start <= t.head.idx < seg.end:
            continue
        up, hops = t.head, 0
        while hops < MAX_HOPS_TO_GOVERNOR:
            if up.pos_ in {"VERB", "AUX"} and not ctx.in_quote(up.idx):
                subj = next((c for c in up.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None and not ctx.in_quote(subj.idx):
                    if up.lower_ in COPULAS:
                        return None  # `X is "a liar"` describes X, it does not quote X
                    if subj.tag_ == "WP" and up.dep_ == "relcl":
                        subj = up.head
                    elif (
                        subj.dep_ == "nsubjpass"
                        or subj.tag_ in {"WDT", "EX", "WP"}
                        or subj.lower_ in {"this", "that", "you", "it", "there", "everything", "anybody"}
                    ):
                        return None
                    subj = best_head(subj)
                    if not animate(subj):
                        return None
                    lo, hi = np_span(subj)
                    lo, hi = trim_phrase(lo, hi, subj)
                    return ctx.phrase(lo, hi, subj, up.text)
            if up.head.i == up.i:
                break
            up, hops = up.head, hops + 1
        return None
    return None


def headline_speaker(ctx: QuoteContext, seg: Seg) -> Speaker | None:
    """In a headline the quoted words are those of the name it opens with (`Obama Sees 'Insult'`)."""
    pa, _ = ctx.para_bounds(seg.start)
    toks = ctx.tokens(pa, seg.start)
    run: list[Token] = []
    for t in toks:
        if t.is_space:
            continue
        if t.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} and not ctx.in_quote(t.idx):
            run.append(t)
        else:
            break
    if not run or run[-1].ent_type_ == "GPE":
        return None
    return ctx.phrase(run[0].i, run[-1].i + 1, run[-1], "")


def label_speaker(ctx: QuoteContext, seg: Seg) -> Speaker | None:
    """A transcript turn inside the quote: `"PENCE: Well, ..."`."""
    m = LABEL.match(ctx.text, seg.start, seg.end)
    if m is None:
        return None
    toks = ctx.tokens(m.start(1), m.end(1))
    if not len(toks):
        return None
    return ctx.phrase(toks.start, toks.end, toks[-1], ":")


def dash_speaker(ctx: QuoteContext, seg: Seg) -> Speaker | None:
    """`"..." -- Jane Doe` at the end of a line."""
    m = DASH_AFTER.match(ctx.text, seg.end)
    if m is None:
        return None
    toks = ctx.tokens(m.start(2), m.end(2))
    if not len(toks) or not any(t.pos_ == "PROPN" for t in toks):
        return None
    return ctx.phrase(toks.start, toks.end, toks[-1], m.group(1))


def colon_speaker(ctx: QuoteContext, seg: Seg, lo: int) -> Speaker | None:
    """A name before a colon that introduces the quote (headline style `Lynch: 'Be the voice'`)."""
    before = ctx.text[lo : seg.start].rstrip("\"'\u201c\u2018\u00ab ")
    if not before.endswith(":"):
        return None
    toks = ctx.tokens(lo, lo + len(before) - 1)
    if not len(toks) or toks[-1].pos_ != "PROPN" or ctx.in_quote(toks[-1].idx):
        return None
    head = toks[-1]
    a, b = np_span(head)
    a = max(a, toks.start)
    return ctx.phrase(a, min(b, toks.end), head, ":")


def subject_before(ctx: QuoteContext, seg: Seg, pa: int, prev_para: tuple[int, int] | None) -> Speaker | None:
    """The person the sentence right before a floating quote is about (its subject), when that sentence
    is the reporter's own (no quote in it) and the subject is a name or he/she."""
    if ctx.text[pa : seg.start - 1].strip():
        lo, hi = pa, seg.start - 1
    elif prev_para is not None:
        lo, hi = prev_para
    else:
        return None
    si = ctx.sent_index(max(lo, hi - 1))
    sent = ctx.sents[si]
    if sent.start_char < lo or any(lo <= g.start < hi for g in ctx.segs if sent.start_char <= g.start):
        return None
    root = sent.root
    if ctx.in_quote(root.idx):  # the parse hung the intro on the quote: climb from the intro's last word
        toks = ctx.tokens(sent.start_char, hi)
        if not len(toks):
            return None
        root = toks[-1]
        while root.head.i != root.i and not ctx.in_quote(root.head.idx) and root.head.i < toks.end:
            root = root.head
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None or ctx.in_quote(subj.idx):
        return None
    subj = best_head(subj)
    colon = ctx.text[lo:hi].rstrip().endswith(":")  # `The campaign worded it carefully: "..."`
    if not (
        subj.ent_type_ == "PERSON"
        or subj.lower_ in {"he", "she"}
        or (
            colon
            and (
                subj.pos_ == "PROPN"
                or subj.ent_type_ in {"ORG", "NORP", "GPE"}
                or any(t.pos_ == "PROPN" for t in subj.subtree)
                or subj.lower_ in ORG_NOUNS
                or subj.lower_ == "they"
            )
        )
    ):
        return None
    a, b = np_span(subj)
    return ctx.phrase(a, b, subj, "")
