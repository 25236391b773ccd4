"""Rows derive from the table contract (#17.3): every stored column of a record table is a field of its
record or marked derived, and every derived column is one `warehouse.rows` fills (or the loader keeps)."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import extractors.records as records
from extractors.records import Actor, Extraction, Mention, Number, Quote, Story
from warehouse.rows import extraction_rows, item_row
from warehouse.tables import RECORD_TABLES, table

LOADER_KEEPS = {("items", "is_head")}  # derived columns the loader sets, not warehouse.rows


def test_every_stored_column_is_a_record_field_or_derived() -> None:
    for name, record in RECORD_TABLES.items():
        fields = {f.name for f in dataclasses.fields(getattr(records, record))}
        stored = {c.name for c in table(name).columns if not c.derived}
        assert stored <= fields, f"{name}: columns {sorted(stored - fields)} are no field of {record}"


def test_rows_fill_every_column() -> None:
    story = Story(source_uri="a.txt", source_kind="text", body="Body text.", title="T", subjects=["x"],
                  published_at=datetime(2026, 1, 2), meta={"k": 1})
    row = item_row(story, item_id="i", story_id="s", run_id="r")
    assert set(row) == {c.name for c in table("items").columns} - {c for t, c in LOADER_KEEPS if t == "items"}
    assert row["title"] == "T" and row["subjects"] == ["x"] and row["subjects"] is not story.subjects
    assert row["meta"] == '{"k": 1}' and row["word_count"] == 2
    ex = Extraction(actors=[Actor(actor_id="a1", name="Ana Costa", kind="person", titles=["mayor"])],
                    mentions=[Mention(actor_id="a1", text="Costa", kind="person", start=0, end=5)],
                    quotes=[Quote(text="We will", kind="direct", start=10, end=17, speaker="Ana Costa")],
                    numbers=[Number(text="300 jobs", value=300.0, start=20, end=28, counted="jobs")])
    facts = extraction_rows("i", ex)
    for name, rows in facts.items():
        assert len(rows) == 1 and set(rows[0]) == set(table(name).column_names()), name
    assert facts["actors"][0]["titles"] == ["mayor"] and facts["numbers"][0]["counted"] == "jobs"
    assert facts["mentions"][0]["mention_id"] == extraction_rows("i", ex)["mentions"][0]["mention_id"]
