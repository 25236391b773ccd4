"""ninjs 1.x - 3.0 (IPTC's JSON news format) reader; keys are matched case-insensitively so the
lower-case 1.x/2.x names (`versioncreated`, `body_html`) and the camelCase 3.0 names
(`versionCreated`, `bodies`) both work."""

from __future__ import annotations

import json
from typing import Any

import lxml.html
from lxml import etree

from ..agencies import agency_name
from ..dates import parse_datetime
from ..errors import BadInput, NotAStory
from ..records import Story
from .common import (
    block_paragraphs,
    clean_inline,
    normalise_byline,
    subject_code,
    subject_name,
    text_paragraphs,
    to_int,
)
from .entities import AGENCY_ACTORS, ninjs_entities
from .story import assemble

__all__ = ["load_json", "looks_like_ninjs", "read_ninjs"]

_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}
_MARKERS = frozenset(
    {
        "headline", "headlines", "body_text", "body_html", "body_xhtml", "bodies", "versioncreated",
        "pubstatus", "firstcreated", "byline", "by", "located", "renditions", "associations",
    }
)


def load_json(data: bytes, source_uri: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{source_uri}: not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise BadInput(f"{source_uri}: JSON nested too deeply to read") from exc


def _lower(obj: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in obj.items()}


def _is_item(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    keys = {str(k).lower() for k in obj}
    if "$schema" in keys and "ninjs" in str(obj.get("$schema", "")).lower():
        return True
    if "items" in keys and "jsonfeed" in str(obj.get("version", "")).lower():
        return False
    return ("uri" in keys or "guid" in keys) and len(keys & _MARKERS) >= 1


def _items(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, list):
        return [x for x in doc if _is_item(x)]
    if isinstance(doc, dict):
        if _is_item(doc):
            return [doc]
        for key in ("items", "data", "results"):
            value = doc.get(key)
            if isinstance(value, list):
                found = [x for x in value if _is_item(x)]
                if found:
                    return found
    return []


def looks_like_ninjs(doc: Any) -> bool:
    return bool(_items(doc))


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        low = _lower(value)
        value = low.get("value") or low.get("name") or low.get("literal")
    if isinstance(value, list):
        texts = [t for t in (_str(v) for v in value) if t]
        return ", ".join(texts) if texts else None
    text = clean_inline(str(value))
    return text or None


def _html_paragraphs(markup: str) -> list[str]:
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return text_paragraphs(markup)
    return block_paragraphs(root)


def _body(item: dict[str, Any]) -> list[str]:
    bodies = item.get("bodies")
    if isinstance(bodies, list):
        ranked = []
        for body in bodies:
            if not isinstance(body, dict):
                continue
            low = _lower(body)
            role = str(low.get("role") or "").lower()
            ctype = str(low.get("contenttype") or "").lower()
            value = low.get("value")
            if not isinstance(value, str) or not value.strip():
                continue
            rank = 0 if role in ("", "main", "html", "body", "text") else 1
            ranked.append((rank, "html" in ctype or role == "html" or value.lstrip().startswith("<"), value))
        ranked.sort(key=lambda r: r[0])
        for _, is_html, value in ranked:
            paras = _html_paragraphs(value) if is_html else text_paragraphs(value)
            if paras:
                return paras
    for key in ("body_html", "body_xhtml"):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            paras = _html_paragraphs(value)
            if paras:
                return paras
    value = item.get("body_text")
    if isinstance(value, str):
        return text_paragraphs(value)
    return []


def _headline(item: dict[str, Any]) -> str | None:
    headlines = item.get("headlines")
    if isinstance(headlines, list):
        found: list[tuple[int, str]] = []
        for h in headlines:
            if isinstance(h, dict):
                low = _lower(h)
                text = _str(low.get("value"))
                if text:
                    found.append((0 if str(low.get("role") or "main").lower() == "main" else 1, text))
            elif isinstance(h, str) and clean_inline(h):
                found.append((0, clean_inline(h)))
        if found:
            return min(found, key=lambda f: f[0])[1]
    return _str(item.get("headline"))


def _subjects(item: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    codes: list[str] = []
    names: dict[str, str] = {}
    raw = item.get("subjects", item.get("subject"))
    if not isinstance(raw, list):
        return codes, names
    for subj in raw:
        if isinstance(subj, str):
            codes.append(clean_inline(subj))
            continue
        if not isinstance(subj, dict):
            continue
        low = _lower(subj)
        code = subject_code(_str(low.get("code") or low.get("uri") or low.get("qcode")), _str(low.get("scheme")))
        name = _str(low.get("name"))
        if code:
            codes.append(code)
            name = name or subject_name(code)
            if name:
                names[code] = name
        elif name:
            codes.append(name)
    return codes, names


def _keywords(item: dict[str, Any]) -> list[str]:
    raw = item.get("keywords")
    if isinstance(raw, str):
        return [k for k in (clean_inline(x) for x in raw.split(",")) if k]
    if isinstance(raw, list):
        return [k for k in (_str(x) for x in raw) if k]
    return []


def _story(raw_item: dict[str, Any], source_uri: str, part: int) -> Story:
    item = _lower(raw_item)
    meta: dict[str, Any] = {}
    warnings: list[str] = []
    status_raw = str(item.get("pubstatus") or "usable").lower()
    pub_status = _STATUS.get(status_raw, "usable")
    if status_raw not in _STATUS:
        warnings.append(f"unknown pubstatus {status_raw!r}, read as usable")
    published = (
        parse_datetime(_str(item.get("versioncreated")))
        or parse_datetime(_str(item.get("firstcreated")))
        or parse_datetime(_str(item.get("contentcreated")))
    )
    first = parse_datetime(_str(item.get("firstcreated")))
    if first and first != published:
        meta["first_created"] = first.isoformat()
    embargo = parse_datetime(_str(item.get("embargoed")))
    uri = _str(item.get("uri")) or _str(item.get("guid"))
    agency = None
    for key in ("provider", "source", "copyrightholder"):
        agency = agency_name(_str(item.get(key)))
        if agency:
            break
    if agency is None and uri and uri.startswith("urn:newsml:"):
        agency = agency_name(uri.split(":")[2])
    byline = normalise_byline(_str(item.get("by", item.get("byline"))))
    located_text = _str(item.get("located"))
    title = _headline(item)
    slugline = _str(item.get("slugline"))
    paragraphs = _body(item)
    subjects, names = _subjects(item)
    if names:
        meta["subject_names"] = names
    entities = ninjs_entities(item)
    if entities:
        meta[AGENCY_ACTORS] = entities
    for key in ("description_text", "descriptions", "ednote", "usageterms"):
        value = _str(item.get(key))
        if value:
            meta[key] = value
    version = to_int(item.get("version"))
    if version is None:
        meta["version_stated"] = False
    return assemble(
        source_uri=source_uri,
        source_kind="ninjs",
        paragraphs=paragraphs,
        title=title,
        byline=byline,
        located=located_text,
        agency=agency,
        published_at=published,
        guid=uri,
        version=version or 1,
        pub_status=pub_status,
        embargoed_until=embargo,
        urgency=to_int(item.get("urgency")),
        slugline=slugline,
        language=_str(item.get("language")),
        subjects=subjects,
        keywords=_keywords(item),
        part=part,
        meta=meta,
        warnings=warnings,
    )


def read_ninjs(data: bytes, source_uri: str) -> list[Story]:
    """One Story per ninjs item (a JSON array or `items` list gives several parts)."""
    items = _items(load_json(data, source_uri))
    if not items:
        raise NotAStory(f"{source_uri}: JSON is not a ninjs item (no uri with headline/body)")
    text_items = [i for i in items if str(_lower(i).get("type") or "text").lower() in ("text", "composite", "")]
    if not text_items:
        raise NotAStory(f"{source_uri}: ninjs holds only picture/video/audio items, no text")
    items = text_items
    return [_story(item, source_uri, index) for index, item in enumerate(items)]
