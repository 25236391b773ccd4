"""Named-entity helpers: the CoNLL-2003 reader/detokeniser and the bundled CoNLL ner model's code.

Modules:

- `conll`: CoNLL-2003 (IOB1) reading and detokenisation into wire-like text (training and evaluation);
- `architectures`: the spaCy architectures the bundled model (extractors/models/conll_ner) may name,
  registered by `extractors.nlp` before it loads the model and passed to `spacy train --code` by
  `extractors.training.train_ner`. Run-time code takes it from here, never from `extractors.training`.
"""

from __future__ import annotations

from .conll import ConllDoc, ConllEntity, detokenise, read_conll

__all__ = ["ConllDoc", "ConllEntity", "detokenise", "read_conll"]
