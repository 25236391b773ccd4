"""Speaker phrases resolved to the story's actors: names through mentions, pronouns and nominals
through the most recent compatible speaker or subject before them."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from ..ids import normalise_name
from ..records import Actor, ActorKind, Mention
from .lexicon import MEDIA_NAME_WORDS, MEDIA_NOUNS, ORG_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS, THING_PRONOUNS
from .types import Event, Seg, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["Resolver"]


class Resolver:
    def __init__(self, doc: Doc, text: str, actors: list[Actor], mentions: list[Mention], quoted: list[Seg]) -> None:
        self.doc = doc
        self.text = text
        self.by_id = {a.actor_id: a for a in actors}
        self.actors = actors
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.m_starts = [m.start for m in self.mentions]
        self.quoted_starts = [s.start for s in quoted]
        self.quoted = quoted
        self.events: list[Event] = []
        for m in self.mentions:
            if self._in_quote(m.start):
                continue
            actor = self.by_id.get(m.actor_id)
            name = actor.name if actor else m.text
            titles = actor.titles if actor else []
            self.events.append(Event(m.start, name, m.actor_id, m.kind, self._is_subject(m), m.text, titles))
        self.events.sort(key=lambda e: e.pos)
        self.speaker_events: list[Event] = []
        self._name_index: dict[str, Actor] = {}
        for a in actors:
            for nm in (a.name, *a.aliases):
                key = normalise_name(nm)
                if key:
                    self._name_index.setdefault(key, a)

    def _in_quote(self, pos: int) -> bool:
        k = bisect.bisect_right(self.quoted_starts, pos) - 1
        return k >= 0 and self.quoted[k].start <= pos < self.quoted[k].end

    def _is_subject(self, m: Mention) -> bool:
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return False
        root = span.root
        while root.dep_ in {"compound", "flat", "appos"} and root.head is not root:
            root = root.head
        return root.dep_ in {"nsubj", "nsubjpass"}

    def mention_at(self, start: int, end: int, head: Token) -> Mention | None:
        """The mention covering the head token of the speaker phrase, if any."""
        k = bisect.bisect_right(self.m_starts, head.idx)
        best: Mention | None = None
        for m in self.mentions[max(0, k - 8) : k + 1]:
            if (
                m.start <= head.idx < m.end
                and m.start >= start - 1
                and (best is None or m.end - m.start > best.end - best.start)
            ):
                best = m
        if best is None:
            for m in self.mentions[max(0, k - 8) : k + 8]:
                if start <= m.start and m.end <= end and m.end >= head.idx + len(head.text):
                    best = m
        return best

    def actor_by_words(self, text: str, kind_hint: str | None) -> Actor | None:
        key = normalise_name(text)
        if not key:
            return None
        if key in self._name_index:
            return self._name_index[key]
        words = key.split()
        if len(words) == 1:  # a surname: the one person actor whose name ends with it
            hits = [a for a in self.actors if a.kind == "person" and normalise_name(a.name).split()[-1:] == words]
            if len(hits) == 1:
                return hits[0]
        return None

    def resolve(self, sp: Speaker, head: Token, before: int, start_tok: int, end_tok: int) -> None:
        """Fill `sp.name`, `sp.actor_id` and `sp.kind` for the speaker phrase doc[start_tok:end_tok]."""
        doc = self.doc
        low = head.lower_
        assert sp.start is not None and sp.end is not None
        if head.tag_ == "PRP" or low in PERSON_PRONOUNS or low in THING_PRONOUNS or low in PLURAL_PRONOUNS:
            if low in PERSON_PRONOUNS:
                self._antecedent(sp, before, ("person",), None)
            elif low in THING_PRONOUNS:
                self._antecedent(sp, before, ("org", "place", "group"), None)
            elif low in PLURAL_PRONOUNS:
                self._antecedent(sp, before, ("org", "group"), None, speakers_only=True)
            return
        m = self.mention_at(sp.start, sp.end, head)
        if (m is not None and m.kind != "place") or (
            m is not None and head.ent_type_ in {"GPE", "LOC", ""} and head.pos_ == "PROPN"
        ):
            actor = self.by_id.get(m.actor_id) if m is not None else None
            if m is not None:
                sp.name = actor.name if actor else m.text
                sp.actor_id = m.actor_id
                sp.kind = actor.kind if actor else m.kind
                return
        if head.text[:1].isupper():  # a name the mentions missed ("SMITH:", a surname)
            named = self.actor_by_words(doc[start_tok:end_tok].text, None) or self.actor_by_words(head.text, None)
            if named is not None:
                sp.name, sp.actor_id, sp.kind = named.name, named.actor_id, named.kind
                return
        if head.pos_ == "NOUN":  # "Moscow's security chief": a title the actors extractor bound to someone
            titled = self.actor_by_title(doc[start_tok:end_tok].text, before)
            if titled is not None:
                sp.name, sp.actor_id, sp.kind = titled.name, titled.actor_id, titled.kind
                return
        words = [t for t in doc[start_tok:end_tok] if not t.is_punct]
        proper = [t for t in words if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != words[0].i)]
        if head.pos_ == "PROPN" or (proper and head.pos_ != "PROPN" and any(t.i < head.i for t in proper)):
            phrase = doc[start_tok:end_tok]
            if head.pos_ == "PROPN":
                actor = self.actor_by_words(phrase.text, None) or self.actor_by_words(head.text, None)
                if actor is not None:
                    sp.name, sp.actor_id, sp.kind = actor.name, actor.actor_id, actor.kind
                    return
            text = phrase.text
            text = re.sub(r"^(?i:the|a|an)\s+", "", text) if head.pos_ == "PROPN" else text
            sp.name = text
            sp.kind = self._kind_of_noun(head)
            return
        # a nominal: "the minister", "the daily", "the ministry"
        det = [t.lower_ for t in doc[start_tok : head.i] if t.dep_ in {"det", "poss"}]
        if not det or det[0] not in {"the", "this", "its", "his", "her", "their"}:
            return  # "a source", "officials": nobody in particular
        kind = self._kind_of_noun(head)
        self._antecedent(sp, before, (kind,) if kind else ("person", "org"), low)

    def actor_by_title(self, phrase: str, before: int) -> Actor | None:
        """The actor one of whose titles is `phrase` (articles aside); the last mentioned before `before`
        when several are."""
        key = re.sub(r"^(?:the|a|an) ", "", normalise_name(phrase))
        if not key:
            return None
        hits: list[Actor] = []
        for a in self.actors:
            for title in a.titles:
                nt = normalise_name(title)
                if nt == key or (len(key.split()) >= 2 and (nt.endswith(" " + key) or key.endswith(" " + nt))):
                    hits.append(a)
                    break
        if len(hits) <= 1:
            return hits[0] if hits else None
        ids = {a.actor_id for a in hits}
        last = [e for e in self.events if e.pos < before and e.actor_id in ids]
        return self.by_id.get(last[-1].actor_id or "") if last else None

    def _kind_of_noun(self, head: Token) -> ActorKind | None:
        low = head.lower_
        if head.ent_type_ in {"PERSON"}:
            return "person"
        if head.ent_type_ in {"ORG", "NORP"}:
            return "org"
        if head.ent_type_ in {"GPE", "LOC"}:
            return "place"
        if low in ORG_NOUNS:
            return "org"
        return "person" if head.pos_ in {"NOUN", "PROPN"} else None

    def _antecedent(
        self,
        sp: Speaker,
        before: int,
        kinds: tuple[ActorKind | None, ...],
        noun: str | None,
        *,
        speakers_only: bool = False,
    ) -> None:
        """Most recent compatible speaker or subject before `before` (previous two paragraphs)."""
        text = self.text
        window_start = before
        paras = 0
        while window_start > 0 and paras < 3:
            k = text.rfind("\n", 0, window_start - 1)
            if k < 0:
                window_start = 0
                break
            window_start = k
            paras += 1 if text[k - 1 : k] != "\n" else 0

        def compatible(e: Event) -> bool:
            if e.kind not in kinds and not (e.kind == "other" and None in kinds):
                return False
            if noun is None:
                return True
            if e.kind == "person":
                low_titles = " ".join(e.titles).lower() + " " + e.text.lower()
                return noun in low_titles.split()
            words = set(normalise_name(e.name).split()) | set(normalise_name(e.text).split())
            if noun in words:
                return True
            return noun in MEDIA_NOUNS and bool(words & MEDIA_NAME_WORDS)

        last_speaker: Event | None = None
        for e in reversed(self.speaker_events):
            if e.pos < before and e.pos >= window_start:
                last_speaker = e
                break
        subj: Event | None = None
        any_ev: Event | None = None
        k = bisect.bisect_left([e.pos for e in self.events], before)
        for e in reversed(self.events[:k]):
            if e.pos < window_start:
                break
            if not compatible(e):
                continue
            if any_ev is None:
                any_ev = e
            if e.subject:
                subj = e
                break
        choice: Event | None = None
        if last_speaker is not None and compatible(last_speaker) and (subj is None or subj.pos <= last_speaker.pos):
            choice = last_speaker
        elif not speakers_only:
            choice = subj or any_ev
        if choice is None:
            return
        sp.name, sp.actor_id, sp.kind = choice.name, choice.actor_id, choice.kind

    def add_speaker(self, sp: Speaker) -> None:
        if sp.name is None or sp.start is None or sp.kind is None:
            return
        titles: list[str] = []
        if sp.actor_id and sp.actor_id in self.by_id:
            titles = self.by_id[sp.actor_id].titles
        ev = Event(sp.start, sp.name, sp.actor_id, sp.kind, True, sp.text or sp.name, titles)
        self.speaker_events.append(ev)


# --------------------------------------------------------------------------------------------------
# 4. Putting it together
# --------------------------------------------------------------------------------------------------


