"""Views: the questions analysts ask, over the fact tables. Recreated on every migration check."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

__all__ = ["VIEWS", "View", "create_views"]


@dataclass(frozen=True)
class View:
    name: str
    doc: str
    sql: str


_NOW_UTC = "(now() AT TIME ZONE 'UTC')"

VIEWS: tuple[View, ...] = (
    View(
        "latest_items",
        "The newest usable version of each story: no duplicates, no killed or withheld stories, "
        "nothing still under embargo.",
        f"""
        WITH killed AS (
            SELECT DISTINCT story_id FROM items WHERE pub_status IN ('canceled', 'withheld')
        ), usable AS (
            SELECT * FROM items
            WHERE duplicate_of IS NULL
              AND coalesce(pub_status, 'usable') = 'usable'
              AND (embargoed_until IS NULL OR embargoed_until <= {_NOW_UTC})
              AND story_id NOT IN (SELECT story_id FROM killed)
        )
        SELECT * EXCLUDE (rn) FROM (
            SELECT *, row_number() OVER (
                PARTITION BY story_id ORDER BY version DESC, ingested_at DESC, item_id
            ) AS rn
            FROM usable
        ) WHERE rn = 1
        """,
    ),
    View(
        "quote_board",
        "Every quote of the latest stories with its speaker, the speaker's titles and the story.",
        """
        SELECT q.text AS quote, q.kind, q.speaker, q.speaker_text, a.titles AS speaker_titles, q.cue,
               i.title AS headline, i.published_at, i.agency, i.source_uri, q.item_id, q.quote_id,
               q.speaker_actor_id
        FROM quotes q
        JOIN latest_items i USING (item_id)
        LEFT JOIN actors a ON a.item_id = q.item_id AND a.actor_id = q.speaker_actor_id
        """,
    ),
)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for view in VIEWS:
        con.execute(f'CREATE OR REPLACE VIEW "{view.name}" AS {view.sql}')
