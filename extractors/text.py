"""Plain-text archives: one story per file.

Three layouts are recognised, in this order:
(a) the seed format: a first line ``date YYYY-MM-DD <photo caption>`` (leading spaces allowed), a
    ``By NAME`` byline paragraph, body paragraphs and a ``© YYYY AGENCY`` trailer;
(b) a headline line, a blank line, then the body (BBC and Reuters archives);
(c) a body alone.
Datelines such as ``SEOUL, June 18 (AFP) -`` at the start of the body are moved to `dateline` (read by
`extractors.datelines`, as the agency readers read them), their place to `located`; the agency of the
dateline or the trailer is named by `extractors.agencies.agency_name`.
"""

from __future__ import annotations

import re
from datetime import datetime

from .agencies import agency_name
from .clean import normalise_byline, split_paragraphs
from .datelines import place_from_dateline, split_dateline
from .errors import NotAStory
from .records import Story

__all__ = ["read_text"]

_SEED_FIRST = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*(.*)$", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*(?:By|Par)\s+(?P<name>[^\n]{2,120}?)\s*$")  # "Par" on French wires
_TRAILER = re.compile(r"^\s*(?:©|\(c\)|Copyright)\s*(?P<year>\d{4})?\s*(?P<agency>[^\n]{0,80}?)\s*$", re.I)


def _split_dateline(body_paragraphs: list[str]) -> tuple[list[str], str | None, str | None, str | None]:
    """Move a leading dateline of the first paragraph out of the body (`extractors.datelines`)."""
    if not body_paragraphs:
        return body_paragraphs, None, None, None
    dateline, agency, rest = split_dateline(body_paragraphs[0])
    if dateline is None:
        return body_paragraphs, None, None, None
    rest = rest.strip()
    paragraphs = ([rest] if rest else []) + body_paragraphs[1:]
    return paragraphs, dateline, place_from_dateline(dateline), agency_name(agency)


def read_text(text: str, source_uri: str) -> Story:
    """One story from the text of one file (already decoded)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise NotAStory(f"{source_uri}: no text")
    title: str | None = None
    caption: str | None = None
    byline: str | None = None
    agency: str | None = None
    published_at: datetime | None = None
    meta: dict[str, object] = {}

    first_line = text.strip("\n").split("\n", 1)[0]
    seed = _SEED_FIRST.match(first_line)
    if seed:
        try:
            published_at = datetime.strptime(seed.group(1), "%Y-%m-%d")
        except ValueError:
            meta["bad_date"] = seed.group(1)
        # the caption is the rest of the first paragraph (it may wrap onto following lines)
        _, _, more = paragraphs.pop(0).partition("\n")
        caption = " ".join(f"{seed.group(2)} {more}".split()) or None
        layout = "seed"
    else:
        layout = "body"

    if paragraphs and (bl := _BYLINE.match(paragraphs[0])) and "\n" not in paragraphs[0]:
        byline = normalise_byline(bl.group("name"))
        paragraphs.pop(0)

    # trailer(s) at the end: "© 2025 AFP"
    while paragraphs and (tr := _TRAILER.match(paragraphs[-1])) and len(paragraphs[-1]) < 100:
        if tr.group("agency"):
            agency = agency_name(tr.group("agency"))
        meta["copyright"] = paragraphs.pop().strip()

    if layout == "body" and len(paragraphs) >= 2 and _looks_like_headline(paragraphs[0]):
        title = " ".join(paragraphs.pop(0).split())
        layout = "headline"
        if paragraphs and (bl := _BYLINE.match(paragraphs[0])) and "\n" not in paragraphs[0]:
            byline = normalise_byline(bl.group("name"))
            paragraphs.pop(0)

    paragraphs, dateline, located, dl_agency = _split_dateline(paragraphs)
    agency = agency or dl_agency
    body = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    if not body.strip():
        raise NotAStory(f"{source_uri}: no body text after removing caption, byline and trailer")
    meta["layout"] = layout
    return Story(
        source_uri=source_uri,
        source_kind="text",
        body=body,
        title=title,
        caption=caption,
        byline=byline,
        dateline=dateline,
        located=located,
        agency=agency,
        published_at=published_at,
        meta=meta,
    )


def _looks_like_headline(paragraph: str) -> bool:
    """A single short line without a final full stop reads as a headline."""
    if "\n" in paragraph.strip():
        return False
    words = paragraph.split()
    if not 1 <= len(words) <= 25 or len(paragraph) > 200:
        return False
    return not paragraph.rstrip().endswith((".", '."', ".\u201d", ":", ";", ","))
