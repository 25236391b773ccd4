"""AP ANPA-1312: control characters, slug lines, Eds notes, trailers, version chains and kills."""

from __future__ import annotations

from datetime import datetime

from extractors.agency import read_agency, sniff_agency
from extractors.records import Story


def _anpa(
    slug: str,
    headline: str,
    paragraphs: list[str],
    *,
    eds: str | None = "Eds: Updates with details.",
    byline: str | None = "By JANE ROE",
    trailer: str = "AP-WF-03-14-19 1905GMT",
    prio: str = "r",
) -> bytes:
    lines = [f"\x16\x16\x01a0421\x1f-----\n{prio} a\x13\x11 {slug}   03-14 0412\r\n\x02^{slug.split()[0]},0412< \r\n"]
    lines.append(f"^{headline}< \r\n")
    if eds:
        lines.append(f"^{eds}< \r\n")
    if byline:
        lines.append(f"^{byline}= \r\n^Associated Press= \r\n")
    lines.extend(f"\t   {p} \r\n" for p in paragraphs)
    lines.append(f"\r\n\t   \x03{trailer}<\r\n\r\n\x0c\r\n\x04")
    return "".join(lines).encode("ascii")


PARAS = [
    "DENVER (AP) _ Snow closed the main highway on Thursday, the state said.",
    "Crews expect to reopen it by Friday morning.",
]


def _read(data: bytes) -> Story:
    [story] = read_agency(data, "in/anpa")
    return story


def test_anpa_fields_and_clean_body() -> None:
    data = _anpa("BC-US--Storm-Highway", "Snow shuts highway", PARAS)
    assert sniff_agency(data) == "anpa"
    story = _read(data)
    assert story.source_kind == "anpa"
    assert story.title == "Snow shuts highway"
    assert story.byline == "Jane Roe"
    assert story.meta["byline_title"] == "Associated Press"
    assert story.dateline == "DENVER (AP)"
    assert story.located == "Denver"
    assert story.agency == "AP"
    assert story.published_at == datetime(2019, 3, 14, 19, 5)
    assert story.urgency == 5
    assert story.slugline == "BC-US--Storm-Highway"
    assert story.version == 1
    assert story.pub_status == "usable"
    assert story.body == (
        "Snow closed the main highway on Thursday, the state said.\n\nCrews expect to reopen it by Friday morning."
    )
    assert story.meta["ed_notes"] == ["Eds: Updates with details."]
    assert story.meta["trailer"] == "AP-WF-03-14-19 1905GMT"
    assert story.meta["guid_derived"] is True
    for bad in ("\x02", "\x03", "Eds:", "AP-WF", "^", "<"):
        assert bad not in story.body


def test_versions_and_kill_chain_to_one_story() -> None:
    original = _read(_anpa("BC-US--Storm-Highway", "Snow shuts highway", PARAS))
    first_ld = _read(_anpa("BC-US--Storm-Highway 1stLd-Writethru", "Snow shuts highway", PARAS))
    second_ld = _read(_anpa("BC-US--Storm-Highway 2ndLd-Writethru", "Highway reopens", PARAS, prio="u"))
    kill = _read(
        _anpa("BC-US--Storm-Highway-Kill", "KILL", ["The story is withdrawn."], eds="Eds: KILL the story.")
    )
    other = _read(_anpa("BC-US--Flood-Bridge", "Flood closes bridge", PARAS))
    stories = [original, first_ld, second_ld, kill]
    assert [s.version for s in stories[:3]] == [1, 2, 3]
    assert len({s.guid for s in stories}) == 1
    assert len({s.meta["story_key"] for s in stories}) == 1
    assert original.meta["story_key"] == "AP:2019-03-14:us-storm-highway"
    assert [s.pub_status for s in stories] == ["usable", "usable", "usable", "canceled"]
    assert second_ld.urgency == 3
    assert other.guid != original.guid
    assert other.meta["story_key"] != original.meta["story_key"]


def test_correction_is_flagged_but_stays_usable() -> None:
    story = _read(_anpa("BC-US--Storm-Highway 1stLd-Correction", "Snow shuts highway", PARAS,
                        eds="Eds: Corrects day to Thursday."))
    assert story.meta["correction"] is True
    assert story.pub_status == "usable"
    assert story.version == 2


def test_several_messages_in_one_file_give_parts() -> None:
    data = _anpa("BC-US--Storm-Highway", "One", PARAS) + _anpa("BC-US--Flood-Bridge", "Two", PARAS)
    stories = read_agency(data, "in/stream")
    assert [(s.part, s.title) for s in stories] == [(0, "One"), (1, "Two")]


def test_missing_trailer_and_byline_are_tolerated() -> None:
    story = _read(_anpa("BC-US--Storm-Highway", "No trailer", PARAS, trailer="", byline=None, eds=None))
    assert story.published_at is None
    assert story.byline is None
    assert any("publication time" in w for w in story.warnings)
    assert story.guid and story.body.startswith("Snow closed")


def test_binary_with_control_characters_is_not_anpa() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x01\x02\x03\x04"
    assert sniff_agency(png) is None
    assert sniff_agency(b"\x01\x02\x03\x04\x05\x06\x07\x08" * 64) is None


def test_anpa_with_control_characters_stripped_in_transit() -> None:
    framed = _anpa("BC-US--Storm-Highway 1stLd-Writethru", "Snow shuts highway", PARAS)
    bare = bytes(b for b in framed if b >= 0x20 or b in (0x09, 0x0A, 0x0D))
    assert sniff_agency(bare) == "anpa"
    a, b = _read(framed), _read(bare)
    assert (b.guid, b.version, b.title, b.body, b.published_at) == (a.guid, a.version, a.title, a.body, a.published_at)


def test_tables_after_the_byline_and_parenthesised_eds_notes() -> None:
    text = (
        "\x16\x16\x01s0284\x1f-----\nr s\x13\x11 BC-BBO--Standings-Glance     08-18 \n\x02"
        "^BC-BBO--Standings Glance<\n^Standings Glance=\n^(Eds: Adds late game.)<\n^By The Associated Press=\n"
        "^EAST DIVISION=\nTampa Bay 73 52\nCleveland 73 51\n\t   ___=\n^Saturday's Games=\n"
        "\t   Seattle 4, Toronto 3\n\n\t   \x03AP-WF-08-18-19 2017GMT<\n\x04"
    )
    story = _read(text.encode())
    assert story.title == "Standings Glance"
    assert story.meta["ed_notes"] == ["(Eds: Adds late game.)"]
    assert "byline_title" not in story.meta
    assert story.body.split("\n\n") == [
        "EAST DIVISION", "Tampa Bay 73 52", "Cleveland 73 51", "Saturday's Games", "Seattle 4, Toronto 3",
    ]


def test_alert_without_headline_takes_the_first_sentence() -> None:
    text = (
        "\x16\x16\x01W1645\x1fasian\nb a\x13\x11 BC-US--APNewsAlert     06-29 0358\n\x02^BC-US--APNewsAlert,17<\n"
        "\t   HONOLULU (AP) _ The U.S. state files a challenge. More to come.\n\n\t   \x03AP-WF-06-29-17 2350GMT<\n\x04"
    )
    story = _read(text.encode())
    assert story.title == "The U.S. state files a challenge."
    assert story.urgency == 2
    assert story.body == "The U.S. state files a challenge. More to come."


def test_kill_words_inside_a_story_do_not_kill_it() -> None:
    story = _read(
        _anpa("BC-ML--Troop-Withdrawal", "Troops begin withdrawal; police kill suspect", PARAS,
              eds="Eds: Updates with withdrawal timetable. Corrects spelling of general's name.")
    )
    assert story.pub_status == "usable"
    assert story.meta["correction"] is True
    killed = _read(_anpa("BC-ML--Troop-Withdrawal", "Story withdrawn", ["Withdrawn."], eds="Eds: MANDATORY KILL."))
    assert killed.pub_status == "canceled"
    assert killed.guid == story.guid
