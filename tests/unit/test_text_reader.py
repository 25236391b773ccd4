"""Plain-text archive layouts, byline normalisation, decoding and non-story files."""

from __future__ import annotations

from datetime import datetime

import pytest

from extractors.clean import decode_bytes, normalise_byline
from extractors.errors import NotAStory
from extractors.readers import read_bytes

SEED_LIKE = """  date 2024-03-05 Minister Jane Doe (C) visits the flooded town of Riverton

By John SMITH

RIVERTON (AFP) - Floods forced 2,000 people from their homes on Tuesday, officials said.

"The water came in the night," said resident Tom Brown.

© 2024 AFP
"""


def test_seed_layout_splits_caption_byline_dateline_trailer() -> None:
    (story,) = read_bytes(SEED_LIKE.encode(), "a/seed.txt")
    assert story.published_at == datetime(2024, 3, 5)
    assert story.caption == "Minister Jane Doe (C) visits the flooded town of Riverton"
    assert story.byline == "John Smith"
    assert story.agency == "AFP"
    assert story.dateline == "RIVERTON (AFP)"
    assert story.located == "Riverton"
    assert story.body.startswith("Floods forced 2,000 people")
    assert story.body.endswith('said resident Tom Brown.')
    for leak in ("date 2024", "By John", "©", "Minister Jane Doe (C)", "RIVERTON (AFP)"):
        assert leak not in story.body
    assert story.body.count("\n\n") == 1  # two paragraphs


def test_headline_layout() -> None:
    text = "Ad sales boost profits\n\nQuarterly profits at the firm jumped 76% to $1.13bn.\n\nIt said more.\n"
    (story,) = read_bytes(text.encode(), "bbc/001.txt")
    assert story.title == "Ad sales boost profits"
    assert story.body.startswith("Quarterly profits")
    assert story.meta["layout"] == "headline"


def test_body_only_layout() -> None:
    text = "The council met on Monday. It agreed a new budget.\n\nMembers voted 7 to 2."
    (story,) = read_bytes(text.encode(), "x.txt")
    assert story.title is None
    assert story.body == "The council met on Monday. It agreed a new budget.\n\nMembers voted 7 to 2."


def test_wrapped_paragraph_lines_are_joined() -> None:
    text = "Headline here\n\nA paragraph that wraps\nonto a second line.\n"
    (story,) = read_bytes(text.encode(), "x.txt")
    assert story.body == "A paragraph that wraps onto a second line."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Claire LEE", "Claire Lee"), ("CHARLES ODUM", "Charles Odum"), ("By Jean-Pierre DUPONT", "Jean-Pierre Dupont"),
     ("Ludwig VAN BEETHOVEN", "Ludwig van Beethoven"), ("Mary McDONALD", "Mary McDonald"),
     ("Sean O'BRIEN", "Sean O'Brien"), ("Anna Smith", "Anna Smith")],
)
def test_byline_normalised(raw: str, expected: str) -> None:
    assert normalise_byline(raw) == expected


def test_cp1252_fallback_warns_with_file_name() -> None:
    data = "Headline\n\nThe caf\u00e9 said \u201chello\u201d.".encode("cp1252")
    (story,) = read_bytes(data, "old/archive.txt")
    assert "caf\u00e9" in story.body and "\u201chello\u201d" in story.body
    assert story.warnings and "old/archive.txt" in story.warnings[0] and "cp1252" in story.warnings[0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"   \n\n  ", "empty"), (b"\x00\x01\x02binary\x00" * 50, "binary"),
     (bytes(range(256)) * 8, "binary")],
)
def test_not_a_story(data: bytes, reason: str) -> None:
    with pytest.raises(NotAStory, match=reason) as info:
        read_bytes(data, "dir/bad.bin")
    assert "dir/bad.bin" in str(info.value)


def test_oversized_source_refused() -> None:
    with pytest.raises(NotAStory, match="limit"):
        read_bytes(b"word " * 1000, "big.txt", max_bytes=100)


def test_decode_utf8_bom() -> None:
    text, warnings = decode_bytes("\ufeffHello".encode("utf-8"), "x")
    assert text == "Hello" and warnings == []
