"""Text clean-up shared by every reader: decoding, paragraphs, bylines."""

from __future__ import annotations

import re
import unicodedata

from .errors import NotAStory

__all__ = ["clean_inline", "decode_bytes", "looks_binary", "normalise_byline", "split_paragraphs"]

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
    return text, warnings


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, stripped, empty ones dropped."""
    text = _CONTROL.sub("", text)
    return [p.strip() for p in _PARA_SPLIT.split(text) if p.strip()]


def clean_inline(text: str) -> str:
    """NFC, no control characters, single spaces."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    return " ".join(text.split())


_SHOUTED = re.compile(r"[A-Z]{3,}")
_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "al", "el", "bin", "ibn", "and"}


def _cap_word(word: str, first: bool) -> str:
    if not word:
        return word
    if "-" in word:
        return "-".join(_cap_word(w, first and i == 0) for i, w in enumerate(word.split("-")))
    low = word.lower()
    if not first and low in _PARTICLES:
        return low
    if low.startswith(("mc",)) and len(low) > 2:
        return "Mc" + low[2:].capitalize()
    if "'" in low and len(low) > 2 and low.index("'") == 1:
        return low[0].upper() + "'" + low[2:].capitalize()
    return low[0].upper() + low[1:]


def normalise_byline(raw: str) -> str:
    """'Claire LEE' -> 'Claire Lee'; 'CHARLES ODUM' -> 'Charles Odum'; keeps 'and' joins."""
    name = clean_inline(raw)
    name = re.sub(r"^(?:By|BY|by)\s+", "", name)
    name = re.split(r"\s+(?:with|in)\s+[A-Z]", name)[0]
    name = name.strip(" ,;=<")
    words = name.split()
    out = []
    for i, w in enumerate(words):
        core = w.strip(",")
        shouted = core.isupper() or core.islower() or _SHOUTED.search(core)
        fixed = _cap_word(core, i == 0) if shouted else core
        out.append(fixed + ("," if w.endswith(",") else ""))
    return " ".join(out)
