"""The short-story bench corpus (#18) is built from CoNLL-2003 documents as headline + body text files."""

from __future__ import annotations

from pathlib import Path

from bench.short import write_short_corpus
from extractors.readers import read_bytes

CONLL = """-DOCSTART- -X- O O

Mill O O O
closes O O O
. O O O

LEEDS B-LOC O O
1996-08-22 O O O

The O O O
paper O O O
mill O O O
in O O O
Leeds I-LOC O O
closed O O O
on O O O
Friday O O O
. O O O

-DOCSTART- -X- O O

Empty O O O
"""


def test_documents_become_headline_and_body_files(tmp_path: Path) -> None:
    src = tmp_path / "eng.train"
    src.write_text(CONLL, encoding="utf-8")
    n = write_short_corpus(src, tmp_path / "out")
    files = sorted((tmp_path / "out").glob("*.txt"))
    assert n == 1 and len(files) == 1  # the one-paragraph document has no body and is left out
    story = read_bytes(files[0].read_bytes(), str(files[0]))[0]
    assert (story.title or "").startswith("Mill closes.") and "The paper mill in Leeds closed on Friday." in story.body
