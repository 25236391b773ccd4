"""`wire schema`: every table and view documented, and docs/schema.md / the README generated from it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from warehouse.docs import render_markdown, render_text, schema_docs
from warehouse.schema import migrate
from warehouse.tables import TABLES
from warehouse.views import VIEWS

REPO = Path(__file__).resolve().parents[2]
REGENERATE = "regenerate it with `wire schema --markdown > docs/schema.md`"
START, END = "<!-- schema:start -->", "<!-- schema:end -->"


def test_every_table_and_view_with_every_column_is_documented() -> None:
    docs = {d.name: d for d in schema_docs()}
    assert list(docs) == [t.name for t in TABLES] + [v.name for v in VIEWS]
    con = duckdb.connect()
    migrate(con)
    for name, d in docs.items():
        actual = [(r[0], r[1]) for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
        assert [(c.name, c.type.removesuffix(" NOT NULL")) for c in d.columns] == actual, name
        assert d.doc.strip(), name
        undocumented = [c.name for c in d.columns if not c.doc.strip()]
        assert not undocumented, f"{d.kind} {name}: columns without a one-line meaning: {undocumented}"


def test_text_lists_types_and_meanings() -> None:
    text = render_text()
    assert "table items  (key: item_id)" in text
    assert "view quote_board" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("speaker_titles"))
    assert "VARCHAR[]" in line and "Titles and roles" in line
    # latest_items passes item columns through: documented by the items table's own docs
    latest = next(d for d in schema_docs() if d.name == "latest_items")
    assert next(c for c in latest.columns if c.name == "body").doc.startswith("Clean body text")


def test_docs_schema_md_is_generated_from_the_source() -> None:
    path = REPO / "docs" / "schema.md"
    assert path.exists(), f"{path} is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == render_markdown(), f"{path} is out of date: {REGENERATE}"


def test_readme_schema_section_equals_the_generated_text() -> None:
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if START not in text or END not in text:
        pytest.skip("README.md has no schema:start/schema:end markers yet")
    block = text.split(START, 1)[1].split(END, 1)[0]
    assert block.strip() == render_markdown().strip(), (
        "README.md schema section is out of date: paste docs/schema.md between the markers "
        f"({REGENERATE} first)")


def test_cli_schema_prints_text_markdown_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["schema"]) == 0
    assert capsys.readouterr().out == render_text()
    assert main(["schema", "--markdown"]) == 0
    assert capsys.readouterr().out == render_markdown()
    assert main(["schema", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["name"] for d in data} >= {"items", "quote_board", "actor_stories", "actor_pairs", "numbers_about",
                                         "ingest_log", "latest_items"}
