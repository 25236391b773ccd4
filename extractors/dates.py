"""Dates from any source, as naive UTC datetimes: the one `parse_datetime` of the readers.

`parse_datetime` reads a machine-written stamp, trying in order:

1. ISO 8601 in extended or basic form, with a zone written as "Z", an offset ("+02", "-05:00", "+0100") or a
   zone word ("GMT", "UTC", "GMT+02:00"), a "T" or spaces between date and time, seconds and fractions of
   a second optional ("2018-01-03 20:13:08 GMT+00:00", "20140829T134951+0000");
2. whatever else `datetime.fromisoformat` reads ("2016-02-20T03");
3. a few compact layouts (`DATE_LAYOUTS`, for `strptime`);
4. RFC 822/2822 e-mail dates ("Sat, 20 Feb 2016 03:37:00 GMT"), as `email.utils` reads them.

A stamp without a zone is taken as UTC. Fractions of a second are kept (to the microsecond). Month and
weekday names in other languages are the feed reader's business (`extractors.feeds.parse_feed_date`, with
the month table of `extractors.months`).

Why not python-dateutil (installed, and used by no reader): `dateutil.parser.isoparse` reads neither zone
words ("GMT", "UTC") nor spaces around the "T", both of which agency formats write, and its fuzzy
`dateutil.parser.parse` fills missing fields from today's date and takes a lone month or weekday word for
a date ("May" -> this year's May), which would turn datelines and labels into dates; the regex below,
`datetime.fromisoformat` and `email.utils` read exactly the layouts above and refuse the rest.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta

from .clean import clean_inline

__all__ = ["DATE_LAYOUTS", "parse_datetime", "to_naive_utc"]

_ISO = re.compile(
    r"^\s*(?P<y>\d{4})-?(?P<mo>\d{2})-?(?P<d>\d{2})"
    r"(?:[T\s]+(?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?|(?:GMT|UTC)[+-]\d{2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)
# Layouts tried with `strptime` after ISO 8601 ("Z" is read as "+0000").
DATE_LAYOUTS = ("%Y%m%dT%H%M%S%z", "%Y%m%dT%H%M%S", "%Y%m%dT%H%M%S+0000", "%Y%m%d", "%Y-%m-%d %H:%M:%S%z")


def to_naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _tz_offset(tz: str | None) -> timedelta:
    if not tz:
        return timedelta(0)
    tz = tz.upper().removeprefix("GMT").removeprefix("UTC")
    if tz in ("", "Z"):
        return timedelta(0)
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4] or 0) if len(digits) > 2 else 0
    return sign * timedelta(hours=hours, minutes=minutes)


def _iso(match: re.Match[str]) -> datetime | None:
    micro = int((match["frac"] or "0")[:6].ljust(6, "0"))
    try:
        value = datetime(
            int(match["y"]), int(match["mo"]), int(match["d"]),
            int(match["h"] or 0), int(match["mi"] or 0), int(match["s"] or 0), micro,
        )
    except ValueError:
        return None
    return value - _tz_offset(match["tz"])


def parse_datetime(raw: str | None) -> datetime | None:
    """Naive UTC datetime of a date stamp (ISO 8601, RFC 822/2822, compact layouts); None when unreadable."""
    if raw is None:
        return None
    text = clean_inline(str(raw))
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        return _iso(match)  # an ISO stamp that is no date ("2016-02-30") is not read another way
    try:
        return to_naive_utc(datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text))
    except ValueError:
        pass
    for layout in DATE_LAYOUTS:
        try:
            return to_naive_utc(datetime.strptime(text.replace("Z", "+0000"), layout))
        except ValueError:
            continue
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return to_naive_utc(parsed) if parsed else None
