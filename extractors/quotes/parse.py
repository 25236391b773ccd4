"""Cues and speaker phrases read from the dependency parse (pure functions of spaCy tokens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import LISTENER_VERBS, ORG_NOUNS, PARTICLE_CUES, PERSON_NOUNS, QUOTING_VERBS, REPORTING_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..actors.tokens import TokView

__all__ = [
    "CUE_WORDS",
    "animate",
    "best_head",
    "doc_slice",
    "find_speaker_token",
    "is_cue",
    "np_span",
    "sentences",
]

# "saying" climbs at most this many heads to the verb of "quoted X as saying".
MAX_HOPS_TO_QUOTING_VERB = 3
# A cue in a conjunct or complement ("stood up and said") climbs at most this many heads to a subject.
MAX_HOPS_TO_SUBJECT = 3

_NP_DROP = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis", "advmod", "npadvmod"})


def np_span(head: Token) -> tuple[int, int]:
    """Token range [i, j) of the noun phrase headed by `head`, without appositions and clauses."""
    lo, hi = head.i, head.i + 1
    for child in head.children:
        if child.dep_ in _NP_DROP:
            continue
        sub = list(child.subtree)
        if any(t.text in {",", "(", ")", "\u2014", "--", "\u2013"} for t in sub) and child.dep_ == "prep":
            continue
        lo = min(lo, sub[0].i)
        hi = max(hi, sub[-1].i + 1)
    doc = head.doc
    # keep a named entity whole
    if head.ent_iob_ in {"B", "I"}:
        a = head.i
        while a > 0 and doc[a].ent_iob_ == "I":
            a -= 1
        b = head.i + 1
        while b < len(doc) and doc[b].ent_iob_ == "I":
            b += 1
        lo, hi = min(lo, a), max(hi, b)
    # never across a line break
    for k in range(head.i - 1, lo - 1, -1):
        if "\n" in doc[k].text or "\n" in doc[k].whitespace_:
            lo = k + 1
            break
    for k in range(head.i, hi):
        if "\n" in doc[k].text:
            hi = k
            break
    while lo < hi - 1 and (doc[hi - 1].is_punct or doc[hi - 1].is_space or doc[hi - 1].dep_ == "cc"):
        hi -= 1
    while lo < hi - 1 and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return lo, hi


def best_head(tok: Token) -> Token:
    """The token naming the speaker: a name in apposition beats a common noun ("an analyst, Jo Bo")."""
    if tok.pos_ != "PROPN" and tok.tag_ not in {"PRP"}:
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return child
    return tok


def find_speaker_token(verb: Token) -> tuple[Token | None, str]:
    """The head token of who speaks through `verb`, and the cue text."""
    low = verb.lower_
    # "according to X"
    if low == "according":
        for child in verb.children:
            if child.lower_ == "to":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return best_head(pobj), "according to"
        nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
        if nxt is not None and nxt.lower_ == "to":
            for pobj in nxt.children:
                if pobj.dep_ == "pobj":
                    return best_head(pobj), "according to"
        return None, "according to"
    # "saying" under "quoted X as saying" / "cited X as saying"
    if low in {"saying", "says", "say"}:
        up = verb.head
        hops = 0
        while up is not verb and hops < MAX_HOPS_TO_QUOTING_VERB and up.lower_ not in QUOTING_VERBS:
            if up.head is up:
                break
            up = up.head
            hops += 1
        if up.lower_ in QUOTING_VERBS:
            who, _ = find_speaker_token(up)
            return who, f"{up.text} as saying"
    if low in QUOTING_VERBS:
        passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
        for child in verb.children:
            if passive and child.dep_ == "nsubjpass":
                return best_head(child), f"{verb.text} as saying"
            if not passive and child.dep_ == "dobj":
                return best_head(child), f"{verb.text} as saying"
        # "X, quoted by Y" does not name the speaker here
        return None, verb.text
    for child in verb.children:
        if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and low not in LISTENER_VERBS):
            if child.tag_ in {"WP", "WDT"} or child.lower_ in {"who", "which", "that"}:
                if verb.dep_ == "relcl":
                    return best_head(verb.head), verb.text
                continue
            if (
                child.dep_ == "nsubj"
                and child.lower_ == "it"
                and any(c.dep_ == "ccomp" for c in verb.children)
                and verb.lower_ in {"said", "says"}
                and any(c.dep_ == "auxpass" for c in verb.children)
            ):
                continue
            return best_head(child), verb.text
        if child.dep_ == "agent":  # "it was said by X"
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return best_head(pobj), verb.text
    # "he stood up and said", "went on to say", "..., saying", "treating it as ..., asserting"
    up, hops = verb, 0
    while up.dep_ in {"conj", "xcomp", "advcl"} and up.head is not up and hops < MAX_HOPS_TO_SUBJECT:
        up, hops = up.head, hops + 1
        for child in up.children:
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and up.lower_ not in LISTENER_VERBS):
                if child.tag_ in {"WP", "WDT"}:
                    break
                return best_head(child), verb.text
    if verb.dep_ in {"conj", "xcomp", "advcl"}:
        return None, verb.text
    if verb.dep_ == "relcl":
        return best_head(verb.head), verb.text
    return None, verb.text


def animate(tok: Token) -> bool:
    """Can `tok` head the name of someone who speaks (a person, a group, an organisation)?"""
    low = tok.lower_
    if tok.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or tok.pos_ == "PROPN":
        return True
    if tok.tag_ == "PRP":
        return low in {"he", "she", "they", "we", "i"}
    return low in ORG_NOUNS or low in PERSON_NOUNS or low.endswith(("man", "men", "woman", "women", "ist", "ists"))


# The only lower-case words `is_cue` can accept: scans test a token's word against this set before building
# the Token (its attributes are looked up anew on every access).
CUE_WORDS: frozenset[str] = REPORTING_VERBS | frozenset(PARTICLE_CUES) | {"according"}


def is_cue(tok: Token) -> bool:
    low = tok.lower_
    if low == "according":
        return tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to"
    if low in PARTICLE_CUES:  # "as X put it", "she went on", "as X pointed out"
        return tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == PARTICLE_CUES[low]
    if low not in REPORTING_VERBS:
        return False
    if tok.pos_ not in {"VERB", "AUX"} and not (tok.tag_.startswith("VB")):
        # the tagger sometimes calls "says" a noun in "..., he says."
        return low in {"said", "says", "told"} and tok.dep_ not in {"amod", "compound"}
    return True



def sentences(view: TokView) -> list[Span]:
    """spaCy's sentences, cut again at line breaks (the parser sometimes runs over a paragraph end)."""
    doc = view.doc
    texts = view.texts
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for i in range(start, sent.end):
            text = texts[i]
            if "\n" in text and text.isspace():  # a white-space token with a line break (`tok.is_space`)
                if i > start:
                    out.append(doc[start:i])
                start = i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return out or [doc[:]]


def doc_slice(tok: Token) -> list[Token]:
    """Tokens from just before `tok`'s subtree to its end (for the comma test)."""
    doc = tok.doc
    lo = max(0, tok.left_edge.i - 1)
    return list(doc[lo : tok.right_edge.i + 1])
