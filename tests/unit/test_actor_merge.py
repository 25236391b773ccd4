"""Short forms across stories: "Blair" in a later story joins the stored "Tony Blair", unless ambiguous."""

from __future__ import annotations

from typing import Any

from extractors.identity import item_id, story_id
from extractors.ids import actor_id
from extractors.records import Story
from warehouse import Batch, load_batch, writer
from warehouse.rows import item_row


def _story(uri: str, body: str, people: list[tuple[str, list[str]]]) -> Batch:
    story = Story(source_uri=uri, source_kind="text", body=body)
    row = item_row(story, item_id=item_id(story), story_id=story_id(story), run_id="r")
    row["extracted"] = True
    iid = row["item_id"]
    actors: list[dict[str, Any]] = []
    mentions: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    for n, (name, titles) in enumerate(people):
        aid = actor_id(name, "person")
        actors.append({"item_id": iid, "actor_id": aid, "name": name, "kind": "person", "titles": titles,
                       "aliases": [], "title_orgs": [], "mention_count": 1})
        mentions.append({"item_id": iid, "mention_id": f"m{n}", "actor_id": aid, "text": name, "kind": "person",
                         "start": 0, "end": len(name)})
        quotes.append({"item_id": iid, "quote_id": f"q{n}", "text": "We will win", "kind": "direct",
                       "speaker": name, "speaker_actor_id": aid, "speaker_text": name, "cue": "said",
                       "start": 0, "end": 5})
    return Batch(items=[row], extractions={iid: {"actors": actors, "mentions": mentions, "quotes": quotes,
                                                 "numbers": []}})


def test_short_form_joins_the_stored_full_actor(db: str) -> None:
    tony = actor_id("Tony Blair", "person")
    with writer(db) as con:
        load_batch(con, _story("a.txt", "Prime Minister Tony Blair spoke.", [("Tony Blair", ["Prime Minister"])]))
        load_batch(con, _story("b.txt", "Mr Blair spoke again.", [("Blair", ["Prime Minister"])]))
        ids = con.execute("SELECT DISTINCT actor_id, name FROM actors").fetchall()
        assert ids == [(tony, "Tony Blair")]
        assert con.execute("SELECT aliases FROM actors WHERE item_id IN "
                           "(SELECT item_id FROM items WHERE source_uri = 'b.txt')").fetchone() == (["Blair"],)
        assert {r[0] for r in con.execute("SELECT actor_id FROM mentions").fetchall()} == {tony}
        assert {r for r in con.execute("SELECT speaker, speaker_actor_id FROM quotes").fetchall()} == {
            ("Tony Blair", tony)}


def test_ambiguous_short_form_stays(db: str) -> None:
    with writer(db) as con:
        load_batch(con, _story("a.txt", "Tony Blair and Cherie Blair arrived.",
                               [("Tony Blair", []), ("Cherie Blair", [])]))
        load_batch(con, _story("b.txt", "Blair spoke.", [("Blair", [])]))
        names = sorted(r[0] for r in con.execute("SELECT DISTINCT name FROM actors").fetchall())
    assert names == ["Blair", "Cherie Blair", "Tony Blair"]


def test_surname_goes_to_the_dominant_bearer(db: str) -> None:
    tony = actor_id("Tony Blair", "person")
    with writer(db) as con:
        for n in range(12):
            load_batch(con, _story(f"t{n}.txt", f"Tony Blair spoke, story {n}.", [("Tony Blair", [])]))
        load_batch(con, _story("i.txt", "Sir Ian Blair spoke.", [("Ian Blair", [])]))
        load_batch(con, _story("b.txt", "Blair spoke.", [("Blair", [])]))
        row = con.execute("SELECT actor_id FROM actors WHERE item_id IN "
                          "(SELECT item_id FROM items WHERE source_uri = 'b.txt')").fetchone()
    assert row == (tony,)


def _org_story(uri: str, body: str, names: list[str]) -> Batch:
    batch = _story(uri, body, [])
    iid = batch.items[0]["item_id"]
    batch.extractions[iid]["actors"] = [
        {"item_id": iid, "actor_id": actor_id(n, "org"), "name": n, "kind": "org", "titles": [], "aliases": [],
         "title_orgs": [], "mention_count": 1} for n in names]
    return batch


def test_acronym_joins_the_stored_organisation_with_those_initials(db: str) -> None:
    iaea = actor_id("International Atomic Energy Agency", "org")
    with writer(db) as con:
        load_batch(con, _org_story("a.txt", "The International Atomic Energy Agency and the Bank of England met.",
                                   ["International Atomic Energy Agency", "Bank of England"]))
        load_batch(con, _org_story("b.txt", "The IAEA and the BOE met the FBI.", ["IAEA", "BE", "FBI"]))
        rows = dict(con.execute("SELECT name, actor_id FROM actors WHERE item_id IN "
                                "(SELECT item_id FROM items WHERE source_uri = 'b.txt')").fetchall())
    assert rows["International Atomic Energy Agency"] == iaea  # settled to the stored full name
    assert rows["Bank of England"] == actor_id("Bank of England", "org")
    assert rows["FBI"] == actor_id("FBI", "org")  # no stored organisation with those initials: stays


def test_sql_initials_equal_the_python_initials() -> None:
    import duckdb

    from extractors.actors.initials import initials
    from warehouse.actors import _SQL_INITIALS

    con = duckdb.connect()
    for name in ["International Atomic Energy Agency", "Bank of England", "People's Party", "The Times",
                 "Hamas-run Health Ministry", "Organisation for Economic Co-operation and Development",
                 "Standard & Poor's", "Médecins du Monde", "3M Company", "Agence France-Presse", "(ONS",
                 "Électricité de France", "Office for National Statistics -"]:
        assert con.execute(f"SELECT {_SQL_INITIALS} FROM (SELECT ? AS name)", [name]).fetchone() == (
            initials(name),), name

