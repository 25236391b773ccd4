"""IPTC 7901 plain text: header line, keyword, headline ending in "=", wrapped text, time group."""

from __future__ import annotations

from datetime import datetime

from extractors.agency import read_agency, sniff_agency


def _msg(keyword: str, headline: str, text: str, time_group: str = "041530 GMT Mar 21", prio: str = "3") -> bytes:
    return (
        f"\x01abc123 {prio} pl 150 xyz   dpa 042\r\n\nKeyword-{keyword}/\r\n\x02{headline} =\r\n\n"
        f"{text}\r\n\x03{time_group} \r\n\x7f\n\x7f\x04"
    ).encode()


TEXT = (
    "   Hamburg (dpa) - The port handled more containers than ever last\r\n"
    "year, its operator said on Thursday.\r\n\r\n"
    "   Volumes rose by 4 percent, driven by trade with Asia.\r\n\r\n"
    "dpa ab cd\r\n"
)


def test_iptc7901_fields() -> None:
    data = _msg("port", "Hamburg port sets record", TEXT)
    assert sniff_agency(data) == "iptc7901"
    [story] = read_agency(data, "in/7901")
    assert story.source_kind == "iptc7901"
    assert story.title == "Hamburg port sets record"
    assert story.agency == "dpa"
    assert story.urgency == 3
    assert story.slugline == "Keyword-port"
    assert story.keywords == ["Keyword-port"]
    assert story.published_at == datetime(2021, 3, 4, 15, 30)
    assert story.dateline == "Hamburg (dpa)"
    assert story.located == "Hamburg"
    assert story.version == 1 and story.pub_status == "usable"
    assert story.body == (
        "The port handled more containers than ever last year, its operator said on Thursday.\n\n"
        "Volumes rose by 4 percent, driven by trade with Asia."
    )
    assert story.meta["guid_derived"] is True
    assert (story.guid or "").startswith("urn:wire:iptc7901:dpa:2021-03-04:keyword-port:")


def test_time_zone_and_update_version() -> None:
    [story] = read_agency(_msg("port/1st update", "Record confirmed", TEXT, "041630 MEZ Mar 21"), "in/u")
    assert story.published_at == datetime(2021, 3, 4, 15, 30)
    assert story.version == 2
    [base] = read_agency(_msg("port", "Hamburg port sets record", TEXT), "in/b")
    assert story.meta["story_key"] == base.meta["story_key"]
    assert story.guid == base.guid


def test_not_for_publication_block_is_cut() -> None:
    text = TEXT.replace("dpa ab cd", "* * *\r\nThe following is not for publication\r\n\r\nContact: desk")
    [story] = read_agency(_msg("port", "Hamburg port sets record", text), "in/nfp")
    assert "publication" not in story.body
    assert "Contact" not in story.body
    assert story.body.endswith("trade with Asia.")


def test_kill_message_is_canceled() -> None:
    [story] = read_agency(_msg("port kill", "KILL: Hamburg port sets record", TEXT), "in/kill")
    assert story.pub_status == "canceled"


NOTEBOOK_TEXT = (
    "Oslo (xyz/dpa) - The council met on Friday and agreed a budget\r\n"
    "for the coming year.\r\n\r\n"
    "It will vote again in March.\r\n\r\n"
    "# Notebook\r\n\r\n## Note to editors\r\n- adds vote date\r\n\r\n"
    "* * * *\r\nThe following information is not intended for publication\r\n\r\n"
    "## Editorial contacts\r\n- Editing by: A. Person\r\n\r\ndpa ab cd\r\n"
)


def test_keyword_flags_byline_in_headline_block_and_notebook() -> None:
    data = (
        "\x01abc0003 3 i 380  dpa-tns 0045\r\n\r\nNorway/budget/\r\nREFILE\r\n2ND LEAD\r\n"
        "\x02Council agrees budget\r\nBy Kari Nordmann, Local Paper =\r\n\r\n"
        f"{NOTEBOOK_TEXT}\r\n\x03211259 Nov 18\r\n\x7f\x04"
    ).encode()
    [story] = read_agency(data, "in/flags")
    assert story.title == "Council agrees budget"
    assert story.byline == "Kari Nordmann, Local Paper"
    assert story.slugline == "Norway/budget"
    assert story.meta["keyword_lines"] == ["REFILE", "2ND LEAD"]
    assert story.version == 3
    assert story.agency == "dpa"
    assert story.published_at == datetime(2018, 11, 21, 12, 59)
    assert story.dateline == "Oslo (xyz/dpa)"
    assert story.body == (
        "The council met on Friday and agreed a budget for the coming year.\n\nIt will vote again in March."
    )
    # Same message with its control characters stripped in transit reads the same.
    bare = bytes(b for b in data if b >= 0x20 or b in (0x0A, 0x0D))
    assert sniff_agency(bare) == "iptc7901"
    [again] = read_agency(bare, "in/bare")
    assert (again.guid, again.title, again.byline, again.body) == (story.guid, story.title, story.byline, story.body)
