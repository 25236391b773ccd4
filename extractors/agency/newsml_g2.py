"""NewsML-G2 reader: `newsItem`, `newsMessage` with several items, NITF or XHTML in `inlineXML`,
plain text in `inlineData`, and bare `contentSet` / `inlineXML` fragments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import lxml.html
from lxml import etree

from ..agencies import agency_name, known_agency
from ..datelines import nice_place
from ..dates import parse_datetime
from ..errors import NotAStory
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
from .entities import AGENCY_ACTORS, g2_entities
from .nitf import NitfParts, nitf_parts
from .safexml import parse_xml
from .story import assemble

__all__ = ["G2_ROOTS", "read_newsml_g2"]

G2_ROOTS = frozenset(
    {"newsItem", "newsMessage", "contentSet", "inlineXML", "packageItem", "conceptItem", "knowledgeItem",
     "planningItem", "catalogItem"}
)
_NON_TEXT = ("picture", "graphic", "video", "audio", "animation", "composite")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = clean_inline(" ".join(el.itertext()))
    return text or None


def _code(raw: str | None) -> str:
    """Local part of a qcode ("stat:usable" -> "usable")."""
    return (raw or "").split(":", 1)[-1].strip().lower()


def _lang_name(el: etree._Element, language: str | None) -> str | None:
    """The `<name>` child in the item's language (else English, else the first)."""
    names = el.findall("name")
    if not names:
        return None
    want = (language or "en").split("-")[0].lower()
    for pick in (want, "en"):
        for name in names:
            lang = (name.get(_XML_LANG) or "").split("-")[0].lower()
            if lang == pick:
                return _text(name)
    return _text(names[0])


def _content(item: etree._Element, warnings: list[str]) -> tuple[list[str], NitfParts | None]:
    """Paragraphs of the first text rendition in the item's contentSet."""
    content_set = item if item.tag in ("contentSet", "inlineXML") else item.find("contentSet")
    if content_set is None:
        warnings.append("newsItem has no contentSet")
        return [], None
    renditions = [content_set] if content_set.tag == "inlineXML" else [
        el for el in content_set if el.tag in ("inlineXML", "inlineData", "remoteContent")
    ]
    for rendition in renditions:
        ctype = (rendition.get("contenttype") or "").lower()
        if rendition.tag == "remoteContent":
            continue
        if rendition.tag == "inlineData":
            raw = rendition.text or ""
            if "html" in ctype or raw.lstrip().startswith("<"):
                try:
                    doc = lxml.html.fragment_fromstring(raw, create_parent="div")
                    paragraphs = block_paragraphs(doc)
                except (etree.ParserError, ValueError):
                    paragraphs = text_paragraphs(raw)
            else:
                paragraphs = text_paragraphs(raw)
            if paragraphs:
                return paragraphs, None
            continue
        nitf = rendition.find(".//nitf")
        if nitf is not None:
            parts = nitf_parts(nitf)
            if parts.paragraphs:
                return parts.paragraphs, parts
            continue
        body = rendition.find(".//body")
        paragraphs = block_paragraphs(body if body is not None else rendition)
        if paragraphs:
            return paragraphs, None
    if any(r.tag == "remoteContent" for r in renditions):
        warnings.append("item content is remote (remoteContent), not fetched")
    return [], None


def _item_story(item: etree._Element, source_uri: str, part: int, header: dict[str, Any]) -> Story:
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    item_meta = item.find("itemMeta")
    content_meta = item.find("contentMeta")
    if item_meta is None:
        item_meta = etree.Element("itemMeta")
    if content_meta is None:
        content_meta = etree.Element("contentMeta")

    language = item.get(_XML_LANG)
    lang_el = content_meta.find("language")
    if lang_el is not None and lang_el.get("tag"):
        language = lang_el.get("tag")

    status_el = item_meta.find("pubStatus")
    status_raw = _code(status_el.get("qcode") or status_el.get("literal")) if status_el is not None else ""
    pub_status = _STATUS.get(status_raw, "usable")
    if status_raw and status_raw not in _STATUS:
        warnings.append(f"unknown pubStatus {status_raw!r}, read as usable")

    embargo = parse_datetime(_text(item_meta.find("embargoed")))
    version_created = parse_datetime(_text(item_meta.find("versionCreated")))
    first_created = parse_datetime(_text(item_meta.find("firstCreated")))
    published = (
        version_created
        or first_created
        or parse_datetime(_text(content_meta.find("contentModified")))
        or parse_datetime(_text(content_meta.find("contentCreated")))
        or header.get("sent")
    )
    if first_created and first_created != published:
        meta["first_created"] = first_created.isoformat()

    provider = item_meta.find("provider")
    agency = None
    if provider is not None:
        agency = agency_name(
            _lang_name(provider, language) or provider.get("literal") or provider.get("qcode")
        )
    if agency is None and header.get("sender"):
        agency = agency_name(header["sender"])

    ed_notes = [t for t in (_text(n) for n in item_meta.findall("edNote")) if t]
    if ed_notes:
        meta["ed_notes"] = ed_notes
    signals = [s.get("qcode") for s in item_meta.findall("signal") if s.get("qcode")]
    if signals:
        meta["signals"] = signals
    if any(_code(s) in ("correction", "corr") for s in signals):
        meta["correction"] = True

    urgency = to_int(_text(content_meta.find("urgency")))
    if urgency is None and header.get("priority") is not None:
        urgency = header["priority"]

    headline = None
    for el in content_meta.findall("headline"):
        role = (el.get("role") or "").lower()
        if headline is None or role.endswith("main"):
            headline = _text(el)
    title = headline or _text(item_meta.find("title"))

    slugline = _text(content_meta.find("slugline"))

    byline = None
    by_el = content_meta.find("by")
    if by_el is not None:
        byline = normalise_byline(_text(by_el))
    if byline is None:
        for creator in content_meta.findall("creator"):
            role = (creator.get("role") or "").lower()
            if "source" in role or "provider" in role:
                continue
            name = _lang_name(creator, language) or creator.get("literal")
            if name and not known_agency(name):
                byline = normalise_byline(name)
                break

    located = None
    located_el = content_meta.find("located")
    if located_el is not None:
        located = _lang_name(located_el, language) or located_el.get("literal")
        broader = [b for b in (_lang_name(b, language) for b in located_el.findall("broader")) if b]
        if broader:
            meta["located_broader"] = broader

    dateline_el = _text(content_meta.find("dateline"))
    # Reuters puts a timestamp in <dateline>; keep it only when it is not a date.
    dateline = None if (dateline_el and parse_datetime(dateline_el.replace(" GMT", ""))) else dateline_el
    if dateline_el and dateline is None:
        meta["dateline_element"] = dateline_el

    subjects: list[str] = []
    names: dict[str, str] = {}
    for subj in content_meta.findall("subject"):
        code = subject_code(subj.get("qcode") or subj.get("uri") or subj.get("literal"))
        if not code:
            name = _lang_name(subj, language)
            if name:
                subjects.append(name)
            continue
        subjects.append(code)
        name = _lang_name(subj, language) or subject_name(code)
        if name:
            names[code] = name
    if names:
        meta["subject_names"] = names
    genres = [g.get("qcode") or g.get("literal") for g in content_meta.findall("genre")]
    if any(genres):
        meta["genres"] = [g for g in genres if g]
    keywords = [t for t in (_text(k) for k in content_meta.findall("keyword")) if t]
    for desc in content_meta.findall("description"):
        text = _text(desc)
        if text:
            meta.setdefault("descriptions", []).append(text)

    paragraphs, nitf = _content(item, warnings)
    entities = g2_entities(content_meta, language) + (nitf.entities if nitf is not None else [])
    if entities:
        meta[AGENCY_ACTORS] = list({(e["name"].casefold(), e["kind"]): e for e in entities}.values())
    if nitf is not None:
        title = title or nitf.title
        byline = byline or nitf.byline
        dateline = dateline or nitf.dateline
        located = located or nitf.located
        if nitf.byline_title:
            meta["byline_title"] = nitf.byline_title
        if nitf.abstract:
            meta["summary"] = nitf.abstract
        if nitf.tagline:
            meta["tagline"] = nitf.tagline
        if nitf.ed_notes:
            meta.setdefault("ed_notes", []).extend(nitf.ed_notes)
        published = published or nitf.issued
        agency = agency or nitf.agency

    guid = clean_inline(item.get("guid") or "")
    version = to_int(item.get("version"))
    if version is None:
        meta["version_stated"] = False
    return assemble(
        source_uri=source_uri,
        source_kind="newsml-g2",
        paragraphs=paragraphs,
        title=title,
        byline=byline,
        dateline=dateline,
        located=nice_place(located),
        agency=agency,
        published_at=published,
        guid=guid,
        version=version or 1,
        pub_status=pub_status,
        embargoed_until=embargo,
        urgency=urgency,
        slugline=slugline,
        language=language,
        subjects=subjects,
        keywords=keywords,
        part=part,
        meta=meta,
        warnings=warnings,
    )


def _is_media(item: etree._Element) -> bool:
    """A picture, graphic, video or audio item (no story text of its own)."""
    item_class = item.find("itemMeta/itemClass")
    qcode = _code(item_class.get("qcode") if item_class is not None else "")
    return qcode in _NON_TEXT


def _header(root: etree._Element) -> dict[str, Any]:
    header = root.find("header")
    if header is None:
        return {}
    sent: datetime | None = parse_datetime(_text(header.find("sent")))
    return {
        "sent": sent,
        "sender": _text(header.find("sender")),
        "priority": to_int(_text(header.find("priority"))),
    }


def read_newsml_g2(data: bytes, source_uri: str) -> list[Story]:
    """One Story per newsItem (a newsMessage gives parts 0, 1, 2 ...)."""
    warnings: list[str] = []
    root = parse_xml(data, source_uri, warnings)
    header = _header(root) if root.tag == "newsMessage" else {}
    if root.tag == "newsItem":
        items = [root]
    elif root.tag in ("contentSet", "inlineXML"):
        items = [root]
        warnings.append("NewsML-G2 fragment without newsItem: no guid, version or status stated")
    else:
        items = list(root.iter("newsItem"))
    if not items:
        raise NotAStory(f"{source_uri}: NewsML-G2 <{root.tag}> holds no newsItem")
    text_items = [item for item in items if not _is_media(item)]
    if not text_items:
        raise NotAStory(f"{source_uri}: NewsML-G2 holds only picture/video/audio items, no text")
    if len(text_items) < len(items):
        warnings.append(f"{len(items) - len(text_items)} picture/video/audio item(s) left out")
    items = text_items
    stories = []
    for index, item in enumerate(items):
        story = _item_story(item, source_uri, index, header)
        story.warnings[:0] = warnings
        stories.append(story)
    return stories
