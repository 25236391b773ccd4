"""A cheap view of a parsed Doc: tokens listed once, the text read once, sentence bounds per token.

`extract_doc` builds one view per story and hands it to the actor, quote and number extractors:
spaCy builds a new Token object on every `doc[i]` and rebuilds `doc.text` from the tokens on every
access, so reading them once per story and sharing them saves that work three times over.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["TokView"]


class TokView:
    """Index like a Doc (ints give Tokens, slices lists of Tokens) without rebuilding Tokens."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import IDX, ORTH, SPACY

        self.doc = doc
        self.toks: list[Token] = list(doc)
        n = len(self.toks)
        orth, idx, space = doc.to_array([ORTH, IDX, SPACY]).T.tolist() if n else ([], [], [])
        strings = doc.vocab.strings
        self.texts: list[str] = [strings[o] for o in orth]  # `tok.text` of every token
        self.idxs: list[int] = idx  # `tok.idx` of every token
        self.spaces: list[bool] = [bool(s) for s in space]  # is the token followed by a space (`tok.whitespace_`)?
        # what `doc.text` gives (the tokens with their trailing spaces), without a Token per token
        self.text = "".join([t + " " if s else t for t, s in zip(self.texts, self.spaces, strict=True)])
        self.sent_start: list[int] = [0] * n
        self.sent_end: list[int] = [n] * n
        if n and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
            starts = [i for i, flag in enumerate(doc.to_array("SENT_START").tolist()) if flag == 1 or i == 0]
            starts.append(n)
            for a, b in itertools.pairwise(starts):
                self.sent_start[a:b] = [a] * (b - a)
                self.sent_end[a:b] = [b] * (b - a)

    @functools.cached_property
    def lowers(self) -> list[str]:
        """`tok.lower_` of every token (spaCy's LOWER is `str.lower` of the text)."""
        return [t.lower() for t in self.texts]

    def __len__(self) -> int:
        return len(self.toks)

    def __iter__(self) -> Iterator[Token]:
        return iter(self.toks)

    @overload
    def __getitem__(self, key: int) -> Token: ...

    @overload
    def __getitem__(self, key: slice) -> list[Token]: ...

    def __getitem__(self, key: int | slice) -> Token | list[Token]:
        return self.toks[key]

    def span_text(self, start: int, end: int) -> str:
        """Text of tokens start..end (exclusive) as written."""
        if end <= start:
            return ""
        last = self.toks[end - 1]
        return self.text[self.toks[start].idx : last.idx + len(last.text)]
