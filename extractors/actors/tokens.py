"""A cheap view of a parsed Doc: tokens listed once, the text read once, sentence bounds per token.

`extract_doc` builds one view per story and hands it to the actor, quote and number extractors:
spaCy builds a new Token object on every `doc[i]` and rebuilds `doc.text` from the tokens on every
access, so reading them once per story and sharing them saves that work three times over.
"""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["TokView"]


class TokView(list["Token"]):
    """The Doc's Tokens as a list (ints give Tokens, slices lists of Tokens) without rebuilding Tokens,
    with per-token columns read once."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import IDX, ORTH, SPACY

        super().__init__(doc)  # a list, so indexing and len() cost no Python call
        self.doc = doc
        n = len(self)
        orth, idx, space = doc.to_array([ORTH, IDX, SPACY]).T.tolist() if n else ([], [], [])
        strings = doc.vocab.strings
        self.texts: list[str] = [strings[o] for o in orth]  # `tok.text` of every token
        self.idxs: list[int] = idx  # `tok.idx` of every token
        self.spaces: list[int] = space  # 1 when the token is followed by a space (`tok.whitespace_`), else 0
        # what `doc.text` gives (the tokens with their trailing spaces), without a Token per token
        self.text = "".join([t + " " if s else t for t, s in zip(self.texts, space, strict=True)])
        self.sent_start: list[int] = [0] * n
        self.sent_end: list[int] = [n] * n
        if n and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
            starts = [i for i, flag in enumerate(doc.to_array("SENT_START").tolist()) if flag == 1 or i == 0]
            starts.append(n)
            for a, b in itertools.pairwise(starts):
                self.sent_start[a:b] = [a] * (b - a)
                self.sent_end[a:b] = [b] * (b - a)

    @property
    def toks(self) -> list[Token]:
        return self

    @functools.cached_property
    def lowers(self) -> list[str]:
        """`tok.lower_` of every token (spaCy's LOWER is `str.lower` of the text)."""
        return [t.lower() for t in self.texts]

    def span_text(self, start: int, end: int) -> str:
        """Text of tokens start..end (exclusive) as written."""
        if end <= start:
            return ""
        return self.text[self.idxs[start] : self.idxs[end - 1] + len(self.texts[end - 1])]
