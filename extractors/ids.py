"""Stable content ids: short hex digests of canonical fields.

The same input always gives the same id, so every load is idempotent.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

__all__ = ["actor_id", "body_hash", "normalise_body", "normalise_name", "sha256_text", "stable_id"]

_SEP = "\x1f"


def stable_id(*parts: object, length: int = 16) -> str:
    """Hex digest of the parts joined by a unit separator (None becomes the empty string)."""
    joined = _SEP.join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_POSSESSIVE = re.compile(r"'s\b")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for matching and ids."""
    return _normalise_name(name)


# The extractors normalise the same few names over and over (every mention, alias and title of a story,
# the gazetteers), so results are cached; the function is pure.
@functools.lru_cache(maxsize=65536)
def _normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("\u2019", "'")
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub(" ", text)
    return " ".join(text.split())


def actor_id(name: str, kind: str) -> str:
    """Canonical id of an actor across stories: kind + normalised name."""
    return _actor_id(name, kind)


@functools.lru_cache(maxsize=65536)
def _actor_id(name: str, kind: str) -> str:
    return stable_id("actor", kind, normalise_name(name))


_WS = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")


def normalise_body(body: str) -> str:
    """Body text folded for exact-duplicate detection: case, accents, punctuation, whitespace."""
    text = unicodedata.normalize("NFKC", body).casefold()
    text = _PUNCT.sub(" ", text)
    return _WS.sub(" ", text).strip()


def body_hash(body: str) -> str:
    """sha256 of the normalised body: equal for copies that differ only in spacing/punctuation."""
    return sha256_text(normalise_body(body))
