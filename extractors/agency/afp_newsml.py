"""NewsML 1.x reader (AFP's NewsML 1.2 profile and other NewsML 1 providers)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..agencies import agency_name
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
from .nitf import nitf_parts
from .safexml import parse_xml
from .story import assemble

__all__ = ["read_afp_newsml"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = clean_inline(" ".join(el.itertext()))
    return text or None


def _formal(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    value = clean_inline(el.get("FormalName") or "")
    return value or None


def _own(item: etree._Element, path: str) -> list[etree._Element]:
    """Elements under `item` (XPath-like `.//name`) that do not belong to a nested NewsItem."""
    out = []
    for el in item.iterfind(path):
        parent = el.getparent()
        nested = False
        while parent is not None and parent is not item:
            if parent.tag == "NewsItem":
                nested = True
                break
            parent = parent.getparent()
        if not nested:
            out.append(el)
    return out


def _first(item: etree._Element, path: str) -> etree._Element | None:
    found = _own(item, path)
    return found[0] if found else None


def _content_paragraphs(item: etree._Element) -> tuple[list[str], dict[str, Any]]:
    """Paragraphs of the first text ContentItem; extra NITF details in the dict."""
    extra: dict[str, Any] = {}
    for content in _own(item, ".//ContentItem"):
        media = _formal(content.find("MediaType"))
        if media and media.lower() not in ("text", "complexdata"):
            continue
        data = content.find("DataContent")
        if data is None:
            continue
        nitf = data.find(".//nitf")
        if nitf is not None:
            parts = nitf_parts(nitf)
            if parts.byline:
                extra["byline"] = parts.byline
            if parts.dateline:
                extra["dateline"] = parts.dateline
            if parts.title:
                extra["title"] = parts.title
            if parts.paragraphs:
                return parts.paragraphs, extra
            continue
        body = data.find(".//body")
        paragraphs = block_paragraphs(body) if body is not None else []
        if not paragraphs and len(data) == 0:
            paragraphs = text_paragraphs(data.text or "")
        elif not paragraphs:
            paragraphs = block_paragraphs(data)
        if paragraphs:
            return paragraphs, extra
    return [], extra


def _item_story(item: etree._Element, source_uri: str, part: int, envelope: dict[str, Any]) -> Story:
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    ident = _first(item, "Identification/NewsIdentifier")
    provider_id = date_id = item_id = public_id = None
    version = None
    if ident is not None:
        provider_id = _text(ident.find("ProviderId"))
        date_id = _text(ident.find("DateId"))
        item_id = _text(ident.find("NewsItemId"))
        version = to_int(_text(ident.find("RevisionId")))
        public_id = _text(ident.find("PublicIdentifier"))
        revision = ident.find("RevisionId")
        if revision is not None and (revision.get("Update") or "N") not in ("N", ""):
            meta["update"] = revision.get("Update")
    name_label = _text(_first(item, "Identification/NameLabel"))

    management = _first(item, "NewsManagement")
    status_raw = ""
    embargo = None
    published = None
    first_created = None
    urgency = envelope.get("priority")
    if management is not None:
        status_raw = (_formal(management.find("Status")) or "").lower()
        urgency = to_int(_formal(management.find("Urgency"))) or urgency
        published = parse_datetime(_text(management.find("ThisRevisionCreated")))
        first_created = parse_datetime(_text(management.find("FirstCreated")))
        change = management.find("StatusWillChange")
        if change is not None:
            future = (_formal(change.find("FutureStatus")) or "").lower()
            when = parse_datetime(_text(change.find("DateAndTimeOfChange")))
            if future == "usable" and status_raw in ("embargoed", "withheld"):
                embargo = when
        for instr in management.findall("Instruction"):
            value = _formal(instr)
            if value:
                meta.setdefault("instructions", []).append(value)
    pub_status = _STATUS.get(status_raw, "usable")
    if status_raw == "embargoed":
        pub_status = "usable"
        if embargo is None:
            warnings.append("status Embargoed without a StatusWillChange time")
    elif status_raw and status_raw not in _STATUS:
        warnings.append(f"unknown status {status_raw!r}, read as usable")
    published = published or first_created or envelope.get("sent")
    if first_created and first_created != published:
        meta["first_created"] = first_created.isoformat()

    lines = _first(item, ".//NewsLines")
    title = byline = dateline = slugline = None
    if lines is not None:
        title = _text(lines.find("HeadLine"))
        sub = _text(lines.find("SubHeadLine"))
        if sub:
            meta["subtitle"] = sub
        byline = normalise_byline(_text(lines.find("ByLine")))
        dateline = _text(lines.find("DateLine"))
        slugline = _text(lines.find("SlugLine"))
        credit = _text(lines.find("CreditLine"))
        if credit:
            meta["creditline"] = credit

    descriptive = _first(item, ".//DescriptiveMetadata")
    language = item.get(_XML_LANG)
    subjects: list[str] = []
    names: dict[str, str] = {}
    keywords: list[str] = []
    located = None
    if descriptive is not None:
        language = _formal(descriptive.find("Language")) or language
        for code_el in descriptive.iter("Subject", "SubjectMatter", "SubjectDetail"):
            code = subject_code(_formal(code_el))
            if code and code not in subjects:
                subjects.append(code)
                name = subject_name(code)
                if name:
                    names[code] = name
        for prop in descriptive.findall("Property"):
            if (prop.get("FormalName") or "").lower() == "keyword":
                value = clean_inline(prop.get("Value") or "")
                if value:
                    keywords.append(value)
        for loc in descriptive.findall("Location"):
            props = {(p.get("FormalName") or "").lower(): p.get("Value") for p in loc.iter("Property")}
            located = located or props.get("city") or props.get("countryarea") or props.get("country")
            if props.get("country"):
                meta["country"] = props["country"]
        genres = [g for g in (_formal(x) for x in descriptive.findall("Genre")) if g]
        if genres:
            meta["genres"] = genres
    if names:
        meta["subject_names"] = names

    party = _first(item, ".//AdministrativeMetadata/Provider/Party")
    agency = agency_name(_formal(party)) or agency_name(provider_id) or envelope.get("agency")

    paragraphs, extra = _content_paragraphs(item)
    title = title or extra.get("title")
    byline = byline or extra.get("byline")
    dateline = dateline or extra.get("dateline")

    if public_id and version is not None and public_id.endswith(f":{version}"):
        guid: str | None = public_id[: -len(f":{version}")]
    elif provider_id and date_id and item_id:
        guid = f"urn:newsml:{provider_id}:{date_id}:{item_id}"
    else:
        guid = public_id
    if public_id:
        meta["public_identifier"] = public_id
    if name_label:
        meta["name_label"] = name_label
    if version is None:
        meta["version_stated"] = False
    return assemble(
        source_uri=source_uri,
        source_kind="afp-newsml",
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


def read_afp_newsml(data: bytes, source_uri: str) -> list[Story]:
    """One Story per text NewsItem of a NewsML 1.x document."""
    warnings: list[str] = []
    root = parse_xml(data, source_uri, warnings)
    envelope: dict[str, Any] = {}
    env = root.find("NewsEnvelope")
    if env is not None:
        envelope["sent"] = parse_datetime(_text(env.find("DateAndTime")))
        envelope["priority"] = to_int(_formal(env.find("Priority")))
    items = [root] if root.tag == "NewsItem" else list(root.iter("NewsItem"))
    if not items:
        raise NotAStory(f"{source_uri}: NewsML document holds no NewsItem")
    stories: list[Story] = []
    for item in items:
        story = _item_story(item, source_uri, len(stories), envelope)
        if not story.body and any(el is not item for el in item.iter("NewsItem")):
            continue  # a wrapper item whose text lives in nested NewsItems
        story.warnings[:0] = warnings
        stories.append(story)
    if not stories:
        raise NotAStory(f"{source_uri}: NewsML document holds no text item")
    return stories
