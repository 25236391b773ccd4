"""Feed reader: RSS 0.91/1.0/2.0, Atom, JSON Feed, bozo feeds, guids, dates, cleaning (small texts written here)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from extractors.errors import BadInput, UnsafeInput
from extractors.feeds import parse_feed, parse_feed_date, read_feed, sniff_feed
from extractors.identity import item_id, story_id
from extractors.readers import read_bytes

RSS20 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Gazette</title><link>https://gazette.example/</link><language>en-gb</language>
<item>
  <title>Ferry service resumes after storm</title>
  <link>https://gazette.example/news/ferry</link>
  <guid>https://gazette.example/news/ferry</guid>
  <dc:creator>MARTA KOWALSKA</dc:creator>
  <pubDate>Tue, 03 Mar 2020 08:30:00 +0100</pubDate>
  <category>Transport</category>
  <description>&lt;p&gt;Short teaser.&lt;/p&gt;</description>
  <content:encoded><![CDATA[<p>The harbour ferry resumed service on Tuesday.</p>
    <script>track()</script><p>About 300 passengers crossed in the <b>first</b> hour.</p>
    <p><a href="https://gazette.example/news/ferry">Continue reading...</a></p>]]></content:encoded>
</item>
<item>
  <title>Council meets</title>
  <link>http://gazette.example/news/council</link>
  <description>&lt;p&gt;The council met on Monday.&lt;/p&gt;
    &lt;p&gt;The post Council meets appeared first on Harbour Gazette.&lt;/p&gt;</description>
  <pubDate>Mon, 02 Mar 2020 18:00:00 GMT</pubDate>
</item>
</channel></rss>"""

RSS091 = """<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old Wire</title><link>http://old.example/</link>
<description>x</description><language>en-us</language>
<item><title>First item</title><link>http://old.example/1</link><description>Plain old text.</description></item>
</channel></rss>"""

RSS10 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://rdf.example/"><title>RDF Site</title><link>http://rdf.example/</link>
<description>d</description></channel>
<item rdf:about="http://rdf.example/a"><title>An RDF item</title><link>http://rdf.example/a</link>
<description>Text of the RDF item.</description><dc:date>2021-05-04T10:00:00Z</dc:date></item>
</rdf:RDF>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
<title>Technik Nachrichten</title><id>urn:x:feed</id><updated>2016-02-01T17:00:00+01:00</updated>
<entry><title>Neue Version erschienen</title><id>urn:x:1</id>
  <link rel="alternate" href="https://technik.example/1"/>
  <published>2016-02-01T17:22:00+01:00</published><updated>2016-02-01T17:22:00+01:00</updated>
  <author><name>Anna Schmidt</name></author>
  <summary type="html">Kurz.</summary>
  <content type="html">&lt;p&gt;Die neue Version ist da.&lt;/p&gt;
    &lt;p&gt;Sie bringt drei Neuerungen.&lt;/p&gt;</content>
</entry>
<entry><title>Nur Zusammenfassung</title><id>urn:x:2</id><link href="https://technik.example/2"/>
  <updated>2016-02-01T12:00:00Z</updated><summary>Eine kurze Zusammenfassung.</summary></entry>
</feed>"""


def json_feed(**item_overrides: object) -> bytes:
    item: dict[str, object] = {"id": "item-1", "url": "https://json.example/1", "title": "Drone deliveries",
            "content_html": "<p>Drones now deliver medicine.</p><p>Flights take minutes.</p>",
            "summary": "Drones deliver medicine.", "date_published": "2021-10-29T10:26:00-04:00",
            "authors": [{"name": "Jo Doe"}], "tags": ["tech"], "language": "en"}
    item.update(item_overrides)
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON Example",
           "home_page_url": "https://json.example/",
           "items": [item, {"id": "item-2", "content_text": "Second.\n\nPara."}]}
    return json.dumps(doc).encode()


def test_sniff_tells_feed_kinds_from_other_documents() -> None:
    assert sniff_feed(RSS20.encode()) == "rss"
    assert sniff_feed(b"\xef\xbb\xbf" + RSS091.encode()) == "rss"
    assert sniff_feed(RSS10.encode()) == "rdf"
    assert sniff_feed(ATOM.encode()) == "atom"
    assert sniff_feed(json_feed()) == "jsonfeed"
    assert sniff_feed(b'{"version": "1.0", "items": []}') is None
    late_version = {"items": [{"id": str(i), "content_text": "text " * 100} for i in range(40)],
                    "version": "https://jsonfeed.org/version/1.1"}
    assert sniff_feed(json.dumps(late_version).encode()) == "jsonfeed"  # keys have no order in JSON
    assert sniff_feed(b'{"items": [], "about": "not jsonfeed.org"}') is None
    assert sniff_feed(b"<!DOCTYPE html><html><body><p>page</p></body></html>") is None
    assert sniff_feed(b'<?xml version="1.0"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"/>') is None
    assert sniff_feed(b"Plain story text.\n\nSecond paragraph.") is None


def test_rss20_entry_becomes_a_clean_story() -> None:
    feed = parse_feed(RSS20.encode(), "https://gazette.example/rss", agency="Gazette")
    assert feed.format == "rss20" and feed.title == "Harbour Gazette" and feed.bozo is None
    first, second = feed.stories
    assert first.source_kind == "feed" and first.source_uri == "https://gazette.example/rss"
    assert first.body == ("The harbour ferry resumed service on Tuesday.\n\n"
                          "About 300 passengers crossed in the first hour.")
    assert first.title == "Ferry service resumes after storm"
    assert first.byline == "Marta Kowalska"
    assert first.published_at == datetime(2020, 3, 3, 7, 30)
    assert first.guid == "https://gazette.example/news/ferry" and first.url == first.guid
    assert first.agency == "Gazette" and first.language == "en-gb" and first.keywords == ["Transport"]
    assert first.part == 0 and second.part == 1
    assert first.meta["body_from"] == "content" and not first.meta["summary_only"]
    # the WordPress trailer is not body; a summary-only entry says so
    assert second.body == "The council met on Monday." and second.meta["summary_only"]


def test_old_rss_and_rdf_and_atom_are_read() -> None:
    (old,) = read_feed(RSS091.encode(), "u")
    assert old.body == "Plain old text." and old.title == "First item"
    (rdf,) = read_feed(RSS10.encode(), "u")
    assert rdf.body == "Text of the RDF item." and rdf.published_at == datetime(2021, 5, 4, 10, 0)
    feed = parse_feed(ATOM.encode(), "u")
    assert feed.format == "atom10"
    full, summary_only = feed.stories
    assert full.body == "Die neue Version ist da.\n\nSie bringt drei Neuerungen."
    assert full.byline == "Anna Schmidt" and full.published_at == datetime(2016, 2, 1, 16, 22)
    assert full.language == "de" and full.url == "https://technik.example/1"
    assert summary_only.body == "Eine kurze Zusammenfassung." and summary_only.meta["summary_only"]


def test_json_feed_items() -> None:
    feed = parse_feed(json_feed(), "https://json.example/feed.json")
    assert feed.format == "json11" and feed.title == "JSON Example"
    first, second = feed.stories
    assert first.body == "Drones now deliver medicine.\n\nFlights take minutes."
    assert first.byline == "Jo Doe" and first.guid == "item-1" and first.keywords == ["tech"]
    assert first.published_at == datetime(2021, 10, 29, 14, 26)
    assert second.body == "Second.\n\nPara." and second.title is None


def test_json_feed_that_is_not_json_is_refused() -> None:
    with pytest.raises(BadInput, match="not valid JSON"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "https://x/feed.json")


def test_entry_without_guid_gets_a_stable_id() -> None:
    doc = RSS091.encode()
    a = read_feed(doc, "u")[0]
    b = read_feed(doc, "u")[0]
    assert a.guid and a.guid == b.guid and a.meta["guid_generated"]
    retitled = read_feed(doc.replace(b"First item", b"Other title"), "u")[0]
    assert retitled.guid != a.guid


def test_guid_flipping_between_http_and_https_is_one_entry() -> None:
    https = read_feed(RSS20.encode(), "u")[0]
    http = read_feed(RSS20.replace("<guid>https://", "<guid>http://").encode(), "u")[0]
    assert http.guid != https.guid
    assert item_id(http) == item_id(https) and story_id(http) == story_id(https)


def test_changed_entry_is_a_new_item_of_the_same_story() -> None:
    before = read_feed(RSS20.encode(), "u")[0]
    after = read_feed(RSS20.replace("About 300 passengers", "About 350 passengers").encode(), "u")[0]
    assert item_id(before) != item_id(after)
    assert story_id(before) == story_id(after)
    assert before.version is None and after.version is None  # the loader numbers versions


def test_entry_repeated_in_one_document_is_kept_once() -> None:
    start = RSS20.index("<item>")
    end = RSS20.index("</item>") + len("</item>")
    doubled = RSS20[:end] + RSS20[start:end].replace("https://gazette", "http://gazette") + RSS20[end:]
    feed = parse_feed(doubled.encode(), "u")
    assert len(feed.stories) == 2 and feed.repeated == 1


def test_entry_without_text_is_stored_with_its_title() -> None:
    doc = RSS091.replace("<description>Plain old text.</description>", "<description>  </description>")
    (story,) = read_feed(doc.encode(), "u")
    assert story.body == "First item" and story.meta["body_from"] == "title"
    assert any("no text" in w for w in story.warnings)


def test_entry_with_nothing_at_all_is_reported_not_silently_lost() -> None:
    doc = RSS091.replace("</channel>", "<item><description></description></item></channel>")
    feed = parse_feed(doc.encode(), "u")
    assert len(feed.stories) == 1
    assert [(part, "entry 1" in reason) for part, reason in feed.problems] == [(1, True)]


def test_ill_formed_feed_is_read_as_far_as_possible_with_the_error_kept() -> None:
    cut = RSS20[: RSS20.index("<item>", RSS20.index("</item>"))] + "<item><title>Broken & cut"
    feed = parse_feed(cut.encode(), "u")
    assert feed.bozo
    assert feed.stories and feed.stories[0].title == "Ferry service resumes after storm"
    assert any("ill-formed" in w for w in feed.stories[0].warnings)


def test_not_a_feed_is_refused() -> None:
    with pytest.raises(BadInput, match="not a feed"):
        parse_feed(b"<?xml version='1.0'?><rss version='2.0'><channel", "u")


def test_read_bytes_dispatches_feeds_by_content() -> None:
    stories = read_bytes(ATOM.encode(), "/tmp/some-file.txt")
    assert [s.source_kind for s in stories] == ["feed", "feed"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("Mi, 01 Feb 2016 17:22:00 +0100", datetime(2016, 2, 1, 16, 22)),
    ("Do, 07 Mär 2024 08:15:00 MEZ", datetime(2024, 3, 7, 7, 15)),
    ("mar., 3 févr. 2016 10:00 CET", datetime(2016, 2, 3, 9, 0)),
    ("sáb, 05 dic 2020 12:00:00 -0300", datetime(2020, 12, 5, 15, 0)),
    ("3 de marzo de 2016 10:00", datetime(2016, 3, 3, 10, 0)),
    ("01.02.2016 17:22", datetime(2016, 2, 1, 17, 22)),
    ("2016-02-01T17:22:00+01:00", datetime(2016, 2, 1, 16, 22)),
    ("Tue, 10 Jun 2003 04:00:00 GMT", datetime(2003, 6, 10, 4, 0)),
    ("Пн, 01 фев 2016 10:00:00 +0300", datetime(2016, 2, 1, 7, 0)),
    ("śr., 3 lut 2016 10:00", datetime(2016, 2, 3, 10, 0)),
    ("2016年2月1日 10:00", datetime(2016, 2, 1, 10, 0)),
    ("Mon, 01 Feb 2016 17:22:00 +01:00", datetime(2016, 2, 1, 16, 22)),
    ("Mon, 1 Feb 2016 17:22:00 CEST", datetime(2016, 2, 1, 15, 22)),
    ("Feb 1, 2016 5:22 PM", datetime(2016, 2, 1, 17, 22)),
    ("Feb 1, 2016 12:10 a.m.", datetime(2016, 2, 1, 0, 10)),
    ("2016/02/01 17:22:00", datetime(2016, 2, 1, 17, 22)),
])
def test_feed_dates_in_many_languages(raw: str, expected: datetime) -> None:
    assert parse_feed_date(raw) == expected


def test_unreadable_date_is_none() -> None:
    assert parse_feed_date("sometime soon") is None
    assert parse_feed_date("") is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("Mi, 01 Feb 2016 17:22:00 +0100", datetime(2016, 2, 1, 16, 22)),
    ("2016年2月1日 10:00", datetime(2016, 2, 1, 10, 0)),  # feedparser alone reads 1 November
])
def test_non_english_pubdate_in_a_feed_is_read(raw: str, expected: datetime) -> None:
    doc = RSS091.replace("<description>Plain", f"<pubDate>{raw}</pubDate><description>Plain")
    (story,) = read_feed(doc.encode(), "u")
    assert story.published_at == expected


def test_entity_declarations_are_refused() -> None:
    ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9))
    bomb = f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]>' + RSS091.split("?>", 1)[1].replace("Plain", "&a8;")
    with pytest.raises(UnsafeInput):
        parse_feed(bomb.encode(), "u")
    xxe = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + RSS091.split("?>", 1)[1]
    with pytest.raises(UnsafeInput):
        parse_feed(xxe.encode(), "u")
