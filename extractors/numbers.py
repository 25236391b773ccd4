"""Numbers with what they count.

`extract_numbers(doc)` finds the figures of a parsed story body and returns `Number` records with
the value, a range and approximation flags, the unit (ISO currency code, "%", "pp", "km", "year" ...)
or the counted head noun ("600 North Korean soldiers" -> counted "soldiers", modifier "North Korean"),
a comparator ("more than", "up to" ...) and the direction of a change ("up"/"down").

How it works: every spaCy token is split into pieces with a regex (so "$5bn", "640bhp", "PS2.7m"
and "24pc" become currency + figure + scale/unit pieces); a small hand-written grammar reads
figures, number words, scales, fractions, vague plurals, ranges, units and comparators over the pieces;
the parse (tags, dependencies) is used only for the counted noun and the change direction. Named
entities are not used (the NER component may be replaced).

What is not a number (dropped, not kept with another kind): years (a bare 4-digit 1000-2100 figure that
does not count a plural noun), dates (a day or year next to a month name), clock times, phone numbers
and other digit runs, sports scores ("2-2", "115-111"), labels and ids ("Game 2", "S&P 500",
"category 4"), and ordinals ("22nd", "second"): none of these is a figure worth querying as a
quantity, and NewsQuant's gold does not count them either. Vague amounts ("thousands of troops")
have `value=None`, `approx=True` and a range (`value_low`/`value_high` = 2x and 10x the scale word);
an explicit range ("10 to 15") has the midpoint as `value`. Fractions ("a third of voters") have
`unit="fraction"`, the value as a ratio (0.333) and the noun they take a share of as `counted`.
Any comparator ("more than", "about", "up to") sets `approx`: the figure is then not the exact amount.
Money has `unit` = ISO 4217 code ("GBX" for pence, "cent" for cents); rates keep the denominator
for measures ("barrel/day") and drop it for money ("$2 per gallon" -> USD).

No third-party quantity library is used: quantulum3 (the maintained one) runs its own tokenizer and
classifier (several times the 10% budget on top of spaCy), knows no counted nouns and would
duplicate what the spaCy parse already gives; number-word packages (word2number, numerizer) cover
only a small part (number words), which `numwords.py` does in a few lines with the other lexicons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .actors_tokens import TokView
from .numwords import (
    APPROX_AFTER,
    COMPARATORS,
    CURRENCY_PREFIX,
    CURRENCY_WORDS,
    DOLLAR_ADJECTIVES,
    DOLLAR_COUNTRY,
    DOWN_WORDS,
    FRACTION_WORDS,
    GLUED_CURRENCY_PREFIX,
    LABEL_NOUNS,
    MONTHS,
    MULTIWORD_UNITS,
    RATE_DENOMINATORS,
    SCALE_WORDS,
    SCORE_CONTEXT,
    SHORT_SCALES,
    TENS_WORDS,
    TIME_AFTER,
    UNICODE_FRACTIONS,
    UNITS_WORDS,
    UP_WORDS,
    VAGUE_WORDS,
    lookup_currency,
    lookup_unit,
    parse_numeral,
    singular,
)
from .records import Number, NumberKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["extract_numbers"]

_NUM = r"[-+−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_NUM_IN_TOKEN = re.compile(_NUM)
_TOKEN_RE = re.compile(rf"(?P<pre>\D*?)(?P<num>{_NUM}|\d{{1,3}},\d{{1,2}})(?P<suf>\D*)")
_RANGE_TOKEN_RE = re.compile(rf"(?P<a>{_NUM})(?P<dash>[-–])(?P<b>\d[\d,]*(?:\.\d+)?)(?P<suf>[^\d\W]*)")
_ORDINAL_SUFFIX = frozenset({"st", "nd", "rd", "th"})
_DECADE_SUFFIX = frozenset({"s", "'s", "′s", "’s"})
_HYPHENS = frozenset({"-", "–", "—"})
_RANGE_WORDS = frozenset({"to", "-", "–", "through", "and"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "your", "my", "those", "these"})
_NOT_COUNTED = frozenset({"today", "tomorrow", "yesterday", "tonight", "ago", "apiece", "each"})
_SEPARATORS = frozenset({"-", "–", "/", ":", "."})
_TIME_DETERMINERS = frozenset({"last", "next", "this", "that", "every", "each", "per", "a", "an", "the"})
# The words a figure without digits can start with (`_Reader.core` finds none at any other such piece):
# number words, "a"/"an" ("a thousand", "a third of"), vague plurals and "half".
_OPENERS = frozenset(UNITS_WORDS) | frozenset(TENS_WORDS) | frozenset(VAGUE_WORDS) | {"a", "an", "one", "half"}


@dataclass(slots=True)
class _Piece:
    text: str
    start: int
    end: int
    tok: int  # index of the spaCy token the piece comes from
    value: float | None = None  # set for digit pieces
    glued_prev: bool = False  # no space between this piece and the one before (same token)
    junk: bool = False  # a token with digits that is no figure (ids, times, "G70")
    ordinal: bool = False


@dataclass
class _Quantity:
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


_WORD_PREFIXES = {"sub-": "sub", "minus-": "minus", "now-": "", "over-": "over", "under-": "under"}
_STRIP_DOT_UNITS = frozenset({"m", "bn", "mn", "k", "b", "km", "kg", "lb", "lbs", "p", "ft", "oz", "yds", "mi"})
# words written with a stray "." or "-" glued on ("5 miles."): the mark becomes a piece of its own
_STRIP_DOT_WORDS = _STRIP_DOT_UNITS | {
    "miles", "yards", "feet", "metres", "meters", "inches", "pounds", "tonnes", "tons", "percent",
    "kilometres", "kilometers", "hours", "days", "years", "months", "weeks", "dollars", "euros",
}  # fmt: skip


class _Pieces:
    """The pieces of one doc, indexed like a list of _Piece.

    A token without digits (most tokens) is one plain piece, and the grammar looks at few of them
    (`_Reader.read` passes over the others by their lower-case text), so a plain piece is kept as its
    token index and its _Piece is built on first access.
    """

    __slots__ = ("items", "view")

    def __init__(self, view: TokView) -> None:
        self.view = view
        self.items: list[_Piece | int] = []  # a _Piece, or the index of the token of a plain piece

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> _Piece:
        item = self.items[i]
        if isinstance(item, int):
            view = self.view
            text, start = view.texts[item], view.idxs[item]
            glued = item > 0 and not view.spaces[item - 1]
            item = self.items[i] = _Piece(text, start, start + len(text), item, None, glued)
        return item

    def has_value(self, i: int) -> bool:
        """Does piece i carry a figure (`self[i].value is not None`, without building a plain piece)?"""
        item = self.items[i]
        return not isinstance(item, int) and item.value is not None


def _pieces(view: TokView) -> tuple[_Pieces, list[str]]:
    """Split tokens into figure / currency / scale / unit pieces ("$5bn" -> "$" "5" "bn"); with the
    pieces in lower case."""
    pieces = _Pieces(view)
    out = pieces.items
    lows: list[str] = []

    def add(text: str, start: int, tok: int, glued: bool, **kw: object) -> None:
        out.append(_Piece(text, start, start + len(text), tok, glued_prev=glued, **kw))  # type: ignore[arg-type]
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
            elif len(text) > 1 and text[-1] in ".-" and text[:-1].lower() in _STRIP_DOT_WORDS:
                add(text[:-1], base, i, glued)
                add(text[-1], base + len(text) - 1, i, True)
            else:  # most tokens: one plain piece, built if the grammar looks at it
                out.append(i)
                lows.append(lowers[i])
            continue
        rm = _RANGE_TOKEN_RE.fullmatch(text)
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
        m = _TOKEN_RE.fullmatch(text)
        decimal_comma = re.fullmatch(r"[-+]?\d{1,3},\d{1,2}", text) is not None
        if m is None or (len(_NUM_IN_TOKEN.findall(text)) > 1 and not decimal_comma):
            add(text, base, i, glued, junk=True)
            continue
        pre, num, suf = m["pre"], m["num"], m["suf"]
        if pre.lower() + "-" in _WORD_PREFIXES and num.startswith("-"):
            pre, num = pre + "-", num[1:]
        pre_low = pre.lower()
        pre_ok = not pre or pre_low in CURRENCY_PREFIX or pre_low in GLUED_CURRENCY_PREFIX or pre_low in _WORD_PREFIXES
        suf_low = suf.lower()
        if suf_low.endswith(".") and suf_low[:-1] in _STRIP_DOT_UNITS:
            suf, suf_low = suf[:-1], suf_low[:-1]
        ordinal = suf_low in _ORDINAL_SUFFIX
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
        if not pre_ok or not suf_ok or suf_low in _DECADE_SUFFIX or leading_zero:
            add(text, base, i, glued, junk=True)
            continue
        pos = base
        if pre:
            word = _WORD_PREFIXES.get(pre_low)
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


def _nounish(tok: Token) -> bool:
    """A noun, or a currency name the tagger took for something else ("francs"/VBZ)."""
    return tok.pos_ in ("NOUN", "PROPN") or (tok.text.lower() in CURRENCY_WORDS and len(tok.text) > 2)


class _Reader:
    """Reads quantities over the pieces of one doc."""

    def __init__(self, view: TokView) -> None:
        self.doc = view  # indexed like the Doc, without building a new Token per look-up
        self.text = view.text
        self.p, self.lows = _pieces(view)  # the grammar compares lower-case pieces all the time
        self.n = len(self.p)

    # -- helpers ------------------------------------------------------------------------------
    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < self.n else ""

    def is_num(self, i: int) -> bool:
        return 0 <= i < self.n and self.p[i].value is not None and not self.p[i].ordinal

    def tag(self, i: int) -> str:
        return str(self.doc[self.p[i].tok].tag_) if 0 <= i < self.n else ""

    def same_token(self, i: int, j: int) -> bool:
        return 0 <= i < self.n and 0 <= j < self.n and self.p[i].tok == self.p[j].tok

    # -- figures ------------------------------------------------------------------------------
    def word_number(self, i: int) -> tuple[float, int] | None:
        """Value of number words starting at piece i and the index after them."""
        total = 0.0
        cur = 0.0
        j = i
        seen = False
        while j < self.n:
            w = self.low(j)
            if w in UNITS_WORDS:
                if seen and cur % 100 != 0 and cur % 10 != 0:
                    break
                cur += UNITS_WORDS[w]
            elif w in TENS_WORDS:
                if seen and cur % 100 != 0:
                    break
                cur += TENS_WORDS[w]
                if self.low(j + 1) in ("-",) and self.low(j + 2) in UNITS_WORDS and UNITS_WORDS[self.low(j + 2)] < 10:
                    cur += UNITS_WORDS[self.low(j + 2)]
                    j += 2
            elif w == "hundred" and seen:
                cur = max(cur, 1) * 100
            elif w in ("thousand", "million", "billion", "trillion") and seen:
                total += max(cur, 1) * SCALE_WORDS[w]
                cur = 0
            elif w == "dozen" and seen:
                cur = max(cur, 1) * 12
            elif (
                w in ("a", "an")
                and not seen
                and self.low(j + 1) in ("hundred", "thousand", "dozen", "million", "billion", "trillion")
            ):
                cur = 1
            elif (
                w == "and"
                and seen
                and self.low(j + 1) in UNITS_WORDS.keys() | TENS_WORDS.keys()
                and (cur % 100 == 0 and (cur > 0 or total > 0))
            ):
                pass
            else:
                break
            seen = True
            j += 1
        if not seen or j == i:
            return None
        if self.low(j - 1) in ("a", "an", "and"):
            return None
        return total + cur, j

    def core(self, i: int) -> _Quantity | None:
        """The figure starting at piece i (digits, words, scale, fraction, vague), without unit."""
        p = self.p[i]
        w = self.lows[i]
        q: _Quantity | None = None
        if p.junk or p.ordinal:
            return None
        if p.value is not None:
            q = _Quantity(first=i, last=i, value=p.value)
            j = i + 1
        elif w in VAGUE_WORDS and (w not in ("tens", "scores") or self.low(i + 1) == "of"):
            unit = VAGUE_WORDS[w]
            j = i + 1
            if self.low(j) == "of" and self.low(j + 1) in VAGUE_WORDS and VAGUE_WORDS[self.low(j + 1)] > unit:
                unit *= VAGUE_WORDS[self.low(j + 1)]
                j += 2
            if w in ("dozens",) or w in ("tens", "scores") or self.low(i + 1) in ("of", "more", "upon"):
                pass
            elif self.tag(i) not in ("NNS",):
                return None
            q = _Quantity(first=i, last=j - 1, value=None, low=2 * unit, high=10 * unit, vague=True, approx=True)
            q.core_last = j - 1
            return q
        elif w == "half" and self.low(i - 1) not in ("the", "first", "second", "this", "that"):
            if self.low(i + 1) in ("a", "an") and self.low(i + 2) in SCALE_WORDS | {"dozen": 12}:
                nxt = self.low(i + 2)
                scale = 12.0 if nxt == "dozen" else SCALE_WORDS[nxt]
                q = _Quantity(first=i, last=i + 2, value=0.5 * scale, word_number=True, scale=scale)
                q.core_last = i + 2
                return q
            if self.low(i + 1) in ("a", "an") and lookup_unit(self.low(i + 2)) is not None:
                q = _Quantity(first=i, last=i, value=0.5, word_number=True)
                q.core_last = i
                q.notes.add("half-a")
                return q
            if self.low(i + 1) in {"of", "the", "its", "their", "his", "her", "our", "all"}:
                q = _Quantity(first=i, last=i, value=0.5, fraction=True, word_number=True)
                q.core_last = i
                return q
            return None
        else:
            wn = self.word_number(i)
            if wn is None:
                if w in ("a", "an", "one") and self.low(i + 1) in FRACTION_WORDS and self.low(i + 2) == "of":
                    q = _Quantity(
                        first=i, last=i + 1, value=1 / FRACTION_WORDS[self.low(i + 1)], fraction=True, word_number=True
                    )
                    q.core_last = i + 1
                    return q
                return None
            value, j = wn
            q = _Quantity(first=i, last=j - 1, value=value, word_number=True)
        assert q is not None and q.value is not None
        # fractions: "two-thirds", "one fourth of", "one out of three"
        if q.word_number or (p.value is not None and float(q.value).is_integer()):
            k = j + 1 if self.low(j) in _HYPHENS else j
            fw = self.low(k)
            if fw in FRACTION_WORDS and (fw.endswith("s") or q.value == 1) and (self.low(k + 1) == "of" or k != j):
                q.value = q.value / FRACTION_WORDS[fw]
                q.fraction = True
                q.last = q.core_last = k
                return q
            out_of = self.low(j) == "out" and self.low(j + 1) == "of"
            in_n = (
                self.low(j) == "in"
                and (self.is_num(j + 1) or self.low(j + 1) in UNITS_WORDS | TENS_WORDS.keys())
                and q.value <= 10
                and self.low(i - 1) not in _HYPHENS
                and not self.is_num(i - 1)
            )
            if q.value is not None and q.value < 100 and (out_of or in_n):
                d = j + 2 if out_of else j + 1
                den = self.word_number(d) if not self.is_num(d) else (self.p[d].value or 0.0, d + 1)
                if den and den[0]:
                    q.value = q.value / den[0]
                    q.fraction = True
                    q.last = q.core_last = den[1] - 1
                    return q
            # "one and a half"
            if self.low(j) == "and" and self.low(j + 1) in ("a", "an") and self.low(j + 2) == "half":
                q.value += 0.5
                j += 3
            elif self.low(j) == "and" and self.low(j + 1) in ("a", "an") and self.low(j + 2) in ("quarter", "third"):
                q.value += 1 / FRACTION_WORDS[self.low(j + 2)]
                j += 3
        # scales: "1.2 million", "5bn", "4 thousand", "30m" (decided later), "two dozen"
        while j < self.n:
            s = self.low(j)
            if s in _HYPHENS and self.low(j + 1) in SCALE_WORDS and self.p[j + 1].glued_prev:
                j += 1  # "$1.2-billion"
                s = self.low(j)
            if s in SCALE_WORDS and s not in SHORT_SCALES:
                q.scale *= SCALE_WORDS[s]
                j += 1
            elif s in ("bn", "tn", "mn", "mln", "bln", "trn") or (s in ("b", "k") and self.p[j].glued_prev):
                q.scale *= SCALE_WORDS.get(s, SHORT_SCALES.get(s, 1.0))
                j += 1
            elif self.p[j].text == "M" and self.p[j].glued_prev:
                q.scale *= 1e6
                j += 1
            elif s == "dozen" and not q.word_number:
                q.scale *= 12
                j += 1
            else:
                break
        q.value = q.value * q.scale
        q.last = q.core_last = j - 1
        return q

    # -- units --------------------------------------------------------------------------------
    def unit_at(self, q: _Quantity, j: int) -> None:
        """Read the unit starting at piece j into q (and extend q.last)."""
        if j >= self.n:
            return
        w = self.low(j)
        glued = self.p[j].glued_prev
        # age / duration compounds: "45-year-old", "three-year-long", "18 month-old", "10 years old"
        k = j + 1 if w in _HYPHENS else j
        dur = lookup_unit(self.low(k))
        if dur is not None and dur[1] == "duration" and (k != j or not self.p[k].glued_prev):
            after = k + 1
            if self.low(after) in _HYPHENS and self.low(after + 1) in ("old", "olds"):
                self._set_unit(q, dur[0], "age", after + 1)
                return
            if self.low(after) == "old":
                self._set_unit(q, dur[0], "age", after)
                return
            if self.low(after) in _HYPHENS and self.low(after + 1) in ("long",):
                self._set_unit(q, dur[0], "duration", after + 1)
                return
            self._set_unit(q, dur[0], "duration", k)
            self._rate(q)
            return
        if w in _HYPHENS and j + 1 < self.n:
            hy = lookup_unit(self.p[j + 1].text)
            if hy is not None and hy[1] in ("measure", "percent") and len(self.p[j + 1].text) > 1:
                self._set_unit(q, hy[0], hy[1], j + 1)
                return
        # multiword units, longest first
        for size in (3, 2):
            key = tuple(self.low(j + d) for d in range(size))
            if key in MULTIWORD_UNITS:
                unit, kind = MULTIWORD_UNITS[key]
                self._set_unit(q, unit, kind, j + size - 1)
                self._rate(q)
                return
        if w == "m":  # million after money or before a plural noun ("30m viewers"), else metres
            money = q.currency is not None or self._currency_after(j + 1) is not None
            nxt_tag = self.tag(j + 1)
            if money or (nxt_tag == "NNS" and lookup_unit(self.low(j + 1)) is None):
                q.value = (q.value or 0.0) * 1e6
                q.scale *= 1e6
                q.last = q.core_last = j
                self.unit_at(q, j + 1)
                return
            self._set_unit(q, "m", "measure", j)
            self._rate(q)
            return
        cur = self._currency_after(j)
        if cur is not None:
            code, end = cur
            q.currency = q.currency or code
            self._set_unit(q, q.currency, "money", end)
            return
        if w in ("pounds", "pound", "lb", "lbs") and not glued:
            if w.startswith("pound") and (q.scale > 1 or q.currency == "GBP" or self.low(j + 1) == "sterling"):
                self._set_unit(q, "GBP", "money", j + (1 if self.low(j + 1) == "sterling" else 0))
            else:
                self._set_unit(q, "lb", "measure", j)
            self._rate(q)
            return
        # single piece units; one-letter/ambiguous symbols only when glued to the figure
        ambiguous = w in ("t", "g", "c", "f", "in", "p", "ha", "bar", "pa", "min", "sec", "mi", "l", "nm", "db")
        if ambiguous and not glued and self.p[j].text not in ("L", "W", "V"):
            return
        u = lookup_unit(self.p[j].text)
        if u is None and w == "deg":
            u = ("degree", "measure")
        if u is not None and u[1] != "money":
            # "2.14degF", "5 deg C"
            self._set_unit(q, u[0], u[1], j)
            if u[1] == "measure":
                self._rate(q)
            return
        if w == "%" or (w == "pc" and glued):
            self._set_unit(q, "%", "percent", j)
            return

    def _currency_after(self, j: int) -> tuple[str, int] | None:
        """An ISO code for a currency word at j ("euros", "US dollars", "yen", "JPY")."""
        w = self.low(j)
        if not w:
            return None
        if w in ("dollar", "dollars"):
            code = "USD"
            for back in (1, 2):
                adj = self.low(j - back)
                if adj in DOLLAR_ADJECTIVES and self.p[j - back].tok >= self.p[j].tok - 2:
                    code = DOLLAR_ADJECTIVES[adj]
                    break
            return code, j
        if w in ("won",) and self.tag(j).startswith("VB"):
            return None
        if w in ("p", "pence", "penny") and not (self.p[j].glued_prev or w != "p"):
            return None
        if w == "cent" or w == "cents":
            return "cent", j
        if w in CURRENCY_WORDS and w not in ("pound", "pounds"):
            return CURRENCY_WORDS[w], j
        return None

    def _set_unit(self, q: _Quantity, unit: str, kind: NumberKind, last: int) -> None:
        q.unit = unit
        q.kind = kind
        q.unit_last = last
        q.last = max(q.last, last)

    def _rate(self, q: _Quantity) -> None:
        """Extend a unit with "per X" / "a X" / "/X" ("barrels a day")."""
        j = q.last + 1
        if self.low(j) in ("per", "a", "an", "/", "each"):
            den = self.low(j + 1)
            if singular(den) in RATE_DENOMINATORS or den in RATE_DENOMINATORS:
                q.unit = f"{q.unit}/{singular(den)}"
                q.unit_last = q.last = j + 1

    def currency_before(self, q: _Quantity) -> None:
        """Currency written before the figure: "$", "US$", "HK $", "€", "PS6m", "USD1,700"."""
        i = q.first
        w = self.low(i - 1)
        if not w or i - 1 < 0:
            return
        glued = self.p[i].glued_prev
        if w == "$" or w.endswith("$"):
            code = CURRENCY_PREFIX.get(w, "USD")
            start = i - 1
            prev = self.low(i - 2)
            if w == "$" and prev in DOLLAR_COUNTRY and self.p[i - 2].text.isupper():
                code = DOLLAR_COUNTRY[prev]
                start = i - 2
            q.currency = code
            q.first = start
            return
        if w in CURRENCY_PREFIX and (glued or not w.isalpha() or self.p[i - 1].text.isupper() or w in ("rs", "rs.")):
            q.currency = CURRENCY_PREFIX[w]
            q.first = i - 1
            return
        if glued and w in GLUED_CURRENCY_PREFIX:
            q.currency = GLUED_CURRENCY_PREFIX[w]
            q.first = i - 1

    def comparator_before(self, q: _Quantity) -> None:
        i = q.first
        q.span_start = i
        for size in (3, 2, 1):
            if i - size < 0:
                continue
            key = tuple(self.low(i - size + d) for d in range(size))
            if key in COMPARATORS:
                if key == ("some",) and q.vague:
                    continue
                comp, _ = COMPARATORS[key]
                q.comparator = comp
                q.approx = True  # a bound or an estimate: the figure is not the exact amount
                q.span_start = i - size
                break
        before = self.low(q.span_start - 1)
        if before in ("up", "down") and q.comparator != "up to":
            q.change = before
        if self.low(q.first - 1) == "minus" or (self.low(q.first - 1) in _HYPHENS and self.low(q.first - 2) == "minus"):
            if q.value is not None:
                q.value = -abs(q.value)
            q.span_start = q.first - 2 if self.low(q.first - 1) in _HYPHENS else q.first - 1

    # -- counted noun -------------------------------------------------------------------------
    def counted(self, q: _Quantity) -> None:
        doc = self.doc
        last_tok = self.p[q.last].tok
        t = last_tok + 1
        found: tuple[int, int] | None = None
        nxt = q.last + 1
        if (
            self.low(nxt) in _HYPHENS
            and nxt + 1 < self.n
            and self.p[nxt].glued_prev
            and self.p[nxt + 1].glued_prev
            and doc[self.p[nxt + 1].tok].pos_ == "NOUN"
        ):  # "a 50,000-seat stadium", "a 10-game run": the number counts the compound's noun
            ti = self.p[nxt + 1].tok
            q.counted, q.counted_tok = doc[ti].text, ti
            return
        if self.low(q.last + 1) == "more" and q.vague:
            t += 1
            if t < len(doc) and doc[t].tag_ in ("JJ", "VBN") and (doc[t].dep_ != "amod" or doc[t].text.endswith("ed")):
                found = (t, t)  # "thousands more wounded"
        found = found or self._noun_run(t)
        if (
            found is None
            and doc[last_tok].text.lower() != "of"
            and t < len(doc)
            and doc[t].text.lower() == "of"
            and (q.vague or q.fraction or q.word_number or q.value == 1 or q.currency is None)
        ):
            found = self._of_object(t + 1)
        if found is None:
            return
        head, mod_start = found
        q.counted = doc[head].text
        q.counted_tok = head
        if mod_start < head:
            q.counted_modifier = doc.span_text(mod_start, head).replace(" - ", "-")
        if q.unit is None and q.kind is None:
            cur = self._currency_after_token(head, q.counted_modifier)
            if cur is not None:
                q.currency = cur
                q.unit, q.kind = cur, "money"
                q.counted = q.counted_modifier = None
                q.counted_tok = -1

    def _currency_after_token(self, ti: int, modifier: str | None) -> str | None:
        """Currency named by a counted noun ("4 million Canadian dollars")."""
        w = self.doc[ti].text.lower()
        if w not in CURRENCY_WORDS or w in ("p", "cent", "cents", "won"):
            return None
        return lookup_currency(f"{modifier} {w}" if modifier else w)

    def _noun_run(self, t: int) -> tuple[int, int] | None:
        """Head noun of the noun group starting at token t, and where its modifiers start."""
        doc = self.doc
        start = t
        head = None
        k = t
        if t < len(doc) and doc[t].text.lower() in _TIME_DETERMINERS:
            return None
        while k < len(doc) and k < t + 6:
            tok = doc[k]
            if tok.like_num or tok.text.lower() in MONTHS:
                break
            nxt_tag = doc[k + 1].tag_ if k + 1 < len(doc) else ""
            if tok.text.lower() in ("most", "more", "least") and nxt_tag in ("JJ", "VBN"):
                k += 1
                continue
            if tok.tag_ in ("RB", "CC") and nxt_tag in ("JJ", "VBN") and tok.text.lower() not in ("not", "or"):
                k += 1
                continue
            if tok.text.lower() in _NOT_COUNTED:
                break
            if _nounish(tok):
                head = k
                nxt = doc[k + 1] if k + 1 < len(doc) else None
                if (
                    nxt is not None
                    and _nounish(nxt)
                    and not nxt.like_num
                    and nxt.text.lower() not in MONTHS
                    and tok.dep_ in ("compound", "nmod", "amod")
                ):
                    k += 1
                    continue
                break
            if tok.tag_ in ("JJ", "JJR", "JJS", "VBN", "VBG", "HYPH", "NNP", "NNPS") or (tok.pos_ == "ADJ"):
                if tok.tag_ in ("VBN", "VBG") and tok.dep_ not in ("amod", "compound"):
                    break
                k += 1
                continue
            break
        if head is None or len(doc[head].text) < 2 or not doc[head].text[0].isalpha():
            return None
        return head, start

    def _of_object(self, t: int) -> tuple[int, int] | None:
        doc = self.doc
        k = t
        while k < len(doc) and k < t + 4:
            tok = doc[k]
            if tok.text.lower() in _DETERMINERS or tok.tag_ in ("DT", "PRP$", "POS"):
                k += 1
                continue
            if tok.pos_ in ("PROPN", "NOUN") and k + 1 < len(doc) and doc[k + 1].tag_ == "POS":
                k += 2
                continue
            break
        found = self._noun_run(k)
        if found is None:
            return None
        head, start = found
        return head, start if start == k else k

    # -- change -------------------------------------------------------------------------------
    def change(self, q: _Quantity) -> None:
        if q.change is not None:
            return
        if q.value is not None and q.value < 0:
            q.change = "down"
            return
        if self.p[q.first].text.startswith("+"):
            q.change = "up"
            return
        after = self.low(q.last + 1)
        if after in ("higher", "lower"):
            q.change = "up" if after == "higher" else "down"
            return
        lo_tok = self.p[q.first].tok
        hi_tok = self.p[q.last].tok
        if q.counted_tok > hi_tok:
            hi_tok = q.counted_tok
        # the token of the quantity's words whose head lies outside them
        tok = self.doc[self.p[q.core_last].tok]
        for ti in range(lo_tok, hi_tok + 1):
            cand = self.doc[ti]
            if not lo_tok <= cand.head.i <= hi_tok or cand.head.i == cand.i:
                tok = cand
                break
        for _ in range(3):
            if tok.dep_ in ("nummod", "quantmod", "compound", "nmod", "amod") and tok.head.i != tok.i:
                tok = tok.head
            else:
                break
        verb = None
        if tok.dep_ in ("dobj", "npadvmod", "advmod", "attr", "nsubj") and tok.head.pos_ in ("VERB", "AUX"):
            verb = tok.head if tok.dep_ != "nsubj" else None
        elif tok.dep_ == "pobj" and tok.head.text.lower() == "by":
            verb = tok.head.head
        if verb is not None and verb.pos_ in ("VERB", "AUX", "ADV", "ADJ"):
            word = verb.text.lower()
            if word in UP_WORDS:
                q.change = "up"
            elif word in DOWN_WORDS:
                q.change = "down"

    # -- filters ------------------------------------------------------------------------------
    def is_date_or_time(self, q: _Quantity) -> bool:
        doc = self.doc
        first_tok = self.p[q.first].tok
        last_tok = self.p[q.core_last].tok
        if q.unit is not None or q.currency is not None or q.word_number or q.scale != 1:
            return False
        v = q.value
        if v is None or not re.fullmatch(r"\d{1,4}", self.p[q.core_last].text):
            return False

        def month(ti: int) -> bool:
            if not 0 <= ti < len(doc):
                return False
            text = doc[ti].text
            return text.lower() in MONTHS or text in ("May", "May.")

        if 1 <= v <= 31 or 1000 <= v <= 2100:
            if month(first_tok - 1) or month(last_tok + 1):
                return True
            if month(first_tok - 2) and doc[first_tok - 1].text in (".", ","):
                return True
            if last_tok + 2 < len(doc) and doc[last_tok + 1].text.lower() == "of" and month(last_tok + 2):
                return True
        return last_tok + 1 < len(doc) and doc[last_tok + 1].text.lower() in TIME_AFTER and v <= 2400

    def counts_plural_noun(self, q: _Quantity) -> bool:
        if q.counted_tok < 0:
            return False
        tok = self.doc[q.counted_tok]
        return tok.tag_ == "NNS" and tok.pos_ == "NOUN"

    def year_like(self, q: _Quantity) -> bool:
        """A bare 4-digit figure that reads as a year ("in 1998", "the 2019 list")."""
        if q.unit is not None or q.currency is not None or q.scale != 1 or q.word_number or q.fraction:
            return False
        text = self.p[q.core_last].text
        if not re.fullmatch(r"\d{4}", text):
            return False
        v = int(text)
        first_tok = self.p[q.first].tok
        prev = self.doc[first_tok - 1].text.lower() if first_tok > 0 else ""
        if 1900 <= v <= 2100:
            return True
        return 1000 <= v < 1900 and prev in ("in", "since", "until", "till", "circa", "c.", "from", "of")

    def is_year(self, q: _Quantity) -> bool:
        if not self.year_like(q):
            return False
        first_tok = self.p[q.first].tok
        prev = self.doc[first_tok - 1].text.lower() if first_tok > 0 else ""
        if prev in ("in", "since", "until", "till", "during", "circa", "c.", "by", "the", "its", "their", "'s", "’s"):
            return True  # "the 1998 finals", "in 2021 most people"
        return not self.counts_plural_noun(q)

    def is_label(self, q: _Quantity) -> bool:
        """Ids and names with a figure: "Game 2", "S&P 500", "787 Dreamliner", "Kick Six"."""
        first_tok = self.p[q.first].tok
        if q.word_number and not q.fraction:
            tok = self.doc[self.p[q.first].tok]
            if tok.text[:1].isupper() and not tok.is_sent_start and q.comparator is None:
                return True
        if q.unit is not None or q.currency is not None or q.word_number or q.comparator is not None:
            return False
        if q.value is None or not float(q.value).is_integer():
            return False
        if q.counted_tok >= 0 and self.doc[q.counted_tok].tag_ == "NNP":
            return True
        if first_tok == 0:
            return False
        prev = self.doc[first_tok - 1]
        if prev.text.lower() in LABEL_NOUNS and prev.whitespace_:
            return True
        if (
            prev.pos_ in ("PROPN", "NOUN")
            and prev.text[:1].isupper()
            and prev.whitespace_
            and (prev.pos_ == "PROPN" or not prev.is_sent_start)
        ):
            return not self.counts_plural_noun(q)
        return prev.text in ("#", "No", "no.", "No.", "ISO")

    def is_digit_run(self, q: _Quantity) -> bool:
        """Phone numbers, postcodes and other runs of bare integers ("212 555 0199")."""
        if (
            self.low(q.first - 1) == "("
            and self.low(q.core_last + 1) == ")"
            and q.core_last + 2 < self.n
            and (self.p[q.core_last + 2].junk or self.is_num(q.core_last + 2))
        ):  # area code: "(555) 123-4567"
            return True
        # glued to an id or code through a separator: "555-0199", "2019-09-01T10:38"
        for sep, other, right in ((q.core_last + 1, q.core_last + 2, True), (q.first - 1, q.first - 2, False)):
            if not 0 <= other < self.n or self.low(sep) not in _SEPARATORS:
                continue
            glued = self.p[sep].glued_prev and (self.p[other].glued_prev if right else self.p[q.first].glued_prev)
            if glued and (self.p[other].junk or (self.p[other].text[:1] == "0" and self.p[other].value is not None)):
                return True
        if q.unit is not None or q.currency is not None or q.scale != 1 or q.word_number:
            return False
        return (self.is_num(q.core_last + 1) and not self.p[q.core_last + 1].glued_prev) or (
            self.is_num(q.first - 1) and self.p[q.first - 1].value is not None and not q.is_range
        )

    # -- main ---------------------------------------------------------------------------------
    def quantity(self, i: int) -> _Quantity | None:
        q = self.core(i)
        if q is None:
            return None
        if q.core_last < 0:
            q.core_last = q.last
        self.currency_before(q)
        self.comparator_before(q)
        self.unit_at(q, q.last + 1)
        if q.vague and q.unit is None and self.low(q.last + 1) == "of":
            cur = self._currency_after(q.last + 2)
            if cur is not None:
                q.currency = cur[0]
                self._set_unit(q, cur[0], "money", cur[1])
        if q.currency is not None and q.kind is None:
            q.unit, q.kind = q.currency, "money"
            q.unit_last = q.unit_last if q.unit_last is not None else q.core_last
            self._rate_money(q)
        nxt = self.low(q.last + 1)
        if nxt in APPROX_AFTER or (nxt == "or" and self.low(q.last + 2) == "so"):
            q.approx = True
            q.last += 2 if nxt == "or" else 1
        return q

    def _rate_money(self, q: _Quantity) -> None:
        j = q.last + 1
        if self.low(j) in ("per", "a", "an", "/") and singular(self.low(j + 1)) in RATE_DENOMINATORS:
            q.last = j + 1

    def read(self) -> list[_Quantity]:
        out: list[_Quantity] = []
        i = 0
        while i < self.n:
            if self.lows[i] not in _OPENERS and not self.p.has_value(i):
                i += 1  # no figure starts here (what `core` would find out, for most pieces)
                continue
            q = self.quantity(i)
            if q is None:
                i += 1
                continue
            group = [q]
            # ranges and lists: "10 to 15", "between 3 and 4 percent", "eight or nine euros", "14-18 mpg"
            while True:
                last = group[-1]
                conn = self.low(last.last + 1)
                if conn not in _RANGE_WORDS | {"or"}:
                    break
                start_j = last.last + 2
                while start_j < self.n and (
                    self.low(start_j) in CURRENCY_PREFIX
                    or (self.low(start_j) in DOLLAR_COUNTRY and self.low(start_j + 1) == "$")
                    or self.low(start_j) in ("about", "around", "nearly", "almost", "roughly")
                ):
                    start_j += 1
                if start_j >= self.n:
                    break
                q2 = self.quantity(start_j)
                if q2 is None or q2.vague:
                    break
                q2.conn_in = conn
                group.append(q2)
            out.extend(self.combine(group))
            i = max(g.last for g in group) + 1
        return out

    def combine(self, group: list[_Quantity]) -> list[_Quantity]:
        """Merge "X to Y" into ranges and let bare members of lists inherit unit and scale.

        "X-Y" binds first, so "from 24.2 to 33-35 billion" is 24.2bn .. 35bn, and a range is not
        stretched by a following "to Z" ("from 14-18 mpg to 24" keeps 24 apart).
        """
        if len(group) == 1:
            return group
        return self._merge_pass(self._merge_pass(group, hyphens_only=True), hyphens_only=False)

    def _merge_pass(self, group: list[_Quantity], *, hyphens_only: bool) -> list[_Quantity]:
        result: list[_Quantity] = []
        q1 = group[0]
        for q2 in group[1:]:
            conn = q2.conn_in
            if (
                self.year_like(q1) != self.year_like(q2)
                or (hyphens_only and conn not in _HYPHENS)
                or (q1.is_range and conn == "to")
            ):
                from_before = self.low(q1.span_start - 1) == "from"
                if from_before and conn == "to" and q2.unit is None and q2.last == q2.core_last and q1.unit:
                    q2.unit, q2.kind, q2.currency = q1.unit, q1.kind, q1.currency  # "from 14-18 mpg to 24"
                result.append(q1)
                q1 = q2
                continue
            between = self.low(q1.span_start - 1) == "between" or self.low(q1.span_start - 1) == "from"
            bare1 = q1.unit is None and q1.last == q1.core_last
            if bare1 and not q1.vague and (q2.unit is not None or q2.scale != 1 or q2.currency):
                if (
                    q2.scale != 1
                    and q1.scale == 1
                    and q1.value is not None
                    and q2.value is not None
                    and (abs(q1.value * q2.scale) <= abs(q2.value) * 1.0001 or conn not in ("to", "-", "–"))
                ):
                    q1.value *= q2.scale
                    q1.scale = q2.scale
                    q1.low = q1.low * q2.scale if q1.low is not None else None
                    q1.high = q1.high * q2.scale if q1.high is not None else None
                q1.unit, q1.kind, q1.currency = q2.unit, q2.kind, q2.currency
            if bare1 and q1.counted is None and q2.counted is None:
                self.counted(q2)
            if between and q2.unit is None and q2.last == q2.core_last and q1.unit is not None:
                q2.unit, q2.kind, q2.currency = q1.unit, q1.kind, q1.currency
                if (
                    q1.scale != 1
                    and q2.scale == 1
                    and q2.value is not None
                    and q1.value is not None
                    and abs(q2.value * q1.scale) <= abs(q1.value) * 100
                ):
                    q2.value *= q1.scale
            is_range = False
            if conn in ("to", "-", "–", "through") or (conn == "and" and self.low(q1.span_start - 1) == "between"):
                same_unit = q1.unit == q2.unit
                if conn in _HYPHENS and q1.unit is None and q2.unit is None and not between:
                    same_unit = True
                elif (conn == "to" and q1.unit is not None and q2.unit is None and not between) or (
                    conn == "to" and not between and self._changed_before(q1)
                ):
                    same_unit = False
                is_range = same_unit and q1.value is not None and q2.value is not None
            if is_range:
                assert q1.value is not None and q2.value is not None
                lo = q1.low if q1.low is not None else q1.value
                hi = q2.high if q2.high is not None else q2.value
                merged = _Quantity(
                    first=q1.first,
                    last=q2.last,
                    value=(lo + hi) / 2,
                    low=min(lo, hi),
                    high=max(lo, hi),
                    unit=q2.unit or q1.unit,
                    kind=q2.kind or q1.kind,
                    currency=q2.currency or q1.currency,
                    unit_last=q2.unit_last,
                    approx=q1.approx or q2.approx,
                    comparator=q1.comparator,
                    change=q1.change,
                    span_start=q1.span_start,
                    is_range=True,
                    core_last=q2.core_last,
                    word_number=q1.word_number and q2.word_number,
                    scale=q2.scale,
                )
                merged.conn_in = q1.conn_in
                merged.notes = {"range", conn} | ({"between"} if between else set())
                merged.notes.add(f"first_core:{q1.core_last}")
                q1 = merged
            else:
                result.append(q1)
                q1 = q2
        result.append(q1)
        return result

    def _changed_before(self, q: _Quantity) -> bool:
        tok = self.doc[self.p[q.span_start].tok]
        if tok.i == 0:
            return False
        prev = self.doc[tok.i - 1].text.lower()
        return prev in UP_WORDS or prev in DOWN_WORDS or prev in ("by", "at")

    def is_score(self, q: _Quantity) -> bool:
        """Results and tallies written "X-Y": "2-2", "56-13 winners", "228-9" (a range ascends)."""
        if not q.is_range or q.unit is not None or "between" in q.notes or not ({"-", "–"} & q.notes):
            return False
        if q.low is None or q.high is None or not float(q.low).is_integer() or not float(q.high).is_integer():
            return False
        first_core = next((int(n.split(":")[1]) for n in q.notes if n.startswith("first_core:")), None)
        first = self.p[first_core].value if first_core is not None else None
        descending = first is not None and first > q.low
        return descending or q.counted is None or q.counted.lower() in SCORE_CONTEXT


def _finish(r: _Reader, q: _Quantity) -> Number | None:
    """Counted noun, kind, filters; None when the figure is no quantity."""
    doc = r.doc
    if q.unit is None:
        r.counted(q)
    if q.span_start < 0:
        r.comparator_before(q)
    # ages written as an apposition: "Maddon, 66, has ..."
    first_tok = r.p[q.first].tok
    if (
        q.unit is None
        and q.counted is None
        and not q.word_number
        and q.value is not None
        and float(q.value).is_integer()
        and 1 <= q.value <= 120
        and first_tok >= 2
        and first_tok + 1 < len(doc)
        and doc[first_tok - 1].text == ","
        and doc[first_tok - 2].pos_ == "PROPN"
        and doc[first_tok + 1].text in (",", ")")
    ):
        q.unit, q.kind = "year", "age"
    before = [doc[k].text.lower() for k in range(max(0, first_tok - 2), first_tok)]
    if (
        q.unit is None
        and q.counted is None
        and (
            before[-1:] in (["aged"], ["age"], ["ages"])
            or (len(before) == 2 and before[0] == "age" and before[1] in ("of", "to", "at"))
        )
    ):
        q.unit, q.kind = "year", "age"
    if (
        q.is_range
        and q.unit is None
        and re.fullmatch(r"\d{3}-\d{4}", r.text[r.p[q.first].start : r.p[q.last].end].replace(" ", ""))
    ):
        return None  # a phone number: "123-4567"
    if r.is_date_or_time(q) or r.is_year(q) or r.is_label(q) or r.is_score(q) or r.is_digit_run(q):
        return None
    if q.is_range:
        first_core = next((int(n.split(":")[1]) for n in q.notes if n.startswith("first_core:")), None)
        if first_core is not None and re.fullmatch(r"\d{4}", r.p[first_core].text) and q.unit is None:
            lo = q.low or 0
            if 1000 <= lo <= 2100 and (q.high or 0) <= 2100 and not r.counts_plural_noun(q):
                return None
    if q.word_number and q.unit is None and q.counted is None and not q.is_range and not q.fraction:
        return None
    if q.fraction:
        q.unit, q.kind = q.unit or "fraction", q.kind or "other"
    if q.kind == "age" and q.counted is None and q.unit_last is not None:
        r.counted(q)  # "a 45-year-old man": the age of whom
    r.change(q)
    kind: NumberKind = q.kind or ("count" if q.counted else "other")
    start = r.p[q.span_start].start
    end = r.p[q.last].end
    return Number(
        text=r.text[start:end],
        value=q.value,
        start=start,
        end=end,
        kind=kind,
        unit=q.unit,
        counted=q.counted,
        counted_modifier=q.counted_modifier,
        approx=q.approx or q.vague,
        value_low=q.low,
        value_high=q.high,
        comparator=q.comparator,
        change=q.change,
    )


def extract_numbers(doc: Doc, *, view: TokView | None = None) -> list[Number]:
    """Figures of one story with value, unit, counted noun (offsets into `doc.text`).

    `view` is the story's `TokView` when the caller already built one (see `extract_doc`).
    """
    reader = _Reader(view if view is not None else TokView(doc))
    out: list[Number] = []
    for q in reader.read():
        num = _finish(reader, q)
        if num is not None:
            out.append(num)
    return out
