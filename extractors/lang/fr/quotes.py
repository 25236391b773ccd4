"""French quotes with their speakers.

Quote spans come from the shared scanner (`extractors.quotes.scan.scan_quotes`: guillemets « », curly and
straight quotes) plus dialogue paragraphs opened by an em dash ("— Nous partirons demain, a-t-il dit.").
Each span is attributed by the rules of `ATTRIBUTION_RULES`, in order:

1. a reporting verb right after the closing mark, inverted with its subject: `», a déclaré M. Delorme`,
   `», souligne le préfet`, `», a-t-elle affirmé` (the pronoun is the last person of that gender named
   before), `», selon la FNSEA`;
2. a reporting verb before the opening mark in the same sentence: `Le ministre a déclaré : « ... »`;
3. words quoted inside a sentence whose subject speaks with a reporting verb: `X a jugé la mesure
   « insuffisante »` (a partial quote);
4. no cue at all: the speaker of the quote before it in the paragraph, else of the one after it.

A direct quote is a whole sentence between the marks (nothing but its attribution outside them); a partial
one a fragment inside a sentence of the reporter's; a partial quote nobody said is a scare quote and is
dropped. Indirect quotes are sentences opened by "Selon X," / "D'après X," and `X a déclaré que ...`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ...quotes.scan import scan_quotes
from ...records import Mention, Quote
from .actors import FrenchActors, fold
from .lexicon import APOS, CUE_PARTICIPLES, CUE_PRESENT, TITLE_NOUNS

__all__ = ["ATTRIBUTION_RULES", "extract_quotes_fr"]

_AUX = r"(?:a|ont|avait|avaient|aura|aurait)"
_PART = "|".join(sorted(CUE_PARTICIPLES, key=len, reverse=True))
_PRES = "|".join(sorted(CUE_PRESENT, key=len, reverse=True))
_ADV = r"(?:(?:encore|aussi|également|ensuite|alors|déjà|notamment|pourtant|enfin)\s+)?"
# after the closing mark: ", a-t-il dit", ", affirme-t-elle", ", a déclaré X", ", souligne X", ", selon X"
_ATTRIBUTION = (
    rf"(?:(?P<inv>{_AUX}-t-(?P<pron>il|elle|ils|elles)\s+{_ADV}(?:{_PART}))\b"
    rf"|(?P<inv2>(?:{_PRES})(?:-t)?-(?P<pron2>il|elle|ils|elles))\b"
    rf"|(?P<cue>{_AUX}\s+{_ADV}(?:{_PART})|{_PRES}|selon|d{APOS}après)\s+(?P<sp>(?:(?:M|MM|Dr|Pr|Mgr)\.\s|[^.!?«»\n]){{1,160}}))")
_AFTER = re.compile(rf"[\s,]*{_ATTRIBUTION}")  # used with .match(text, pos): no "^"
_INCISE = re.compile(rf"(?:,|(?<=[?!]))\s*{_ATTRIBUTION}")  # ", a-t-il dit," inside a dialogue turn
_BEFORE = re.compile(rf"(?P<cue>\b{_AUX}\s+(?:\w+\s+)?(?:{_PART})\b|\b(?:{_PRES})\b)[^.!?«»\n]{{0,40}}:?\s*$")
_CUE_IN = re.compile(rf"\b(?P<cue>{_AUX}\s+(?:\w+\s+)?(?:{_PART})|(?:{_PRES}))\b")
_SELON = re.compile(rf"(?P<cue>[Ss]elon|[Dd]{APOS}après)\s+(?P<sp>[^,.!?«»\n]{{2,160}}?(?:\([^)]*\))?)\s*,\s*")
_THAT = re.compile(rf"\b(?P<cue>{_AUX}\s+(?:\w+\s+)?(?:{_PART})|(?:{_PRES}))(?:\s+[\w-]+){{0,3}}?"
                   rf"\s+qu(?:e\s+|{APOS}\s*)")
_SELON_END = re.compile(rf",\s*(?P<cue>selon|d{APOS}après)\s+(?P<sp>[^,.!?«»\n]{{2,120}})[.!?]?\s*$")
_DASH_TURN = re.compile(r"^[\u2014\u2013]\s+")
_SENT_END = re.compile(r"[.!?…](?=\s|$)")
_SPEAKING_KINDS = ("person", "org")


@dataclass
class _Span:
    start: int  # first quoted character
    end: int  # end of the quoted words (exclusive)
    close: int  # first character after the closing mark
    open: int  # position of the opening mark
    para: tuple[int, int]
    dash: bool = False  # a dialogue turn opened by an em dash: direct, never given a neighbour's speaker


@dataclass
class _Said:
    actor_id: str | None
    name: str | None
    text: str | None
    start: int | None
    end: int | None
    cue: str | None


class _Story:
    """One story's text, actors and sentence bounds, with look-ups the rules share."""

    def __init__(self, text: str, found: FrenchActors) -> None:
        self.text = text
        self.found = found
        self.names = {a.actor_id: a.name for a in found.actors}
        self.kinds = {a.actor_id: a.kind for a in found.actors}
        self.speaking = [m for m in found.mentions if m.kind in _SPEAKING_KINDS]

    def sentence(self, pos: int) -> tuple[int, int]:
        """Bounds of the sentence (within its paragraph) holding `pos`."""
        ps = self.text.rfind("\n", 0, pos) + 1
        pe = self.text.find("\n", pos)
        pe = len(self.text) if pe < 0 else pe
        start = ps
        for m in _SENT_END.finditer(self.text, ps, pos):
            if not _inside_abbrev(self.text, m.start()):
                start = m.end()
        ends = (e.end() for e in _SENT_END.finditer(self.text, pos, pe) if not _inside_abbrev(self.text, e.start()))
        return start, next(ends, pe)

    def said(self, m: Mention, cue: str | None) -> _Said:
        return _Said(m.actor_id, self.names.get(m.actor_id), m.text, m.start, m.end, cue)

    def first_mention(self, lo: int, hi: int) -> Mention | None:
        return next((m for m in self.speaking if lo <= m.start < hi), None)

    def by_title(self, phrase: str, before: int) -> str | None:
        """The actor whose title holds the title noun of `phrase` ("le ministre" -> the minister)."""
        words = [w for w in fold(phrase).replace("'", " ").split() if w in TITLE_NOUNS]
        if not words:
            return None
        for m in reversed([m for m in self.speaking if m.start < before]):
            if any(words[0] in t.split() for t in self.found.titles.get(m.actor_id, [])):
                return m.actor_id
        return None

    def pronoun(self, pron: str, before: int) -> Mention | None:
        """The last person of the pronoun's gender named before `before` (any person when none has one)."""
        want = "f" if pron.startswith("elle") else "m"
        people = [m for m in self.speaking if m.kind == "person" and m.end <= before]
        for m in reversed(people):
            if self.found.gender.get(m.actor_id) == want:
                return m
        return next((m for m in reversed(people) if self.found.gender.get(m.actor_id) is None), None)


def _inside_abbrev(text: str, i: int) -> bool:
    """A period of "M." or "Mme." or of initials ("J.-P.") is not a sentence end."""
    return text[i] == "." and bool(re.search(r"(?:^|[\s(])(?:M|MM|Dr|Pr|Mgr|St|[A-ZÀ-Ý])$", text[max(0, i - 4):i]))


def _speaker_phrase(st: _Story, lo: int, phrase: str, cue: str, before: int) -> _Said | None:
    """The speaker named by `phrase` (starting at `lo`): a mention in it, else a title of an actor."""
    hi = lo + len(phrase)
    m = st.first_mention(lo, hi)
    head = phrase.split(",")[0]
    if m is not None and m.start < lo + len(head) + 1:
        return st.said(m, cue)
    aid = st.by_title(head, before)
    if aid is not None:
        return _Said(aid, st.names.get(aid), head.strip(), lo, lo + len(head.rstrip()), cue)
    if m is not None:
        return st.said(m, cue)
    return None


def after_closing(st: _Story, sp: _Span) -> _Said | None:
    """`», a déclaré M. Delorme` / `», a-t-elle affirmé` / `», selon la FNSEA`."""
    m = _AFTER.match(st.text, sp.close)
    if m is None:
        return None
    pron = m.group("pron") or m.group("pron2")
    if pron:
        cue = (m.group("inv") or m.group("inv2")).strip()
        target = st.pronoun(pron, sp.open)
        if target is None:
            return _Said(None, None, pron, m.start("pron") if m.group("pron") else m.start("pron2"), None, cue)
        said = st.said(target, cue)
        said.text, said.start = pron, m.start("pron") if m.group("pron") else m.start("pron2")
        said.end = said.start + len(pron)
        return said
    return _speaker_phrase(st, m.start("sp"), m.group("sp"), m.group("cue"), sp.open)


def before_opening(st: _Story, sp: _Span) -> _Said | None:
    """`Le ministre a déclaré : « ... »`: the speaker is the subject named before the cue."""
    s0, _ = st.sentence(sp.open)
    lead = st.text[s0:sp.open]
    m = _BEFORE.search(lead)
    if m is None:
        return None
    cue_at = s0 + m.start("cue")
    who = [x for x in st.speaking if s0 <= x.start < cue_at]
    if who:
        return st.said(who[-1], m.group("cue"))
    aid = st.by_title(st.text[s0:cue_at], cue_at)
    return _Said(aid, st.names.get(aid), None, None, None, m.group("cue")) if aid else None


def subject_of_sentence(st: _Story, sp: _Span) -> _Said | None:
    """`X a jugé la mesure « insuffisante »`: a cue verb in the sentence, its subject named before it."""
    s0, _ = st.sentence(sp.open)
    m = None
    for found in _CUE_IN.finditer(st.text, s0, sp.open):
        m = found
    if m is None:
        return None
    who = [x for x in st.speaking if s0 <= x.start < m.start()]
    if who:
        return st.said(who[-1], m.group("cue"))
    pron = re.search(r"\b(il|elle)\s+$", st.text[s0:m.start()])
    if pron:
        target = st.pronoun(pron.group(1), sp.open)
        return st.said(target, m.group("cue")) if target else None
    return None


Rule = Callable[[_Story, _Span], "_Said | None"]
ATTRIBUTION_RULES: tuple[tuple[str, Rule], ...] = (
    ("after_closing", after_closing),
    ("before_opening", before_opening),
    ("subject_of_sentence", subject_of_sentence),
)


def _spans(text: str) -> list[_Span]:
    out: list[_Span] = []
    for seg in scan_quotes(text):
        ps = text.rfind("\n", 0, seg.start) + 1
        pe = text.find("\n", seg.end)
        close = seg.end
        while close < len(text) and text[close] in " \u00a0\u202f":
            close += 1
        close = close + 1 if close < len(text) and text[close] in "»\"”’'" else seg.end
        opening = seg.start - 1
        while opening > ps and text[opening] in " \u00a0\u202f":
            opening -= 1
        out.append(_Span(seg.start, seg.end, close, max(ps, opening), (ps, len(text) if pe < 0 else pe)))
    pos = 0
    for para in text.split("\n"):  # em-dash dialogue turns: "— Nous partirons, a-t-il dit."
        if _DASH_TURN.match(para):  # turns joined into one paragraph are split at their dashes
            for t in re.finditer(r"(?:^|(?<=\s))[\u2014\u2013]\s+(?P<turn>(?:(?![\u2014\u2013]\s).)+)", para):
                start = pos + t.start("turn")
                body = t.group("turn")
                inc = _INCISE.search(body)  # an incise ", a-t-il dit," ends the quote
                end = start + (inc.start() if inc else len(body.rstrip(" .")))
                out.append(_Span(start, end, end, pos + t.start(), (pos, pos + len(para)), dash=True))
        pos += len(para) + 1
    out.sort(key=lambda s: s.start)
    return out


def _is_direct(st: _Story, sp: _Span, said: _Said | None) -> bool:
    s0, _s1 = st.sentence(sp.open)
    lead = st.text[s0:sp.open].strip()
    if lead and not lead.endswith(":") and not (said and said.cue and _BEFORE.search(lead)):
        return False
    words = len(st.text[sp.start:sp.end].split())
    return words >= 4 or st.text[sp.start:sp.end].rstrip().endswith((".", "!", "?", "…"))


def _quote(st: _Story, sp: _Span, kind: str, said: _Said | None) -> Quote:
    text = st.text[sp.start:sp.end].strip()
    lead = len(st.text[sp.start:sp.end]) - len(st.text[sp.start:sp.end].lstrip())
    start = sp.start + lead
    return Quote(text=text, kind=kind, start=start, end=start + len(text),  # type: ignore[arg-type]
                 speaker=said.name if said else None, speaker_actor_id=said.actor_id if said else None,
                 speaker_text=said.text if said else None, cue=said.cue if said else None,
                 speaker_start=said.start if said else None, speaker_end=said.end if said else None)


def _indirect(st: _Story, quoted: list[_Span]) -> list[Quote]:
    out: list[Quote] = []
    text = st.text
    pos = 0
    while pos < len(text):
        s0, s1 = st.sentence(pos)
        if s1 <= pos:
            s1 = pos + 1
        if not any(s0 <= q.open < s1 for q in quoted):
            sentence = text[s0:s1]
            lead = len(sentence) - len(sentence.lstrip())
            m = _SELON.match(sentence, lead)
            tail = _SELON_END.search(sentence)
            said: _Said | None = None
            lo, hi = -1, s1
            if m:
                said = _speaker_phrase(st, s0 + m.start("sp"), m.group("sp"), m.group("cue"), s0)
                lo = s0 + m.end()
            elif tail:  # "..., selon l'Insee."
                said = _speaker_phrase(st, s0 + tail.start("sp"), tail.group("sp"), tail.group("cue"), s0)
                lo, hi = s0 + lead, s0 + tail.start()
            else:
                t = _THAT.search(sentence)
                if t:
                    who = [x for x in st.speaking if s0 <= x.start < s0 + t.start()]
                    if who:
                        said, lo = st.said(who[-1], t.group("cue")), s0 + t.end()
            if said is not None and said.actor_id is not None and lo >= 0:
                content = text[lo:hi].rstrip(" .!?…")
                if len(content.split()) >= 3:
                    out.append(Quote(text=content, kind="indirect", start=lo, end=lo + len(content),
                                     speaker=said.name, speaker_actor_id=said.actor_id, speaker_text=said.text,
                                     cue=said.cue, speaker_start=said.start, speaker_end=said.end))
        pos = s1 + 1
    return out


def extract_quotes_fr(text: str, found: FrenchActors) -> list[Quote]:
    """Direct, partial and indirect quotes of a French story, speakers resolved to its actors."""
    st = _Story(text, found)
    spans = _spans(text)
    said: list[_Said | None] = []
    for sp in spans:
        who = None
        for _name, rule in ATTRIBUTION_RULES:
            who = rule(st, sp)
            if who is not None:
                break
        said.append(who)
    for k, sp in enumerate(spans):  # floating quotes: the speaker of the quote before, else after, in the paragraph
        if said[k] is not None or sp.dash:
            continue
        prev = next((said[j] for j in range(k - 1, -1, -1) if spans[j].para == sp.para and said[j]), None)
        nxt = next((said[j] for j in range(k + 1, len(spans)) if spans[j].para == sp.para and said[j]), None)
        inherited = prev or nxt
        if inherited is not None:
            said[k] = _Said(inherited.actor_id, inherited.name, None, None, None, None)
    out: list[Quote] = []
    for sp, who in zip(spans, said, strict=True):
        if sp.end - sp.start < 2:
            continue
        kind = "direct" if sp.dash or _is_direct(st, sp, who) else "partial"
        if kind == "partial" and (who is None or who.actor_id is None):
            continue  # a fragment nobody is said to have said: a scare quote or a title
        out.append(_quote(st, sp, kind, who))
    out.extend(_indirect(st, spans))
    out.sort(key=lambda q: q.start)
    return out
