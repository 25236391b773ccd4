"""Actors across stories: short forms settled against the actors already stored.

`extract_actors` gives canonical ids within one story ("Tony Blair", then "Blair", is one actor). A story
that only says "Mr Blair" cannot know "Tony"; at load time the warehouse can. Before a batch's facts are
inserted, its one-word people and acronym-only organisations are mapped to the only matching full actor
among the stored ones and the batch's own (`extractors.shared.merge_across_stories`: when several
full names share the word, the one sharing a title word; failing that, a surname goes to the person named
in at least 10 stories and four times as many as all the others bearing it; otherwise the short form stays
as it is), so `GROUP BY actor_id` over many stories counts one person once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import duckdb

from extractors.ids import normalise_name
from extractors.records import Actor
from extractors.shared import acronym_key, initials_sql, merge_across_stories

__all__ = ["settle_short_forms"]

Row = dict[str, Any]

# the initials of a stored organisation's name (extractors.actors.initials.initials, in SQL)
_SQL_INITIALS = initials_sql("name")


def _is_short(row: Row) -> bool:
    words = normalise_name(row["name"] or "").split()
    if row["kind"] == "person":
        return len(words) == 1
    return row["kind"] == "org" and len(words) == 1 and str(row["name"]).replace(".", "").isupper()


def _actor(row: Row) -> Actor:
    return Actor(actor_id=row["actor_id"], name=row["name"], kind=row["kind"], titles=list(row["titles"] or []))


def _dominant(shorts: list[Row], stored: list[Row], mapping: dict[str, str]) -> dict[str, str]:
    """A surname several stored people share goes to the one named in far more stories than all the others
    together ("Blair": Tony Blair in 136 stories, Ian and Cherie Blair in 4): the prior an editor would use."""
    by_surname: dict[str, list[Row]] = {}
    for r in stored:  # each name normalised once (this ran per short form x stored person: quadratic)
        if r["kind"] == "person":
            words = normalise_name(r["name"] or "").split()
            if words:
                by_surname.setdefault(words[-1], []).append(r)
    out: dict[str, str] = {}
    for row in shorts:
        if row["kind"] != "person" or row["actor_id"] in mapping:
            continue
        cands = sorted(by_surname.get(normalise_name(row["name"]), []), key=lambda r: r["stories"], reverse=True)
        if len(cands) < 2:
            continue
        top, rest = cands[0]["stories"], sum(r["stories"] for r in cands[1:])
        if top >= 10 and top >= 4 * rest:
            out[row["actor_id"]] = cands[0]["actor_id"]
    return out


def settle_short_forms(
    con: duckdb.DuckDBPyConnection,
    facts: dict[str, list[Row]],
    *,
    pinned: Mapping[tuple[str, str], tuple[str, str]] | None = None,
    until: datetime | None = None,
) -> int:
    """Rewrite the batch's fact rows in place so short forms carry their full actor's id and name.

    `until` limits the stored actors looked at to those of items ingested at or before it, and `pinned` maps
    (item_id, short actor_id) to the (actor_id, name) that short form was settled to before: both are for
    `wire reextract`, so that re-extracted facts settle as the first load settled them (the same ids for the
    same facts) and new short forms against what a load at that point of the archive would have seen.
    """
    pinned = pinned or {}
    shorts = [r for r in facts["actors"] if _is_short(r)]
    if not shorts:
        return 0
    scope = "" if until is None else " AND item_id IN (SELECT item_id FROM items WHERE ingested_at <= ?)"
    scope_args: list[Any] = [] if until is None else [until]
    words = sorted({normalise_name(r["name"]) for r in shorts if r["kind"] == "person"})
    stored: list[Row] = []
    if words:
        stored += [
            {"actor_id": a, "name": n, "kind": "person", "titles": t, "stories": c}
            for a, n, t, c in con.execute(
                f"""SELECT actor_id, any_value(name), list_distinct(flatten(list(titles))), count(*)
                   FROM actors WHERE kind = 'person' AND name LIKE '% %'
                     AND (lower(split_part(name, ' ', 1)) IN (SELECT unnest(?))
                          OR lower(split_part(name, ' ', -1)) IN (SELECT unnest(?))){scope}
                   GROUP BY actor_id""",
                [words, words, *scope_args],
            ).fetchall()
        ]
    acronyms = sorted({acronym_key(str(r["name"])) for r in shorts if r["kind"] == "org"})
    if acronyms:
        # only the stored organisations whose initials are one of the batch's acronyms (reading all of them
        # made every batch scan the whole actors table); merge_across_stories checks the initials again
        stored += [
            {"actor_id": a, "name": n, "kind": "org", "titles": []}
            for a, n in con.execute(
                f"""SELECT actor_id, any_value(name) FROM actors
                    WHERE kind = 'org' AND name LIKE '% %' AND {_SQL_INITIALS} IN (SELECT unnest(?)){scope}
                    GROUP BY 1""",
                [acronyms, *scope_args],
            ).fetchall()
        ]
    mapping = merge_across_stories([_actor(r) for r in stored] + [_actor(r) for r in facts["actors"]])
    pool: dict[str, Row] = {r["actor_id"]: dict(r) for r in stored}
    for r in facts["actors"]:  # the batch's own stories count too
        if r["kind"] == "person" and " " in (r["name"] or ""):
            pool.setdefault(r["actor_id"], {**r, "stories": 0})["stories"] += 1
    mapping.update(_dominant(shorts, list(pool.values()), mapping))
    short_ids = {r["actor_id"] for r in shorts}
    pins = {k: v for k, v in pinned.items() if k[1] in short_ids}
    if not mapping and all(target == short for (_item, short), (target, _name) in pins.items()):
        return 0

    def settled(item: str, aid: str) -> tuple[str, str | None] | None:
        """(full actor id, its name when pinned) that `aid` goes to in `item`; None when it stays as it is."""
        pin = pins.get((item, aid))
        if pin is not None:
            return None if pin[0] == aid else pin
        target = mapping.get(aid)
        return None if target is None or target == aid else (target, None)

    names = {r["actor_id"]: r["name"] for r in stored}
    names.update({r["actor_id"]: r["name"] for r in facts["actors"] if settled(r["item_id"], r["actor_id"]) is None})
    merged: dict[tuple[str, str], Row] = {}
    moved = 0
    for row in facts["actors"]:
        to = settled(row["item_id"], row["actor_id"])
        if to is not None:
            moved += 1
            alias = row["name"]
            row["actor_id"] = to[0]
            row["aliases"] = sorted({*(row["aliases"] or []), alias})
            row["name"] = to[1] or names.get(to[0], row["name"])
        key = (row["item_id"], row["actor_id"])
        if key in merged:  # the story named the full actor too: one row, counts added
            keep = merged[key]
            keep["mention_count"] = (keep["mention_count"] or 0) + (row["mention_count"] or 0)
            keep["aliases"] = sorted({*(keep["aliases"] or []), *(row["aliases"] or [])})
            keep["titles"] = list(dict.fromkeys([*(keep["titles"] or []), *(row["titles"] or [])]))
        else:
            merged[key] = row
    facts["actors"] = list(merged.values())
    for row in facts["mentions"]:
        to = settled(row["item_id"], row["actor_id"])
        if to is not None:
            row["actor_id"] = to[0]
    for row in facts["quotes"]:
        to = settled(row["item_id"], row["speaker_actor_id"]) if row["speaker_actor_id"] else None
        if to is not None:
            row["speaker_actor_id"] = to[0]
            row["speaker"] = to[1] or names.get(to[0], row["speaker"])
    return moved
