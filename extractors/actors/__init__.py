"""Actors (people, organisations, places, groups) with titles, resolved within a story.

Recognition combines three layers over one spaCy pass:
  1. the bundled CoNLL-2003 ner (doc.spans["conll"], see extractors.nlp): PER/ORG/LOC;
  2. `doc.ents` under OntoNotes labels: the same CoNLL entities relabelled (PERSON/ORG/GPE; MISC names as
     NORP/ORG by `extractors.ner.misc_labels`, see extractors.nlp: one ner pass), or the base model's
     own ner when the CoNLL model is not installed: boundary repair, NORP groups, fall-back;
  3. rules: datelines ("SEOUL (AFP) -"), news agencies, "X region" places, "Org (ACR)" acronyms,
     organisation nominals ("Seoul's foreign ministry"), repeated names in all-caps lines.
Mentions are then resolved within the story (surname -> full name by title and recency, acronym <->
expansion, capital -> country when the country is named) and given canonical ids
(`extractors.ids.actor_id(canonical_name, kind)`).

Kinds: person, org (companies, agencies, ministries, parties, armed groups, teams), place, group
(collectives named by a nationality/religion/ideology word used as a noun: "the Kurds", "Shiites",
"the Taliban" when the ner calls it MISC). Nationality adjectives ("North Korean soldiers") are not
actors.

Output: every mention of a person/org/place/group (short forms "Shoigu", "KCNA", capitals in
headlines included) is a `Mention` carrying the full actor's id; an organisation nominal mention
("Seoul's foreign ministry") may contain a place mention ("Seoul"). `Actor.aliases` lists the other
surface forms seen (plus "Kursk region", "Russia's Security Council", "TASS news agency"),
`Actor.titles` the titles/roles bound to the actor and `Actor.title_orgs` the canonical names of the
organisations named in those titles. Canonical names: the longest personal name (honorifics dropped),
the expansion of an acronym, the gazetteer name of a country ("U.S." -> "United States") or agency
("KCNA" -> "Korean Central News Agency"). A story that only says "Blair" gives the actor "Blair":
`canon.merge_across_stories` settles such short forms over a collection.

Modules:

- `rules`: the builder's order as named tables (`RECOGNITION_PASSES`, `CONLL_SPAN_RULES`, `MENTION_STEPS`,
  `CLUSTER_PASSES`); its docstring says how to add a rule;
- `extract`: `extract_actors`, the tables run in order, then titles and output;
- the builder in layers, one class per module, each holding the rules of its stage: `base.BuilderBase`
  (state, adding a mention, span tests), `passes.RecognitionPasses` (datelines, agencies, region places,
  groups, acronyms, nominals), `recognise.Recogniser` (base entities, the CoNLL span rules, corporate
  names, repeats, parts of names), `resolve.Resolution` (byline, kind votes, the cluster passes),
  `build.Builder` (titles, output records);
- `lexicon` (kinds, patterns, word sets), `spans` (working records: candidates, clusters, the clustering
  state; span helpers), `initials` (initials and acronyms of organisation names, in Python and in SQL,
  the one rule used within and across stories);
- `gazetteer` (places, capitals, honorifics, title words; news agencies are in `extractors.agencies`),
  `titles` (title phrases bound to a name), `tokens` (`TokView`, a story's tokens read once and shared by
  the extractors), `canon` (canonical names across stories: `merge_across_stories`).

Errors: the package raises none of its own.
"""

from __future__ import annotations

from .canon import merge_across_stories
from .extract import extract_actors
from .tokens import TokView

__all__ = ["TokView", "extract_actors", "merge_across_stories"]
