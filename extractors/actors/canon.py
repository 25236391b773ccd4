"""Across stories: map actors known only by a short form to the full actor of the collection.

`extract_actors` makes ids canonical within what one story says (kind + normalised full name, the
surname joins the full name, acronyms their expansion, country aliases one country). A story that only
says "Blair" cannot know "Tony"; over many stories it can be settled: `merge_across_stories` maps the
id of a one-word person to the id of the only full-name person of the collection bearing that word
(when several do, the one sharing a title word), and an acronym-only organisation to the only
organisation whose initials it is. Pure function: the warehouse applies the mapping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..ids import normalise_name
from ..records import Actor
from .initials import ACRONYM, acronym_key, initials

__all__ = ["merge_across_stories"]

# Function words left out of the title words that tell namesakes apart ("Minister of Defence": minister, defence).
_TITLE_SKIP = frozenset({"of", "for", "the", "and", "on", "de", "in", "to", "at", "a", "an", "'s"})


def _title_words(actor: Actor) -> set[str]:
    return {w for t in actor.titles for w in normalise_name(t).split() if w not in _TITLE_SKIP}


def merge_across_stories(actors: Iterable[Actor]) -> dict[str, str]:
    """actor_id -> actor_id of the full actor, for short-form actors that resolve unambiguously."""
    full_people: dict[str, Actor] = {}
    short_people: dict[str, list[Actor]] = defaultdict(list)
    orgs: dict[str, Actor] = {}
    acronyms: dict[str, list[Actor]] = defaultdict(list)
    titles: dict[str, set[str]] = defaultdict(set)
    for a in actors:
        titles[a.actor_id] |= _title_words(a)
        words = normalise_name(a.name).split()
        if a.kind == "person":
            if len(words) > 1:
                full_people[a.actor_id] = a
            elif words:
                short_people[words[0]].append(a)
        elif a.kind == "org":
            if ACRONYM.match(a.name.replace(" ", "")):
                acronyms[acronym_key(a.name)].append(a)
            elif len(words) > 1:
                orgs[a.actor_id] = a
    by_word: dict[str, set[str]] = defaultdict(set)
    for aid, a in full_people.items():
        words = normalise_name(a.name).split()
        by_word[words[-1]].add(aid)
        by_word[words[0]].add(aid)
    mapping: dict[str, str] = {}
    for word, shorts in short_people.items():
        cands = by_word.get(word, set())
        for short in shorts:
            chosen = cands
            if len(chosen) > 1:
                chosen = {c for c in cands if titles[c] & titles[short.actor_id]}
            if len(chosen) == 1:
                mapping[short.actor_id] = next(iter(chosen))
    by_initials: dict[str, set[str]] = defaultdict(set)
    for aid, a in orgs.items():
        by_initials[initials(a.name)].add(aid)
    for key, shorts in acronyms.items():
        cands = by_initials.get(key, set())
        if len(cands) == 1:
            for short in shorts:
                mapping[short.actor_id] = next(iter(cands))
    return mapping
