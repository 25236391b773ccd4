"""NITF 3.x: docdata ids and status, bylines, datelines, notes/media/taglines out of the body."""

from __future__ import annotations

from datetime import datetime

from extractors.agency import read_agency, sniff_agency

NITF = """<?xml version="1.0" encoding="iso-8859-1"?>
<nitf version="-//IPTC//DTD NITF 3.3//EN">
 <head>
  <title>Head title</title>
  <tobject tobject.type="news"><tobject.subject tobject.subject.refnum="IPTC:15000000"/>
   <tobject.subject tobject.subject.refnum="15054000" tobject.subject.matter="soccer"/></tobject>
  <docdata management-status="{status}">
   <doc-id regsrc="UPI" id-string="upi-2020-0042"/>
   <urgency ed-urg="2"/>
   <date.issue norm="20200501T120000-0400"/>
   <date.release norm="{release}"/>
   <du-key key="soccer-final" version="3"/>
   <key-list><keyword key="football"/><keyword key="final"/></key-list>
  </docdata>
 </head>
 <body>
  <body.head>
   <hedline><hl1>Home side wins the cup</hl1><hl2>Late goal decides</hl2></hedline>
   <byline>By MARY O'NEIL and TOM McCALL<byttl>UPI Sports Writer</byttl></byline>
   <dateline><location><city>MANCHESTER</city><country>England</country></location></dateline>
   <abstract><p>A short summary.</p></abstract>
  </body.head>
  <body.content>
   <media media-type="image"><media-caption>Fans cheer (Photo)</media-caption></media>
   <p>MANCHESTER, England (UPI) -- The home side won the cup on Saturday with a goal in
      stoppage time.</p>
   <note><p>Eds: Adds quotes.</p></note>
   <p>"It was <em>our</em> day," the captain said.</p>
   <p>Copyright 2020 United Press International. All rights reserved.</p>
  </body.content>
  <body.end><tagline>Reporting by Mary O'Neil</tagline></body.end>
 </body>
</nitf>"""


def _nitf(status: str = "usable", release: str = "20200501T160000Z") -> bytes:
    return NITF.format(status=status, release=release).encode("iso-8859-1")


def test_nitf_fields_and_clean_body() -> None:
    data = _nitf()
    assert sniff_agency(data) == "nitf"
    [story] = read_agency(data, "in/nitf")
    assert story.source_kind == "nitf"
    assert story.guid == "upi-2020-0042"
    assert story.version == 3
    assert story.pub_status == "usable"
    assert story.urgency == 2
    assert story.published_at == datetime(2020, 5, 1, 16, 0)  # -0400 -> UTC
    assert story.embargoed_until is None  # released when issued
    assert story.agency == "UPI"
    assert story.title == "Home side wins the cup"
    assert story.meta["subtitle"] == "Late goal decides"
    assert story.byline == "Mary O'Neil and Tom McCall"
    assert story.meta["byline_title"] == "UPI Sports Writer"
    assert story.dateline == "MANCHESTER, England (UPI)"
    assert story.located == "Manchester"
    assert story.slugline == "soccer-final"
    assert story.keywords == ["football", "final"]
    assert story.subjects == ["subj:15000000", "subj:15054000"]
    assert story.meta["subject_names"] == {"subj:15000000": "sport", "subj:15054000": "soccer"}
    assert story.body == (
        "The home side won the cup on Saturday with a goal in stoppage time.\n\n"
        "\"It was our day,\" the captain said."
    )
    assert story.meta["summary"] == "A short summary."
    assert story.meta["tagline"] == "Reporting by Mary O'Neil"
    assert "Eds: Adds quotes." in story.meta["ed_notes"]


def test_nitf_embargo_and_status() -> None:
    [embargoed] = read_agency(_nitf("embargoed", "20200502T000000Z"), "in/emb")
    assert embargoed.pub_status == "usable"
    assert embargoed.embargoed_until == datetime(2020, 5, 2)
    [canceled] = read_agency(_nitf("canceled"), "in/kill")
    assert canceled.pub_status == "canceled"
    [withheld] = read_agency(_nitf("withheld"), "in/hold")
    assert withheld.pub_status == "withheld"


def test_nitf_without_id_gets_a_stable_derived_guid() -> None:
    data = b"""<nitf><head><docdata><doc-id regsrc="AP"/><date.issue norm="20151210T191044Z"/></docdata></head>
<body><body.head><hedline><hl1>Some headline here</hl1></hedline></body.head>
<body.content><p>Text of the story.</p></body.content></body></nitf>"""
    first = read_agency(data, "a")[0]
    second = read_agency(data, "b")[0]
    assert first.guid == second.guid
    assert (first.guid or "").startswith("urn:wire:nitf:ap:2015-12-10:some-headline-here:")
    assert first.meta["guid_derived"] is True
    other = read_agency(data.replace(b"Some headline", b"Other headline"), "c")[0]
    assert other.guid != first.guid
