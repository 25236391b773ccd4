"""The actor builder's rules, in the order they are applied.

Four ordered tables hold the order, and each rule is a named method of the builder's layers (`passes`,
`recognise`, `resolve`), called with the story's `Builder`:

- `RECOGNITION_PASSES`: the passes that find candidate mentions, every pass in order. A pass that comes
  earlier takes its tokens first (a later one adds a mention over taken tokens only when it forces it:
  a full agency name over pieces of it, an acronym in brackets).
- `CONLL_SPAN_RULES`: what one span of the CoNLL ner becomes (the "model entities" pass): the first rule
  that decides wins (a rule may decide that the span is no actor).
- `MENTION_STEPS`: what fixes the mentions once found, every step in order: corporate names, repeats in
  capitals, parts of names, byline names, kinds.
- `CLUSTER_PASSES`: how mentions are grouped into actors, every pass in order: full names first, then
  the one-word persons and acronyms that join them, then merges of clusters.

`extract_actors` runs them in this order, then binds titles and builds the records (`build.Builder`).
To add a rule, write a method of the same signature in the layer it belongs to and put it in the table
at the place where it must be tried; the order is the behaviour (the output-identity golden in
tests/golden shows the effect).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .build import Builder
from .spans import Cluster, Clustering

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = [
    "CLUSTER_PASSES",
    "CONLL_SPAN_RULES",
    "MENTION_STEPS",
    "RECOGNITION_PASSES",
    "cluster",
    "model_entities",
    "recognise",
]

Pass = Callable[[Builder], None]
SpanRule = Callable[[Builder, "Span"], bool]
ClusterPass = Callable[[Builder, Clustering], None]

# What one CoNLL span becomes: the first rule that decides wins.
CONLL_SPAN_RULES: tuple[tuple[str, SpanRule], ...] = (
    ("MISC organisation", Builder.misc_org),
    ("MISC group", Builder.misc_group),
    ("MISC name in capitals", Builder.misc_in_capitals),
    ("other MISC: no actor", Builder.other_misc),
    ("label of no actor kind", Builder.no_actor_label),
    ("nationality word", Builder.nationality),
    ("sentence adverb", Builder.sentence_adverb),
    ("nationality taken for a person", Builder.nationality_as_person),
    ("name", Builder.name),
)


def model_entities(b: Builder) -> None:
    """The ner's mentions: each CoNLL span through `CONLL_SPAN_RULES`, then the base model's multi-word
    people the CoNLL model missed; without the CoNLL ner, the base model's entities."""
    if not b.has_conll():
        b.base_only()
        return
    for span in b.joined_conll():
        for _, rule in CONLL_SPAN_RULES:
            if rule(b, span):
                break
    b.base_people()


# The passes that find candidate mentions, in order.
RECOGNITION_PASSES: tuple[tuple[str, Pass], ...] = (
    ("base model entities", Builder.base_entities),
    ("datelines", Builder.datelines),
    ("region places", Builder.region_places),
    ("model entities", model_entities),
    ("news agencies", Builder.agencies),
    ("nationality groups", Builder.groups),
    ("acronyms in brackets", Builder.acronyms),
    ("organisation nominals", Builder.org_nominals),
    ("mention texts", Builder.mention_texts),
)


def recognise(b: Builder) -> None:
    for _, step in RECOGNITION_PASSES:
        step(b)


# What fixes the mentions once found, in order.
MENTION_STEPS: tuple[tuple[str, Pass], ...] = (
    ("corporate names", Builder.corporate),
    ("repeats in capitals", Builder.caps_repeats),
    ("parts of names", Builder.name_parts),
    ("byline names dropped", Builder.drop_byline),
    ("kinds voted", Builder.vote_kinds),
)

# How mentions are grouped into actors, in order.
CLUSTER_PASSES: tuple[tuple[str, ClusterPass], ...] = (
    ("full names", Builder.full_names),
    ("sub-names of longer names", Builder.sub_names),
    ("one-word persons and acronyms", Builder.single_words),
    ("organisation short forms", Builder.org_short_forms),
    ("agency names", Builder.agency_names),
    ("capitals of named countries", Builder.capitals),
)


def cluster(b: Builder) -> list[Cluster]:
    """The mentions (in text order) grouped by `CLUSTER_PASSES`."""
    b.mentions.sort(key=lambda m: (m.start, -m.end))
    st = Clustering()
    for _, step in CLUSTER_PASSES:
        step(b, st)
    return st.clusters
