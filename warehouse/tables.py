"""The warehouse contract: every table and column with its type and one-line meaning.

DDL, Arrow load schemas and `wire schema` documentation are all generated from these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

__all__ = ["RECORD_TABLES", "TABLES", "Column", "Table", "arrow_schema", "create_sql", "table"]


@dataclass(frozen=True)
class Column:
    """One column. In the tables that store records (`RECORD_TABLES`), a column is the record's field of
    the same name unless `derived`: ids, hashes and load-time facts that `warehouse.rows` computes. So a
    new field of a record is stored by adding its Column here, and nothing else."""

    name: str
    sql: str  # DuckDB type
    doc: str
    not_null: bool = False
    derived: bool = False  # computed by warehouse.rows / the loader, not a field of the record

    @property
    def arrow(self) -> pa.DataType:
        return _ARROW[self.sql]


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # what makes a row unique; empty for an append-only table without one
    # Whether the key is a PRIMARY KEY (an index DuckDB keeps and writes out whole at every checkpoint). The
    # fact tables' is not: their writers add rows only for items that have none (load_batch: items new in its
    # transaction; reextract: after deleting the items' facts), so the index would only cost memory and time
    # growing with the warehouse at every load (a 3,000-row actors insert: 209 MiB at 128,000 stored actors,
    # 170 MiB at 11,700).
    indexed: bool = True

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


_ARROW: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
    "BIGINT[]": pa.list_(pa.int64()),
    "JSON": pa.string(),
}

C = Column

# Tables whose rows are records of extractors.records (the rest hold run, source and feed state).
RECORD_TABLES = {"items": "Story", "actors": "Actor", "mentions": "Mention", "quotes": "Quote", "numbers": "Number"}

TABLES: tuple[Table, ...] = (
    Table("items", "One row per item read from a source: a story version, a duplicate or a kill.", (
        C("item_id", "VARCHAR", "Stable id: hash of the source identity (guid or resolved path) and body.", True,
          derived=True),
        C("story_id", "VARCHAR", "Versions of one story share this id (agency guid, slug chain or source).",
          derived=True),
        C("version", "BIGINT", "Version number within story_id, increasing (agency version when given)."),
        C("is_head", "BOOLEAN", "Newest version of its story, and the story not killed (kept up to date by "
          "every load; `latest_items` reads it instead of ranking all versions).", derived=True),
        C("source_uri", "VARCHAR", "File path or URL as given to wire."),
        C("source_kind", "VARCHAR", "Reader used: text, html, feed, newsml-g2, nitf, ninjs, anpa, ..."),
        C("part", "INTEGER", "Index of the item inside a multi-item source (feed, newsMessage)."),
        C("guid", "VARCHAR", "Agency or feed guid, when the source has one."),
        C("url", "VARCHAR", "Link to the story, when known."),
        C("title", "VARCHAR", "Headline."),
        C("caption", "VARCHAR", "Photo caption, kept out of the body."),
        C("byline", "VARCHAR", "Author names, normalised ('Claire Lee')."),
        C("dateline", "VARCHAR", "Dateline as printed ('SEOUL (AFP) -')."),
        C("located", "VARCHAR", "Place the story was filed from."),
        C("agency", "VARCHAR", "News agency or publisher."),
        C("published_at", "TIMESTAMP", "Publication time, UTC."),
        C("ingested_at", "TIMESTAMP", "When wire stored the row, UTC.", derived=True),
        C("language", "VARCHAR", "Language of the text, BCP 47 ('fr', 'pt-BR'; region kept when stated; 'und' "
          "when too little text to tell): the stated one unless the detector is confident the text is in another."),
        C("slugline", "VARCHAR", "Agency slug / keyword line."),
        C("urgency", "INTEGER", "Agency urgency (1 = flash)."),
        C("pub_status", "VARCHAR", "usable, withheld or canceled (a kill)."),
        C("embargoed_until", "TIMESTAMP", "Not to be published before this time, UTC."),
        C("subjects", "VARCHAR[]", "Subject codes and names (IPTC)."),
        C("keywords", "VARCHAR[]", "Keywords."),
        C("body", "VARCHAR", "Clean body text: paragraphs separated by a blank line."),
        C("body_sha256", "VARCHAR", "sha256 of the normalised body (exact-duplicate key).", derived=True),
        C("word_count", "INTEGER", "Words in the body.", derived=True),
        C("duplicate_of", "VARCHAR", "item_id of the first item with the same (or a near-identical) body.",
          derived=True),
        C("dup_kind", "VARCHAR", "exact or near when duplicate_of is set.", derived=True),
        C("dup_similarity", "DOUBLE", "Jaccard similarity to duplicate_of (1.0 for exact).", derived=True),
        C("extracted", "BOOLEAN", "Whether NLP ran on this item (false for duplicates and kills).", derived=True),
        C("extractor_version", "VARCHAR", "Version of the extractors that produced the facts: a digest of their "
          "files and the spaCy model (extractors.version); `pending:<old>` while `wire reextract` is redoing it.",
            derived=True),
        C("run_id", "VARCHAR", "Run that stored the row.", derived=True),
        C("warnings", "VARCHAR[]", "Non-fatal problems met while reading (e.g. cp1252 fallback)."),
        C("meta", "JSON", "Everything else the source said, as JSON.", derived=True),
        C("language_source", "VARCHAR", "stated (feed, xml:lang, NewsML, ninjs or HTML metadata) or detected "
          "(py3langid, when nothing was stated or the text contradicts the statement)."),
        C("not_extracted_reason", "VARCHAR", "Why NLP did not run, when the item is not a duplicate or kill "
          "(e.g. no model for its language: then only agency-supplied actors and plain figures are stored).",
            derived=True),
    ), ("item_id",)),
    Table("actors", "Actors named in an item, one row per (item, actor).", (
        C("item_id", "VARCHAR", "Item the actor appears in.", True, derived=True),
        C("actor_id", "VARCHAR", "Canonical actor id across stories (kind + normalised name).", True),
        C("name", "VARCHAR", "Canonical name ('Sergei Shoigu')."),
        C("kind", "VARCHAR", "person, org, place, group or other."),
        C("titles", "VARCHAR[]", "Titles and roles bound to the actor in this item."),
        C("aliases", "VARCHAR[]", "Other forms used in this item ('Shoigu')."),
        C("title_orgs", "VARCHAR[]", "Organisations named in the titles."),
        C("mention_count", "INTEGER", "Mentions of the actor in this item."),
        C("origin", "VARCHAR", "nlp (found in the text by the extractors) or agency (person, organisation or "
          "place metadata of a NewsML-G2, NITF or ninjs item)."),
    ), ("item_id", "actor_id"), indexed=False),
    Table("mentions", "Each place in a body where an actor is named.", (
        C("item_id", "VARCHAR", "Item.", True, derived=True),
        C("mention_id", "VARCHAR", "Stable id of the mention.", True, derived=True),
        C("actor_id", "VARCHAR", "Actor named."),
        C("text", "VARCHAR", "Words as written."),
        C("kind", "VARCHAR", "Actor kind."),
        C("start", "INTEGER", "Offset of the first character in items.body."),
        C("end", "INTEGER", "Offset after the last character in items.body."),
    ), ("item_id", "mention_id"), indexed=False),
    Table("quotes", "Who said what: direct, partial and indirect quotes with their speakers.", (
        C("item_id", "VARCHAR", "Item.", True, derived=True),
        C("quote_id", "VARCHAR", "Stable id of the quote.", True, derived=True),
        C("text", "VARCHAR", "Quoted words, without quote marks."),
        C("kind", "VARCHAR", "direct, partial or indirect."),
        C("speaker", "VARCHAR", "Canonical name of the speaker, NULL when unresolved."),
        C("speaker_actor_id", "VARCHAR", "actor_id of the speaker, NULL when unresolved."),
        C("speaker_text", "VARCHAR", "Words naming the speaker where the quote is attributed ('he')."),
        C("cue", "VARCHAR", "Reporting verb or phrase ('said', 'according to')."),
        C("start", "INTEGER", "Offset of the quote in items.body."),
        C("end", "INTEGER", "End offset of the quote in items.body."),
    ), ("item_id", "quote_id"), indexed=False),
    Table("numbers", "Figures with what they count.", (
        C("item_id", "VARCHAR", "Item.", True, derived=True),
        C("number_id", "VARCHAR", "Stable id of the figure.", True, derived=True),
        C("text", "VARCHAR", "Words as written ('Around 600')."),
        C("value", "DOUBLE", "Value (the low end for ranges, NULL for vague amounts)."),
        C("value_low", "DOUBLE", "Lower bound of a range or vague amount."),
        C("value_high", "DOUBLE", "Upper bound of a range or vague amount."),
        C("unit", "VARCHAR", "ISO currency code, %, pp, km, year, ..."),
        C("counted", "VARCHAR", "Head noun counted ('soldiers')."),
        C("counted_modifier", "VARCHAR", "Modifiers of the counted noun ('North Korean')."),
        C("approx", "BOOLEAN", "Approximate ('around', 'thousands')."),
        C("comparator", "VARCHAR", "more than, at least, up to, nearly, ..."),
        C("change", "VARCHAR", "up or down when the figure is a change."),
        C("kind", "VARCHAR", "count, money, percent, measure, duration, age, ordinal or other."),
        C("start", "INTEGER", "Offset in items.body."),
        C("end", "INTEGER", "End offset in items.body."),
        C("counted_key", "VARCHAR", "What the figure counts, for grouping: the counted noun lower-cased and "
          "singular ('soldiers' -> 'soldier', 'people' -> 'person'); NULL when nothing is counted, and in rows "
          "stored before schema version 3 until `wire reextract` redoes them."),
    ), ("item_id", "number_id"), indexed=False),
    Table("sources", "Every source wire has read (file or URL), for resuming and skipping unchanged input.", (
        C("source_key", "VARCHAR", "Resolved path or canonical URL.", True),
        C("source_uri", "VARCHAR", "Path or URL as given."),
        C("size", "BIGINT", "Size in bytes when read."),
        C("mtime_ns", "BIGINT", "Modification time (ns) when read."),
        C("content_sha256", "VARCHAR", "sha256 of the bytes read."),
        C("status", "VARCHAR", "stored, skipped or error."),
        C("reason", "VARCHAR", "Why it was skipped or failed."),
        C("items", "INTEGER", "Items read from it."),
        C("run_id", "VARCHAR", "Last run that read it."),
        C("seen_at", "TIMESTAMP", "When it was last read, UTC."),
    ), ("source_key",)),
    Table("runs", "One row per run of a flow, with its counts.", (
        C("run_id", "VARCHAR", "Run id.", True),
        C("flow", "VARCHAR", "backfill, ingest, watch, ..."),
        C("started_at", "TIMESTAMP", "Start, UTC."),
        C("finished_at", "TIMESTAMP", "End, UTC (NULL while running or if killed)."),
        C("args", "VARCHAR", "Paths or feeds the run was given."),
        C("seen", "INTEGER", "Sources seen."),
        C("unchanged", "INTEGER", "Sources skipped because already stored and unchanged."),
        C("stored", "INTEGER", "New items stored."),
        C("duplicates", "INTEGER", "New items stored as duplicates."),
        C("skipped", "INTEGER", "Sources skipped as not stories."),
        C("errors", "INTEGER", "Sources that failed."),
        C("status", "VARCHAR", "running, completed, failed."),
    ), ("run_id",)),
    Table("problems", "Sources or items skipped or failed in a run, with the reason.", (
        C("run_id", "VARCHAR", "Run.", True),
        C("source_uri", "VARCHAR", "File or URL.", True),
        C("part", "INTEGER", "Item index inside the source, -1 for the whole source.", True),
        C("kind", "VARCHAR", "skipped or error."),
        C("reason", "VARCHAR", "One readable line."),
        C("at", "TIMESTAMP", "When, UTC."),
    ), ("run_id", "source_uri", "part")),
    Table("lsh_buckets", "MinHash LSH index of group-first item bodies: one row per (band, bucket, item).", (
        C("scheme", "VARCHAR", "MinHash/LSH configuration of the keys (permutations, bands x rows, seed).", True),
        C("band", "INTEGER", "LSH band number.", True),
        C("bucket", "BIGINT", "Hash of the band's slice of the MinHash signature.", True),
        C("item_id", "VARCHAR", "Item whose body falls in the bucket.", True),
    ), ()),  # no primary key: an index over millions of rows would be loaded by every writer; load_batch
    # only adds rows for items new in that transaction, so rows are unique without a constraint
    Table("feeds", "Every polled feed with its HTTP and scheduling state.", (
        C("feed_id", "VARCHAR", "Stable id of the feed (hash of its configured URL).", True),
        C("url", "VARCHAR", "URL as configured."),
        C("name", "VARCHAR", "Name given in the settings."),
        C("agency", "VARCHAR", "Agency or publisher of the feed's stories."),
        C("interval_s", "INTEGER", "Poll interval in seconds."),
        C("fetch_article", "BOOLEAN", "Whether the linked article page is fetched for summary-only entries."),
        C("etag", "VARCHAR", "Last ETag, sent back as If-None-Match."),
        C("last_modified", "VARCHAR", "Last Last-Modified, sent back as If-Modified-Since."),
        C("body_sha256", "VARCHAR", "Hash of the last body, for servers that ignore conditional GET."),
        C("permanent_url", "VARCHAR", "Where a permanent redirect (301/308) pointed."),
        C("last_poll", "TIMESTAMP", "Last poll, UTC."),
        C("last_status", "VARCHAR", "Readable outcome of the last poll (ok, not modified, 429, timeout ...)."),
        C("last_http", "INTEGER", "HTTP status of the last poll."),
        C("last_error", "VARCHAR", "Last error message."),
        C("new_items", "INTEGER", "Items stored by the last poll."),
        C("total_items", "INTEGER", "Items stored from this feed in all."),
        C("entries", "INTEGER", "Entries in the feed document last read."),
        C("failures", "INTEGER", "Consecutive failed polls."),
        C("hard_failures", "INTEGER", "Consecutive hard failures (4xx, not a feed); disables the feed at a limit."),
        C("last_ok", "TIMESTAMP", "Last successful poll (200 or 304), UTC."),
        C("next_poll", "TIMESTAMP", "Earliest next poll (interval, back-off or Retry-After), UTC."),
        C("disabled", "BOOLEAN", "Disabled after repeated hard failures."),
        C("disabled_reason", "VARCHAR", "Why it was disabled."),
    ), ("feed_id",)),
)


def table(name: str) -> Table:
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)


def arrow_schema(t: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.arrow) for c in t.columns])


def create_sql(t: Table) -> str:
    cols = ",\n  ".join(f'"{c.name}" {c.sql}' + (" NOT NULL" if c.not_null else "") for c in t.columns)
    key = ", ".join(f'"{k}"' for k in t.key)
    pk = f",\n  PRIMARY KEY ({key})" if t.key and t.indexed else ""
    return f'CREATE TABLE IF NOT EXISTS "{t.name}" (\n  {cols}{pk}\n)'
