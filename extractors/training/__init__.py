"""Training scripts for wire's bundled models (run by `make train`, never at import time).

Modules: `train_ner` (the bundled CoNLL-2003 ner, written to extractors/models/conll_ner) and
`train_speaker_ranker` (the quote speaker ranker's weights, extractors/quotes/data/speaker_ranker.json).
What loading a trained model needs at run time is not here but in `extractors.ner` (`architectures`).
"""

__all__: list[str] = []
