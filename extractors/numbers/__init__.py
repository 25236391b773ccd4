"""Numbers with what they count.

`extract_numbers(doc)` finds the figures of a parsed story body and returns `Number` records with
the value, a range and approximation flags, the unit (ISO currency code, "%", "pp", "km", "year" ...)
or the counted head noun ("600 North Korean soldiers" -> counted "soldiers", modifier "North Korean",
grouping key `counted_key` "soldier"), a comparator ("more than", "up to" ...) and the direction of a
change ("up"/"down").

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

Modules:

- `rules`: the grammar's rules as named functions in ordered tables (`FIGURE_RULES`, `FIGURE_EXTENSIONS`,
  `UNIT_RULES`, `READING_STEPS`, `COMPLETION_STEPS`, `NOT_A_QUANTITY`, `FINAL_STEPS`), the order in which
  they are tried, and `finish` (a quantity read -> `Number`); its docstring says how to add a rule;
- `lexicon`: patterns and word sets of the grammar (the number words, units and currencies are in
  `extractors.numwords`, month names in `extractors.months`);
- `pieces`: tokens split into pieces (`split_pieces`), the `Quantity` being read;
- the reader's state and the look-ups the rules share, in four layers, each a class of its own module:
  `base.ReaderBase` (pieces, number words), `units.UnitReader` (currency words and signs, rates,
  comparators), `context.ContextReader` (counted noun, change), `filters.FilterReader` (dates, years,
  labels, scores, digit runs);
- `counted`: `counted_key`, the counted noun folded for grouping (lower-case singular: "people" -> "person"),
  which `rules.finish` sets from the noun and its tag;
- `reader`: `Reader`, the walk over the pieces (a quantity at each piece that can start one) and the
  combining of neighbouring figures (ranges, lists);
- `extract`: `extract_numbers`.

Errors: the package raises none of its own.
"""

from __future__ import annotations

from .extract import extract_numbers

__all__ = ["extract_numbers"]
