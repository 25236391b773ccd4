"""Unit tests of extractors.numbers on small sentences written for the test."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language

from extractors.nlp import load_nlp
from extractors.numbers import extract_numbers
from extractors.numwords import lookup_currency, lookup_unit, parse_numeral
from extractors.records import Number


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="module")
def nums(nlp: Language) -> Callable[[str], list[Number]]:
    def run(text: str) -> list[Number]:
        doc = nlp(text)
        found = extract_numbers(doc)
        for n in found:  # every record's offsets index the text it came from
            assert text[n.start : n.end] == n.text
        return found

    return run


def one(found: list[Number], value: float | None = None, **attrs: object) -> Number:
    """The only number with `value` (or with value None) and the given attributes."""
    hits = [
        n
        for n in found
        if (
            (value is None and n.value is None)
            or (value is not None and n.value is not None and math.isclose(n.value, value))
        )
        and all(getattr(n, k) == v for k, v in attrs.items())
    ]
    assert len(hits) == 1, f"expected one {value} {attrs} in {found}"
    return hits[0]


# -- values --------------------------------------------------------------------------------------


def test_digits_with_separators_and_decimals(nums: Callable[[str], list[Number]]) -> None:
    found = nums("The firm hired 12,500 workers and paid 3.75 dollars an hour.")
    one(found, 12500, counted="workers", kind="count")
    one(found, 3.75, unit="USD", kind="money")


def test_number_words(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Twenty-five pupils and two teachers met a dozen parents.")
    one(found, 25, counted="pupils")
    one(found, 2, counted="teachers")
    one(found, 12, counted="parents")


def test_half_a_million_and_words_with_scale(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Half a million people left, and four thousand stayed behind in three hundred homes.")
    one(found, 500_000, counted="people")
    one(found, 300, counted="homes")


def test_magnitudes(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Sales reached 1.2 million units, the deal was worth $5bn and the fund holds 3,5 m euros.")
    one(found, 1.2e6, counted="units")
    one(found, 5e9, unit="USD", kind="money")
    one(found, 3.5e6, unit="EUR")


def test_glued_scales_and_currency(nums: Callable[[str], list[Number]]) -> None:
    found = nums("He was paid £2.7m last year and she was offered €40k.")
    one(found, 2.7e6, unit="GBP")
    one(found, 40_000, unit="EUR")


def test_fractions(nums: Callable[[str], list[Number]]) -> None:
    found = nums("A third of the voters stayed home and two-thirds of the members agreed.")
    third = one(found, 1 / 3)
    assert third.unit == "fraction"
    assert third.counted == "voters"
    one(found, 2 / 3, counted="members")


def test_ranges(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Between 3 and 4 percent of homes were hit, and 10 to 15 people were hurt.")
    pct = one(found, 3.5, unit="%")
    assert (pct.value_low, pct.value_high) == (3, 4)
    ppl = one(found, 12.5, counted="people")
    assert (ppl.value_low, ppl.value_high) == (10, 15)


def test_money_range_with_scales(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Flats cost from $800,000 to $1.3 million each, and fines run from 3 to 5 million euros.")
    flats = one(found, kind="money", unit="USD", value=(800_000 + 1.3e6) / 2)
    assert (flats.value_low, flats.value_high) == (800_000, 1.3e6)
    fines = one(found, kind="money", unit="EUR", value=4e6)
    assert (fines.value_low, fines.value_high) == (3e6, 5e6)


def test_hyphen_ranges_bind_first(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Value will rise from 24.2 to 33-35 billion euros, and mileage from 14-18 mpg to 24.")
    money = one(found, kind="money", value=(24.2e9 + 35e9) / 2)
    assert (money.value_low, money.value_high, money.unit) == (24.2e9, 35e9, "EUR")
    mpg = one(found, 16)
    assert (mpg.value_low, mpg.value_high) == (14, 18)
    assert one(found, 24).unit == "mpg"


def test_vague_amounts(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Thousands of troops arrived and hundreds of people were displaced.")
    troops = one(found, None, counted="troops")
    assert troops.approx
    assert troops.value_low is not None and troops.value_high is not None
    assert 1000 <= troops.value_low < troops.value_high <= 10_000
    people = one(found, None, counted="people")
    assert people.value_high is not None and people.value_high <= 1000


def test_tens_of_thousands_of_dollars(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("The tax adds tens of thousands of dollars to the price."), None)
    assert n.unit == "USD" and n.kind == "money" and n.approx
    assert n.value_low is not None and n.value_high is not None
    assert n.value_low >= 10_000 and n.value_high <= 100_000


@pytest.mark.parametrize(
    ("text", "comparator", "value"),
    [
        ("More than 300 people died.", "more than", 300),
        ("Nearly 40 houses burned.", "nearly", 40),
        ("At least 12 climbers were rescued.", "at least", 12),
        ("The plant will hire up to 400 engineers.", "up to", 400),
        ("Fewer than 20 lawmakers voted.", "less than", 20),
        ("About 70 per cent voted no.", "about", 70),
    ],
)
def test_comparators(nums: Callable[[str], list[Number]], text: str, comparator: str, value: float) -> None:
    n = one(nums(text), value)
    assert n.comparator == comparator
    assert n.approx
    assert n.text.lower().startswith(comparator.split()[0]) or comparator == "less than"


def test_exact_figure_has_no_comparator(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("The club sold 300 tickets."), 300)
    assert n.comparator is None and not n.approx


@pytest.mark.parametrize(
    ("text", "value", "change"),
    [
        ("Shares rose 6.5% on Monday.", 6.5, "up"),
        ("The index was up 3.4% at noon.", 3.4, "up"),
        ("Exports fell by 200 tonnes.", 200, "down"),
        ("The FTSE closed -0.6% lower.", -0.6, "down"),
        ("The currency dropped 2 percent against the dollar.", 2, "down"),
    ],
)
def test_changes(nums: Callable[[str], list[Number]], text: str, value: float, change: str) -> None:
    assert one(nums(text), value).change == change


def test_target_after_change_is_no_change(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Exports dropped 7% to $2.3 billion.")
    assert one(found, 7, unit="%").change == "down"
    assert one(found, 2.3e9, unit="USD").change is None


def test_negative_with_minus_word(nums: Callable[[str], list[Number]]) -> None:
    assert one(nums("It was minus 5 degrees overnight."), -5).unit == "degree"


# -- units and counted things --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The bill was $40.", 40, "USD"),
        ("The bill was US$40.", 40, "USD"),
        ("They paid 300 euros.", 300, "EUR"),
        ("The loan was 2 billion yuan.", 2e9, "CNY"),
        ("A ticket costs ¥500.", 500, "JPY"),
        ("The budget is C$6 million.", 6e6, "CAD"),
        ("Rent was HK$9,000.", 9000, "HKD"),
        ("The fine is 4 million Canadian dollars.", 4e6, "CAD"),
        ("It costs 150 USD.", 150, "USD"),
    ],
)
def test_currencies_as_iso_codes(nums: Callable[[str], list[Number]], text: str, value: float, unit: str) -> None:
    n = one(nums(text), value)
    assert (n.unit, n.kind) == (unit, "money")


def test_percent_and_points(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Inflation hit 4.5%, or 0.3 percentage points more, and yields rose 25 basis points.")
    assert one(found, 4.5).unit == "%"
    pp = one(found, 0.3)
    assert (pp.unit, pp.kind) == ("pp", "percent")
    assert one(found, 25).unit == "bp"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The road is 12 km long.", 12, "km"),
        ("They walked 30 miles.", 30, "mile"),
        ("The ship carried 5,000 tonnes of grain.", 5000, "tonne"),
        ("Output rose to 800,000 barrels a day.", 800_000, "barrel/day"),
        ("Winds reached 155mph.", 155, "mph"),
        ("It was 30 degrees outside.", 30, "degree"),
        ("The engine makes 640bhp.", 640, "hp"),
        ("The battery stores 5.5kWh.", 5.5, "kWh"),
        ("The flat measures 70 sq m.", 70, "m2"),
        ("Speeds of 140 km/h were recorded.", 140, "km/h"),
    ],
)
def test_measures(nums: Callable[[str], list[Number]], text: str, value: float, unit: str) -> None:
    n = one(nums(text), value)
    assert (n.unit, n.kind) == (unit, "measure")


def test_durations_and_ages(nums: Callable[[str], list[Number]]) -> None:
    found = nums("The 45-year-old man served a three-year-long term after waiting two hours.")
    age = one(found, 45)
    assert (age.kind, age.unit) == ("age", "year")
    assert age.text == "45-year-old"
    term = one(found, 3)
    assert (term.kind, term.unit) == ("duration", "year")
    assert (one(found, 2).kind, one(found, 2).unit) == ("duration", "hour")


def test_apposition_age(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("Maddon, 66, has lost weight."), 66)
    assert (n.kind, n.unit) == ("age", "year")


def test_counted_head_noun_and_modifier(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("Around 600 North Korean soldiers were killed."), 600)
    assert (n.counted, n.counted_modifier, n.approx, n.kind) == ("soldiers", "North Korean", True, "count")
    assert n.text == "Around 600"


def test_one_of_the(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("She was one of the students who complained."), 1)
    assert n.counted == "students"


def test_one_in_five_is_a_fraction(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("Only one in five firms made a profit."), 0.2)
    assert (n.unit, n.counted) == ("fraction", "firms")


def test_number_noun_compound_counts_the_noun(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("Fans filled the 50,000-seat stadium."), 50_000)
    assert n.counted == "seat"


def test_age_names_whom(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("A 40-year-old man was arrested."), 40)
    assert (n.kind, n.unit, n.counted) == ("age", "year", "man")


def test_currency_needing_its_adjective(nums: Callable[[str], list[Number]]) -> None:
    assert one(nums("It cost 1bn CFA francs a month."), 1e9).unit == "XOF"
    assert one(nums("The state will spend Rs 5,000 crore on roads."), 5e10).unit == "INR"


def test_list_members_share_a_unit(nums: Callable[[str], list[Number]]) -> None:
    found = nums("Lunch costs eight or nine euros.")
    assert one(found, 8).unit == "EUR"
    assert one(found, 9).unit == "EUR"


# -- what is not a number ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The law was passed in 1998 and changed in 2019.",
        "The vote is due on March 29 and the result on 4 April.",
        "The meeting starts at 9:30 and ends at 5 p.m. EDT.",
        "Call 555-0199 for details.",
        "The match ended 2-2 after extra time.",
        "The Lakers won 115-111.",
        "He scored in Game 2 of the series.",
        "The S&P 500 and the Stoxx 600 were closed.",
        "It was the 22nd amendment and the second attempt.",
        "The category 4 hurricane hit the coast.",
        "Each one of them came, and no one left.",
        "Since the 1990s the 2020 model has sold well.",
        "For tickets call (555) 123-4567 today.",
        "He lives at 10 Downing Street.",
        "Chelsea beat Arsenal 3-1 after a 2-0 win.",
        "Bath were 56-13 winners.",
        "They qualified for the 1998 finals.",
    ],
)
def test_not_numbers(nums: Callable[[str], list[Number]], text: str) -> None:
    assert nums(text) == []


def test_years_with_plural_counted_nouns_are_counts(nums: Callable[[str], list[Number]]) -> None:
    n = one(nums("The company will add 2000 jobs."), 2000)
    assert n.counted == "jobs"


@pytest.mark.parametrize(
    "text",
    ["", "$", "% per cent", "between and", "minus - 5 -", "1,000,000,000,000,000 km", "½ of ⅔", "3,5 m m m"],
)
def test_awkward_input_gives_valid_records(nums: Callable[[str], list[Number]], text: str) -> None:
    for n in nums(text):  # the fixture checks the offsets
        assert n.start < n.end
        assert n.value is not None or (n.value_low is not None and n.value_high is not None)


def test_no_figures_no_records(nums: Callable[[str], list[Number]]) -> None:
    assert nums("Nothing to count here, says the mayor.") == []


# -- lexicon helpers -----------------------------------------------------------------------------


def test_lexicon_helpers() -> None:
    assert parse_numeral("5,000") == 5000
    assert parse_numeral("3,5") == 3.5
    assert parse_numeral("-1.3") == -1.3
    assert parse_numeral("abc") is None
    assert lookup_unit("kilometers") == ("km", "measure")
    assert lookup_unit("per cent") == ("%", "percent")
    assert lookup_unit("nonsense") is None
    assert lookup_currency("US$") == "USD"
    assert lookup_currency("Hong Kong dollars") == "HKD"


# -- seed story (read from ../shared, never copied) ----------------------------------------------


def _shared() -> Path:
    env = os.environ.get("WIRE_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.mark.corpus
def test_seed_gold_numbers(nlp: Language) -> None:
    shared = _shared()
    gold_path = shared / "gold" / "000_6667e44cdf16746f.gold.json"
    seed_path = shared / "seeds" / "000_6667e44cdf16746f.txt"
    if not gold_path.exists() or not seed_path.exists():
        pytest.skip(f"seed story or gold not found under {shared} (set WIRE_SHARED)")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    lines = seed_path.read_text(encoding="utf-8").split("\n\n")
    # body = story without the date/caption line, the byline and the trailer
    body = "\n\n".join(p for p in lines[2:] if not p.strip().startswith("©")).strip()
    assert body.startswith(gold["metadata"]["body_starts"])
    found = extract_numbers(nlp(body))
    for g in gold["numbers"]["required"]:
        hits = [
            n
            for n in found
            if n.value == g["value"]
            and (n.counted or "").casefold() == g["counted"].casefold()
            and n.approx == g["approx"]
        ]
        assert hits, f"missing {g} in {found}"
    soldiers = next(n for n in found if n.counted == "soldiers")
    assert soldiers.counted_modifier == "North Korean"
    troops = [n for n in found if n.counted == "troops"]
    assert troops and troops[0].value is None and troops[0].approx
