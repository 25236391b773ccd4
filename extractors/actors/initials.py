"""Initials and acronyms of organisation names: one rule within a story (an acronym joins the name it
abbreviates) and across stories (`canon.merge_across_stories`, and the SQL twin with which the warehouse
finds the stored organisations an acronym may abbreviate).

- `initials(name)`: the first letters, upper-cased, of the words and hyphen parts of a name that begin
  with a letter, function words (`INITIALS_SKIP`) left out: "Bank of England" -> "BE", "Agence
  France-Presse" -> "AFP", "Standard & Poor's" -> "SP";
- `acronym_key(text)`: an acronym as it is compared with initials: dots and spaces dropped, upper case
  ("U.N." -> "UN"); an "&" stays, so "S&P" is not the initials of "Standard & Poor's" ("SP");
- `ACRONYM`: what an acronym looks like: dotted capitals ("U.N.") or two to eight capitals and "&"
  ("KCNA", "S&P");
- `initials_sql(column)`: `initials` as a DuckDB expression over a VARCHAR column (tests check that the
  two agree).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ACRONYM", "INITIALS_SKIP", "acronym_key", "initials", "initials_sql"]

ACRONYM: Final = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z&]{1,7}$")
# Function words an acronym leaves out ("Bank of England" -> "BE", "Médecins du Monde" -> "MM").
INITIALS_SKIP: Final = frozenset({
    "of", "for", "the", "and", "on", "de", "du", "des", "la", "le", "in", "to", "at", "a", "an", "'s", "&",
})  # fmt: skip
_PARTS = re.compile(r"[\s-]+")


def initials(name: str) -> str:
    """"Organisation for Economic Co-operation and Development" -> "OECD"."""
    parts = _PARTS.split(name)
    return "".join(p[0].upper() for p in parts if p and p.lower() not in INITIALS_SKIP and p[0].isalpha())


def acronym_key(text: str) -> str:
    """"U.N." -> "UN": the acronym as its initials are compared with it."""
    return text.replace(".", "").replace(" ", "").upper()


def initials_sql(column: str) -> str:
    """`initials(column)` in DuckDB SQL (`column` is an SQL expression of type VARCHAR)."""
    skip = ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(INITIALS_SKIP))
    return (
        f"array_to_string(list_transform(list_filter(regexp_split_to_array({column}, '[\\s-]+'), "
        f"w -> w <> '' AND lower(w) NOT IN ({skip}) AND regexp_matches(w, '^\\p{{L}}')), "
        "w -> upper(left(w, 1))), '')"
    )
