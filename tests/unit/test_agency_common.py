"""Shared helpers: datelines, bylines, dates, trailers, subjects."""

from __future__ import annotations

from datetime import datetime

import pytest

from extractors.agencies import agency_name
from extractors.agency.common import (
    normalise_byline,
    strip_trailers,
    subject_code,
    text_paragraphs,
)
from extractors.datelines import place_from_dateline, split_dateline
from extractors.dates import parse_datetime


@pytest.mark.parametrize(
    ("paragraph", "dateline", "agency", "rest"),
    [
        ("ATLANTA (AP) _ Luol scored.", "ATLANTA (AP)", "AP", "Luol scored."),
        ("NEW YORK (AP) — The gas rose.", "NEW YORK (AP)", "AP", "The gas rose."),
        ("LONDON, Jan 3 (Reuters) - Shares fell.", "LONDON, Jan 3 (Reuters)", "Reuters", "Shares fell."),
        ("Berlin (dpa) - Talks could fail.", "Berlin (dpa)", "dpa", "Talks could fail."),
        ("(Sports Network) - With the win.", "(Sports Network)", "Sports Network", "With the win."),
        ("RIO DE JANEIRO, Brazil (AP) -- Carnival began.", "RIO DE JANEIRO, Brazil (AP)", "AP", "Carnival began."),
        ("CHATHAM, Mass. (AP) _ A lobster died.", "CHATHAM, Mass. (AP)", "AP", "A lobster died."),
        ("Tegucigalpa, Jan 2 (EFE).- Test body.", "Tegucigalpa, Jan 2 (EFE)", "EFE", "Test body."),
        ("(ANSA) - Rome, October 11 - The minister said.", "(ANSA) - Rome, October 11", "ANSA", "The minister said."),
    ],
)
def test_split_dateline(paragraph: str, dateline: str, agency: str, rest: str) -> None:
    assert split_dateline(paragraph) == (dateline, agency, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The company (XYZ) - said it would cut jobs.",
        "Shares of Acme Corp. (ACME) - a maker of widgets - rose.",
        "He said (quietly) - that was all.",
        "Nothing to split here.",
    ],
)
def test_no_false_datelines(paragraph: str) -> None:
    assert split_dateline(paragraph) == (None, None, paragraph)


def test_place_from_dateline() -> None:
    assert place_from_dateline("STOCKHOLM, Aug 29, 2014 (AFP)") == "Stockholm"
    assert place_from_dateline("NEW YORK (AP)") == "New York"
    assert place_from_dateline("Jan 3 (OPTA)") is None
    assert place_from_dateline("(ANSA) - Rome, October 11") == "Rome"
    assert place_from_dateline(None) is None
    # words that only start like a month are places ("Mar"-seille, "Mai"-n, "Jan"-eiro)
    assert place_from_dateline("MARSEILLE (AFP)") == "Marseille"
    assert place_from_dateline("Frankfurt am Main (dpa)") == "Frankfurt am Main"
    assert place_from_dateline("Rio de Janeiro (Reuters)") == "Rio de Janeiro"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By CHARLES ODUM", "Charles Odum"),
        ("Von Christian Hollmann, dpa", "Christian Hollmann"),
        ("By Sam Lee, AP Business Writer", "Sam Lee"),
        ("Par Marie CURIE", "Marie Curie"),
        ("By MARY O'NEIL and TOM McCALL", "Mary O'Neil and Tom McCall"),
        ("gr/bp", None),
        ("VRG", None),
        ("", None),
    ],
)
def test_normalise_byline(raw: str, expected: str | None) -> None:
    assert normalise_byline(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2018-10-21T16:25:32-05:00", datetime(2018, 10, 21, 21, 25, 32)),
        ("2018-01-03T20:13:08.000Z", datetime(2018, 1, 3, 20, 13, 8)),
        ("20140829T134951+0000", datetime(2014, 8, 29, 13, 49, 51)),
        ("20151210T191044Z", datetime(2015, 12, 10, 19, 10, 44)),
        ("2019-05-10T16:02:28+02:00", datetime(2019, 5, 10, 14, 2, 28)),
        ("2018-01-03 20:13:08 GMT+00:00", datetime(2018, 1, 3, 20, 13, 8)),
        ("2020-02-29", datetime(2020, 2, 29)),
        ("not a date", None),
        ("", None),
    ],
)
def test_parse_datetime(raw: str, expected: datetime | None) -> None:
    assert parse_datetime(raw) == expected


def test_strip_trailers() -> None:
    body, removed = strip_trailers(
        ["Eds: Adds details.", "Main text.", "Second text.", "___", "Jo Doe can be reached at jo@ap.org", "hh/ph"]
    )
    assert body == ["Main text.", "Second text."]
    assert "Eds: Adds details." in removed and "hh/ph" in removed
    kept, _ = strip_trailers(["Main text.", "___", "TIP-INS", "Heat: won the series."])
    assert kept == ["Main text.", "TIP-INS", "Heat: won the series."]
    reuters, _ = strip_trailers(["Text.", "(Reporting by A B; Editing by C D)"])
    assert reuters == ["Text."]


def test_text_paragraphs_join_wrapped_lines_but_not_long_ones() -> None:
    wrapped = "A wrapped line that\ncontinues here.\n\nNext paragraph."
    assert text_paragraphs(wrapped) == ["A wrapped line that continues here.", "Next paragraph."]
    indented = 'The minister spoke\nin Rome on Monday.\n   "We agree," he said.\n   Talks\ncontinue.'
    assert text_paragraphs(indented) == ["The minister spoke in Rome on Monday.", '"We agree," he said.',
                                         "Talks continue."]
    pretty = "<p>A line that\n        continues inside pretty-printed XML.</p>"
    assert len(text_paragraphs(pretty)) == 1
    long_line = "x " * 60
    assert len(text_paragraphs(f"{long_line}\n{long_line}")) == 2


def test_subject_codes_and_agencies() -> None:
    assert subject_code("04011002") == "subj:04011002"
    assert subject_code("http://cv.iptc.org/newscodes/mediatopic/20000106") == "medtop:20000106"
    assert subject_code("medtop:04000000") == "medtop:04000000"
    assert subject_code("11000000", "http://cv.iptc.org/newscodes/mediatopic/") == "medtop:11000000"
    assert agency_name("nprov:REUTERS") == "Reuters"
    assert agency_name("afp.com") == "AFP"
    assert agency_name("reuters.com") == "Reuters"
    assert agency_name("Example Wire Service") == "Example Wire Service"
