"""Quotes with their speakers resolved to actors of the story.

Three kinds of `Quote` come out of `extract_quotes`:

- ``direct``: a whole sentence or clause between quote marks (``"We will win," she said.``);
- ``partial``: a fragment between quote marks inside a sentence of the reporter's own
  (``the ministry said the deal was "a clear violation" of the rules``);
- ``indirect``: reported speech without quote marks, the complement of a reporting verb
  (``he said that ...``, ``..., according to X``, ``Y quoted X as saying ...``).

How it works, in order:

1. `scan.scan_quotes` walks the text once with a small state machine and returns the spans between
   quote marks (straight, curly, guillemets, single quotes told apart from apostrophes, nested quotes
   kept inside their outer quote, a paragraph that opens a quote and never closes it continued by the
   next paragraph when that one starts with an opening mark).
2. Each span is attributed from the dependency parse of its sentence, by the rules of
   `rules.ATTRIBUTION_RULES` in their order: the reporting verb the quote hangs from (or that hangs from
   the quote), else the nearest one outside the quote marks, and its subject; "according to X"; "Y quoted
   X as saying" (X); never the object of "told" ("told AFP", "told reporters"). Words quoted inside a
   clause with no reporting verb belong to that clause's subject when it can speak (`Reid pounded Trump
   as a "con artist"`). Other forms: `"..." -- Jane Doe`, transcript turns (`"PENCE: ..."`), headlines
   (`Obama Sees 'Personal Insult'`). Spans with no cue ("floating" quotes) inherit, by the rules of
   `rules.INHERITANCE_RULES` in their order, the speaker of the quote just before them (same paragraph,
   or the last quote of the previous paragraph when nothing but its attribution follows it), else of the
   quote just after them, else the person the reporter's sentence just before them is about, or who
   introduces them with ":".
   The trained speaker ranker (`ranker`) then chooses each attributed segment's speaker among the
   candidates that every finder and inheritance rule proposes, the rules' own choice among its features
   and the fallback (no data file, a layout form such as a dash signature, a choice within the margin).
3. Scare quotes and titles are quotes of nobody and are left out (not returned): words after "so-called",
   "dubbed", "titled", "nicknamed"...; Capitalised titles of shows, books or forums (`on "Face the Nation"`,
   three or more Capitalised words outside a headline); a nickname inside a name (`Robert "Bobby" Scott`);
   a quoted function word ("he"); a stage direction ("(CROSSTALK)"); and any fragment inside a sentence
   for which no speaker is found at all.
4. Speakers are resolved to actors through `mentions`: a name through the mention that covers the head
   of the speaker phrase, a pronoun or a definite nominal ("he", "it", "the ministry") through the most
   recent compatible speaker or subject before it. What cannot be resolved keeps ``speaker=None``; a
   proper nominal that is no actor ("Seoul's foreign ministry") keeps its own words as `speaker`.

Modules (the package's public names are `extract_quotes` and `REPORTING_VERBS`):

- `lexicon`: the word lists (reporting verbs, cue particles, speaker nouns, scare-quote and title cues);
- `scan`: the quote-mark scanner (step 1);
- `types`: the working records (`Seg`, `Speaker`, `Event`);
- `parse`: cues and speaker phrases read from the dependency parse;
- `context`: `QuoteContext`, one story's text, tokens, sentences and segments with lookups over them;
- `speakers`: the speaker finders, one per form of attribution;
- `rules`: the ordered rule tables `ATTRIBUTION_RULES` and `INHERITANCE_RULES` (step 2);
- `ranker`: the trained speaker ranker over the candidates (weights in `data/speaker_ranker.json`, written by
  `extractors.training.train_speaker_ranker`);
- `filters`: scare quotes and titles, direct against partial (step 3);
- `indirect`: reported speech without quote marks;
- `resolve`: `Resolver`, speaker phrases to actors (step 4);
- `extractor`: `extract_quotes`, the steps in order.

Errors: the package raises none of its own (bad input is the caller's `extractors.errors`).
"""

from __future__ import annotations

from .extractor import extract_quotes
from .lexicon import REPORTING_VERBS

__all__ = ["REPORTING_VERBS", "extract_quotes"]
