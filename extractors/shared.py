"""The extractor helpers the warehouse may use: pure functions and classes, no I/O, listed here so that
what `warehouse/` takes from `extractors/` beyond record types is one short, deliberate list.

tests/unit/test_layering.py allows `warehouse/` to import from `extractors` only these names, the record
types of `extractors.records`, the error tree of `extractors.errors` and the id helpers of
`extractors.ids`. Each name keeps its home where the rule is written; this module only re-exports it.

- Near-duplicate fingerprints (home `extractors.dedup`): `MinHasher` (signatures and LSH band keys) and
  `shingle_hashes`. The warehouse needs them itself: it fingerprints the bodies it reads back from
  storage (candidates found through their stored band keys, `wire dedup --reindex`), which no stage
  before it can do.
- Short forms across stories (homes `extractors.actors.canon` and `extractors.actors.initials`):
  `merge_across_stories` (a one-word person or an acronym mapped to the only full actor of the
  collection that bears it), `acronym_key` (the letters an acronym is compared by) and `initials_sql`
  (the initials rule as a DuckDB expression, so that the warehouse reads only the stored organisations
  whose initials match a batch's acronyms).
"""

from __future__ import annotations

from .actors.canon import merge_across_stories
from .actors.initials import acronym_key, initials_sql
from .dedup import MinHasher, shingle_hashes

__all__ = ["MinHasher", "acronym_key", "initials_sql", "merge_across_stories", "shingle_hashes"]
