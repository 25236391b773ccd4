"""XML safety: entity bombs and external entities are refused, nothing is fetched or expanded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extractors.agency import read_agency, sniff_agency
from extractors.agency.safexml import parse_xml
from extractors.errors import BadInput, UnsafeInput

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE newsItem [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:bomb" version="1">
 <contentMeta><headline>&lol9;</headline></contentMeta>
</newsItem>
"""


def _xxe(target: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE nitf [ <!ENTITY secret SYSTEM "file://{target}"> ]>
<nitf><body><body.head><hedline><hl1>Leak</hl1></hedline></body.head>
<body.content><p>&secret;</p></body.content></body></nitf>
""".encode()


def test_billion_laughs_is_refused_quickly() -> None:
    assert sniff_agency(BILLION_LAUGHS) == "unsafe-xml"
    started = time.perf_counter()
    with pytest.raises(UnsafeInput, match=r"bomb\.xml.*entities"):
        read_agency(BILLION_LAUGHS, "drop/bomb.xml")
    assert time.perf_counter() - started < 1.0


def test_external_entity_is_refused_and_nothing_is_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    data = _xxe(secret)
    with pytest.raises(UnsafeInput, match=r"xxe\.xml") as info:
        read_agency(data, "drop/xxe.xml")
    assert "TOP-SECRET-VALUE" not in str(info.value)


def test_parameter_entity_and_any_root_are_refused() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<lolz><p>hi</p></lolz>"""
    # Not an agency root, but still claimed so that no more trusting reader parses it.
    assert sniff_agency(data) == "unsafe-xml"
    with pytest.raises(UnsafeInput):
        read_agency(data, "drop/param.xml")


def test_utf16_entity_declaration_is_seen() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE nitf [<!ENTITY a "aaaa">]>\n<nitf><body/></nitf>'
    data = text.encode("utf-16")
    with pytest.raises(UnsafeInput):
        parse_xml(data, "drop/u16.xml")


def test_external_dtd_reference_without_entities_is_allowed_and_not_loaded() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE nitf SYSTEM "http://127.0.0.1:9/nitf-3-4.dtd">
<nitf><head><docdata><doc-id id-string="x-1" regsrc="AP"/><date.issue norm="20200102T030405Z"/></docdata></head>
<body><body.head><hedline><hl1>Plain headline</hl1></hedline></body.head>
<body.content><p>One short paragraph of text.</p></body.content></body></nitf>"""
    stories = read_agency(data, "drop/dtd.xml")
    assert stories[0].guid == "x-1"
    assert stories[0].body == "One short paragraph of text."


def test_undeclared_entity_is_not_expanded() -> None:
    data = b"""<nitf><body><body.head><hedline><hl1>Title</hl1></hedline></body.head>
<body.content><p>A &bogus; word and&nbsp;space.</p></body.content></body></nitf>"""
    story = read_agency(data, "drop/ent.xml")[0]
    assert "bogus" not in story.body
    assert story.body.startswith("A ")
    assert "word and space." in story.body
    assert story.warnings


def test_broken_xml_names_the_source() -> None:
    with pytest.raises(BadInput, match=r"drop/broken\.xml"):
        read_agency(b"<newsItem guid='x'><contentMeta>", "drop/broken.xml")


def test_not_agency_input_is_refused_by_read_agency() -> None:
    with pytest.raises(BadInput, match=r"drop/plain\.txt"):
        read_agency(b"Just a plain text story.\n\nWith two paragraphs.", "drop/plain.txt")


def test_entities_of_an_unloaded_external_dtd_become_characters() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE nitf SYSTEM "http://127.0.0.1:9/nitf.dtd">
<nitf><head><docdata><doc-id id-string="x-2"/></docdata></head>
<body><body.head><hedline><hl1>Caf&eacute; owners</hl1></hedline></body.head>
<body.content><p>One&nbsp;two &mdash; three &unknownthing; <b>four</b>&hellip;</p></body.content></body></nitf>"""
    [story] = read_agency(data, "drop/ext-dtd.xml")
    assert story.title == "Café owners"
    assert story.body == "One two — three four…"
