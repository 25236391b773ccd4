"""ninjs 1.x (lower-case keys, body_text) to 3.0 (camelCase, bodies/headlines arrays)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from extractors.agency import read_agency, sniff_agency
from extractors.errors import BadInput


def test_ninjs_1x_item() -> None:
    item = {
        "uri": "http://example.org/item/1",
        "type": "text",
        "version": "4",
        "versioncreated": "2016-07-01T12:30:00Z",
        "embargoed": "2016-07-02T00:00:00Z",
        "pubstatus": "usable",
        "urgency": 2,
        "language": "en",
        "headline": "Council approves new bridge",
        "byline": "By SAM LEE",
        "located": "Springfield",
        "subject": [
            {"code": "11000000", "name": "politics", "scheme": "http://cv.iptc.org/newscodes/subjectcode/"},
            {"name": "bridges"},
        ],
        "keywords": ["bridge", "council"],
        "body_text": "SPRINGFIELD (AP) _ The council voted on Friday.\n\nWork starts next year.",
    }
    data = json.dumps(item).encode()
    assert sniff_agency(data) == "ninjs"
    [story] = read_agency(data, "in/n1")
    assert story.source_kind == "ninjs"
    assert (story.guid, story.version, story.pub_status) == ("http://example.org/item/1", 4, "usable")
    assert story.published_at == datetime(2016, 7, 1, 12, 30)
    assert story.embargoed_until == datetime(2016, 7, 2)
    assert story.urgency == 2
    assert story.byline == "Sam Lee"
    assert story.located == "Springfield"
    assert story.dateline == "SPRINGFIELD (AP)"
    assert story.agency == "AP"
    assert story.subjects == ["subj:11000000", "bridges"]
    assert story.keywords == ["bridge", "council"]
    assert story.body == "The council voted on Friday.\n\nWork starts next year."


def test_ninjs_3_list_of_items_with_html_bodies() -> None:
    items = [
        {
            "uri": f"urn:newsml:dpa.com:20230101:item-{n}",
            "version": n,
            "versionCreated": "2023-01-01T10:00:00+01:00",
            "pubStatus": status,
            "language": "de",
            "headlines": [{"role": "sub", "value": "Unterzeile"}, {"role": "main", "value": f"Titel {n}"}],
            "bodies": [
                {
                    "role": "main",
                    "contentType": "text/html",
                    "value": "<section><p>Erster Absatz mit <a href='x'>Link</a>.</p>"
                    "<p>Zweiter&nbsp;Absatz.</p></section>",
                }
            ],
            "by": "Von Anna Schmidt, dpa",
            "subjects": [{"uri": "http://cv.iptc.org/newscodes/mediatopic/20000106", "name": "Kino"}],
        }
        for n, status in ((1, "usable"), (2, "canceled"))
    ]
    stories = read_agency(json.dumps(items).encode(), "in/n3")
    assert [s.part for s in stories] == [0, 1]
    assert [s.pub_status for s in stories] == ["usable", "canceled"]
    assert stories[1].version == 2
    assert stories[0].title == "Titel 1"
    assert stories[0].byline == "Anna Schmidt"
    assert stories[0].agency == "dpa"
    assert stories[0].published_at == datetime(2023, 1, 1, 9, 0)
    assert stories[0].subjects == ["medtop:20000106"]
    assert stories[0].meta["subject_names"] == {"medtop:20000106": "Kino"}
    assert stories[0].body == "Erster Absatz mit Link.\n\nZweiter Absatz."


def test_json_that_is_not_ninjs_is_not_claimed() -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [{"id": "1"}]}
    assert sniff_agency(json.dumps(feed).encode()) is None
    assert sniff_agency(b'{"name": "config", "value": 3}') is None
    assert sniff_agency(b"[1, 2, 3]") is None
    assert sniff_agency(b"{not json") is None


def test_broken_json_is_bad_input() -> None:
    with pytest.raises(BadInput, match="in/bad"):
        read_agency(b'{"uri": "x", "headline": ', "in/bad")
