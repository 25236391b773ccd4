"""`extractors.dates.parse_datetime`, the one date-stamp reader of the feed, HTML and agency readers."""

from __future__ import annotations

from datetime import datetime

import pytest

from extractors.dates import parse_datetime


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2018-10-21T16:25:32-05:00", datetime(2018, 10, 21, 21, 25, 32)),
        ("2018-01-31T20:04:15.117Z", datetime(2018, 1, 31, 20, 4, 15, 117000)),  # fractions are kept
        ("20140829T134951+0000", datetime(2014, 8, 29, 13, 49, 51)),
        ("2018-01-03 20:13:08 GMT", datetime(2018, 1, 3, 20, 13, 8)),
        ("2016-02-20T03:37:00GMT+02:00", datetime(2016, 2, 20, 1, 37)),
        ("2016-02-20T03", datetime(2016, 2, 20, 3)),  # datetime.fromisoformat
        ("Sat, 20 Feb 2016 03:37:00 +0100", datetime(2016, 2, 20, 2, 37)),  # RFC 2822
        ("  2020-02-29\n", datetime(2020, 2, 29)),
        ("2016-02-30T00:00:00Z", None),
        ("May", None),
        ("LONDON, Jan 3", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(raw: str | None, expected: datetime | None) -> None:
    assert parse_datetime(raw) == expected
