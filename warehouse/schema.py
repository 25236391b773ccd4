"""Schema creation and forward-only migrations.

A new warehouse is created from the current table definitions (`tables.TABLES`) and stamped with the
latest schema version. An older warehouse is brought forward by applying each migration above its
version, in order, in one transaction. A warehouse stamped with a newer version than this code knows is
refused (`SchemaTooNew`): migrations never go backwards.

To change the schema: edit `tables.py` AND append a migration here that turns the previous version into
the new one (tests check that a migrated warehouse equals a freshly created one).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .errors import SchemaTooNew
from .tables import TABLES, create_sql
from .views import create_views

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration", "migrate", "schema_version"]


@dataclass(frozen=True)
class Migration:
    version: int
    note: str
    statements: tuple[str, ...]


def _without_key(name: str, columns: str) -> tuple[str, ...]:
    """Statements that rebuild a table with the same columns (as of that migration: written out, so a later
    column cannot change what this step does) and no primary key: DuckDB cannot drop a constraint."""
    return (
        f'CREATE TABLE "{name}__rebuilt" ({columns})',
        f'INSERT INTO "{name}__rebuilt" SELECT * FROM "{name}"',
        f'DROP TABLE "{name}"',
        f'ALTER TABLE "{name}__rebuilt" RENAME TO "{name}"',
    )


# Version 1 is the base schema of tables.py as first released; later entries hold ALTER statements.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "base schema: items, actors, mentions, quotes, numbers, sources, runs, problems, lsh, feeds", ()),
    Migration(2, "languages: items.language_source, items.not_extracted_reason, actors.origin", (
        'ALTER TABLE items ADD COLUMN language_source VARCHAR',
        'ALTER TABLE items ADD COLUMN not_extracted_reason VARCHAR',
        'ALTER TABLE actors ADD COLUMN origin VARCHAR',
        "UPDATE actors SET origin = 'nlp'",
    )),
    # Left NULL in the rows already stored: the key is folded from the parse (the noun's tag), which is not
    # stored; the new extractor version makes `wire reextract` redo those items and fill it.
    Migration(3, "numbers.counted_key", (
        'ALTER TABLE numbers ADD COLUMN counted_key VARCHAR',
    )),
    Migration(4, "fact tables without a primary-key index (tables.Table.indexed)", (
        *_without_key("actors", 'item_id VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, name VARCHAR, kind VARCHAR, '
                      'titles VARCHAR[], aliases VARCHAR[], title_orgs VARCHAR[], mention_count INTEGER, '
                      'origin VARCHAR'),
        *_without_key("mentions", 'item_id VARCHAR NOT NULL, mention_id VARCHAR NOT NULL, actor_id VARCHAR, '
                      'text VARCHAR, kind VARCHAR, "start" INTEGER, "end" INTEGER'),
        *_without_key("quotes", 'item_id VARCHAR NOT NULL, quote_id VARCHAR NOT NULL, text VARCHAR, kind VARCHAR, '
                      'speaker VARCHAR, speaker_actor_id VARCHAR, speaker_text VARCHAR, cue VARCHAR, '
                      '"start" INTEGER, "end" INTEGER'),
        *_without_key("numbers", 'item_id VARCHAR NOT NULL, number_id VARCHAR NOT NULL, text VARCHAR, value DOUBLE, '
                      'value_low DOUBLE, value_high DOUBLE, unit VARCHAR, counted VARCHAR, counted_modifier VARCHAR, '
                      'approx BOOLEAN, comparator VARCHAR, change VARCHAR, kind VARCHAR, "start" INTEGER, '
                      '"end" INTEGER, counted_key VARCHAR'),
    )),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Create or bring forward the schema and (re)create the views; returns the schema version."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"warehouse schema version {current} is newer than this wire ({SCHEMA_VERSION}); upgrade wire"
        )
    if current == SCHEMA_VERSION:
        create_views(con)  # cheap; keeps views in step with the code between schema versions
        return current
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP, note VARCHAR)"
        )
        if current == 0:
            for t in TABLES:
                con.execute(create_sql(t))
            con.execute(
                "INSERT INTO schema_version VALUES (?, now()::TIMESTAMP, ?)",
                [SCHEMA_VERSION, "created at this version"],
            )
        else:
            for m in MIGRATIONS:
                if m.version <= current:
                    continue
                for stmt in m.statements:
                    con.execute(stmt)
                con.execute("INSERT INTO schema_version VALUES (?, now()::TIMESTAMP, ?)", [m.version, m.note])
        create_views(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION
