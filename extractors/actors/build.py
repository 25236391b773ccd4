"""Titles bound to the clustered actors, and the `Actor` and `Mention` records."""

from __future__ import annotations

from collections import Counter

from ..ids import actor_id
from ..records import Actor, Mention
from .initials import ACRONYM
from .lexicon import (
    normalise_name,
)
from .resolve import Resolution
from .spans import (
    Candidate,
    Cluster,
)
from .titles import apposition_title, fronted_title, premodifier_title

__all__ = [
    "Builder",
]


class Builder(Resolution):
    """The whole builder: recognition, resolution, titles and output."""

    # ---------------------------------------------------------------- titles and output
    def titles(self, clusters: list[Cluster]) -> None:
        doc = self.doc
        person_tokens = {i for m in self.mentions if m.kind == "person" for i in range(m.start, m.end)}
        org_at: dict[int, Candidate] = {}
        for m in self.mentions:
            if m.kind == "org" and not m.nominal:
                for i in range(m.start, m.end):
                    org_at[i] = m
        for cl in clusters:
            if cl.kind not in {"person", "org"} or not cl.mentions:
                continue
            for m in cl.mentions:
                if m.nominal:
                    continue
                spans = []
                pre = premodifier_title(doc, m.start, person_tokens, person=cl.kind == "person")
                if pre is not None and (cl.kind == "person" or all(t.is_lower for t in doc[pre[0]:pre[1]])):
                    spans.append(pre)
                if cl.kind == "person":
                    for found in (apposition_title(doc, m.end), fronted_title(doc, m.start)):
                        if found is not None and not any(i in person_tokens for i in range(*found)):
                            spans.append(found)
                for s, e in spans:
                    text = doc.span_text(s, e)
                    if text not in cl.titles:
                        cl.titles.append(text)
                    for i in range(s, e):
                        org = org_at.get(i)
                        if org is not None and org.cluster >= 0:
                            cl.title_orgs.append(org.cluster)
                # "Russia's Security Council", "the TASS news agency": owner / descriptor forms
                if cl.kind == "org" and m.start >= 2 and doc[m.start - 1].tag_ == "POS":
                    owner = doc[m.start - 2]
                    if owner.pos_ == "PROPN":
                        cl.aliases.append(doc.span_text(m.start - 2, m.end))
                if cl.kind == "org" and m.end + 1 < len(doc):
                    nxt = doc[m.end:m.end + 2]
                    if nxt[0].is_lower and nxt[0].pos_ == "NOUN":
                        e = m.end + (2 if nxt[1].is_lower and nxt[1].pos_ == "NOUN" else 1)
                        if doc[e - 1].lower_ in {"agency", "newspaper", "daily", "broadcaster", "network",
                                                 "group", "party", "movement", "militia", "company"}:
                            cl.aliases.append(doc.span_text(m.start, e))
                            desc = doc.span_text(m.end, e)
                            if desc not in cl.titles:
                                cl.titles.append(desc)

    def output(self, clusters: list[Cluster]) -> tuple[list[Actor], list[Mention]]:
        by_id: dict[str, Actor] = {}
        mentions: list[Mention] = []
        names: dict[int, str] = {}
        for c, cl in enumerate(clusters):
            if cl.merged_into < 0 and cl.mentions:
                names[c] = cl.canonical or self._canonical(cl)
        for c, cl in enumerate(clusters):
            if c not in names:
                continue
            kinds = Counter(m.kind for m in cl.mentions)
            kind = cl.kind if cl.kind in kinds else kinds.most_common(1)[0][0]
            name = names[c]
            aid = actor_id(name, kind)
            seen = {normalise_name(name)}
            aliases: list[str] = []
            forms = [m.text for m in sorted(cl.mentions, key=lambda m: m.start)]
            forms += [a for m in cl.mentions for a in m.extra_alias if not a.startswith("=")]
            forms += cl.aliases
            for form in forms:
                key = normalise_name(form)
                if key and key not in seen:
                    seen.add(key)
                    aliases.append(form)
            title_orgs: list[str] = []
            for org_c in cl.title_orgs:
                org_name = names.get(self._live(clusters, org_c))
                if org_name and org_name not in title_orgs:
                    title_orgs.append(org_name)
            prior = by_id.get(aid)
            if prior is None:
                by_id[aid] = Actor(actor_id=aid, name=name, kind=kind, titles=list(cl.titles), aliases=aliases,
                                   mention_count=len(cl.mentions), title_orgs=title_orgs)
            else:  # two clusters with one canonical name: one actor
                prior.mention_count += len(cl.mentions)
                prior.titles += [t for t in cl.titles if t not in prior.titles]
                prior.aliases += [a for a in aliases if a not in prior.aliases]
                prior.title_orgs += [o for o in title_orgs if o not in prior.title_orgs]
            for m in cl.mentions:
                mentions.append(Mention(actor_id=aid, text=m.text, kind=kind,
                                        start=self.doc.idxs[m.start],
                                        end=self.doc.idxs[m.end - 1] + len(self.doc.texts[m.end - 1])))
        mentions.sort(key=lambda x: (x.start, x.end))
        first: dict[str, int] = {}
        for x in mentions:
            first.setdefault(x.actor_id, x.start)
        actors = sorted(by_id.values(), key=lambda a: first.get(a.actor_id, 0))
        return actors, mentions

    @staticmethod
    def _canonical(cl: Cluster) -> str:
        """Longest name form (acronyms lose to expansions; capitals-only forms lose to mixed case)."""
        def score(m: Candidate) -> tuple[int, int, int, int]:
            text = m.text
            acronym = 1 if ACRONYM.match(text.replace(" ", "")) else 0
            caps = 1 if text.isupper() and not acronym else 0
            return (-int(m.nominal), -acronym, -caps, len(text.split()) * 100 - m.start)

        best = max(cl.mentions, key=score)
        text = best.text
        if text.isupper() and not ACRONYM.match(text.replace(" ", "")):
            text = text.title()
        return text
