"""Text clean-up shared by every reader: decoding, paragraphs, bylines."""

from __future__ import annotations

import codecs
import html
import re
import unicodedata

from .charset import html_declared_charset
from .errors import NotAStory

__all__ = [
    "INITIALS",
    "clean_inline",
    "decode_bytes",
    "looks_binary",
    "normalise_byline",
    "split_paragraphs",
    "strip_controls",
    "title_words",
]

_PARA_SPLIT = re.compile(r"\n[ \t\u00a0]*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: NULs or a high share of control bytes in the first 8 KiB."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 1, 2, 3, 4, 22, 31, 27))
    return controls / len(head) > 0.10


def decode_bytes(data: bytes, source_uri: str) -> tuple[str, list[str]]:
    """Decode as UTF-8, falling back to cp1252 (then latin-1) with a warning naming the file."""
    if not data.strip():
        raise NotAStory(f"{source_uri}: empty file")
    if looks_binary(data):
        raise NotAStory(f"{source_uri}: binary file, not a story")
    warnings: list[str] = []
    enc = "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
            enc = "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            enc = "latin-1"
        warnings.append(f"{source_uri}: not valid UTF-8 (byte {exc.start}); decoded as {enc}")
    declared = html_declared_charset(data)
    if declared and not data.isascii() and _codec(declared) != _codec(enc) \
            and not (enc != "utf-8" and _codec(declared) in {"cp1252", "iso8859-1"}):
        # the page's <meta> charset names another encoding than its bytes are in: the bytes won
        warnings.append(f"{source_uri}: declared charset {declared!r} but the bytes are {enc}; read as {enc}")
    return text, warnings


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, stripped, empty ones dropped."""
    text = _CONTROL.sub("", text)
    return [p.strip() for p in _PARA_SPLIT.split(text) if p.strip()]


_C0_C1 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def strip_controls(text: str) -> str:
    """Remove C0/C1 control characters except tab, newline and carriage return."""
    return _C0_C1.sub("", text)


_LEFTOVER_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def clean_inline(text: str) -> str:
    """One line of clean text: NFC, no control or zero-width characters, single spaces; character
    references left in the text by double escaping ("&amp;#39;" -> "&#39;") are resolved."""
    if "&" in text and _LEFTOVER_ENTITY.search(text):
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", strip_controls(text))
    text = text.replace("\r", " ").replace("\n", " ")
    return _SPACES.sub(" ", text).strip()


INITIALS = re.compile(
    r"^(?:(?:dpa|afp|ap|rtr|reuters|apa|sda|ansa|efe|kna|epd)\s+)?"
    r"(?:[a-z]{2,4}(?:\s+[a-z]{2,4}){0,6}|[a-z]{2,5}(?:-[a-z]{2,5})*(?:\s*/\s*[a-z]{2,5}(?:-[a-z]{2,5})*)+)$"
)
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "al", "el", "bin", "ibn", "and"}
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|von|par|por|di|door|av|af|de)\s+", re.IGNORECASE)
_AGENCY_SUFFIX = re.compile(
    r"\s*(?:,|/|\s-\s)\s*(?:dpa|afp|ap|reuters|ansa|efe|epa|apa|sda|anp|aap|ap\s+\w+\s+writer|"
    r"associated press(?:\s+\w+)*|the associated press)\.?\s*$",
    re.IGNORECASE,
)


def normalise_byline(raw: str | None) -> str | None:
    """"By CHARLES ODUM" -> "Charles Odum"; "Claire LEE" -> "Claire Lee"; "Von Christian Hollmann, dpa" ->
    "Christian Hollmann"; "By JANE DOE in Seoul" -> "Jane Doe"; None for staff initials ("gr/bp")."""
    if not raw:
        return None
    text = clean_inline(raw).strip(" =<>,;")
    text = _BYLINE_PREFIX.sub("", text)
    text = re.split(r"\s+(?:with|in)\s+[A-Z]", text)[0]
    if INITIALS.match(text) or re.fullmatch(r"[A-Z]{2,4}", text):
        return None  # staff initials ("gr/bp", "VRG"), not a name
    for _ in range(2):
        text = _AGENCY_SUFFIX.sub("", text).strip(" ,;")
    if not text:
        return None
    words = [_byline_token(token) for token in text.split()]
    return " ".join(w.lower() if i and w.lower() in _PARTICLES and w != token else w
                    for i, (w, token) in enumerate(zip(words, text.split(), strict=True)))


_CAPS_AFTER_PREFIX = re.compile(r"(Mc|Mac|De|Di|Da|La|Le|Van|Von|O['’])([A-Z]{2,}[A-Z'’-]*)")


def _byline_token(token: str) -> str:
    """Title-case one word of a byline written in capitals ("ODUM" -> "Odum", "McCALL" -> "McCall")."""
    letters = [ch for ch in token if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return title_words(token)
    match = _CAPS_AFTER_PREFIX.fullmatch(token)
    if match:
        return match.group(1) + title_words(match.group(2))
    return token


def title_words(text: str) -> str:
    """Title case for words written in capitals, keeping initials ("U.S") and Mc prefixes."""

    def cap(match: re.Match[str]) -> str:
        word = match.group(0)
        if "." in word and all(len(seg) <= 2 for seg in word.split(".")):
            return word  # initials and abbreviations: "J.R", "D.C", "U.S"
        if word.startswith("MC") and len(word) > 3:
            return "Mc" + word[2:].capitalize()
        return word.capitalize()

    out = re.sub(r"[^\W\d_]+(?:\.[^\W\d_]+)*", cap, text.upper())
    return re.sub(r"(['’])S\b", r"\1s", out)
