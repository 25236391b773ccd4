"""NewsML-G2: newsItem, newsMessage with several items, NITF / XHTML / text content, statuses."""

from __future__ import annotations

from datetime import datetime

import pytest

from extractors.agency import read_agency, sniff_agency
from extractors.errors import NotAStory

NS = 'xmlns="http://iptc.org/std/nar/2006-10-01/"'


def _item(guid: str, version: int, status: str, body: str, extra_meta: str = "", lang: str = "en") -> str:
    return f"""<newsItem {NS} guid="{guid}" version="{version}" standard="NewsML-G2" xml:lang="{lang}">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:AFP"/>
    <versionCreated>2021-03-04T10:15:00+01:00</versionCreated>
    <firstCreated>2021-03-04T08:00:00+01:00</firstCreated>
    <pubStatus qcode="stat:{status}"/>
    {extra_meta}
    <edNote>Corrects spelling of the minister's name.</edNote>
  </itemMeta>
  <contentMeta>
    <urgency>3</urgency>
    <located qcode="geo:1"><name>Lyon</name></located>
    <by>By JEANNE DUPONT</by>
    <subject qcode="medtop:11000000"><name xml:lang="en">politics</name></subject>
    <subject qcode="medtop:20000621"/>
    <keyword>budget</keyword><keyword>vote</keyword>
    <slugline>France-Budget</slugline>
    <headline>Parliament passes the budget {guid}</headline>
  </contentMeta>
  <contentSet>{body}</contentSet>
</newsItem>"""


XHTML_BODY = """<inlineXML contenttype="application/xhtml+xml">
  <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>
    <p>LYON, France, March 4 (AFP) - Lawmakers <b>approved</b> the plan on Thursday.</p>
    <p>The vote was 301 to 250.</p>
    <p>bur-jd/abc</p>
  </body></html></inlineXML>"""

NITF_BODY = """<inlineXML contenttype="application/nitf+xml">
  <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head>
    <hedline><hl1>Inline headline</hl1></hedline></body.head>
    <body.content><p>First paragraph of the inline story.</p><note><p>Eds: internal note</p></note>
    <p>Second paragraph.</p></body.content></body></nitf></inlineXML>"""


def test_single_news_item_fields() -> None:
    data = _item("urn:test:1", 3, "usable", XHTML_BODY).encode()
    assert sniff_agency(data) == "newsml-g2"
    [story] = read_agency(data, "in/one")
    assert story.source_kind == "newsml-g2"
    assert story.guid == "urn:test:1"
    assert story.version == 3
    assert story.pub_status == "usable"
    assert story.published_at == datetime(2021, 3, 4, 9, 15)  # +01:00 converted to UTC
    assert story.meta["first_created"] == "2021-03-04T07:00:00"
    assert story.agency == "AFP"
    assert story.urgency == 3
    assert story.byline == "Jeanne Dupont"
    assert story.located == "Lyon"
    assert story.dateline == "LYON, France, March 4 (AFP)"
    assert story.subjects == ["medtop:11000000", "medtop:20000621"]
    assert story.meta["subject_names"]["medtop:11000000"] == "politics"
    assert story.keywords == ["budget", "vote"]
    assert story.slugline == "France-Budget"
    assert story.title == "Parliament passes the budget urn:test:1"
    assert story.body == "Lawmakers approved the plan on Thursday.\n\nThe vote was 301 to 250."
    assert story.meta["ed_notes"] == ["Corrects spelling of the minister's name."]
    assert story.language == "en"


def test_news_message_gives_one_story_per_item_with_parts() -> None:
    items = [
        _item("urn:test:a", 1, "usable", NITF_BODY),
        _item("urn:test:b", 2, "canceled", NITF_BODY),
        _item("urn:test:c", 1, "withheld", NITF_BODY),
        _item("urn:test:d", 1, "usable", NITF_BODY, "<embargoed>2021-03-05T06:00:00-05:00</embargoed>"),
    ]
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage {NS}><header><sent>2021-03-04T10:00:00Z</sent><sender>afp.com</sender></header>
<itemSet>{''.join(items)}</itemSet></newsMessage>""".encode()
    assert sniff_agency(data) == "newsml-g2"
    stories = read_agency(data, "in/msg")
    assert [s.part for s in stories] == [0, 1, 2, 3]
    assert [s.guid for s in stories] == ["urn:test:a", "urn:test:b", "urn:test:c", "urn:test:d"]
    assert [s.pub_status for s in stories] == ["usable", "canceled", "withheld", "usable"]
    assert stories[1].version == 2
    assert stories[3].embargoed_until == datetime(2021, 3, 5, 11, 0)
    assert stories[0].embargoed_until is None
    # NITF inline: paragraphs, no editor note in the body.
    assert stories[0].body == "First paragraph of the inline story.\n\nSecond paragraph."


def test_picture_items_in_a_message_are_left_out() -> None:
    picture = _item("urn:test:pic", 1, "usable", "").replace("ninat:text", "ninat:picture")
    data = f"<newsMessage {NS}><itemSet>{picture}{_item('urn:test:t', 1, 'usable', NITF_BODY)}</itemSet></newsMessage>"
    stories = read_agency(data.encode(), "in/mixed")
    assert [s.guid for s in stories] == ["urn:test:t"]
    with pytest.raises(NotAStory, match="in/pic"):
        read_agency(picture.encode(), "in/pic")


def test_headline_repeated_at_the_top_of_the_text_is_dropped() -> None:
    body = """<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>
<h1>Parliament passes the budget urn:test:h</h1><p>The vote was close.</p></body></html></inlineXML>"""
    [story] = read_agency(_item("urn:test:h", 1, "usable", body).encode(), "in/h")
    assert story.body == "The vote was close."


def test_inline_data_plain_text_and_missing_optional_elements() -> None:
    data = f"""<newsItem {NS} guid="urn:test:plain">
  <contentMeta><headline>Bare item</headline></contentMeta>
  <contentSet><inlineData contenttype="text/plain">BERLIN (dpa) - The first line
continues here.

Second paragraph.</inlineData></contentSet></newsItem>""".encode()
    [story] = read_agency(data, "in/plain")
    assert story.version == 1 and story.meta["version_stated"] is False
    assert story.pub_status == "usable"
    assert story.published_at is None
    assert "item states no publication time" in story.warnings
    assert story.dateline == "BERLIN (dpa)"
    assert story.agency == "dpa"
    assert story.located == "Berlin"
    assert story.body == "The first line continues here.\n\nSecond paragraph."


def test_prefixed_namespace_root_is_sniffed() -> None:
    data = b"""<?xml version="1.0"?><!-- a comment -->
<g2:newsItem xmlns:g2="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:p" version="5">
<g2:contentMeta><g2:headline>Prefixed</g2:headline></g2:contentMeta></g2:newsItem>"""
    assert sniff_agency(data) == "newsml-g2"
    [story] = read_agency(data, "in/prefixed")
    assert (story.guid, story.version, story.title) == ("urn:test:p", 5, "Prefixed")


def test_package_item_holds_no_story() -> None:
    data = f'<packageItem {NS} guid="urn:pkg"><groupSet/></packageItem>'.encode()
    assert sniff_agency(data) == "newsml-g2"
    with pytest.raises(NotAStory, match="in/pkg"):
        read_agency(data, "in/pkg")


def test_preformatted_wire_text_in_one_paragraph() -> None:
    text = """(Updates prices)
    * Copper hits two-week high
    * Demand outlook improves

    By Jane Writer
    LONDON, May 3 (Reuters) - Copper rose on Wednesday as
demand picked up in top consumer China, traders said.
    Aluminium was flat at $2,400 a tonne.
    "We see a firm market," one trader said.

 (Reporting by Jane Writer; Editing by Sam Editor)"""
    body = f"""<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
<body><p>{text}</p></body></html></inlineXML>"""
    data = _item("urn:test:pre", 1, "usable", body).replace("<by>By JEANNE DUPONT</by>", "").encode()
    [story] = read_agency(data, "in/pre")
    assert story.byline == "Jane Writer"
    assert story.dateline == "LONDON, May 3 (Reuters)"
    assert story.body.split("\n\n") == [
        "* Copper hits two-week high",
        "* Demand outlook improves",
        "Copper rose on Wednesday as demand picked up in top consumer China, traders said.",
        "Aluminium was flat at $2,400 a tonne.",
        '"We see a firm market," one trader said.',
    ]
    assert "(Updates prices)" in story.meta["trailers"]
    assert any(t.startswith("(Reporting by Jane Writer") for t in story.meta["trailers"])


def test_double_escaped_entities_are_resolved() -> None:
    body = """<inlineXML contenttype="xhtml/xml"><html><body>
<p>&amp;quot;We won&amp;#39;t stop,&amp;quot; she said of <Company>Acme</Company>.</p></body></html></inlineXML>"""
    [story] = read_agency(_item("urn:test:esc", 1, "usable", body).encode(), "in/esc")
    assert story.body == '"We won\'t stop," she said of Acme.'
