"""Recognition: the model entities merged with the passes (`Recogniser.recognise`), corporate names,
repeated capitalised words and parts of names."""

from __future__ import annotations

from ..records import ActorKind
from .gazetteer import (
    TITLE_WORDS,
    capital_country,
    country_name,
)
from .lexicon import (
    BASE_KIND,
    CONLL_KIND,
    CONLL_SPANS_KEY,
    CORP_SUFFIXES,
    NAME_PARTICLES,
    NOT_NAME_TAGS,
)
from .passes import RecognitionPasses
from .spans import (
    Candidate,
    Ent,
    is_caps_word,
)

__all__ = [
    "Recogniser",
]


class Recogniser(RecognitionPasses):
    """Finds the candidate mentions of one story."""

    def recognise(self) -> None:
        doc = self.doc
        base = [Ent(e) for e in self.spacy_doc.ents if e.label_ in BASE_KIND or e.label_ == "NORP"]
        self.base = base
        self.base_label = {(e.start, e.end): e.label_ for e in base}
        has_conll = CONLL_SPANS_KEY in self.spacy_doc.spans
        self._datelines()
        self._region_places()
        if has_conll:
            for span in self._joined_conll():
                if span.label_ == "MISC":
                    if self._misc_org(span, base):
                        self._add(span.start, span.end, "org", "conll")
                        continue
                    if self._misc_group(span, base):
                        self._add(span.start, span.end, "group", "conll")
                        continue
                    self.misc.update(range(span.start, span.end))
                    self.misc_spans.add((span.start, span.end))
                    continue
                kind = CONLL_KIND.get(span.label_)
                if kind is None:
                    continue
                if kind != "person" and self._is_demonym(span, base):
                    if span.root.tag_ in {"NNS", "NNPS"}:  # "Britons", "Kurds": a group, not a place or org
                        self._add(span.start, span.end, "group", "norp")
                    continue
                if len(span) == 1 and (span[0].tag_ in NOT_NAME_TAGS or self._opening_word(span, base)):
                    continue  # "Unfortunately", "Clearly": a sentence-initial word, not a name
                if kind == "person" and self._is_demonym(span, base, any_pos=True):
                    if span.root.tag_ in {"NNS", "NNPS"} or span.text.endswith("s"):
                        self._add(span.start, span.end, "group", "norp")  # "Latinos", "Muslims"
                    continue
                start, end = self._repair(span, base, kind)
                kind = self._kind_conflict(start, end, kind, base)
                if self._split_title(start, end, kind, base) or self._split_places(start, end):
                    continue
                self._add(start, end, kind, "conll")
            self._base_fill(base)
        else:
            for ent in base:
                if ent.label_ in BASE_KIND:
                    self._add(ent.start, ent.end, BASE_KIND[ent.label_], "base")
        self._agencies()
        self._groups(base)
        self._acronyms()
        self._org_nominals()
        for m in self.mentions:
            m.text = doc.span_text(m.start, m.end)

    def corporate(self) -> None:
        """"Bear Stearns & Co Inc", "Pirelli SpA": company suffixes and "& Co" extend a name into an org."""
        doc = self.doc
        n = len(doc)
        for m in self.mentions:
            if m.nominal or m.kind == "group":
                continue
            end = m.end
            while end < n:
                tok = doc[end]
                if tok.text in CORP_SUFFIXES and doc[end - 1].whitespace_:
                    end += 1
                elif tok.text == "&" and end + 1 < n and doc[end + 1].text[:1].isupper() \
                        and not self.taken[end + 1]:
                    end += 2
                else:
                    break
            if end > m.end and not any(self.taken[i] for i in range(m.end, end)):
                for i in range(m.end, end):
                    self.taken[i] = True
                m.end = end
                m.kind = "org"
                m.text = doc.span_text(m.start, m.end)
            elif m.end - m.start >= 2 and doc[m.end - 1].text in CORP_SUFFIXES:
                m.kind = "org"

    def caps_repeats(self) -> None:
        """Names already found, seen again in capitals (headlines) or missed by the ner."""
        doc = self.doc
        forms: dict[str, list[tuple[list[str], Candidate]]] = {}
        for m in self.mentions:
            if m.nominal:
                continue
            words = doc.lowers[m.start:m.end]
            if len(words) == 1 and len(words[0]) < 3:
                continue
            forms.setdefault(words[0], []).append((words, m))
        for i, low in enumerate(doc.lowers):
            if self.taken[i] or i in self.misc or low not in forms:
                continue
            tok = doc[i]
            for words, src in sorted(forms[low], key=lambda x: -len(x[0])):
                n = len(words)
                seg = doc[tok.i:tok.i + n]
                if len(seg) != n or doc.lowers[tok.i:tok.i + n] != words:
                    continue
                if any(self.taken[i] or i in self.misc for i in range(tok.i, tok.i + n)):
                    continue
                in_caps = all(i in self.caps for i in range(tok.i, tok.i + n))
                if in_caps:
                    ok = all(is_caps_word(t) or not t.is_alpha for t in seg)
                else:
                    ok = doc.texts[tok.i:tok.i + n] == doc.texts[src.start:src.end] and \
                        seg[0].pos_ == "PROPN"
                if ok:
                    added = self._add(tok.i, tok.i + n, src.kind, "repeat")
                    if added is not None:
                        added.text = doc.span_text(tok.i, tok.i + n)
                    break

    def name_parts(self) -> None:
        """A surname or first name of a person already named, standing alone ("Hong said")."""
        doc = self.doc
        parts: dict[str, ActorKind] = {}
        for m in self.mentions:
            if m.kind != "person":
                continue
            words = [t for t in doc[m.start:m.end] if t.is_alpha]
            if len(words) < 2:
                continue
            for t in (words[0], words[-1]):
                if len(t.text) >= 3 and t.lower_ not in NAME_PARTICLES and t.text[:1].isupper() \
                        and country_name(t.text) is None and capital_country(t.text) is None:
                    parts[t.text] = "person"
                    parts[t.text.upper()] = "person"
        if not parts:
            return
        n = len(doc)
        for i, text in enumerate(doc.texts):
            if text not in parts or self.taken[i] or (i in self.misc and (i, i + 1) not in self.misc_spans):
                continue
            tok = doc[i]
            if tok.is_upper and i not in self.caps and not tok.text.istitle():
                continue
            if tok.pos_ != "PROPN" and i not in self.caps:
                continue
            if i + 1 < n and doc[i + 1].pos_ == "PROPN" and doc[i + 1].text[:1].isupper():
                continue
            if i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].text[:1].isupper() \
                    and doc[i - 1].lower_ not in TITLE_WORDS and doc.sent_start[i] != i:
                continue
            added = self._add(i, i + 1, "person", "part")
            if added is not None:
                added.text = tok.text
