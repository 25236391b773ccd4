"""Safe XML parsing for agency items: no network, no DTD loading, no entity expansion.

Agency files come from outside, so a document that declares entities in its DOCTYPE (the
"billion laughs" and external-entity attacks) is refused with `UnsafeInput` before any parser
sees it, and the parser itself is configured never to resolve entities or fetch anything.
Namespaces are stripped after parsing so that readers can use plain local names.

Why not defusedxml: its lxml support is deprecated, and what it guards against is done here with lxml's
own parser switches (`resolve_entities=False`, `no_network=True`, no DTD loading) plus the DOCTYPE
check above, so wire does not depend on it.
"""

from __future__ import annotations

import codecs
import html.entities
import re

from lxml import etree

from ..charset import reconcile_xml
from ..errors import BadInput, UnsafeInput

__all__ = ["check_xml_safe", "declares_entities", "parse_xml", "root_local_name", "xml_head_text"]

# Look at this much of a document to find its prolog and root element.
_HEAD_BYTES = 65536

_ENCODING_DECL = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_SYSTEM_OR_PUBLIC = re.compile(r"\b(SYSTEM|PUBLIC)\b")
# Root element start: skip the declaration, comments, processing instructions and the DOCTYPE.
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")
_PROLOG_JUNK = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*", re.DOTALL | re.IGNORECASE
)
_NAMED_REF = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _guess_encoding(data: bytes) -> tuple[str, int]:
    """Encoding of an XML document and the length of its byte-order mark."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    if data[:4] == b"<\x00?\x00":
        return "utf-16-le", 0
    if data[:4] == b"\x00<\x00?":
        return "utf-16-be", 0
    match = _ENCODING_DECL.match(data.lstrip()[:200])
    if match:
        name = match.group(1).decode("ascii").lower()
        try:
            codecs.lookup(name)
        except LookupError:
            return "utf-8", 0
        return name, 0
    return "utf-8", 0


def xml_head_text(data: bytes, limit: int = _HEAD_BYTES) -> str:
    """The first `limit` bytes of a document decoded with its own encoding (errors replaced)."""
    encoding, skip = _guess_encoding(data)
    return data[skip : skip + limit].decode(encoding, errors="replace")


def root_local_name(head: str) -> str | None:
    """Local name of the root element of an XML text, or None when it does not start like XML."""
    text = head.lstrip("\ufeff")
    if not text.lstrip().startswith("<"):
        return None
    rest = text[_PROLOG_JUNK.match(text).end() :]  # type: ignore[union-attr]
    match = _ROOT.match(rest)
    return match.group(2) if match else None


def declares_entities(data: bytes) -> bool:
    """True when the document's prolog declares entities (internal or external) in a DOCTYPE."""
    head = xml_head_text(data)
    doctype = _DOCTYPE.search(head)
    if doctype is None:
        return False
    return _ENTITY_DECL.search(head, doctype.start()) is not None


def check_xml_safe(data: bytes, source_uri: str) -> None:
    """Raise `UnsafeInput` when the document declares entities in a DOCTYPE.

    A plain external DTD reference (`<!DOCTYPE nitf SYSTEM "nitf.dtd">`) is allowed: it is never
    loaded. Any `<!ENTITY` declaration, internal or external, general or parameter, is refused,
    which covers entity-expansion bombs and external-entity (XXE) reads.
    """
    if declares_entities(data):
        raise UnsafeInput(
            f"{source_uri}: XML declares entities in its DOCTYPE (entity expansion / external "
            "entities are refused)"
        )
    # Entity declarations later than the scanned head: look at the whole prolog once.
    if len(data) > _HEAD_BYTES:
        encoding, skip = _guess_encoding(data)
        text = data[skip:].decode(encoding, errors="replace")
        doctype = _DOCTYPE.search(text)
        if doctype is not None:
            end = text.find("]>", doctype.start())
            prolog = text[doctype.start() : end if end >= 0 else len(text)]
            if _ENTITY_DECL.search(prolog):
                raise UnsafeInput(
                    f"{source_uri}: XML declares entities in its DOCTYPE (entity expansion / external "
                    "entities are refused)"
                )


_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[0-9a-fA-F]+);)")


def _repair_references(text: str) -> str:
    """Make common agency slips well-formed: HTML named entities (`&nbsp;`) become numeric
    references, unknown named references are dropped, and a bare `&` ("AT&T") is escaped."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_PREDEFINED:
            return match.group(0)
        value = html.entities.html5.get(name + ";")
        if value is None:
            return ""
        return "".join(f"&#{ord(ch)};" for ch in value)

    return _BARE_AMP.sub("&amp;", _NAMED_REF.sub(repl, text))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )


def _strip_namespaces(root: etree._Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{"):
            el.tag = etree.QName(el).localname
        for key in list(el.attrib):
            if key.startswith("{") and not key.startswith("{http://www.w3.org/XML/1998/namespace}"):
                value = el.attrib.pop(key)
                local = etree.QName(key).localname
                if local not in el.attrib:
                    el.attrib[local] = value
    etree.cleanup_namespaces(root)


def _check_tree(tree: etree._Element, source_uri: str) -> None:
    """Refuse declared entities; resolve leftover undeclared references to plain characters."""
    docinfo = tree.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeInput(f"{source_uri}: XML declares entities in its DOCTYPE (refused)")
    # Entities were refused above, so any entity reference left is undeclared (a document citing an
    # external DTD that is never loaded): put in the HTML character it names, or drop it.
    refs = [el for el in tree.iter() if el.tag is etree.Entity]
    for ref in refs:
        name = (ref.text or "").strip("&;")
        value = html.entities.html5.get(name + ";", "") + (ref.tail or "")
        parent = ref.getparent()
        if parent is None:
            continue
        previous = ref.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + value
        else:
            parent.text = (parent.text or "") + value
        parent.remove(ref)


def parse_xml(data: bytes, source_uri: str, warnings: list[str] | None = None) -> etree._Element:
    """Parse untrusted XML safely and return its root with namespaces stripped from tags.

    Raises `UnsafeInput` for entity declarations and `BadInput` for input that is not well-formed
    XML (a truncated or mangled item is refused, not half read). The only repairs are to character
    references (an HTML entity such as `&nbsp;`, an unknown `&name;`, a bare `&`), noted in `warnings`,
    and to a declared encoding the bytes contradict (UTF-8 declared as iso-8859-1): the bytes win.
    """
    data, lie = reconcile_xml(data)
    if lie and warnings is not None:
        warnings.append(f"{source_uri}: {lie}")
    check_xml_safe(data, source_uri)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        first_error = str(exc)
        encoding, skip = _guess_encoding(data)
        text = data[skip:].decode(encoding, errors="replace")
        repaired = _repair_references(text)
        if repaired == text:
            raise BadInput(f"{source_uri}: not well-formed XML: {first_error}") from exc
        fixed = re.sub(r"^\s*<\?xml[^>]*\?>", "", repaired).encode("utf-8")
        try:
            root = etree.fromstring(fixed, _parser())
        except etree.XMLSyntaxError as again:
            raise BadInput(f"{source_uri}: not well-formed XML: {first_error}") from again
        if warnings is not None:
            warnings.append(f"XML had undefined or unescaped entity references, repaired: {first_error}")
    if root is None:
        raise BadInput(f"{source_uri}: empty XML document")
    _check_tree(root, source_uri)
    _strip_namespaces(root)
    return root
