"""The quote-mark scanner: one pass over the text, a small state machine per paragraph.

`scan_quotes(text)` returns the spans between quote marks (straight, curly, guillemets, single quotes told
apart from apostrophes, nested quotes kept inside their outer quote, a paragraph that opens a quote and
never closes it continued by the next paragraph when that one starts with an opening mark).
"""

from __future__ import annotations

import re

from .types import Seg

__all__ = ["scan_quotes"]

_OPEN_PUNCT = "([{\u2014\u2013-/\u2018\u201c\u00ab"
_WORDISH = re.compile(r"\w")
_DOUBLE_OPEN = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c", "\u201f": "\u201d"}
_DOUBLE_CLOSE = {"\u201d", "\u00bb"}
_SINGLE_OPEN = {"\u2018": "\u2019", "\u2039": "\u203a", "\u201a": "\u2018"}
_ELISIONS = re.compile(r"(?i)(?:em|n|tis|twas|cause|til|till|bout|round|\d\d?s?|s)\b")
# Every character `_scan_paragraph` acts on outside a single quote: opening and closing marks; the scan
# jumps from one to the next instead of stepping over every character in between.
_MARK_CHARS = frozenset({'"', "'", "`"} | _DOUBLE_OPEN.keys() | _DOUBLE_CLOSE | {"\u201c"} | _SINGLE_OPEN.keys())
_NEXT_MARK = re.compile("[" + re.escape("".join(sorted(_MARK_CHARS))) + "]")


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch == ""


def _char(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _opens_here(text: str, i: int) -> bool:
    """Is the mark at `i` in an opening position (start, after space/bracket/dash, before a word)?"""
    before, after = _char(text, i - 1), _char(text, i + 1)
    if before in ":;" and after.isalnum():  # `Clinton:"We learned ...`
        return True
    return (_is_space(before) or before in _OPEN_PUNCT) and not _is_space(after)


def _closes_here(text: str, i: int) -> bool:
    """Is the mark at `i` in a closing position (after a non-space, before space/punctuation/end)?"""
    before, after = _char(text, i - 1), _char(text, i + 1)
    return not _is_space(before) and not _WORDISH.match(after or " ")


def _single_close_at(text: str, start: int, stop: int, straight: bool) -> int:
    """Position of the single mark closing a single quote opened before `start`, or -1."""
    marks = "'" if straight else "\u2019"
    i = start
    while i < stop:
        j = text.find(marks, i, stop)
        if j < 0:
            return -1
        nxt = _char(text, j + 1)
        prev = _char(text, j - 1)
        if j > start and not _is_space(prev) and not _WORDISH.match(nxt or " ") and nxt not in "'\u2019":
            # "the players' union": a plural possessive, not the closing mark, when a lower-case word follows
            # and another closing mark comes later in the paragraph
            possessive = prev in "sS" and nxt == " " and _char(text, j + 2).islower()
            if not (possessive and _single_close_at(text, j + 1, stop, straight) > 0):
                return j
        i = j + 1
    return -1


def scan_quotes(text: str) -> list[Seg]:
    """Spans between quote marks, one per paragraph (see module doc)."""
    segs: list[Seg] = []
    chain = 0
    pending_chain: int | None = None  # chain of a quote left open at the end of the previous paragraph
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        pend = n if nl < 0 else nl
        if pend > pos:
            pending_chain = _scan_paragraph(text, pos, pend, segs, pending_chain, chain)
            chain = (segs[-1].chain + 1) if segs else chain
        elif pend == pos and pending_chain is not None and nl < 0:
            pending_chain = None
        pos = pend + 1
    return segs


def _scan_paragraph(
    text: str, pstart: int, pend: int, segs: list[Seg], pending: int | None, next_chain: int
) -> int | None:
    """Append the quote segments of text[pstart:pend] to `segs`; return the chain left open, if any."""
    # skip leading white space of the paragraph
    i = pstart
    while i < pend and text[i].isspace():
        i += 1
    first = i
    open_at: int | None = None  # index just after the opening mark
    closer: str = ""  # what closes the open quote: '"', a curly close, "'" / "\u2019" for single quotes
    single_end = -1
    chain_of_open: int | None = None
    carried = pending is not None
    # a paragraph continuing an unclosed quote must start with an opening mark; otherwise the previous
    # paragraph simply missed its closing mark and the quote ended there
    if carried:
        c = _char(text, first)
        if not (c == '"' or c in _DOUBLE_OPEN or (c in "`'" and _char(text, first + 1) == c)):
            carried = False
    while i < pend:
        if open_at is not None and closer == "single":
            i = max(i, single_end)  # inside a single quote only its closing mark matters
        elif text[i] not in _MARK_CHARS:
            m = _NEXT_MARK.search(text, i, pend)
            i = pend if m is None else m.start()
            continue
        c = text[i]
        if open_at is None:
            if c == "'" and _char(text, i + 1) == "'":  # ''two apostrophes'' for a double mark
                if not _is_space(_char(text, i + 2)) and (
                    _is_space(_char(text, i - 1)) or _char(text, i - 1) in _OPEN_PUNCT
                ):
                    open_at, closer = i + 2, "''"
                    chain_of_open = pending if i == first and carried else None
                i += 2
                continue
            if c == '"' or c in _DOUBLE_OPEN or (c == "`" and _char(text, i + 1) == "`"):
                width = 2 if c == "`" else 1
                if c == '"' and not _opens_here(text, i):
                    if _char(text, i - 1).isdigit():  # 6'2" and the like
                        i += 1
                        continue
                    if not _closes_here(text, i) or _char(text, i + 1) == "":
                        i += 1
                        continue
                    # an orphan closing mark: nothing to open
                    i += 1
                    continue
                open_at = i + width
                closer = '"' if c == '"' else ("''" if c == "`" else _DOUBLE_OPEN[c])
                if c == "\u201e":
                    closer = "\u201c\u201d"
                chain_of_open = pending if i == first and carried else None
                i += width
                continue
            if c in _SINGLE_OPEN or c == "'":
                straight = c == "'"
                if _opens_here(text, i) and not (straight and _ELISIONS.match(text, i + 1, pend)):
                    if c == "\u2018" and re.match(r"\d\ds?\b", text[i + 1 : i + 4]):
                        i += 1
                        continue
                    j = _single_close_at(text, i + 2, pend, straight or c != "\u2018")
                    if j < 0 and c == "\u2018":
                        j = _single_close_at(text, i + 2, pend, True)
                    if j > 0:
                        open_at = i + 1
                        single_end = j
                        closer = "single"
                        chain_of_open = None
                i += 1
                continue
            i += 1
            continue
        # inside a quote
        if closer == "single":
            if i == single_end:
                _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
                open_at = None
            i += 1
            continue
        if (closer == '"' and c == '"') or (closer != '"' and c in closer and c in _DOUBLE_CLOSE | {"\u201c"}):
            _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
            open_at = None
            i += 1
            continue
        if closer == "''" and c == "'" and _char(text, i + 1) == "'":
            _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
            open_at = None
            i += 2
            continue
        if closer == "\u201d" and c == '"' and _closes_here(text, i):  # mixed marks: \u201c...," she said
            _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
            open_at = None
            i += 1
            continue
        if closer == '"' and c == "\u201d":  # mixed marks: a curly close ends a straight open
            _emit(text, segs, open_at, i, chain_of_open, next_chain, closed=True)
            open_at = None
        i += 1
    if open_at is not None and closer != "single":
        seg = _emit(text, segs, open_at, pend, chain_of_open, next_chain, closed=False)
        return seg.chain if seg is not None else None
    return None


def _emit(
    text: str, segs: list[Seg], start: int, end: int, chain: int | None, next_chain: int, *, closed: bool
) -> Seg | None:
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    if e <= s or not _WORDISH.search(text, s, e):
        return None
    if chain is None:
        chain = max(next_chain, segs[-1].chain + 1 if segs else 0)
    seg = Seg(s, e, chain, closed)
    segs.append(seg)
    return seg


# --------------------------------------------------------------------------------------------------
# 2. Cues and speakers from the parse

