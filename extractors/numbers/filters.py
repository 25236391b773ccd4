"""What is not a quantity: dates, times, years, labels, digit runs, scores."""

from __future__ import annotations

import re

from ..months import ENGLISH_MONTH_WORDS as MONTHS
from ..numwords import (
    DOWN_WORDS,
    LABEL_NOUNS,
    SCORE_CONTEXT,
    TIME_AFTER,
    UP_WORDS,
)
from .context import ContextReader
from .lexicon import (
    FIRST_DAY,
    FIRST_MODERN_YEAR,
    FIRST_YEAR,
    LAST_CLOCK_TIME,
    LAST_DAY,
    LAST_YEAR,
    SEPARATORS,
)
from .pieces import (
    Quantity,
)

__all__ = ["FilterReader"]

# Words before an early 4-digit figure that make it a year ("in 1066", "since 1707").
YEAR_BEFORE = frozenset({"in", "since", "until", "till", "circa", "c.", "from", "of"})


class FilterReader(ContextReader):
    """Tests that tell a figure that is no quantity."""

    # -- filters ------------------------------------------------------------------------------
    def is_date_or_time(self, q: Quantity) -> bool:
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

        if FIRST_DAY <= v <= LAST_DAY or FIRST_YEAR <= v <= LAST_YEAR:
            if month(first_tok - 1) or month(last_tok + 1):
                return True
            if month(first_tok - 2) and doc[first_tok - 1].text in (".", ","):
                return True
            if last_tok + 2 < len(doc) and doc[last_tok + 1].text.lower() == "of" and month(last_tok + 2):
                return True
        return last_tok + 1 < len(doc) and doc[last_tok + 1].text.lower() in TIME_AFTER and v <= LAST_CLOCK_TIME

    def counts_plural_noun(self, q: Quantity) -> bool:
        if q.counted_tok < 0:
            return False
        tok = self.doc[q.counted_tok]
        return tok.tag_ == "NNS" and tok.pos_ == "NOUN"

    def year_like(self, q: Quantity) -> bool:
        """A bare 4-digit figure that reads as a year ("in 1998", "the 2019 list")."""
        if q.unit is not None or q.currency is not None or q.scale != 1 or q.word_number or q.fraction:
            return False
        text = self.p[q.core_last].text
        if not re.fullmatch(r"\d{4}", text):
            return False
        v = int(text)
        first_tok = self.p[q.first].tok
        prev = self.doc[first_tok - 1].text.lower() if first_tok > 0 else ""
        if FIRST_MODERN_YEAR <= v <= LAST_YEAR:
            return True
        return FIRST_YEAR <= v < FIRST_MODERN_YEAR and prev in YEAR_BEFORE

    def is_year(self, q: Quantity) -> bool:
        if not self.year_like(q):
            return False
        first_tok = self.p[q.first].tok
        prev = self.doc[first_tok - 1].text.lower() if first_tok > 0 else ""
        if prev in ("in", "since", "until", "till", "during", "circa", "c.", "by", "the", "its", "their", "'s", "’s"):
            return True  # "the 1998 finals", "in 2021 most people"
        return not self.counts_plural_noun(q)

    def is_label(self, q: Quantity) -> bool:
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

    def is_digit_run(self, q: Quantity) -> bool:
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
            if not 0 <= other < self.n or self.low(sep) not in SEPARATORS:
                continue
            glued = self.p[sep].glued_prev and (self.p[other].glued_prev if right else self.p[q.first].glued_prev)
            if glued and (self.p[other].junk or (self.p[other].text[:1] == "0" and self.p[other].value is not None)):
                return True
        if q.unit is not None or q.currency is not None or q.scale != 1 or q.word_number:
            return False
        return (self.is_num(q.core_last + 1) and not self.p[q.core_last + 1].glued_prev) or (
            self.is_num(q.first - 1) and self.p[q.first - 1].value is not None and not q.is_range
        )

    def _changed_before(self, q: Quantity) -> bool:
        tok = self.doc[self.p[q.span_start].tok]
        if tok.i == 0:
            return False
        prev = self.doc[tok.i - 1].text.lower()
        return prev in UP_WORDS or prev in DOWN_WORDS or prev in ("by", "at")

    def is_score(self, q: Quantity) -> bool:
        """Results and tallies written "X-Y": "2-2", "56-13 winners", "228-9" (a range ascends)."""
        if not q.is_range or q.unit is not None or "between" in q.notes or not ({"-", "–"} & q.notes):
            return False
        if q.low is None or q.high is None or not float(q.low).is_integer() or not float(q.high).is_integer():
            return False
        first_core = next((int(n.split(":")[1]) for n in q.notes if n.startswith("first_core:")), None)
        first = self.p[first_core].value if first_core is not None else None
        descending = first is not None and first > q.low
        return descending or q.counted is None or q.counted.lower() in SCORE_CONTEXT
