"""When a declared charset and the bytes disagree, the bytes win.

Agency and feed files often declare one encoding and carry another: an AFP NewsML file whose XML
declaration says iso-8859-1 while its bytes are UTF-8 reads "Décès" as "DÃ©cÃ¨s"; a file declared UTF-8
may hold Windows-1252 bytes. UTF-8 is self-checking (Latin-1 text with accents is almost never valid
UTF-8), so valid multi-byte UTF-8 wins over any 8-bit declaration; bytes that a declared UTF-8 cannot
decode are given to charset_normalizer. Either way a warning names the lie.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["declared_xml_encoding", "html_declared_charset", "reconcile_xml", "sniff_8bit", "true_encoding"]

_XML_DECL = re.compile(rb"""\A(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])""")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._-]+)""", re.IGNORECASE)
_UTF8_NAMES = {"utf-8", "utf8", "utf_8"}


def _canonical(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_xml_encoding(data: bytes) -> str | None:
    """The encoding named by the XML declaration, as written (None when there is none)."""
    match = _XML_DECL.match(data[:300])
    return match.group(2).decode("ascii") if match else None


def html_declared_charset(data: bytes) -> str | None:
    """The charset of an HTML page's `<meta charset>` or `http-equiv` content type, as written."""
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii") if match else None


def _is_multibyte_utf8(data: bytes) -> bool:
    """Valid UTF-8 with at least one non-ASCII character (pure ASCII reads the same in any 8-bit code)."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_8bit(data: bytes) -> str:
    """charset_normalizer's best encoding for bytes that are not UTF-8 (cp1252 when it has no opinion)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=None).best()
    name = best.encoding if best is not None else "cp1252"
    return _canonical(name) or "cp1252"


def true_encoding(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """The encoding the bytes are in, and a warning when it is not the declared one.

    Valid multi-byte UTF-8 is UTF-8 whatever is declared; bytes declared UTF-8 that are not valid UTF-8
    are sniffed by charset_normalizer. A declared encoding the bytes do not contradict is kept.
    """
    canon = _canonical(declared) if declared else None
    if declared and canon is None:
        enc = "utf-8" if _is_multibyte_utf8(data) or data.isascii() else sniff_8bit(data)
        return enc, f"declared charset {declared!r} is unknown; the bytes read as {enc}"
    if canon is None or canon == "utf-8":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            enc = sniff_8bit(data)
            what = f"declared {declared!r}" if declared else "no charset declared"
            return enc, f"{what} but the bytes are not valid UTF-8 (byte {exc.start}); read as {enc}"
        return "utf-8", None
    if canon.startswith("utf-16") or canon.startswith("utf-32"):
        return canon, None
    if _is_multibyte_utf8(data):
        return "utf-8", f"declared charset {declared!r} but the bytes are valid UTF-8; read as UTF-8"
    return canon, None


def reconcile_xml(data: bytes) -> tuple[bytes, str | None]:
    """XML bytes whose declaration names the encoding the bytes are really in (re-encoded as UTF-8 when
    they disagree), and the warning noting the lie; unchanged bytes and None when they agree."""
    declared = declared_xml_encoding(data)
    if declared is None or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data, None
    enc, warning = true_encoding(data, declared)
    if warning is None:
        return data, None
    text = data.decode(enc, errors="replace")
    fixed = _XML_DECL.sub(lambda m: m.group(1) + b"utf-8" + m.group(3), text.encode("utf-8"), count=1)
    return fixed, warning
