"""Choose a reader by content, not by file name, and turn a source's bytes into stories."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from .clean import decode_bytes, looks_binary
from .errors import BadInput, NotAStory
from .gaps import fill_gaps
from .html import looks_like_html, read_html
from .lang import settle_language
from .records import Story
from .text import read_text

__all__ = ["MAX_SOURCE_BYTES", "read_bytes"]

# A story file larger than this is not a story (a 200 MB text file is refused, not parsed).
MAX_SOURCE_BYTES = 20 * 1024 * 1024

Sniffer = Callable[[bytes], "str | None"]
Reader = Callable[[bytes, str], list[Story]]


def _optional(module: str, sniff: str, read: str) -> tuple[Sniffer, Reader] | None:
    """Readers of other source kinds live in their own modules; absent ones are skipped."""
    try:
        mod = importlib.import_module(f"{__package__}.{module}")
    except ModuleNotFoundError:
        return None
    if not hasattr(mod, sniff) or not hasattr(mod, read):
        return None
    return cast(Sniffer, getattr(mod, sniff)), cast(Reader, getattr(mod, read))


def _structured_readers() -> list[tuple[Sniffer, Reader]]:
    found = [
        _optional("agency", "sniff_agency", "read_agency"),
        _optional("feeds", "sniff_feed", "read_feed"),
    ]
    return [r for r in found if r is not None]


def read_bytes(data: bytes, source_uri: str, *, max_bytes: int = MAX_SOURCE_BYTES) -> list[Story]:
    """All stories held by one source (one for a story file, several for a feed or newsMessage).

    Raises `NotAStory` for empty, binary or oversized input and `BadInput` for input that cannot be read;
    every message names `source_uri`.
    """
    if len(data) > max_bytes:
        raise NotAStory(f"{source_uri}: {len(data):,} bytes is larger than the {max_bytes:,}-byte limit "
                        "for one source")
    if not data.strip():
        raise NotAStory(f"{source_uri}: empty file")
    for sniff, read in _structured_readers():
        try:
            if sniff(data):
                return [settle_language(fill_gaps(s)) for s in read(data, source_uri)]
        except RecursionError as exc:  # e.g. JSON nested 100,000 deep: the json module gives up
            raise BadInput(f"{source_uri}: structure nested too deeply to read") from exc
    if looks_binary(data):
        raise NotAStory(f"{source_uri}: binary file, not a story")
    text, warnings = decode_bytes(data, source_uri)
    try:
        story = read_html(text, source_uri) if looks_like_html(text) else read_text(text, source_uri)
    except RecursionError as exc:
        raise BadInput(f"{source_uri}: markup nested too deeply to read") from exc
    story.warnings.extend(warnings)
    return [settle_language(fill_gaps(story))]
