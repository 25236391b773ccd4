"""The builder's state, adding a candidate mention, and the tests recognition applies to base-model and CoNLL spans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..records import ActorKind
from .gazetteer import (
    TITLE_WORDS,
    capital_country,
    country_name,
    is_known_place,
)
from .tokens import TokView

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span
from .lexicon import (
    BASE_KIND,
    CONLL_SPANS_KEY,
    NAME_PARTICLES,
    ORG_HEADS,
)
from .spans import (
    Candidate,
    Ent,
    byline_names,
    caps_sentences,
    extend_hyphenated,
    trim,
)

__all__ = [
    "BuilderBase",
]

# A mention is mostly letters: at least this share of its characters (spaces aside), one of them a capital.
MIN_LETTER_SHARE = 0.5
# At a sentence start, a span of several words is a person when the base model's person covers this share.
PERSON_OVERLAP = 0.6
# A CoNLL span grows to the base model's entity that contains it by at most this many name-like tokens.
MAX_REPAIR_TOKENS = 3


class BuilderBase:
    """State of one story's actor recognition and the span tests shared by the passes."""

    def __init__(self, doc: Doc, byline: str | None, view: TokView | None = None) -> None:
        self.spacy_doc = doc
        self.doc = view if view is not None else TokView(doc)
        self.byline = byline_names(byline)
        self.caps = caps_sentences(self.doc)
        self.mentions: list[Candidate] = []
        self.taken: list[bool] = [False] * len(doc)
        self.misc: set[int] = set()
        self.base_label: dict[tuple[int, int], str] = {}
        self.misc_spans: set[tuple[int, int]] = set()
        self.base: list[Ent] = []  # the base model's entities of actor kinds and NORP (set by `recognise`)
        self.conll_spans: list[Span] = []  # doc.spans[CONLL_SPANS_KEY] (set by `joined_conll`)

    # ---------------------------------------------------------------- recognition
    def _add(self, start: int, end: int, kind: ActorKind, source: str, *, force: bool = False) -> Candidate | None:
        start, end = trim(self.doc, start, end)
        if kind == "person" and end > start:
            end = extend_hyphenated(self.doc, end)
        if end <= start:
            return None
        text = self.doc.span_text(start, end)
        letters = sum(map(str.isalpha, text))
        if not letters or not any(map(str.isupper, text)) or letters < MIN_LETTER_SHARE * len(text.replace(" ", "")):
            return None
        if any(self.taken[start:end]):
            if not force:
                return None
            self.mentions = [m for m in self.mentions
                             if m.nominal or m.end <= start or m.start >= end]
            for i in range(len(self.taken)):
                self.taken[i] = False
            for m in self.mentions:
                if not m.nominal:
                    for i in range(m.start, m.end):
                        self.taken[i] = True
        m = Candidate(start, end, kind, source)
        self.mentions.append(m)
        for i in range(start, end):
            self.taken[i] = True
        return m

    def joined_conll(self) -> list[Span]:
        """CoNLL spans with "X and" + "Y" pieces joined ("Department for Education and" + "Skills")."""
        spans = self.conll_spans = list(self.spacy_doc.spans[CONLL_SPANS_KEY])
        out: list[Span] = []
        for span in spans:
            prev = out[-1] if out else None
            if prev is not None and prev.end == span.start and prev.label_ in {"ORG", "LOC"} \
                    and prev[-1].lower_ in {"and", "of", "for", "&"}:
                out[-1] = self.spacy_doc[prev.start:span.end]
                out[-1].label_ = prev.label_
                continue
            out.append(span)
        return out

    def _misc_org(self, span: Span, base: list[Ent]) -> bool:
        """A MISC span the base model calls ORG and whose head word names an organisation."""
        if span[-1].lower_ not in ORG_HEADS:
            return False
        return any(e.label_ == "ORG" and e.start <= span.start and span.end <= e.end for e in base)

    @staticmethod
    def _misc_group(span: Span, base: list[Ent]) -> bool:
        """"The Taliban seized ...": a MISC name used as a noun that the base model calls ORG or NORP."""
        root = span.root
        return root.tag_ in {"NNP", "NNPS"} and root.dep_ not in {"amod", "compound"} and any(
            e.label_ in {"ORG", "NORP"} and e.start == span.start and span.end == e.end for e in base)

    def _split_places(self, start: int, end: int) -> bool:
        """"North Korea-Russia (border)": two known places joined by a hyphen are two places."""
        doc = self.doc
        for k in range(start + 1, end - 1):
            if doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_:
                left, right = doc.span_text(start, k), doc.span_text(k + 1, end)
                if all(country_name(x) or capital_country(x) or is_known_place(x) for x in (left, right)):
                    self._add(start, k, "place", "conll")
                    self._add(k + 1, end, "place", "conll")
                    return True
        return False

    def _split_title(self, start: int, end: int, kind: ActorKind, base: list[Ent]) -> bool:
        """"Labour MP Barry Sheerman" tagged as one organisation: an org, a title, then a person."""
        if kind == "person":
            return False
        doc = self.doc
        for ent in base:
            if ent.label_ == "PERSON" and ent.end == end and start + 1 < ent.start and len(ent) >= 2 \
                    and doc[ent.start - 1].lower_.rstrip(".") in TITLE_WORDS:
                if ent.start - 1 > start:
                    self._add(start, ent.start - 1, kind, "conll")
                self._add(ent.start, ent.end, "person", "conll")
                return True
        return False

    def _kind_conflict(self, start: int, end: int, kind: ActorKind, base: list[Ent]) -> ActorKind:
        """Org head words make organisations; at a sentence start, the base model's person wins."""
        if kind == "person" and end - start >= 2 and self.doc[end - 1].lower_ in ORG_HEADS:
            return "org"  # "Blackpool Hotel Association"
        if kind == "person" or end - start < 2 or self.doc.sent_start[start] != start:
            return kind
        if self.doc[end - 1].lower_ in ORG_HEADS:
            return kind
        for ent in base:
            if ent.label_ == "PERSON" and ent.start < end and start < ent.end and ent.end - ent.start >= 2:
                overlap = min(end, ent.end) - max(start, ent.start)
                if overlap >= 2 and overlap >= PERSON_OVERLAP * (end - start):
                    return "person"
        return kind

    def _base_fill(self, base: list[Ent]) -> None:
        """Multi-word person names the CoNLL model left untagged but the base model tags."""
        conll_tokens = {i for s in self.conll_spans for i in range(s.start, s.end)}
        for ent in base:
            if ent.label_ != "PERSON" or ent.end - ent.start < 2:
                continue
            if any(i in conll_tokens for i in range(ent.start, ent.end)):
                continue
            self._add(ent.start, ent.end, BASE_KIND[ent.label_], "base")

    def _opening_word(self, span: Span, base: list[Ent]) -> bool:
        """"Fortunately, ...": a sentence adverb opening a sentence before a comma, not a name."""
        i = span.start
        if self.doc.sent_start[i] != i or i + 1 >= len(self.doc) or self.doc[i + 1].text != ",":
            return False
        low = self.doc[i].lower_
        return len(low) > 5 and low.endswith("ly") and not any(e.start <= i < e.end for e in base)

    @staticmethod
    def _is_demonym(span: Span, base: list[Ent], any_pos: bool = False) -> bool:
        """"North Korean" (soldiers): a nationality adjective, not an actor."""
        root = span.root
        start, end = span.start, span.end
        if (any_pos or root.tag_ == "JJ" or root.dep_ == "amod") and any(
                e.label_ == "NORP" and e.start == start and e.end == end for e in base):
            return True
        # "New South Korean (President)": a nationality phrase before a title or noun
        nxt = span.doc[end] if end < len(span.doc) else None
        return nxt is not None and (nxt.is_lower or nxt.lower_ in TITLE_WORDS) and any(
            e.label_ == "NORP" and e.end == end and 2 * (e.end - e.start) >= end - start for e in base)

    def _repair(self, span: Span, base: list[Ent], kind: ActorKind) -> tuple[int, int]:
        """Extend a CoNLL span to a base entity of the same kind that strictly contains it."""
        start, end = span.start, span.end
        for ent in base:
            if ent.start <= start and end <= ent.end and (ent.end - ent.start) > end - start:
                extra = [t for t in self.doc[ent.start:ent.end] if t.i < start or t.i >= end]
                if BASE_KIND.get(ent.label_) == kind and len(extra) <= MAX_REPAIR_TOKENS and all(
                        (t.is_title or t.is_upper or t.lower_ in NAME_PARTICLES) and t.is_alpha for t in extra):
                    return ent.start, ent.end
        return span.start, span.end
