"""Real agency items in ../shared/fixtures/wire against short expectations in tests/golden/wire.

The expectations hold ids, status, times, a headline and the first words of the body, never the
items themselves. Every fixture must have an expectation file and every expectation a fixture.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from extractors.agency import read_agency, sniff_agency
from extractors.records import Story

pytestmark = pytest.mark.corpus

GOLDEN = Path(__file__).resolve().parent / "wire"


def _shared() -> Path:
    env = os.environ.get("WIRE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / ".." / "shared"


FIXTURES = _shared() / "fixtures" / "wire"
EXPECTATIONS = sorted(GOLDEN.glob("*.json"))


def _fixture_bytes(name: str) -> bytes:
    path = FIXTURES / name
    if not path.is_file():
        pytest.skip(f"shared wire fixture {path} is absent (set WIRE_SHARED or check out ../shared)")
    return path.read_bytes()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def test_every_fixture_has_expectations() -> None:
    if not FIXTURES.is_dir():
        pytest.skip(f"shared wire fixtures {FIXTURES} are absent")
    fixtures = {p.name for p in FIXTURES.iterdir() if p.is_file()}
    expected = {p.name.removesuffix(".json") for p in EXPECTATIONS}
    assert fixtures == expected


@pytest.mark.parametrize("golden", EXPECTATIONS, ids=lambda p: p.stem)
def test_fixture_matches_expectations(golden: Path) -> None:
    spec: dict[str, Any] = json.loads(golden.read_text(encoding="utf-8"))
    data = _fixture_bytes(spec["file"])
    # Content, not the name, picks the reader: the same bytes under a neutral name read the same.
    assert sniff_agency(data) == spec["format"]
    stories = read_agency(data, f"drop/{spec['file']}.bin")
    assert len(stories) == len(spec["items"])
    for story, want in zip(stories, spec["items"], strict=True):
        got = {
            "part": story.part,
            "source_kind": story.source_kind,
            "guid": story.guid,
            "guid_derived": bool(story.meta.get("guid_derived")),
            "version": story.version,
            "pub_status": story.pub_status,
            "embargoed_until": _iso(story.embargoed_until),
            "published_at": _iso(story.published_at),
            "agency": story.agency,
            "language": story.language,
            "urgency": story.urgency,
            "title": story.title,
            "byline": story.byline,
            "dateline": story.dateline,
            "located": story.located,
            "slugline": story.slugline,
            "story_key": story.meta.get("story_key"),
        }
        expected = {k: v for k, v in want.items() if k != "body_starts"}
        assert got == expected
        if want["body_starts"]:
            n = len(want["body_starts"].split())
            assert " ".join(story.body.split()[:n]) == want["body_starts"]
        else:
            assert story.body == ""


_MARKUP = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>|&[A-Za-z]+;|&#\d+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TRAILER = re.compile(
    r"AP-WF-\d|\d{6} GMT|not for publication|^Eds?:|can be reached at|^[a-z]{2,4}(?:/[a-z]{2,4})+$|"
    r"^dpa [a-z]{2,4}(?: [a-z]{2,4})*$|^_{3,}$",
    re.MULTILINE | re.IGNORECASE,
)


def _all_stories() -> list[tuple[str, Story]]:
    if not FIXTURES.is_dir():
        pytest.skip(f"shared wire fixtures {FIXTURES} are absent")
    out: list[tuple[str, Story]] = []
    for path in sorted(FIXTURES.iterdir()):
        if path.is_file():
            out.extend((path.name, s) for s in read_agency(path.read_bytes(), str(path)))
    return out


def test_bodies_are_clean_paragraphs() -> None:
    for name, story in _all_stories():
        body = story.body
        assert not _MARKUP.search(body), name
        assert not _CONTROL.search(body), name
        assert not _TRAILER.search(body), (name, _TRAILER.search(body))
        assert body == body.strip(), name
        for para in body.split("\n\n") if body else []:
            assert para and "\n" not in para and para == para.strip(), name
        if story.dateline:
            assert not body.startswith(story.dateline), name


def test_every_item_has_the_fields_the_warehouse_needs() -> None:
    for name, story in _all_stories():
        assert story.guid, name
        assert isinstance(story.version, int) and story.version >= 1, name
        assert story.pub_status in ("usable", "withheld", "canceled"), name
        assert story.title, name
        assert story.source_kind in ("newsml-g2", "nitf", "ninjs", "afp-newsml", "anpa", "iptc7901"), name
        if story.published_at is not None:
            assert story.published_at.tzinfo is None, name
        if story.meta.get("guid_derived"):
            # Derived ids are stable: reading the same bytes again gives the same guid.
            again = [s.guid for s in read_agency((FIXTURES / name).read_bytes(), "elsewhere")]
            assert story.guid in again, name
