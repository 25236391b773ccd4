"""Dates from any source, as naive UTC datetimes."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime

__all__ = ["parse_datetime", "to_naive_utc"]


def to_naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def parse_datetime(raw: str | None) -> datetime | None:
    """ISO 8601 (with or without zone, 'Z'), RFC 822/2822, compact `20160220T033700Z`; else None."""
    if not raw:
        return None
    text = raw.strip()
    if not text:
        return None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return to_naive_utc(datetime.fromisoformat(iso))
    except ValueError:
        pass
    for fmt in ("%Y%m%dT%H%M%S%z", "%Y%m%dT%H%M%S", "%Y%m%dT%H%M%S+0000", "%Y%m%d", "%Y-%m-%d %H:%M:%S%z"):
        try:
            return to_naive_utc(datetime.strptime(text.replace("Z", "+0000"), fmt))
        except ValueError:
            continue
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return to_naive_utc(parsed) if parsed else None
