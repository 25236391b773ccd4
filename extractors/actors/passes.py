"""Recognition passes beyond the NER models: datelines, agencies, region places, groups, acronyms and
organisation nominals (their order is `rules.RECOGNITION_PASSES`)."""

from __future__ import annotations

from ..agencies import AGENCIES_IN_TEXT as AGENCIES
from .base import BuilderBase
from .gazetteer import (
    PLACE_SUFFIXES,
)
from .initials import ACRONYM, acronym_key
from .initials import initials as initials_of
from .lexicon import (
    AGENCY_RE,
    DASHES,
    NOMINAL_HEAD_WORDS,
    PARA_START,
)
from .spans import (
    Candidate,
    is_caps_word,
)

__all__ = [
    "RecognitionPasses",
]

# A dateline ("SEOUL, June 18 (AFP) -"): at most this many words in capitals for the place ...
MAX_DATELINE_PLACE_WORDS = 4
# ... this many tokens between the place and the bracket (", June 18") ...
MAX_DATELINE_DATE_TOKENS = 8
# ... and this many tokens from the bracket to its end (the agency).
MAX_DATELINE_AGENCY_TOKENS = 6
# Proper-name words before a place noun that make a region ("the Nizhny Novgorod region").
MAX_REGION_NAME_WORDS = 3


class RecognitionPasses(BuilderBase):
    """One method per recognition pass over the tokens."""

    def datelines(self) -> None:
        """"SEOUL (AFP) -" / "WASHINGTON, Jan 5 (Reuters) -" at a paragraph start: place + agency."""
        doc = self.doc
        starts = [0] + [m.end() for m in PARA_START.finditer(doc.text)]
        for char in starts:
            if char >= len(doc.text):
                continue
            first = self.spacy_doc.char_span(char, char + 1, alignment_mode="expand")
            if first is None or not len(first):
                continue
            tok = doc[first.start]
            j = tok.i
            while j < len(doc) and j - tok.i < MAX_DATELINE_PLACE_WORDS and is_caps_word(doc[j]):
                j += 1
            if j == tok.i or j >= len(doc):
                continue
            k = j
            while k < len(doc) and k - j < MAX_DATELINE_DATE_TOKENS and doc[k].text != "(" \
                    and doc[k].text not in DASHES and "\n" not in doc[k].text:
                k += 1
            if k + 2 < len(doc) and doc[k].text == "(":
                close = k + 1
                while close < len(doc) and close - k < MAX_DATELINE_AGENCY_TOKENS and doc[close].text != ")":
                    close += 1
                if close < len(doc) and doc[close].text == ")" and close + 1 < len(doc) \
                        and doc[close + 1].text in DASHES:
                    self._add(tok.i, j, "place", "dateline")
                    self._add(k + 1, close, "org", "dateline")

    def agencies(self) -> None:
        doc = self.doc
        exact = {(m.start, m.end): m for m in self.mentions}
        for match in AGENCY_RE.finditer(doc.text):
            span = self.spacy_doc.char_span(match.start(), match.end())
            if span is None:
                continue  # not on token boundaries
            a, b = span.start, span.end
            found = exact.get((a, b))
            if found is not None:
                found.kind, found.source = "org", "agency"
            else:  # a full agency name wins over pieces of it ("Presse")
                inside = all(m.end <= a or m.start >= b or (a <= m.start and m.end <= b) for m in self.mentions)
                self._add(a, b, "org", "agency", force=inside)

    def region_places(self) -> None:
        """"the Kursk region", "Donetsk oblast": proper name + lower-case place noun -> place."""
        doc = self.doc
        for i, text in enumerate(doc.texts):
            if text not in PLACE_SUFFIXES or i == 0:
                continue
            tok = doc[i]
            j = tok.i
            while j > 0 and doc[j - 1].pos_ == "PROPN" and doc[j - 1].text[:1].isupper() \
                    and tok.i - j < MAX_REGION_NAME_WORDS and not doc[j - 1].is_sent_start:
                j -= 1
            if j == tok.i:
                continue
            if any(self.taken[i] for i in range(j, tok.i)):
                continue
            m = self._add(j, tok.i, "place", "region")
            if m is not None:
                m.extra_alias.append(doc.span_text(j, tok.i + 1))

    def groups(self) -> None:
        """NORP words used as nouns ("the Kurds", "Shiites") are group actors; demonym adjectives are not."""
        for ent in self.base:
            if ent.label_ != "NORP":
                continue
            root = ent.root
            if root.pos_ not in {"NOUN", "PROPN"} or root.dep_ in {"amod", "compound"}:
                continue
            if root.tag_ not in {"NNS", "NNPS"} and not (ent.start > 0 and self.doc[ent.start - 1].lower_ == "the"):
                continue
            self._add(ent.start, ent.end, "group", "norp")

    def acronyms(self) -> None:
        """"Korean Central News Agency (KCNA)": the bracketed acronym joins the name before it."""
        doc = self.doc
        ends = {m.end: m for m in self.mentions if m.kind in {"org", "group", "place"}}
        texts = doc.texts
        for i, text in enumerate(texts):
            if text != "(" or i + 2 >= len(doc) or texts[i + 2] != ")":
                continue
            tok = doc[i]
            acr = doc[tok.i + 1]
            if not ACRONYM.match(acr.text):
                continue
            prev = ends.get(tok.i)
            if prev is None or prev.source == "dateline" or acr.text in AGENCIES:
                continue
            initials = initials_of(doc.span_text(prev.start, prev.end))
            if not initials or initials[0] != acronym_key(acr.text)[0]:
                continue
            existing = [m for m in self.mentions if m.start == acr.i and m.end == acr.i + 1]
            if existing:
                existing[0].kind = prev.kind
            else:
                self._add(acr.i, acr.i + 1, prev.kind, "acronym", force=True)
            prev.extra_alias.append("=" + acr.text)  # marker: acronym of this name

    def org_nominals(self) -> None:
        """"Seoul's foreign ministry", "the South Korean government": organisations named by role."""
        doc = self.doc
        places = {m.end: m for m in self.mentions if m.kind == "place"}
        norp_end = {e.end: e for e in self.base if e.label_ == "NORP"}
        heads = NOMINAL_HEAD_WORDS
        for i in sorted(set(places) | set(norp_end)):
            if i >= len(doc):
                continue
            tok = doc[i]
            owner: tuple[int, int] | None = None
            start_words = tok.i
            if tok.tag_ == "POS" and tok.i in places:
                owner = (places[tok.i].start, tok.i)
                start_words = tok.i + 1
            elif tok.i in norp_end and not any(self.taken[i] for i in range(norp_end[tok.i].start, tok.i)):
                ent = norp_end[tok.i]
                owner = (ent.start, ent.end)
                start_words = tok.i
            if owner is None:
                continue
            for words in heads:
                # allow one lower-case modifier before the head ("foreign ministry", "military junta")
                for skip in (0, 1):
                    s = start_words + skip
                    if doc.lowers[s:s + len(words)] == words and \
                            all(t.is_lower for t in doc[start_words:s + len(words)]):
                        end = s + len(words)
                        if any(self.taken[i] for i in range(start_words, end)):
                            break
                        m = Candidate(owner[0], end, "org", "nominal", nominal=True)
                        self.mentions.append(m)
                        for i in range(start_words, end):
                            self.taken[i] = True
                        break
                else:
                    continue
                break
