"""Resolution within the story: byline names dropped, kinds voted, mentions clustered (surname -> full
name, acronym <-> expansion); the cluster passes' order is `rules.CLUSTER_PASSES`."""

from __future__ import annotations

from collections import Counter

from ..agencies import AGENCIES_IN_TEXT as AGENCIES
from .gazetteer import (
    TITLE_WORDS,
    capital_country,
    country_name,
    is_city,
    is_known_place,
)
from .initials import ACRONYM, acronym_key, initials
from .lexicon import (
    DATE_WORD,
    KIND_RANK,
    normalise_name,
)
from .recognise import Recogniser
from .spans import (
    Candidate,
    Cluster,
    Clustering,
)
from .titles import apposition_title, premodifier_title

__all__ = [
    "Resolution",
]


class Resolution(Recogniser):
    """Kinds and clusters of the candidate mentions."""

    # ---------------------------------------------------------------- resolution
    def _dateline_position(self, m: Candidate) -> bool:
        """A name opening a paragraph, followed by a date, a comma or "(agency)": "LONDON 1996-08-30"."""
        doc = self.doc
        if not (m.start == 0 or doc[m.start - 1].is_space or "\n" in doc[m.start - 1].whitespace_):
            return False
        if m.end >= len(doc):
            return False
        nxt = doc[m.end]
        return nxt.text in {",", "("} or bool(DATE_WORD.match(nxt.text))

    def drop_byline(self) -> None:
        if not self.byline:
            return
        self.mentions = [m for m in self.mentions
                         if not (m.kind == "person" and normalise_name(m.text) in self.byline)]

    def vote_kinds(self) -> None:
        """Gazetteer fixes per mention, then one kind per surface form (majority; ties person > org > place)."""
        persons = {w for m in self.mentions if m.kind == "person" and len(m.text.split()) > 1
                   for w in normalise_name(m.text).split()}
        fixed: set[int] = set()
        for n, m in enumerate(self.mentions):
            if m.nominal or m.kind == "group":
                fixed.add(n)
                continue
            key = normalise_name(m.text)
            if m.source in {"agency", "dateline"} and m.kind == "org":
                fixed.add(n)
            elif country_name(key) is not None or (
                    self._dateline_position(m) and (is_known_place(key) or is_city(key))):
                m.kind = "place"  # countries always; known cities/states where a dateline stands
                fixed.add(n)
            elif (m.kind == "place" and m.end - m.start > 1 and not is_known_place(key) and not is_city(key)
                    and capital_country(key) is None and apposition_title(self.doc, m.end) is not None):
                m.kind = "person"  # "Hong Min, a senior analyst at ...": a role in apposition is a person's
                fixed.add(n)
            elif (m.kind == "person" and m.end - m.start == 1 and key not in persons
                    and (self.base_label.get((m.start, m.end)) in {"GPE", "LOC"}
                         or capital_country(key) is not None)):
                m.kind = "place"  # "Paris said", "Pyongyang will send": a capital, or a place to the base model
        votes: dict[str, Counter[str]] = {}
        for m in self.mentions:
            if not m.nominal and m.kind != "group":
                votes.setdefault(normalise_name(m.text), Counter())[m.kind] += 1
        for n, m in enumerate(self.mentions):
            if n in fixed:
                continue
            key = normalise_name(m.text)
            best = max(votes[key].items(), key=lambda kv: (kv[1], -KIND_RANK[kv[0]]))[0]
            m.kind = best  # type: ignore[assignment]
            # a lone surname tagged as place/org joins the person who bears it ("Hong" -> Hong Min)
            if (m.kind != "person" and " " not in key and key in persons and m.source not in {"agency", "dateline"}
                    and country_name(key) is None and capital_country(key) is None):
                m.kind = "person"

    # ---------------------------------------------------------------- cluster passes
    def full_names(self, st: Clustering) -> None:
        """Full names (several words), places by their gazetteer name: one cluster per kind and name.
        One-word persons and acronyms wait for the full names (`single_words`)."""
        for m in self.mentions:
            key = normalise_name(m.text)
            if m.kind == "place":
                key = normalise_name(country_name(key) or key)
            if not key:
                continue
            if m.kind == "person" and " " not in key:
                st.singles.append(m)
                continue
            if m.kind == "org" and not m.nominal and ACRONYM.match(m.text.replace(" ", "")):
                st.singles.append(m)
                continue
            if (m.kind, key) in st.by_key:
                st.join(m, st.by_key[(m.kind, key)])
            else:
                st.new(m.kind, m, key)
                if m.kind == "place":
                    st.clusters[-1].canonical = country_name(key)

    def sub_names(self, st: Clustering) -> None:
        """A person's full name inside a longer one of the same surname joins it ("George Bush" <
        "George W. Bush") when only one is longer."""
        person_keys = [(k, c) for (kind, k), c in st.by_key.items() if kind == "person"]
        for k, c in person_keys:
            name_words = set(k.split())
            longer = [c2 for k2, c2 in person_keys if c2 != c and len(k2.split()) > len(name_words)
                      and name_words <= set(k2.split()) and k2.split()[-1] == k.split()[-1]]
            if len(longer) == 1:
                self._merge(st.clusters, c, longer[0])

    def single_words(self, st: Clustering) -> None:
        """One-word persons join the full name bearing the word, acronyms the name they abbreviate."""
        clusters = st.clusters
        for m in st.singles:
            key = normalise_name(m.text)
            target = (self._resolve_person(clusters, m, key) if m.kind == "person"
                      else self._resolve_acronym(clusters, m))
            if target is not None:
                st.join(m, target)
            elif (m.kind, key) in st.by_key:
                st.join(m, self._live(clusters, st.by_key[(m.kind, key)]))
            else:
                st.new(m.kind, m, key)

    def org_short_forms(self, st: Clustering) -> None:
        """"Security Council" after "U.N. Security Council" joins it (earlier mentions only)."""
        clusters = st.clusters
        for c, cl in enumerate(clusters):
            if cl.kind != "org" or cl.merged_into >= 0:
                continue
            first = min(cl.mentions, key=lambda m: m.start)
            words = normalise_name(first.text).split()
            if first.nominal or len(words) < 2:
                continue
            best: tuple[int, int] | None = None
            for c2, cl2 in enumerate(clusters):
                if c2 == c or cl2.kind != "org" or cl2.merged_into >= 0:
                    continue
                for m2 in cl2.mentions:
                    w2 = normalise_name(m2.text).split()
                    if m2.start < first.start and len(w2) > len(words) and w2[-len(words):] == words \
                            and (best is None or m2.start > best[0]):
                        best = (m2.start, c2)
            if best is not None:
                self._merge(clusters, c, best[1])

    def agency_names(self, st: Clustering) -> None:
        """News agencies take their canonical name, so "Agence France-Presse" and "AFP" share one id."""
        for cl in st.clusters:
            if cl.kind == "org" and cl.merged_into < 0 and cl.canonical is None:
                names = [AGENCIES[m.text] for m in cl.mentions if m.text in AGENCIES]
                if names:
                    cl.canonical = names[0]

    def capitals(self, st: Clustering) -> None:
        """A capital joins its country when the country itself is named as a place in the story."""
        clusters = st.clusters
        countries = {cl.canonical: c for c, cl in enumerate(clusters)
                     if cl.kind == "place" and cl.canonical and cl.merged_into < 0}
        for c, cl in enumerate(clusters):
            if cl.kind != "place" or cl.canonical or cl.merged_into >= 0:
                continue
            if any(m.source == "dateline" for m in cl.mentions):
                continue  # a dateline names where the story was filed, not the government
            country = capital_country(cl.mentions[0].text)
            if country and country in countries:
                self._merge(clusters, c, countries[country])

    @staticmethod
    def _live(clusters: list[Cluster], c: int) -> int:
        while clusters[c].merged_into >= 0:
            c = clusters[c].merged_into
        return c

    def _merge(self, clusters: list[Cluster], src: int, dst: int) -> None:
        src, dst = self._live(clusters, src), self._live(clusters, dst)
        if src == dst:
            return
        for m in clusters[src].mentions:
            m.cluster = dst
        clusters[dst].mentions.extend(clusters[src].mentions)
        clusters[src].mentions = []
        clusters[src].merged_into = dst

    def _resolve_person(self, clusters: list[Cluster], m: Candidate, key: str) -> int | None:
        """A surname/first name joins the full name bearing it: title match, then recency."""
        cands = [c for c, cl in enumerate(clusters) if cl.kind == "person" and cl.merged_into < 0
                 and any(" " in normalise_name(x.text) and key in normalise_name(x.text).split()
                         for x in cl.mentions)]
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        doc = self.doc
        title = doc[m.start - 1].lower_ if m.start > 0 else ""
        if title in TITLE_WORDS:
            titled = [c for c in cands if any(title in t.lower() for t in self._titles_near(clusters[c]))]
            if len(titled) == 1:
                return titled[0]

        def last_before(c: int) -> int:
            return max((x.start for x in clusters[c].mentions if x.start < m.start), default=-1)

        before = [(last_before(c), c) for c in cands]
        best = max(before)
        if best[0] >= 0:
            return best[1]
        return min(cands, key=lambda c: min(x.start for x in clusters[c].mentions))

    def _titles_near(self, cl: Cluster) -> list[str]:
        out: list[str] = []
        for x in cl.mentions:
            span = premodifier_title(self.doc, x.start, set())
            if span:
                out.append(self.doc.span_text(span[0], span[1]))
        return out

    def _resolve_acronym(self, clusters: list[Cluster], m: Candidate) -> int | None:
        key = acronym_key(m.text)
        for c, cl in enumerate(clusters):
            if cl.kind != m.kind or cl.merged_into >= 0:
                continue
            for x in cl.mentions:
                if "=" + m.text in x.extra_alias or (len(x.text.split()) > 1 and initials(x.text) == key):
                    return c
        return None
