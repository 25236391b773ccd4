"""Content sniffing: the bytes decide the format, and non-agency sources are left alone."""

from __future__ import annotations

import json

import pytest

from extractors.agency import AGENCY_FORMATS, sniff_agency

NS = 'xmlns="http://iptc.org/std/nar/2006-10-01/"'


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (f'<?xml version="1.0"?>\n<newsItem {NS} guid="g"/>'.encode(), "newsml-g2"),
        (f"\ufeff<newsMessage {NS}><itemSet/></newsMessage>".encode(), "newsml-g2"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "nitf.dtd">\n<nitf><body/></nitf>', "nitf"),
        (b"<!-- c --><?pi x?>\n<NewsML Version='1.2'><NewsItem/></NewsML>", "afp-newsml"),
        (json.dumps({"uri": "u", "headline": "h", "body_text": "b"}).encode(), "ninjs"),
        (
            b"\x16\x16\x01a0001\x1f\nr a BC-X--Y 01-01 0100\r\n\x02^Head<\r\n\tText.\r\n\x03AP-WF-01-01-20 0100GMT",
            "anpa",
        ),
        (b"\x01xyz001 4 i 100 aa dpa\r\nKey/\r\n\x02Head =\r\n\n   Text.\r\n\x03011200 GMT Jan 20", "iptc7901"),
        ('<?xml version="1.0" encoding="UTF-16"?><nitf><body/></nitf>'.encode("utf-16"), "nitf"),
    ],
)
def test_formats_are_sniffed_from_content(data: bytes, expected: str) -> None:
    assert expected in AGENCY_FORMATS
    assert sniff_agency(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"A plain text story.\n\nWith a second paragraph.",
        b"<!DOCTYPE html><html><head><title>x</title></head><body><p>Hi</p></body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>',
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
        b"<p>fragment of html</p>",
    ],
)
def test_other_sources_are_not_claimed(data: bytes) -> None:
    assert sniff_agency(data) is None
