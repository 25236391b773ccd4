"""What is left out or how a quote is classed: scare quotes and titles (quotes of nobody), and
direct against partial quotes."""

from __future__ import annotations

import re

from ..records import QuoteKind
from .context import QuoteContext
from .lexicon import FUNCTION_WORDS, SCARE_BEFORE, SCARE_BEFORE_PAIRS, TITLE_AFTER, TITLE_BEFORE
from .types import Seg, Speaker

__all__ = ["is_scare", "kind_of"]


def is_scare(ctx: QuoteContext, seg: Seg, speaker: Speaker | None) -> bool:
    """A title, name, nickname or term in quote marks rather than somebody's words."""
    text = ctx.text
    body = text[seg.start : seg.end]
    words = re.findall(r"[\w'\u2019-]+", body)
    if not words or not any(ch.isalpha() for w in words for ch in w):
        return True
    if body[:1] in "([" and body.rstrip(".")[-1:] in ")]":  # a stage direction: (CROSSTALK)
        return True
    if len(words) == 1 and words[0].lower() in FUNCTION_WORDS:  # words as words: "he" or "she"
        return True
    if (
        speaker is not None
        and speaker.start is not None
        and speaker.end is not None
        and speaker.start <= seg.start
        and seg.end <= speaker.end
    ):
        return True  # inside the speaker's own name: Robert "Bobby" Scott, the "fact-checking" site
    before = re.findall(r"[\w-]+", text[max(0, seg.start - 30) : seg.start].lower())
    if before and before[-1] in SCARE_BEFORE:
        return True
    if len(before) >= 2 and (before[-2], before[-1]) in SCARE_BEFORE_PAIRS:
        return True
    if len(words) > 8 or (re.search(r"[.!?]\W*$", body) and len(words) > 4):
        return False
    # a title or name: Capitalised Words (small words aside), outside a headline
    small = {"of", "the", "and", "a", "an", "in", "on", "to", "for", "with", "at", "by", "from", "is", "or"}
    caps = [w for w in words if w.lower() not in small]
    if not caps or not all(w[:1].isupper() or w[:1].isdigit() for w in caps) or ctx.is_headline(seg.start):
        return False
    prev = text[max(0, seg.start - 40) : seg.start - 1].rstrip()
    prev_word = re.findall(r"[\w'\u2019.-]+$", prev)
    nxt = re.findall(r"^\W*?([\w-]+)", text[seg.end : seg.end + 30])
    if (
        prev_word
        and prev_word[0][:1].isupper()
        and nxt
        and nxt[0][:1].isupper()
        and text[seg.end + 1 : seg.end + 2] == " "
    ):
        return True  # a nickname between names
    if len(words) >= 3:
        return True  # a title of three words or more
    if prev_word and (prev_word[0].lower() in TITLE_BEFORE or prev_word[0].endswith(("'s", "\u2019s"))):
        return True
    return bool(nxt and nxt[0].lower() in TITLE_AFTER)


def kind_of(ctx: QuoteContext, seg: Seg) -> QuoteKind:
    """direct when the quote is a sentence or clause of its own, partial when it sits in one."""
    text = ctx.text
    pa, _ = ctx.para_bounds(seg.start)
    lead = text[pa : seg.start - 1].rstrip()
    at_start = (
        not lead
        or lead[-1:] in {".", ":", "!", "?", '"', "\u201d", "\u201c", "\u2014"}
        or (ctx.sent_starts[ctx.sent_index(seg.start)] >= seg.start - 2)
    )
    ends_clause = bool(re.search(r"[.!?,]\W{0,2}$", text[seg.start : min(len(text), seg.end + 1)])) or bool(
        re.match(r".?[,.!?]", text[seg.end : seg.end + 2])
    )
    if not seg.closed:
        return "direct"
    if at_start and ends_clause:
        return "direct"
    if lead.endswith((",", ":")) and ends_clause:
        # `he said, "..."` or `he said: "..."`
        return "direct"
    return "partial"
