"""The number grammar's rules, in the order they are tried.

Six ordered tables hold the order, and each rule is a named function (the reader classes hold the
state and the look-ups the rules share):

- `FIGURE_RULES`: the figure that starts at a piece: digits, a vague plural ("thousands of"), "half",
  number words ("two hundred", "a third of"). The first rule that returns a figure wins; when none does,
  no figure starts there. A rule's figure is complete, or open to the extensions.
- `FIGURE_EXTENSIONS`: what extends an open figure, in order: a fraction ("two-thirds", "one in five"),
  "and a half", scale words ("1.2 million", "5bn"). A rule returns the piece after what it read, or None
  when the figure is complete.
- `UNIT_RULES`: the unit after a figure: age and duration compounds, units after a hyphen, multiword
  units, "m", currency words, "pounds", one-piece units, "%". The first rule that decides wins (a rule
  may decide that there is no unit); when none does, the figure has no unit.
- `READING_STEPS`: what is read around a figure, every step in order: currency and comparator before it,
  unit after it, money named after "of", approximation words after it.
- `COMPLETION_STEPS`: every step in order, once the neighbouring figures are combined: counted noun,
  comparator, ages.
- `NOT_A_QUANTITY`: tests that drop a figure (phone numbers, dates, years, labels, scores, digit runs,
  ranges of years, lone number words); any test that holds drops it. `FINAL_STEPS` then finish a kept
  figure (fraction unit, whose age, change).

To add a rule, write a function of the table's signature and put it in the table at the place where it
must be tried; the order is the behaviour (the output-identity golden in tests/golden shows the effect).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..numwords import (
    APPROX_AFTER,
    FRACTION_WORDS,
    MULTIWORD_UNITS,
    SCALE_WORDS,
    SHORT_SCALES,
    TENS_WORDS,
    UNITS_WORDS,
    VAGUE_WORDS,
    lookup_unit,
)
from ..records import Number, NumberKind
from .base import ReaderBase
from .counted import PLURAL_TAGS, counted_key
from .filters import FilterReader
from .lexicon import FIRST_YEAR, HYPHENS, LAST_YEAR
from .pieces import Quantity
from .units import UnitReader

__all__ = [
    "COMPLETION_STEPS",
    "FIGURE_EXTENSIONS",
    "FIGURE_RULES",
    "FINAL_STEPS",
    "NOT_A_QUANTITY",
    "READING_STEPS",
    "UNIT_RULES",
    "figure_at",
    "finish",
    "quantity_at",
    "unit_at",
]

# A vague plural spans 2 to 10 times its scale word: "thousands" is 2,000 to 10,000.
VAGUE_LOW, VAGUE_HIGH = 2, 10
# "one in five", "two out of three": a share only for small numerators ...
MAX_SHARE_NUMERATOR = 100
# ... and "N in M" only up to 10 ("one in five", not "15 in 2020").
MAX_IN_NUMERATOR = 10
# An age written as an apposition ("Maddon, 66, has"): a whole number in this range.
MIN_AGE, MAX_AGE = 1, 120
# Words after "half" that make it a share of something ("half of", "half the voters").
HALF_OF = frozenset({"of", "the", "its", "their", "his", "her", "our", "all"})
# Words before "half" that make it an ordinal or a period, not a figure ("the first half").
NOT_HALF_AFTER = frozenset({"the", "first", "second", "this", "that"})
# One-letter or ambiguous unit symbols, units only when glued to the figure ("5t", "10g", "3in").
AMBIGUOUS_UNITS = frozenset({"t", "g", "c", "f", "in", "p", "ha", "bar", "pa", "min", "sec", "mi", "l", "nm", "db"})
_PHONE = re.compile(r"\d{3}-\d{4}")
_FOUR_DIGITS = re.compile(r"\d{4}")

Figure = tuple[Quantity, "int | None"]  # the figure and the piece after it (None: complete)
FigureRule = Callable[[ReaderBase, int], "Figure | None"]
FigureExtension = Callable[[ReaderBase, Quantity, int, int], "int | None"]
UnitRule = Callable[[UnitReader, Quantity, int], bool]
Step = Callable[[FilterReader, Quantity], None]
Test = Callable[[FilterReader, Quantity], bool]


# -- figures ------------------------------------------------------------------------------------------
def digits(r: ReaderBase, i: int) -> Figure | None:
    """A piece with a value: "5", "1,200", "3.5"."""
    value = r.p[i].value
    if value is None:
        return None
    return Quantity(first=i, last=i, value=value), i + 1


def vague_plural(r: ReaderBase, i: int) -> Figure | None:
    """"thousands (of)", "tens of thousands", "dozens": no value, a range of 2x to 10x the scale."""
    w = r.lows[i]
    if w not in VAGUE_WORDS or (w in ("tens", "scores") and r.low(i + 1) != "of"):
        return None
    unit = VAGUE_WORDS[w]
    j = i + 1
    if r.low(j) == "of" and r.low(j + 1) in VAGUE_WORDS and VAGUE_WORDS[r.low(j + 1)] > unit:
        unit *= VAGUE_WORDS[r.low(j + 1)]
        j += 2
    if w in ("dozens",) or w in ("tens", "scores") or r.low(i + 1) in ("of", "more", "upon"):
        pass
    elif r.tag(i) not in ("NNS",):
        return None
    q = Quantity(first=i, last=j - 1, value=None, low=VAGUE_LOW * unit, high=VAGUE_HIGH * unit, vague=True,
                 approx=True)
    q.core_last = j - 1
    return q, None


def half(r: ReaderBase, i: int) -> Figure | None:
    """"half a million", "half a mile", "half of the voters" (not "the first half")."""
    if r.lows[i] != "half" or r.low(i - 1) in NOT_HALF_AFTER:
        return None
    if r.low(i + 1) in ("a", "an") and r.low(i + 2) in SCALE_WORDS | {"dozen": 12}:
        nxt = r.low(i + 2)
        scale = 12.0 if nxt == "dozen" else SCALE_WORDS[nxt]
        q = Quantity(first=i, last=i + 2, value=0.5 * scale, word_number=True, scale=scale)
        q.core_last = i + 2
        return q, None
    if r.low(i + 1) in ("a", "an") and lookup_unit(r.low(i + 2)) is not None:
        q = Quantity(first=i, last=i, value=0.5, word_number=True)
        q.core_last = i
        q.notes.add("half-a")
        return q, None
    if r.low(i + 1) in HALF_OF:
        q = Quantity(first=i, last=i, value=0.5, fraction=True, word_number=True)
        q.core_last = i
        return q, None
    return None


def number_words(r: ReaderBase, i: int) -> Figure | None:
    """"two hundred and five", "a thousand"; "a third of" (a fraction)."""
    wn = r.word_number(i)
    if wn is None:
        w = r.lows[i]
        if w in ("a", "an", "one") and r.low(i + 1) in FRACTION_WORDS and r.low(i + 2) == "of":
            q = Quantity(first=i, last=i + 1, value=1 / FRACTION_WORDS[r.low(i + 1)], fraction=True, word_number=True)
            q.core_last = i + 1
            return q, None
        return None
    value, j = wn
    return Quantity(first=i, last=j - 1, value=value, word_number=True), j


# The order in which a piece is read for the figure it starts. Only one rule can answer for a piece.
FIGURE_RULES: tuple[tuple[str, FigureRule], ...] = (
    ("digits", digits),
    ("vague plural", vague_plural),
    ("half", half),
    ("number words", number_words),
)


def _whole(r: ReaderBase, q: Quantity) -> bool:
    """Number words, or digits of a whole number: what a fraction or "and a half" may follow."""
    return q.word_number or (r.p[q.first].value is not None and float(q.value or 0.0).is_integer())


def fraction(r: ReaderBase, q: Quantity, i: int, j: int) -> int | None:
    """"two-thirds", "one fourth of", "one out of three", "one in five"."""
    if not _whole(r, q):
        return j
    assert q.value is not None
    k = j + 1 if r.low(j) in HYPHENS else j
    fw = r.low(k)
    if fw in FRACTION_WORDS and (fw.endswith("s") or q.value == 1) and (r.low(k + 1) == "of" or k != j):
        q.value = q.value / FRACTION_WORDS[fw]
        q.fraction = True
        q.last = q.core_last = k
        return None
    out_of = r.low(j) == "out" and r.low(j + 1) == "of"
    in_n = (
        r.low(j) == "in"
        and (r.is_num(j + 1) or r.low(j + 1) in UNITS_WORDS | TENS_WORDS.keys())
        and q.value <= MAX_IN_NUMERATOR
        and r.low(i - 1) not in HYPHENS
        and not r.is_num(i - 1)
    )
    if q.value < MAX_SHARE_NUMERATOR and (out_of or in_n):
        d = j + 2 if out_of else j + 1
        den = r.word_number(d) if not r.is_num(d) else (r.p[d].value or 0.0, d + 1)
        if den and den[0]:
            q.value = q.value / den[0]
            q.fraction = True
            q.last = q.core_last = den[1] - 1
            return None
    return j


def and_a_fraction(r: ReaderBase, q: Quantity, i: int, j: int) -> int | None:
    """"one and a half", "two and a quarter"."""
    if not _whole(r, q) or r.low(j) != "and" or r.low(j + 1) not in ("a", "an"):
        return j
    assert q.value is not None
    if r.low(j + 2) == "half":
        q.value += 0.5
        return j + 3
    if r.low(j + 2) in ("quarter", "third"):
        q.value += 1 / FRACTION_WORDS[r.low(j + 2)]
        return j + 3
    return j


def scale_words(r: ReaderBase, q: Quantity, i: int, j: int) -> int | None:
    """"1.2 million", "5bn", "4 thousand", "$1.2-billion", "two dozen" ("30m" is decided with the units)."""
    while j < r.n:
        s = r.low(j)
        if s in HYPHENS and r.low(j + 1) in SCALE_WORDS and r.p[j + 1].glued_prev:
            j += 1  # "$1.2-billion"
            s = r.low(j)
        if s in SCALE_WORDS and s not in SHORT_SCALES:
            q.scale *= SCALE_WORDS[s]
            j += 1
        elif s in ("bn", "tn", "mn", "mln", "bln", "trn") or (s in ("b", "k") and r.p[j].glued_prev):
            q.scale *= SCALE_WORDS.get(s, SHORT_SCALES.get(s, 1.0))
            j += 1
        elif r.p[j].text == "M" and r.p[j].glued_prev:
            q.scale *= 1e6
            j += 1
        elif s == "dozen" and not q.word_number:
            q.scale *= 12
            j += 1
        else:
            break
    return j


# What extends an open figure, in order; a rule that completes the figure stops the others.
FIGURE_EXTENSIONS: tuple[tuple[str, FigureExtension], ...] = (
    ("fraction", fraction),
    ("and a half", and_a_fraction),
    ("scale words", scale_words),
)


def figure_at(r: ReaderBase, i: int) -> Quantity | None:
    """The figure starting at piece i (digits, words, scale, fraction, vague), without unit."""
    p = r.p[i]
    if p.junk or p.ordinal:
        return None
    for _, rule in FIGURE_RULES:
        found = rule(r, i)
        if found is not None:
            break
    else:
        return None
    q, j = found
    if j is None:
        return q
    for _, extend in FIGURE_EXTENSIONS:
        after = extend(r, q, i, j)
        if after is None:
            return q
        j = after
    assert q.value is not None
    q.value = q.value * q.scale
    q.last = q.core_last = j - 1
    return q


# -- units --------------------------------------------------------------------------------------------
def age_or_duration(r: UnitReader, q: Quantity, j: int) -> bool:
    """"45-year-old", "three-year-long", "18 month-old", "10 years old", "three weeks (a year)"."""
    k = j + 1 if r.low(j) in HYPHENS else j
    dur = lookup_unit(r.low(k))
    if dur is None or dur[1] != "duration" or (k == j and r.p[k].glued_prev):
        return False
    after = k + 1
    if r.low(after) in HYPHENS and r.low(after + 1) in ("old", "olds"):
        r.set_unit(q, dur[0], "age", after + 1)
    elif r.low(after) == "old":
        r.set_unit(q, dur[0], "age", after)
    elif r.low(after) in HYPHENS and r.low(after + 1) in ("long",):
        r.set_unit(q, dur[0], "duration", after + 1)
    else:
        r.set_unit(q, dur[0], "duration", k)
        r.rate(q)
    return True


def unit_after_hyphen(r: UnitReader, q: Quantity, j: int) -> bool:
    """"a 10-km walk", "a 5-percent rise": a measure or percent glued by a hyphen."""
    if r.low(j) not in HYPHENS or j + 1 >= r.n:
        return False
    hy = lookup_unit(r.p[j + 1].text)
    if hy is None or hy[1] not in ("measure", "percent") or len(r.p[j + 1].text) <= 1:
        return False
    r.set_unit(q, hy[0], hy[1], j + 1)
    return True


def multiword_unit(r: UnitReader, q: Quantity, j: int) -> bool:
    """"square kilometres", "per cent", "cubic metres": the longest multiword unit first."""
    for size in (3, 2):
        key = tuple(r.low(j + d) for d in range(size))
        if key in MULTIWORD_UNITS:
            unit, kind = MULTIWORD_UNITS[key]
            r.set_unit(q, unit, kind, j + size - 1)
            r.rate(q)
            return True
    return False


def million_or_metres(r: UnitReader, q: Quantity, j: int) -> bool:
    """"m" is million after money or before a plural noun ("$30m", "30m viewers"), else metres."""
    if r.low(j) != "m":
        return False
    money = q.currency is not None or r.currency_after(j + 1) is not None
    if money or (r.tag(j + 1) == "NNS" and lookup_unit(r.low(j + 1)) is None):
        q.value = (q.value or 0.0) * 1e6
        q.scale *= 1e6
        q.last = q.core_last = j
        unit_at(r, q, j + 1)
        return True
    r.set_unit(q, "m", "measure", j)
    r.rate(q)
    return True


def currency_word(r: UnitReader, q: Quantity, j: int) -> bool:
    """"euros", "US dollars", "yen", "JPY" after the figure."""
    cur = r.currency_after(j)
    if cur is None:
        return False
    code, end = cur
    q.currency = q.currency or code
    r.set_unit(q, q.currency, "money", end)
    return True


def pounds(r: UnitReader, q: Quantity, j: int) -> bool:
    """"pounds" are sterling after a scale, a "£" or before "sterling", else weight; "lb" is weight."""
    w = r.low(j)
    if w not in ("pounds", "pound", "lb", "lbs") or r.p[j].glued_prev:
        return False
    if w.startswith("pound") and (q.scale > 1 or q.currency == "GBP" or r.low(j + 1) == "sterling"):
        r.set_unit(q, "GBP", "money", j + (1 if r.low(j + 1) == "sterling" else 0))
    else:
        r.set_unit(q, "lb", "measure", j)
    r.rate(q)
    return True


def loose_symbol(r: UnitReader, q: Quantity, j: int) -> bool:
    """A one-letter or ambiguous symbol standing apart ("5 t", "3 in"): no unit (decided)."""
    return r.low(j) in AMBIGUOUS_UNITS and not r.p[j].glued_prev and r.p[j].text not in ("L", "W", "V")


def one_piece_unit(r: UnitReader, q: Quantity, j: int) -> bool:
    """"km", "kg", "°C", "2.14degF", "5 deg C": a unit that is no currency."""
    u = lookup_unit(r.p[j].text)
    if u is None and r.low(j) == "deg":
        u = ("degree", "measure")
    if u is None or u[1] == "money":
        return False
    r.set_unit(q, u[0], u[1], j)
    if u[1] == "measure":
        r.rate(q)
    return True


def percent_sign(r: UnitReader, q: Quantity, j: int) -> bool:
    """"%", "24pc"."""
    w = r.low(j)
    if w == "%" or (w == "pc" and r.p[j].glued_prev):
        r.set_unit(q, "%", "percent", j)
        return True
    return False


# The order in which the pieces after a figure are read for its unit.
UNIT_RULES: tuple[tuple[str, UnitRule], ...] = (
    ("age or duration", age_or_duration),
    ("unit after a hyphen", unit_after_hyphen),
    ("multiword unit", multiword_unit),
    ("m: million or metres", million_or_metres),
    ("currency word", currency_word),
    ("pounds: money or weight", pounds),
    ("loose ambiguous symbol", loose_symbol),
    ("one-piece unit", one_piece_unit),
    ("percent sign", percent_sign),
)


def unit_at(r: UnitReader, q: Quantity, j: int) -> None:
    """Read the unit starting at piece j into q (and extend q.last): the first of `UNIT_RULES` that decides."""
    if j >= r.n:
        return
    for _, rule in UNIT_RULES:
        if rule(r, q, j):
            return


# -- reading around a figure --------------------------------------------------------------------------
def currency_before(r: FilterReader, q: Quantity) -> None:
    r.currency_before(q)


def comparator_before(r: FilterReader, q: Quantity) -> None:
    r.comparator_before(q)


def unit_after(r: FilterReader, q: Quantity) -> None:
    unit_at(r, q, q.last + 1)


def currency_after_of(r: FilterReader, q: Quantity) -> None:
    """"millions of dollars": a vague amount of a currency."""
    if q.vague and q.unit is None and r.low(q.last + 1) == "of":
        cur = r.currency_after(q.last + 2)
        if cur is not None:
            q.currency = cur[0]
            r.set_unit(q, cur[0], "money", cur[1])


def currency_is_the_unit(r: FilterReader, q: Quantity) -> None:
    """"$5": a currency written before the figure and no unit after it is the unit (a rate may follow)."""
    if q.currency is not None and q.kind is None:
        q.unit, q.kind = q.currency, "money"
        q.unit_last = q.unit_last if q.unit_last is not None else q.core_last
        r.rate_money(q)


def approximation_after(r: FilterReader, q: Quantity) -> None:
    """"50 or so", "20-odd", "a dozen-plus"."""
    nxt = r.low(q.last + 1)
    if nxt in APPROX_AFTER or (nxt == "or" and r.low(q.last + 2) == "so"):
        q.approx = True
        q.last += 2 if nxt == "or" else 1


# What is read around a figure, every step in order.
READING_STEPS: tuple[tuple[str, Step], ...] = (
    ("currency before", currency_before),
    ("comparator before", comparator_before),
    ("unit after", unit_after),
    ("currency after 'of'", currency_after_of),
    ("currency is the unit", currency_is_the_unit),
    ("approximation after", approximation_after),
)


def quantity_at(r: FilterReader, i: int) -> Quantity | None:
    """The quantity whose figure starts at piece i: the figure, then `READING_STEPS`."""
    q = figure_at(r, i)
    if q is None:
        return None
    if q.core_last < 0:
        q.core_last = q.last
    for _, step in READING_STEPS:
        step(r, q)
    return q


# -- completing, testing and finishing ----------------------------------------------------------------
def counted_noun(r: FilterReader, q: Quantity) -> None:
    if q.unit is None:
        r.counted(q)


def comparator(r: FilterReader, q: Quantity) -> None:
    if q.span_start < 0:
        r.comparator_before(q)


def age_in_apposition(r: FilterReader, q: Quantity) -> None:
    """"Maddon, 66, has ...": a whole number between commas after a name is an age."""
    doc = r.doc
    first_tok = r.p[q.first].tok
    if (
        q.unit is None
        and q.counted is None
        and not q.word_number
        and q.value is not None
        and float(q.value).is_integer()
        and MIN_AGE <= q.value <= MAX_AGE
        and first_tok >= 2
        and first_tok + 1 < len(doc)
        and doc[first_tok - 1].text == ","
        and doc[first_tok - 2].pos_ == "PROPN"
        and doc[first_tok + 1].text in (",", ")")
    ):
        q.unit, q.kind = "year", "age"


def age_after_aged(r: FilterReader, q: Quantity) -> None:
    """"aged 45", "age of 12", "ages 5 to 7"."""
    doc = r.doc
    first_tok = r.p[q.first].tok
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


# Every step in order, on a figure combined with its neighbours (ranges).
COMPLETION_STEPS: tuple[tuple[str, Step], ...] = (
    ("counted noun", counted_noun),
    ("comparator", comparator),
    ("age in apposition", age_in_apposition),
    ("age after 'aged'", age_after_aged),
)


def _first_core(q: Quantity) -> int | None:
    return next((int(n.split(":")[1]) for n in q.notes if n.startswith("first_core:")), None)


def phone_number(r: FilterReader, q: Quantity) -> bool:
    """"123-4567" read as a range."""
    return (
        q.is_range
        and q.unit is None
        and _PHONE.fullmatch(r.text[r.p[q.first].start : r.p[q.last].end].replace(" ", "")) is not None
    )


def range_of_years(r: FilterReader, q: Quantity) -> bool:
    """"1998-2004", "from 2010 to 2015" (unless it counts a plural noun)."""
    if not q.is_range:
        return False
    first_core = _first_core(q)
    if first_core is not None and _FOUR_DIGITS.fullmatch(r.p[first_core].text) and q.unit is None:
        lo = q.low or 0
        if FIRST_YEAR <= lo <= LAST_YEAR and (q.high or 0) <= LAST_YEAR and not r.counts_plural_noun(q):
            return True
    return False


def lone_number_word(r: FilterReader, q: Quantity) -> bool:
    """"one of them", "the two": a number word that counts nothing and measures nothing."""
    return q.word_number and q.unit is None and q.counted is None and not q.is_range and not q.fraction


def date_or_time(r: FilterReader, q: Quantity) -> bool:
    return r.is_date_or_time(q)


def year(r: FilterReader, q: Quantity) -> bool:
    return r.is_year(q)


def label(r: FilterReader, q: Quantity) -> bool:
    return r.is_label(q)


def score(r: FilterReader, q: Quantity) -> bool:
    return r.is_score(q)


def digit_run(r: FilterReader, q: Quantity) -> bool:
    return r.is_digit_run(q)


# What is not a quantity: a figure for which any of these holds is dropped (the tests read, never change).
NOT_A_QUANTITY: tuple[tuple[str, Test], ...] = (
    ("phone number", phone_number),
    ("date or time", date_or_time),
    ("year", year),
    ("label", label),
    ("score", score),
    ("digit run", digit_run),
    ("range of years", range_of_years),
    ("lone number word", lone_number_word),
)


def fraction_unit(r: FilterReader, q: Quantity) -> None:
    if q.fraction:
        q.unit, q.kind = q.unit or "fraction", q.kind or "other"


def whose_age(r: FilterReader, q: Quantity) -> None:
    """"a 45-year-old man": the age of whom."""
    if q.kind == "age" and q.counted is None and q.unit_last is not None:
        r.counted(q)


def change(r: FilterReader, q: Quantity) -> None:
    r.change(q)


# Every step in order, on a figure that is a quantity.
FINAL_STEPS: tuple[tuple[str, Step], ...] = (
    ("fraction unit", fraction_unit),
    ("whose age", whose_age),
    ("change", change),
)


def finish(r: FilterReader, q: Quantity) -> Number | None:
    """The `Number` of a quantity read: `COMPLETION_STEPS`, `NOT_A_QUANTITY`, `FINAL_STEPS`; None when the
    figure is no quantity."""
    for _, step in COMPLETION_STEPS:
        step(r, q)
    for _, test in NOT_A_QUANTITY:
        if test(r, q):
            return None
    for _, step in FINAL_STEPS:
        step(r, q)
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
        counted_key=counted_key(q.counted, q.counted_tok >= 0 and r.doc[q.counted_tok].tag_ in PLURAL_TAGS),
        approx=q.approx or q.vague,
        value_low=q.low,
        value_high=q.high,
        comparator=q.comparator,
        change=q.change,
    )
