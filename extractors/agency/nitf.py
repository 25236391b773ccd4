"""NITF 3.x reader (standalone documents and NITF embedded in NewsML inlineXML / DataContent)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from ..agencies import agency_name
from ..datelines import nice_place
from ..dates import parse_datetime
from ..errors import BadInput, NotAStory
from ..records import Story
from .common import (
    block_paragraphs,
    clean_inline,
    normalise_byline,
    subject_code,
    subject_name,
    to_int,
)
from .entities import AGENCY_ACTORS, nitf_entities
from .safexml import parse_xml
from .story import assemble

__all__ = ["NitfParts", "nitf_parts", "read_nitf"]

_STATUS = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "cancelled": "canceled"}


@dataclass
class NitfParts:
    """What one NITF document says, before it is merged into a Story."""

    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    byline_title: str | None = None
    dateline: str | None = None
    located: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    abstract: str | None = None
    tagline: str | None = None
    doc_id: str | None = None
    regsrc: str | None = None
    version: int | None = None
    slug: str | None = None
    issued: datetime | None = None
    released: datetime | None = None
    status: str | None = None
    embargoed: bool = False
    urgency: int | None = None
    agency: str | None = None
    language: str | None = None
    subjects: list[str] = field(default_factory=list)
    subject_names: dict[str, str] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    ed_notes: list[str] = field(default_factory=list)
    entities: list[dict[str, str]] = field(default_factory=list)  # <person>, <org>, <location> (agency actors)


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = clean_inline(" ".join(el.itertext()))
    return text or None


def _first(root: etree._Element, path: str) -> etree._Element | None:
    found = root.find(path)
    return found


def nitf_parts(nitf: etree._Element) -> NitfParts:
    """Read a namespace-stripped `<nitf>` element (or a bare `<body>` of one)."""
    parts = NitfParts()
    parts.entities = nitf_entities(nitf)
    parts.language = (
        nitf.get("{http://www.w3.org/XML/1998/namespace}lang") or nitf.get("baselang") or nitf.get("lang")
    )
    head = nitf.find("head")
    if head is not None:
        docdata = head.find("docdata")
        if docdata is not None:
            doc_id = docdata.find("doc-id")
            if doc_id is not None:
                parts.doc_id = clean_inline(doc_id.get("id-string") or "") or None
                parts.regsrc = clean_inline(doc_id.get("regsrc") or "") or None
            status = (docdata.get("management-status") or "").strip().lower()
            if status == "embargoed":
                parts.embargoed = True
            elif status in _STATUS:
                parts.status = _STATUS[status]
            urg = docdata.find("urgency")
            if urg is not None:
                parts.urgency = to_int(urg.get("ed-urg"))
            for tag in ("date.issue", "date.release"):
                el = docdata.find(tag)
                if el is not None:
                    value = parse_datetime(el.get("norm") or el.text)
                    if tag == "date.issue":
                        parts.issued = value
                    else:
                        parts.released = value
            du_key = docdata.find("du-key")
            if du_key is not None:
                parts.version = to_int(du_key.get("version")) or to_int(du_key.get("generation"))
                parts.slug = clean_inline(du_key.get("key") or "") or None
            for msg in docdata.iter("ed-msg"):
                info = clean_inline(msg.get("info") or msg.text or "")
                if info:
                    parts.ed_notes.append(info)
            holder = docdata.find("doc.copyright")
            if holder is not None and not parts.regsrc:
                parts.agency = agency_name(holder.get("holder"))
            evloc = docdata.find("evloc")
            if evloc is not None:
                parts.located = nice_place(evloc.get("city") or evloc.get("state-prov") or evloc.get("iso-cc"))
            for kw in docdata.iter("keyword"):
                key = clean_inline(kw.get("key") or kw.text or "")
                if key and key not in parts.keywords:
                    parts.keywords.append(key)
        for subj in head.iter("tobject.subject"):
            ipr = (subj.get("tobject.subject.ipr") or "").strip()
            code = subject_code(
                subj.get("tobject.subject.refnum", "").removeprefix("IPTC:"),
                None if ipr.upper() in ("", "IPTC") else ipr,
            )
            if code and code not in parts.subjects:
                parts.subjects.append(code)
                name = clean_inline(
                    subj.get("tobject.subject.detail")
                    or subj.get("tobject.subject.matter")
                    or subj.get("tobject.subject.type")
                    or ""
                ) or subject_name(code)
                if name:
                    parts.subject_names[code] = name
        pubdata = head.find("pubdata")
        if pubdata is not None and parts.issued is None:
            parts.issued = parse_datetime(pubdata.get("date.publication"))
        if parts.title is None:
            parts.title = _text(head.find("title"))
        for meta in head.iter("meta"):
            if (meta.get("name") or "").lower() in ("slug", "slugline", "keyword") and not parts.slug:
                parts.slug = clean_inline(meta.get("content") or "") or None
    body = nitf if nitf.tag == "body" else nitf.find("body")
    if body is None:
        return parts
    body_head = body.find("body.head")
    if body_head is not None:
        hl1 = body_head.find("hedline/hl1")
        parts.title = _text(hl1) or parts.title
        parts.subtitle = _text(body_head.find("hedline/hl2"))
        names: list[str] = []
        for byline in body_head.iter("byline"):
            title_el = byline.find("byttl")
            if title_el is not None and parts.byline_title is None:
                parts.byline_title = _text(title_el)
            pieces = [byline.text or ""]
            for child in byline:
                if child.tag != "byttl":
                    pieces.append(" ".join(child.itertext()))
                pieces.append(child.tail or "")
            name = normalise_byline(" ".join(pieces))
            if name and name not in names:
                names.append(name)
        if names:
            parts.byline = " and ".join(names)
        dateline = body_head.find("dateline")
        if dateline is not None:
            pieces = [dateline.text or ""]
            for child in dateline:
                if child.tag != "story.date":
                    pieces.append(" ".join(child.itertext()))
                pieces.append(child.tail or "")
            parts.dateline = clean_inline(" ".join(pieces)) or None
            loc = dateline.find(".//location")
            city = dateline.find(".//city")
            parts.located = nice_place(_text(city) or _text(loc)) or parts.located
            if parts.located is None and parts.dateline:
                parts.located = nice_place(parts.dateline.split(",")[0])
            story_date = dateline.find("story.date")
            if story_date is not None and parts.issued is None:
                parts.issued = parse_datetime(story_date.get("norm"))
        distributor = _text(body_head.find("distributor"))
        if distributor and not parts.agency:
            parts.agency = agency_name(distributor)
        abstract = body_head.find("abstract")
        if abstract is not None:
            parts.abstract = "\n\n".join(block_paragraphs(abstract)) or None
        for note in body_head.iter("note"):
            text = _text(note)
            if text:
                parts.ed_notes.append(text)
    content = body.find("body.content")
    if content is not None:
        parts.paragraphs = block_paragraphs(content)
        for note in content.iter("note"):
            text = _text(note)
            if text:
                parts.ed_notes.append(text)
    body_end = body.find("body.end")
    if body_end is not None:
        parts.tagline = _text(body_end) or None
    if parts.regsrc:
        parts.agency = agency_name(parts.regsrc)
    return parts


def _find_nitf(root: etree._Element) -> etree._Element | None:
    if root.tag == "nitf":
        return root
    return root.find(".//nitf")


def story_from_nitf(parts: NitfParts, source_uri: str, *, part: int = 0) -> Story:
    """A Story of a standalone NITF document."""
    warnings: list[str] = []
    agency = parts.agency
    published = parts.issued or parts.released
    embargo = None
    if parts.released and (parts.embargoed or (parts.issued and parts.released > parts.issued)):
        embargo = parts.released
    meta: dict[str, object] = {}
    if parts.version is None:
        meta["version_stated"] = False
    if parts.subtitle and parts.subtitle != parts.title:
        meta["subtitle"] = parts.subtitle
    if parts.abstract:
        meta["summary"] = parts.abstract
    if parts.tagline:
        meta["tagline"] = parts.tagline
    if parts.byline_title:
        meta["byline_title"] = parts.byline_title
    if parts.subject_names:
        meta["subject_names"] = parts.subject_names
    if parts.ed_notes:
        meta["ed_notes"] = list(parts.ed_notes)
    if parts.entities:
        meta[AGENCY_ACTORS] = parts.entities
    if embargo is None and parts.embargoed:
        warnings.append("management-status is embargoed but no release time is given")
    return assemble(
        source_uri=source_uri,
        source_kind="nitf",
        paragraphs=parts.paragraphs,
        title=parts.title,
        byline=parts.byline,
        dateline=parts.dateline,
        located=parts.located,
        agency=agency,
        published_at=published,
        guid=parts.doc_id,
        version=parts.version or 1,
        pub_status=parts.status or "usable",
        embargoed_until=embargo,
        urgency=parts.urgency,
        slugline=parts.slug,
        language=parts.language,
        subjects=parts.subjects,
        keywords=parts.keywords,
        part=part,
        meta=meta,
        warnings=warnings,
    )


def read_nitf(data: bytes, source_uri: str) -> list[Story]:
    """Stories of a NITF 3.x document (one per `<nitf>` element; normally one)."""
    warnings: list[str] = []
    root = parse_xml(data, source_uri, warnings)
    nitfs = [root] if root.tag == "nitf" else list(root.iter("nitf"))
    if not nitfs:
        found = _find_nitf(root)
        if found is None:
            raise BadInput(f"{source_uri}: no <nitf> element in the document (root <{root.tag}>)")
        nitfs = [found]
    stories = []
    for index, el in enumerate(nitfs):
        story = story_from_nitf(nitf_parts(el), source_uri, part=index)
        story.warnings[:0] = warnings
        stories.append(story)
    if not stories:
        raise NotAStory(f"{source_uri}: NITF document holds no story")
    return stories
