"""IPTC 7901 plain-text reader (SOH header line with priority/category/word count, keyword line,
STX, headline ending in "=", hard-wrapped text, ETX and a "DDHHMM GMT Mon YY" time group)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from ..agencies import known_agency
from ..errors import NotAStory
from ..months import MONTH_NUMBERS
from ..records import Story
from .anpa import EMBARGO_NOTE, ETX, STX, US_ZONES, decode_wire, kill_or_correction, slug_parts, split_messages
from .common import clean_inline, normalise_byline, strip_controls, text_paragraphs
from .story import assemble

__all__ = ["HEADER", "read_iptc7901"]

# "eca062 4 i 211 ccccb   dpa 061": source + message number, priority, category, word count, rest.
HEADER = re.compile(
    r"^\s*(?P<src>[A-Za-z]{0,6})(?P<num>\d{1,6})\s+(?P<prio>\d)\s+(?P<cat>[A-Za-z]{1,3})\s+(?P<wc>\d{1,5})\b(?P<rest>.*)$"
)
_TIME_GROUP = re.compile(
    r"(?P<d>\d{2})(?P<h>\d{2})(?P<mi>\d{2})\s*(?P<tz>[A-Za-z]{1,4})?\s+(?P<mon>[A-Za-zäéû]{3,4})\.?\s+(?P<y>\d{2,4})\b"
)
_BYLINE_LINE = re.compile(r"^(?:By|Von|Par|Por|Di|Door)\s+\S", re.IGNORECASE)
_VERSION = re.compile(
    r"(\d+)(?:st|nd|rd|th|\.)\s*(?:update|lead|ld|writethru|zusammenfassung|new|korrektur|correction)",
    re.IGNORECASE,
)


def _split_bare(message: str) -> tuple[str, str]:
    """(header part, text part) of a message whose control characters were stripped: the headline
    is the first line ending in "=" within the first lines after the header."""
    lines = message.split("\n")
    for index, line in enumerate(lines[1:12], start=1):
        if line.rstrip().endswith("="):
            # "Headline\nBy Someone =": the headline is the line above a byline line.
            if _BYLINE_LINE.match(line.strip()) and index > 1 and lines[index - 1].strip():
                index -= 1
            return "\n".join(lines[:index]), "\n".join(lines[index:])
    return lines[0], "\n".join(lines[1:])


def _keyword_key(keyword: str | None) -> str | None:
    """The story part of a keyword: "Yemen/conflict/1st update" -> "Yemen-conflict"."""
    if not keyword:
        return None
    parts = [p.strip() for p in keyword.split("/") if p.strip()]
    kept = [p for p in parts if not _VERSION.search(p) and not re.fullmatch(r"\d+\.?", p)]
    return "-".join(kept) or None


def _time_group(text: str) -> datetime | None:
    match = _TIME_GROUP.search(text)
    if not match:
        return None
    month = MONTH_NUMBERS.get(match["mon"].lower()[:3]) or MONTH_NUMBERS.get(match["mon"].lower())
    if month is None:
        return None
    year = int(match["y"])
    year += 2000 if year < 70 else (1900 if year < 100 else 0)
    try:
        local = datetime(year, month, int(match["d"]), int(match["h"]), int(match["mi"]))
    except ValueError:
        return None
    return local - timedelta(hours=US_ZONES.get((match["tz"] or "GMT").upper(), 0))


def _message_story(message: str, source_uri: str, part: int) -> Story:
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    head, found_stx, rest = message.partition(STX)
    if not found_stx:
        head, rest = _split_bare(message)
        warnings.append("no STX control character: headline found from the layout")
    text, found_etx, trailer = rest.partition(ETX)
    if not found_etx:
        # The time group is the last non-empty line when ETX was stripped.
        tail = text.split("\n")
        filled = [k for k, line in enumerate(tail) if strip_controls(line).strip()]
        if filled and _TIME_GROUP.fullmatch(strip_controls(tail[filled[-1]]).strip()):
            text, trailer = "\n".join(tail[: filled[-1]]), tail[filled[-1]]
    trailer = clean_inline(re.sub(r"[\x00-\x1f\x7f]", " ", trailer))
    if trailer:
        meta["trailer"] = trailer
    head_lines = [clean_inline(re.sub(r"[\x00-\x1f\x7f]", " ", x)) for x in head.splitlines()]
    head_lines = [x for x in head_lines if x]
    urgency = None
    agency = None
    keyword_lines: list[str] = []
    for line in head_lines:
        match = HEADER.match(line)
        if match and urgency is None:
            urgency = int(match["prio"])
            meta["category"] = match["cat"]
            meta["word_count"] = int(match["wc"])
            meta["header"] = line
            for token in match["rest"].split():
                agency = known_agency(token)
                if agency:
                    break
        else:
            keyword_lines.append(line)
    keyword = keyword_lines[0].strip(" /") if keyword_lines else None
    if len(keyword_lines) > 1:
        meta["keyword_lines"] = keyword_lines[1:]  # flags such as "EXTRA" or "Eilmeldung"

    lines = strip_controls(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Headline: the first lines up to the one ending in "=".
    title_lines: list[str] = []
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    start = index
    while index < len(lines) and index - start < 4:
        line = lines[index].strip()
        if not line:
            break
        title_lines.append(line)
        index += 1
        if line.endswith("="):
            break
    title: str | None
    byline = None
    if title_lines and title_lines[-1].endswith("="):
        head_lines = [line.rstrip("= ") for line in title_lines]
        bylines = [line for line in head_lines[1:] if _BYLINE_LINE.match(line)]
        if bylines:
            byline = normalise_byline(bylines[0])
            head_lines = [line for line in head_lines if line not in bylines]
        title = clean_inline(" ".join(head_lines))
        body_text = "\n".join(lines[index:])
    else:
        title = clean_inline(title_lines[0].rstrip("= ")) if title_lines else None
        body_text = "\n".join(lines[start + 1 :])
    paragraphs = text_paragraphs(body_text)
    if byline is None and paragraphs and re.match(r"^(?:By|Von|Par|Por|Di)\s+\S+(?:\s+\S+){0,5}$", paragraphs[0]):
        byline = normalise_byline(paragraphs.pop(0).rstrip("= "))

    published = _time_group(trailer)
    if published is None:
        warnings.append("no time group after ETX: publication time unknown")
    key, version, kill, correction = slug_parts(_keyword_key(keyword) or title or "")
    ld = _VERSION.search(" ".join(filter(None, [*keyword_lines, title])))
    if ld:
        version = max(version, int(ld.group(1)) + 1)
    note_kill, note_corr = kill_or_correction([x for x in (title, *keyword_lines[1:]) if x])
    kill = kill or note_kill
    correction = correction or note_corr
    notes = [x for x in [*keyword_lines, title or "", *paragraphs[:1]] if EMBARGO_NOTE.search(x)]
    if notes:
        meta["embargo_note"] = notes[0]
        warnings.append("the message states an embargo; its time is not read, check before release")
    if kill:
        meta["kill"] = True
    if correction:
        meta["correction"] = True
    story = assemble(
        source_uri=source_uri,
        source_kind="iptc7901",
        paragraphs=paragraphs,
        title=title,
        byline=byline,
        agency=agency,
        published_at=published,
        guid=None,
        guid_key=key or title,
        version=version,
        pub_status="canceled" if kill else "usable",
        urgency=urgency,
        slugline=keyword,
        keywords=[keyword] if keyword else [],
        part=part,
        meta=meta,
        warnings=warnings,
    )
    day = published.strftime("%Y-%m-%d") if published else "undated"
    story.meta["story_key"] = f"{story.agency or 'unknown'}:{day}:{key or 'item'}"
    return story


def read_iptc7901(data: bytes, source_uri: str) -> list[Story]:
    """One Story per IPTC 7901 message in the source."""
    text = decode_wire(data)
    messages = [m for m in split_messages(text) if clean_inline(strip_controls(m))]
    if not messages:
        raise NotAStory(f"{source_uri}: IPTC 7901 source holds no message text")
    return [_message_story(m, source_uri, i) for i, m in enumerate(messages)]
