"""Any bytes: sniffing never fails, reading fails only with the project's own errors."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.agency import read_agency, sniff_agency
from extractors.errors import WireError

PREFIXES = [
    b"",
    b"\x16\x16\x01",
    b"\x01abc123 4 i 100 x\r\n\x02",
    b'<?xml version="1.0"?><newsItem guid="g">',
    b"<nitf><body><body.content><p>",
    b"<NewsML><NewsItem>",
    b'{"uri": "u", "headline": ',
]


@settings(max_examples=80, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(prefix: bytes, tail: bytes) -> None:
    data = prefix + tail
    kind = sniff_agency(data)
    if kind is None:
        return
    try:
        stories = read_agency(data, "fuzz/item")
    except WireError as exc:
        assert "fuzz/item" in str(exc)
        return
    for story in stories:
        assert story.guid
        assert story.version is not None and story.version >= 0
        assert "\x02" not in story.body and "\x03" not in story.body


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300))
def test_text_never_crashes(text: str) -> None:
    data = text.encode("utf-8")
    if sniff_agency(data) is not None:
        with contextlib.suppress(WireError):  # anything else fails the test
            read_agency(data, "fuzz/text")


def test_end_marks_and_regional_agency_codes() -> None:
    data = b"""<nitf><head><docdata><doc-id id-string="pa-1"/><date.issue norm="20151014T043001+0100"/></docdata></head>
<body><body.head><hedline><hl1>Trivia</hl1></hedline></body.head><body.content>
<p>Hannover (dpa/lni) - Der Landtag tagt am Montag.</p><p>Weitere Sitzungen folgen.</p><p>ends</p>
</body.content></body></nitf>"""
    [story] = read_agency(data, "in/pa")
    assert story.body == "Der Landtag tagt am Montag.\n\nWeitere Sitzungen folgen."
    assert story.agency == "dpa"
    assert story.published_at is not None and story.published_at.hour == 3


def test_deeply_nested_input_is_refused_not_crashed() -> None:
    deep_json = b"[" * 100_000 + b"]" * 100_000
    assert sniff_agency(deep_json) is None
    nested = b"<p>" * 100_000 + b"x" + b"</p>" * 100_000
    deep_xml = b"<nitf><body><body.content>" + nested + b"</body.content></body></nitf>"
    assert sniff_agency(deep_xml) == "nitf"
    with pytest.raises(WireError, match=r"fuzz/deep\.xml"):
        read_agency(deep_xml, "fuzz/deep.xml")
