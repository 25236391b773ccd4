"""Tokens split into pieces (currency, figure, scale, unit) and the quantity being read over them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..actors.tokens import TokView
from ..numwords import (
    CURRENCY_PREFIX,
    CURRENCY_WORDS,
    GLUED_CURRENCY_PREFIX,
    SCALE_WORDS,
    SHORT_SCALES,
    UNICODE_FRACTIONS,
    lookup_unit,
    parse_numeral,
)
from ..records import NumberKind

if TYPE_CHECKING:
    from spacy.tokens import Token
from .lexicon import (
    DECADE_SUFFIX,
    NUM_IN_TOKEN,
    ORDINAL_SUFFIX,
    RANGE_TOKEN_RE,
    STRIP_DOT_UNITS,
    STRIP_DOT_WORDS,
    TOKEN_RE,
    WORD_PREFIXES,
)

__all__ = [
    "Piece",
    "Pieces",
    "Quantity",
    "nounish",
    "split_pieces",
]


@dataclass(slots=True)
class Piece:
    text: str
    start: int
    end: int
    tok: int  # index of the spaCy token the piece comes from
    value: float | None = None  # set for digit pieces
    glued_prev: bool = False  # no space between this piece and the one before (same token)
    junk: bool = False  # a token with digits that is no figure (ids, times, "G70")
    ordinal: bool = False


@dataclass
class Quantity:
    first: int  # piece index where the figure starts (after comparator/currency)
    last: int  # piece index of the last piece of the figure and its unit (inclusive)
    value: float | None
    low: float | None = None
    high: float | None = None
    scale: float = 1.0
    word_number: bool = False
    vague: bool = False
    fraction: bool = False
    unit: str | None = None
    kind: NumberKind | None = None
    currency: str | None = None
    unit_last: int | None = None  # last piece of the unit, if any
    counted: str | None = None
    counted_modifier: str | None = None
    counted_tok: int = -1
    approx: bool = False
    comparator: str | None = None
    change: str | None = None
    span_start: int = -1  # piece index where the surface span starts
    is_range: bool = False
    core_last: int = -1  # last piece of the figure (before any unit)
    notes: set[str] = field(default_factory=set)
    conn_in: str = ""  # the word linking this figure to the one before ("to", "-", "and", "or")


class Pieces:
    """The pieces of one doc, indexed like a list of Piece.

    A token without digits (most tokens) is one plain piece, and the grammar looks at few of them
    (`Reader.read` passes over the others by their lower-case text), so a plain piece is kept as its
    token index and its Piece is built on first access.
    """

    __slots__ = ("items", "view")

    def __init__(self, view: TokView) -> None:
        self.view = view
        self.items: list[Piece | int] = []  # a Piece, or the index of the token of a plain piece

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Piece:
        item = self.items[i]
        if isinstance(item, int):
            view = self.view
            text, start = view.texts[item], view.idxs[item]
            glued = item > 0 and not view.spaces[item - 1]
            item = self.items[i] = Piece(text, start, start + len(text), item, None, glued)
        return item

    def has_value(self, i: int) -> bool:
        """Does piece i carry a figure (`self[i].value is not None`, without building a plain piece)?"""
        item = self.items[i]
        return not isinstance(item, int) and item.value is not None


def split_pieces(view: TokView) -> tuple[Pieces, list[str]]:
    """Split tokens into figure / currency / scale / unit pieces ("$5bn" -> "$" "5" "bn"); with the
    pieces in lower case."""
    pieces = Pieces(view)
    out = pieces.items
    lows: list[str] = []

    def add(text: str, start: int, tok: int, glued: bool, **kw: object) -> None:
        out.append(Piece(text, start, start + len(text), tok, glued_prev=glued, **kw))  # type: ignore[arg-type]
        lows.append(text.lower())

    lowers = view.lowers
    prev_space = 1  # nothing is glued to the first token
    for i, (text, base, space) in enumerate(zip(view.texts, view.idxs, view.spaces, strict=True)):
        glued = not prev_space
        prev_space = space
        # letters are never digits: most tokens are words and skip the per-character scan
        if text.isalpha() or not any(map(str.isdigit, text)):
            if text in UNICODE_FRACTIONS:
                add(text, base, i, glued, value=UNICODE_FRACTIONS[text])
            elif len(text) > 1 and text[-1] in ".-" and text[:-1].lower() in STRIP_DOT_WORDS:
                add(text[:-1], base, i, glued)
                add(text[-1], base + len(text) - 1, i, True)
            else:  # most tokens: one plain piece, built if the grammar looks at it
                out.append(i)
                lows.append(lowers[i])
            continue
        rm = RANGE_TOKEN_RE.fullmatch(text)
        if rm and ((rm["b"][0] == "0" and len(rm["b"]) > 1) or re.fullmatch(r"\d{3}-\d{4}", text)):
            add(text, base, i, glued, junk=True)  # phone numbers, ids: "555-0199"
            continue
        if rm:
            a, b = rm.span("a"), rm.span("b")
            add(rm["a"], base + a[0], i, glued, value=parse_numeral(rm["a"]))
            add(rm["dash"], base + a[1], i, True)
            add(rm["b"], base + b[0], i, True, value=parse_numeral(rm["b"]))
            if rm["suf"]:
                add(rm["suf"], base + b[1], i, True)
            continue
        m = TOKEN_RE.fullmatch(text)
        decimal_comma = re.fullmatch(r"[-+]?\d{1,3},\d{1,2}", text) is not None
        if m is None or (len(NUM_IN_TOKEN.findall(text)) > 1 and not decimal_comma):
            add(text, base, i, glued, junk=True)
            continue
        pre, num, suf = m["pre"], m["num"], m["suf"]
        if pre.lower() + "-" in WORD_PREFIXES and num.startswith("-"):
            pre, num = pre + "-", num[1:]
        pre_low = pre.lower()
        pre_ok = not pre or pre_low in CURRENCY_PREFIX or pre_low in GLUED_CURRENCY_PREFIX or pre_low in WORD_PREFIXES
        suf_low = suf.lower()
        if suf_low.endswith(".") and suf_low[:-1] in STRIP_DOT_UNITS:
            suf, suf_low = suf[:-1], suf_low[:-1]
        ordinal = suf_low in ORDINAL_SUFFIX
        suf_ok = (
            not suf
            or ordinal
            or suf_low in SHORT_SCALES
            or suf_low in SCALE_WORDS
            or lookup_unit(suf) is not None
            or suf in ("%", "″", "'", "-")
            or suf_low in ("deg", "sq", "p", "pc")
        )
        leading_zero = len(num) > 1 and num[0] == "0" and num[1].isdigit()
        if not pre_ok or not suf_ok or suf_low in DECADE_SUFFIX or leading_zero:
            add(text, base, i, glued, junk=True)
            continue
        pos = base
        if pre:
            word = WORD_PREFIXES.get(pre_low)
            if word != "":
                add(word or pre, pos, i, glued)
            pos += len(pre)
        add(num, pos, i, bool(pre) or glued, value=parse_numeral(num), ordinal=ordinal)
        pos += len(num)
        if suf and not ordinal:
            add(suf, pos, i, True)
            pos += len(suf)
        if pos < base + len(text):
            add(text[pos - base :], pos, i, True)
    return pieces, lows


def nounish(tok: Token) -> bool:
    """A noun, or a currency name the tagger took for something else ("francs"/VBZ)."""
    return tok.pos_ in ("NOUN", "PROPN") or (tok.text.lower() in CURRENCY_WORDS and len(tok.text) > 2)
