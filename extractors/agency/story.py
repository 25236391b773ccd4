"""Turn what a format reader found into one clean Story (shared last step of every reader)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..agencies import agency_name
from ..datelines import nice_place, place_from_dateline, split_dateline
from ..gaps import fill_gaps
from ..ids import normalise_name
from ..lang import settle_language
from ..records import Story
from .common import (
    clean_inline,
    derived_guid,
    finish_body,
    normalise_byline,
    strip_trailers,
)

__all__ = ["PUB_STATUSES", "assemble"]

PUB_STATUSES = ("usable", "withheld", "canceled")
_BYLINE_PARA = re.compile(
    r"^(?:By|Von|Par|Por|Di|Door)\s+[A-ZÀ-Þ][\w.'’-]*(?:\s+(?:and|und|et|y|e|[A-ZÀ-Þ][\w.'’-]*)){0,7}$"
)
_BULLET_PARA = re.compile(r"^[*•·▪–-]\s+\S")
# A paragraph that is escaped markup (embed codes, scripts), not prose.
_CODE = re.compile(r"^\s*<[A-Za-z][\w:-]*(?:\s[^<>]*)?>.*</[A-Za-z][\w:-]*>\s*$|<script\b|<iframe\b", re.IGNORECASE)


def assemble(
    *,
    source_uri: str,
    source_kind: str,
    paragraphs: Sequence[str],
    title: str | None,
    guid: str | None,
    version: int,
    guid_key: str | None = None,
    guid_day: datetime | None = None,
    pub_status: str = "usable",
    byline: str | None = None,
    dateline: str | None = None,
    located: str | None = None,
    agency: str | None = None,
    published_at: datetime | None = None,
    embargoed_until: datetime | None = None,
    urgency: int | None = None,
    slugline: str | None = None,
    language: str | None = None,
    subjects: Sequence[str] = (),
    keywords: Sequence[str] = (),
    part: int = 0,
    meta: dict[str, Any] | None = None,
    warnings: list[str] | None = None,
) -> Story:
    """Clean the body (dateline prefix, editor notes, trailers out), fill gaps and build the Story.

    When `guid` is empty a stable one is derived from the agency, `guid_key` (default: slugline or
    title) and `guid_day` (default: published_at), and `meta["guid_derived"]` is set.
    """
    meta = dict(meta or {})
    warnings = list(warnings or [])
    paras = [p for p in (clean_inline(x) for x in paragraphs) if p]
    code = [p for p in paras if _CODE.search(p)]
    if code:
        paras = [p for p in paras if not _CODE.search(p)]
        meta["markup_paragraphs"] = code
    if paras and title and normalise_name(paras[0]) == normalise_name(title):
        paras.pop(0)  # the headline repeated at the top of the text
    paras, removed = strip_trailers(paras)
    if removed:
        meta.setdefault("trailers", []).extend(removed)
    # A byline paragraph near the top ("By Arpan Varghese") belongs in `byline`.
    for index, para in enumerate(paras[:4]):
        if _BYLINE_PARA.match(para):
            name = normalise_byline(para)
            if name:
                byline = byline or name
                paras.pop(index)
            break
    body_dateline = None
    # The dateline opens the first text paragraph, after any highlight bullets.
    for index, para in enumerate(paras[:6]):
        body_dateline, dl_agency, rest = split_dateline(para)
        if body_dateline:
            paras[index] = rest
            if not agency and dl_agency:
                agency = agency_name(dl_agency)
            break
        if not _BULLET_PARA.match(para):
            break
    if body_dateline:
        if dateline and dateline != body_dateline:
            meta["dateline_element"] = dateline
        dateline = body_dateline
    elif dateline:
        dateline = clean_inline(dateline).rstrip(" -—–_") or None
    if not located:
        located = place_from_dateline(dateline)
    located = nice_place(located)
    body = finish_body(paras)
    language = language.strip() if language else None
    if pub_status not in PUB_STATUSES:
        warnings.append(f"unknown publication status {pub_status!r}, read as usable")
        pub_status = "usable"
    title = clean_inline(title) if title else None
    slugline = clean_inline(slugline) if slugline else None
    if not guid:
        # The format states no id: derive a stable one from agency + slug/keyword + date.
        guid = derived_guid(source_kind, agency, guid_key or slugline or title, guid_day or published_at)
        meta["guid_derived"] = True
    if not body:
        warnings.append("item has no body text")
    if not title:
        warnings.append("item has no headline")
    if published_at is None:
        warnings.append("item states no publication time")
    return settle_language(fill_gaps(Story(
        source_uri=source_uri,
        source_kind=source_kind,
        body=body,
        title=title or None,
        byline=byline or None,
        dateline=dateline or None,
        agency=agency or None,
        published_at=published_at,
        guid=guid,
        version=version,
        pub_status=pub_status,
        embargoed_until=embargoed_until,
        urgency=urgency,
        slugline=slugline,
        located=located,
        language=language,
        subjects=list(dict.fromkeys(s for s in subjects if s)),
        keywords=list(dict.fromkeys(k for k in keywords if k)),
        part=part,
        meta=meta,
        warnings=warnings,
    )))
