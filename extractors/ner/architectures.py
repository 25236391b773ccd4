"""Model architectures of the bundled CoNLL-2003 ner (registered with spaCy when imported).

extractors.nlp imports this module before loading extractors/models/conll_ner, and the training
(extractors/training/train_ner.py) passes it to `spacy train --code`, so a model whose config names these
architectures loads in both. It lives here, not under extractors/training/, because loading the model at
run time needs it; extractors/training/ holds only what `make train` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import spacy
from thinc.api import concatenate

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from thinc.api import Model
    from thinc.types import Floats2d

__all__ = ["listener_with_embed"]


@spacy.registry.architectures("wire.ListenerWithEmbed.v1")
def listener_with_embed(
    width: int, upstream: str, embed_width: int, attrs: list[str], rows: list[int], depth: int = 0
) -> Model[list[Doc], list[Floats2d]]:
    """The shared tok2vec's output (read through a listener) beside a small embedding of the ner's own.

    The listener adds no computation at prediction time (it reads doc.tensor); the embedding is a
    hash-table look-up per token and feature, mixed by one maxout layer, followed by `depth`
    convolution layers (window 1) when depth > 0.
    """
    from spacy.ml.models.tok2vec import MaxoutWindowEncoder, MultiHashEmbed
    from spacy.pipeline.tok2vec import Tok2VecListener
    from thinc.api import chain, with_array

    listener = Tok2VecListener(upstream_name=upstream, width=width)
    embed: Model[list[Doc], list[Floats2d]] = MultiHashEmbed(
        width=embed_width, attrs=attrs, rows=rows, include_static_vectors=False
    )
    if depth > 0:
        encoder = MaxoutWindowEncoder(width=embed_width, depth=depth, window_size=1, maxout_pieces=3)
        embed = chain(embed, with_array(encoder))  # type: ignore[type-var]
    model: Model[list[Doc], list[Floats2d]] = concatenate(listener, embed)
    model.set_dim("nO", width + embed_width)
    return model
