"""Agency wire formats, chosen by content (never by file extension).

`sniff_agency(data)` names the format of a source's bytes, or returns None when the bytes are not
an agency item (the caller then tries plain text, HTML or feeds). `read_agency(data, source_uri)`
returns the stories of a sniffed source (several for a newsMessage or a multi-message wire file,
numbered by `Story.part`) and raises `BadInput` / `UnsafeInput` for input it cannot or will not read.

Formats: NewsML-G2 ("newsml-g2"), NITF 3.x ("nitf"), ninjs 1.x-3.0 ("ninjs"), NewsML 1.x as sent
by AFP ("afp-newsml"), AP ANPA-1312 ("anpa"), IPTC 7901 ("iptc7901"). XML that declares entities
is sniffed as "unsafe-xml" whatever its root, so that it is refused here rather than parsed by a
more trusting reader.

Modules: one reader per format (`newsml_g2`, `nitf`, `ninjs`, `afp_newsml`, `anpa`, `iptc7901`), `story`
(the shared last step: what a reader found -> one clean `Story`), `common` (markup to paragraphs, trailers,
language, ids and subjects), `entities` (the people, organisations and places an item's metadata names),
`safexml` (XML parsing without network, DTDs or entity expansion). Datelines, date stamps and agency names
are read with the shared rules of `extractors.datelines`, `extractors.dates` and `extractors.agencies`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from ..errors import BadInput
from ..records import Story
from .afp_newsml import read_afp_newsml
from .anpa import read_anpa
from .iptc7901 import HEADER as _IPTC7901_HEADER
from .iptc7901 import read_iptc7901
from .newsml_g2 import G2_ROOTS, read_newsml_g2
from .ninjs import looks_like_ninjs, read_ninjs
from .nitf import read_nitf
from .safexml import check_xml_safe, declares_entities, root_local_name, xml_head_text

__all__ = ["AGENCY_FORMATS", "read_agency", "sniff_agency"]

AGENCY_FORMATS = ("newsml-g2", "nitf", "ninjs", "afp-newsml", "anpa", "iptc7901")

_READERS: dict[str, Callable[[bytes, str], list[Story]]] = {
    "newsml-g2": read_newsml_g2,
    "nitf": read_nitf,
    "ninjs": read_ninjs,
    "afp-newsml": read_afp_newsml,
    "anpa": read_anpa,
    "iptc7901": read_iptc7901,
}
_XML_ROOTS = {
    **{name: "newsml-g2" for name in G2_ROOTS},
    "nitf": "nitf",
    "NewsML": "afp-newsml",
}
_WIRE_CONTROLS = frozenset("\x01\x02\x03\x04\x16")
# JSON documents larger than this are not parsed just to sniff them (ninjs items are small).
_MAX_JSON_SNIFF = 8 * 1024 * 1024


def _sniff_wire_text(data: bytes) -> str | None:
    """"anpa" / "iptc7901" for plain wire text framed by SOH/STX control characters."""
    head = data[:4096]
    if b"\x00" in head:
        return None
    text = head.decode("latin-1")
    start = text.lstrip("\x16\r\n ")
    if start[:1] not in ("\x01", "\x02"):
        return None
    if not any(ch in text for ch in "\x02\x03"):
        return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > max(12, len(text) // 20):
        return None  # binary, not wire text
    header = re.split(r"[\r\n\x02]", start.lstrip("\x01"), maxsplit=1)[0]
    header = re.sub(r"[\x00-\x1f\x7f]", " ", header)
    if _IPTC7901_HEADER.match(header):
        return "iptc7901"
    return "anpa"


# ANPA whose control characters were stripped in transit: a keyword line ("r d BC-US--Slug 08-29 0590")
# in the first lines, then "^" top-matter lines.
_BARE_ANPA_KEYWORD = re.compile(r"^[a-z] [a-z]\s+[A-Za-z]{1,3}-\S.*?\s\d{1,2}-\d{1,2}(?:\s+\d{1,5})?\s*$")


def _sniff_bare_anpa(data: bytes) -> bool:
    head = data[:2048]
    if b"\x00" in head:
        return False
    lines = head.decode("latin-1").splitlines()
    keyword = [i for i, line in enumerate(lines[:3]) if _BARE_ANPA_KEYWORD.match(line.strip())]
    return bool(keyword) and any(line.startswith("^") for line in lines[keyword[0] + 1 : keyword[0] + 4])


def _sniff_bare_iptc7901(data: bytes) -> bool:
    """IPTC 7901 whose control characters were stripped: the header line first, then a headline
    line ending in "=" within the next lines."""
    head = data[:2048]
    if b"\x00" in head:
        return False
    lines = head.decode("latin-1").splitlines()
    if not lines or not _IPTC7901_HEADER.match(lines[0].strip()):
        return False
    return any(line.rstrip().endswith("=") for line in lines[1:12])


def sniff_agency(data: bytes) -> str | None:
    """Name of the agency format of `data` (see `AGENCY_FORMATS`), "unsafe-xml" for XML declaring
    entities, or None when the bytes are not an agency item."""
    if not data:
        return None
    wire = _sniff_wire_text(data) if _WIRE_CONTROLS.intersection(data[:64].decode("latin-1")) else None
    if wire:
        return wire
    if _sniff_bare_anpa(data):
        return "anpa"
    if _sniff_bare_iptc7901(data):
        return "iptc7901"
    head = xml_head_text(data, 4096).lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        if declares_entities(data):
            return "unsafe-xml"
        root = root_local_name(xml_head_text(data))
        return _XML_ROOTS.get(root) if root else None
    if head.startswith(("{", "[")) and len(data) <= _MAX_JSON_SNIFF:
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return None  # not JSON, or nested too deeply to be a news item
        return "ninjs" if looks_like_ninjs(doc) else None
    return None


def read_agency(data: bytes, source_uri: str) -> list[Story]:
    """Stories of an agency source (format sniffed from the bytes)."""
    kind = sniff_agency(data)
    if kind == "unsafe-xml":
        check_xml_safe(data, source_uri)  # raises UnsafeInput
    if kind is None or kind not in _READERS:
        raise BadInput(f"{source_uri}: not an agency wire format (NewsML-G2, NITF, ninjs, NewsML 1, ANPA, IPTC 7901)")
    stories = _READERS[kind](data, source_uri)
    for index, story in enumerate(stories):
        story.part = index
    return stories
