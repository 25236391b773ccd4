"""CoNLL-2003 (IOB1) reading and detokenisation into wire-like text with entity character spans.

Pure functions: the caller reads the file and passes its text. The same detokeniser serves the
training script and the evaluation, so the model is trained on text shaped like the text it is
evaluated (and run) on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

__all__ = ["ConllDoc", "ConllEntity", "detokenise", "read_conll"]

_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'S", "n't", "N'T",
                              "'re", "'ve", "'ll", "'d", "'m", "'", "...", "'RE", "'VE", "'LL", "'D", "'M"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "#"})
_SENTENCE_END = frozenset({".", "!", "?", '"', "'", ")", "...", ":"})


@dataclass(frozen=True)
class ConllEntity:
    label: str  # PER | ORG | LOC | MISC
    start: int  # character offsets into ConllDoc.text, end exclusive
    end: int
    text: str


@dataclass
class ConllDoc:
    text: str
    entities: list[ConllEntity] = field(default_factory=list)


def _sentences(data: str) -> Iterator[list[list[tuple[str, str]]]]:
    """Yield documents as lists of sentences of (word, iob1-tag)."""
    doc: list[list[tuple[str, str]]] = []
    sent: list[tuple[str, str]] = []
    for line in data.splitlines():
        parts = line.split()
        if not parts:
            if sent:
                doc.append(sent)
                sent = []
            continue
        if parts[0] == "-DOCSTART-":
            if sent:
                doc.append(sent)
                sent = []
            if doc:
                yield doc
            doc = []
            continue
        sent.append((parts[0], parts[-1]))
    if sent:
        doc.append(sent)
    if doc:
        yield doc


def detokenise(sentences: Sequence[Sequence[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Join tokenised sentences into text; return it and each token's (start, end) offsets.

    Sentences that end like a sentence are joined with a space; lines that do not (headlines,
    datelines, tables) become their own paragraph ("\\n\\n"), as in wire bodies.
    """
    out: list[str] = []
    pos = 0
    offsets: list[list[tuple[int, int]]] = []
    prev_sentence_end = True
    for s_index, words in enumerate(sentences):
        if s_index:
            sep = " " if prev_sentence_end else "\n\n"
            out.append(sep)
            pos += len(sep)
        sent_offsets: list[tuple[int, int]] = []
        open_quote = False
        prev = ""
        for i, word in enumerate(words):
            if i:
                space = True
                if word in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
                    space = False
                if word == '"':
                    space = not open_quote  # opening quote takes a space before, closing does not
                if prev == '"' and open_quote:
                    space = False  # no space just after an opening quote
                if space:
                    out.append(" ")
                    pos += 1
            if word == '"':
                open_quote = not open_quote
            out.append(word)
            sent_offsets.append((pos, pos + len(word)))
            pos += len(word)
            prev = word
        offsets.append(sent_offsets)
        last = words[-1] if words else ""
        prev_sentence_end = last in _SENTENCE_END
    return "".join(out), offsets


def _entities(tags: Sequence[str], offs: Sequence[tuple[int, int]], text: str) -> list[ConllEntity]:
    ents: list[ConllEntity] = []
    label = ""
    start = end = -1
    for tag, (s, e) in zip(tags, offs, strict=True):
        kind = tag[2:] if len(tag) > 2 else ""
        begins = tag.startswith("B-") or (tag.startswith("I-") and kind != label)
        if label and (tag == "O" or begins):
            ents.append(ConllEntity(label, start, end, text[start:end]))
            label = ""
        if tag == "O":
            continue
        if begins or not label:
            label, start = kind, s
        end = e
    if label:
        ents.append(ConllEntity(label, start, end, text[start:end]))
    return ents


def read_conll(data: str) -> list[ConllDoc]:
    """Documents of a CoNLL-2003 file (split on -DOCSTART-), detokenised, with entity spans."""
    docs: list[ConllDoc] = []
    for sents in _sentences(data):
        words = [[w for w, _ in s] for s in sents]
        text, offsets = detokenise(words)
        ents: list[ConllEntity] = []
        for sent, offs in zip(sents, offsets, strict=True):
            ents.extend(_entities([t for _, t in sent], offs, text))
        docs.append(ConllDoc(text=text, entities=ents))
    return docs
