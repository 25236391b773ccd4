"""Agency items with little text: derived headlines, descriptions stored as the body (issue #15 point 6)."""

from __future__ import annotations

import json

from extractors.gaps import derive_headline
from extractors.readers import read_bytes


def _ninjs(**fields: object) -> bytes:
    item = {"uri": "urn:wire-test:gaps:1", "version": "1", "type": "text", "language": "en",
            "versioncreated": "2024-03-12T10:00:00Z", "provider": "AP", **fields}
    return json.dumps(item).encode()


def test_empty_headline_is_derived_from_the_description() -> None:
    (story,) = read_bytes(_ninjs(description_text="Floods close the main road into the city. More rain is due.",
                                 body_text="Floods closed the main road on Monday, police said.\n\nMore to come."),
                          "drop/a.json")
    assert story.title == "Floods close the main road into the city"
    assert story.meta["title_derived"] == "description_text"
    assert "item has no headline" not in story.warnings


def test_empty_headline_without_description_is_the_first_sentence() -> None:
    (story,) = read_bytes(_ninjs(body_text="Floods closed the main road on Monday, police said. More rain is due."),
                          "drop/b.json")
    assert story.title == "Floods closed the main road on Monday, police said"
    assert story.meta["title_derived"] == "first_sentence"


def test_description_only_item_stores_it_as_body() -> None:
    (story,) = read_bytes(_ninjs(headline="Floods close road", description_text="Floods closed the main road."),
                          "drop/c.json")
    assert story.body == "Floods closed the main road."
    assert story.meta["body_from"] == "description_text" and story.title == "Floods close road"


def test_nitf_abstract_only() -> None:
    nitf = b"""<?xml version="1.0" encoding="UTF-8"?><nitf><head><docdata><doc-id id-string="g-1"/></docdata></head>
<body><body.head><abstract><p>Parliament passed the budget by 210 votes to 190 on Tuesday.</p></abstract></body.head>
<body.content></body.content></body></nitf>"""
    (story,) = read_bytes(nitf, "drop/d.xml")
    assert story.body == "Parliament passed the budget by 210 votes to 190 on Tuesday."
    assert story.title == "Parliament passed the budget by 210 votes to 190 on Tuesday"
    assert story.meta["body_from"] == "summary" and story.meta["title_derived"] == "summary"


def test_long_first_sentence_is_cut_at_a_word() -> None:
    title = derive_headline("word " * 60)
    assert len(title) <= 141 and title.endswith("…") and not title.endswith(" …")
