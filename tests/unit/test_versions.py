"""Versions of one story and the `latest_items` view: newest usable version, kills hidden, nothing deleted."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from extractors.records import Story
from flows.pipeline import prepare
from warehouse import Batch, reader, writer
from warehouse.load import load_batch
from warehouse.rows import utcnow

V1 = (
    "Fire crews were called to a warehouse blaze on the edge of Harlow Vale early on Sunday, the county "
    "fire service said. Smoke could be seen from the motorway and residents were told to keep windows shut."
)
V2 = V1 + (
    " By the afternoon the fire was under control. The cause is not yet known and an investigation has been "
    "opened by the county fire service and the police."
)
V3 = V2 + " Nobody was hurt, the service said in a later statement, and the road has reopened."
OTHER = (
    "The town's annual cheese market drew large crowds to the square on Saturday, with stalls selling "
    "hard and soft cheeses from farms across the region and a brass band playing through the afternoon."
)


def _story(body: str, *, guid: str | None = "urn:wire:fire", uri: str = "wire.xml", **kw: Any) -> Story:
    return Story(source_uri=uri, source_kind="ninjs", body=body, title="Warehouse fire", guid=guid, **kw)


def _load(db: str, *stories: Story) -> None:
    for story in stories:  # one batch per story: arrival order is version order
        prepared = prepare([story], db=db, run_id="t")
        with writer(db) as con:
            load_batch(con, Batch(items=prepared.items))


def _latest(db: str) -> list[tuple[Any, ...]]:
    with reader(db) as con:
        return con.execute("SELECT guid, version, body FROM latest_items ORDER BY guid").fetchall()


def _count(db: str) -> int:
    with reader(db) as con:
        row = con.execute("SELECT count(*) FROM items").fetchone()
    return int(row[0]) if row else 0


def test_versions_increase_and_latest_shows_newest(db: str) -> None:
    _load(db, _story(V1), _story(V2), _story(V3))
    with reader(db) as con:
        rows = con.execute("SELECT version, count(DISTINCT story_id) OVER () FROM items ORDER BY version").fetchall()
    assert rows == [(1, 1), (2, 1), (3, 1)]
    assert _latest(db) == [("urn:wire:fire", 3, V3)]


def test_agency_version_numbers_order_versions_not_arrival(db: str) -> None:
    _load(db, _story(V2, version=2), _story(V1, version=1))
    assert _latest(db) == [("urn:wire:fire", 2, V2)]


def test_slug_chain_links_items_with_different_guids(db: str) -> None:
    key = {"story_key": "agency:FIRE-HARLOW"}
    _load(db, _story(V1, guid="urn:a:1", meta=dict(key)), _story(V2, guid="urn:a:2", meta=dict(key)))
    latest = _latest(db)
    assert [(g, v) for g, v, _ in latest] == [("urn:a:2", 2)]


def test_kill_hides_story_for_good_and_deletes_nothing(db: str) -> None:
    _load(db, _story(V1), _story(V2), _story("Kill this story: legal reasons.", pub_status="canceled"),
          _story(V3))
    assert _latest(db) == []
    assert _count(db) == 4


def test_withheld_hides_until_a_later_usable_version(db: str) -> None:
    _load(db, _story(V1), _story(V2, pub_status="withheld"))
    assert _latest(db) == []  # not the stale V1
    _load(db, _story(V3))
    assert _latest(db) == [("urn:wire:fire", 3, V3)]


def test_embargoed_version_waits(db: str) -> None:
    later: datetime = utcnow() + timedelta(days=1)
    _load(db, _story(V1), _story(V2, embargoed_until=later))
    assert _latest(db) == [("urn:wire:fire", 1, V1)]


def test_duplicates_hidden_and_newest_version_copying_another_story_hides_stale_version(db: str) -> None:
    _load(db, _story(OTHER, guid="urn:wire:cheese"), _story(OTHER, guid=None, uri="copy.txt"))
    assert [g for g, *_ in _latest(db)] == ["urn:wire:cheese"]
    _load(db, _story(V1), _story(OTHER))  # fire story v2 is a copy of the cheese story's body
    assert [g for g, *_ in _latest(db)] == ["urn:wire:cheese"]
    _load(db, _story(V3))
    assert [(g, v) for g, v, _ in _latest(db)] == [("urn:wire:cheese", 1), ("urn:wire:fire", 3)]
    assert _count(db) == 5
