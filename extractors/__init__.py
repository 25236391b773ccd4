"""wire's extractors: pure functions from source bytes to `Story` records and from parsed stories to
`Extraction` records (actors, quotes, numbers). No I/O beyond the bytes handed in, no warehouse, no flows.

Modules and packages:

- records and ids: `records` (the typed records), `ids` (stable content ids), `identity` (item and story
  identity), `errors` (the error tree), `version` (`EXTRACTOR_VERSION`, derived from this package's files);
- readers: `readers` (`read_bytes`: the reader chosen by content), `text` (plain-text archives), `html`,
  `feeds` (RSS, Atom, JSON Feed), `agency` (wire formats: NewsML-G2, NITF, ninjs, NewsML 1, ANPA, IPTC 7901),
  `gaps` (items with little text), `clean` (text clean-up, bylines), `charset` (declared vs actual
  encodings), `lang` (language detection and routing, `lang.fr` the French extractors);
- rules shared by the readers and extractors, one home each: `dates` (`parse_datetime`), `months` (month
  names), `datelines` (`split_dateline`, `place_from_dateline`), `agencies` (news agency names);
- extraction: `nlp` (the spaCy pipeline), `extract` (one NLP pass feeding the extractors), `actors`,
  `quotes`, `numbers` (each with its ordered rule tables in `rules`), `numwords` (the number lexicons),
  `ner` (CoNLL reading and the bundled ner's architectures), `dedup` (near-duplicate fingerprints);
- `shared`: the pure helpers the warehouse may use (see tests/unit/test_layering.py);
- `training` (`make train` only) and `models` (the bundled CoNLL ner).
"""

__all__: list[str] = []
