"""A cheap view of a parsed Doc for the actor rules: tokens listed once, sentence bounds per token."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["TokView"]


class TokView:
    """Index like a Doc (ints give Tokens, slices lists of Tokens) without rebuilding Tokens."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.toks: list[Token] = list(doc)
        self.text = doc.text
        n = len(self.toks)
        self.sent_start: list[int] = [0] * n
        self.sent_end: list[int] = [n] * n
        if n and (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
            starts = [i for i, flag in enumerate(doc.to_array("SENT_START").tolist()) if flag == 1 or i == 0]
            starts.append(n)
            for a, b in itertools.pairwise(starts):
                self.sent_start[a:b] = [a] * (b - a)
                self.sent_end[a:b] = [b] * (b - a)

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
