"""`wire search` per language: each story ranked with its language's stemmer, `--language` filters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from flows.cli import main
from warehouse import reader, writer
from warehouse.load import insert_rows
from warehouse.search import fts_extension_path, search

pytestmark = pytest.mark.skipif(fts_extension_path() is None, reason="duckdb-extension-fts not installed")

# Written for this test. The French stories use inflected forms ("agriculteurs", "manifestaient") that only a
# French stemmer brings back to the query's words ("agriculteur", "manifester"); Porter leaves them apart.
STORIES: dict[str, tuple[str, str, str]] = {
    "fr1": ("fr", "Colère des agriculteurs", "Les agriculteurs manifestaient mardi devant la préfecture de Toulouse."),
    "fr2": ("fr-CA", "Hausse des loyers", "Les loyers augmentent encore à Montréal, selon la régie."),
    "en1": ("en", "Farmers protest prices", "Farmers protested outside the ministry in London on Tuesday."),
    "en2": ("en", "Agriculteur is not English", "A French word: the agriculteur visited London."),
}
QUOTES = [("fr1", "q1", "Les agriculteurs ne lâcheront rien", "Claire Vasseur"),
          ("en1", "q2", "Farmers will not give up", "John Smith")]


def _rows() -> list[dict[str, Any]]:
    return [{"item_id": k, "story_id": "s-" + k, "version": 1, "title": t, "body": b, "language": lang,
             "language_source": "stated", "agency": "AFP", "source_uri": f"/a/{k}.txt", "pub_status": "usable",
             "published_at": datetime(2024, 3, 1 + i), "ingested_at": datetime(2024, 4, 1)}
            for i, (k, (lang, t, b)) in enumerate(STORIES.items())]


@pytest.fixture
def wh(db: str) -> str:
    with writer(db) as con:
        insert_rows(con, "items", _rows())
        insert_rows(con, "quotes", [{"quote_id": q, "item_id": i, "text": t, "kind": "direct", "start": 0,
                                     "end": len(t), "speaker": s} for i, q, t, s in QUOTES])
    return db


def test_french_stories_are_stemmed_in_french(wh: str) -> None:
    res = search(wh, "agriculteur manifester")
    assert res.engine == "fts"
    ids = [h.item_id for h in res.hits]
    assert ids[0] == "fr1" and "en2" in ids  # en2 holds the word itself, indexed with Porter
    fr = next(h for h in res.hits if h.item_id == "fr1")
    assert fr.language == "fr" and "**agriculteurs**" in fr.snippet and "**manifestaient**" in fr.snippet
    assert any("items_fr (french)" in n for n in res.notes)
    with reader(wh) as con:  # the copy indexed in French holds the French stories only (fr and fr-CA)
        rows = con.execute("SELECT item_id FROM wire_search.items_fr ORDER BY 1").fetchall()
    assert [r[0] for r in rows] == ["fr1", "fr2"]


def test_language_filter(wh: str) -> None:
    assert [h.item_id for h in search(wh, "agriculteur", language="fr").hits] == ["fr1"]
    assert [h.item_id for h in search(wh, "agriculteur", language="en").hits] == ["en2"]
    assert [h.item_id for h in search(wh, "loyers", language="fr").hits] == ["fr2"]  # fr matches fr-CA
    assert search(wh, "loyers", language="fr-FR").hits == []
    assert [h.item_id for h in search(wh, "farmers", language="en").hits] == ["en1"]
    sql = search(wh, "agriculteurs", language="fr", engine="sql")
    assert sql.engine == "sql" and [h.item_id for h in sql.hits] == ["fr1"]


def test_quotes_per_language_and_index_follows_new_items(wh: str) -> None:
    assert [h.quote_id for h in search(wh, "agriculteur", quotes=True).hits] == ["q1"]
    assert [h.quote_id for h in search(wh, "farmer", quotes=True, language="en").hits] == ["q2"]
    with writer(wh) as con:
        insert_rows(con, "items", [{**_rows()[0], "item_id": "fr3", "story_id": "s-fr3",
                                    "title": "Les agricultrices aussi", "body": "Un agriculteur témoigne."}])
    res = search(wh, "agriculteurs", language="fr")
    assert {h.item_id for h in res.hits} == {"fr1", "fr3"}
    assert any("rebuilt" in n for n in res.notes)


def test_cli_language_option(wh: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "agriculteur", "--language", "fr", "--db", wh]) == 0
    out = capsys.readouterr().out
    assert "Colère des agriculteurs" in out and "Agriculteur is not English" not in out
