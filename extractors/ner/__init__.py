"""Named-entity helpers: the CoNLL-2003 reader/detokeniser and the bundled CoNLL ner model."""

from __future__ import annotations

from .conll import ConllDoc, ConllEntity, detokenise, read_conll

__all__ = ["ConllDoc", "ConllEntity", "detokenise", "read_conll"]
