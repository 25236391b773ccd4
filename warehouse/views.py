"""Views: the questions analysts ask, over the fact tables. Recreated on every migration check.

Each view has a one-line doc and per-column one-liners (`View.columns`); `wire schema` and the README's
schema section are generated from them (columns a view passes through unchanged from a table, such as
`latest_items`, are documented by the table's own column docs).

Dates: `published_at` is the agency's publication time and is NULL for plain archives; where a view needs
a date for every story (`date`, `first_seen`, `last_seen`) it uses the publication time, else the time
wire stored the item.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

__all__ = ["VIEWS", "View", "create_views", "view"]


@dataclass(frozen=True)
class View:
    name: str
    doc: str
    sql: str
    columns: tuple[tuple[str, str], ...] = ()  # (column, one-line meaning); empty: same as the table's

    def column_doc(self, column: str) -> str | None:
        return dict(self.columns).get(column)


_NOW_UTC = "(now() AT TIME ZONE 'UTC')"
_SEEN = "coalesce(i.published_at, i.ingested_at)"

# Sentence boundaries, found in SQL so that no extractor has to store them: abbreviation dots ("Mr.",
# "U.S.", "Jan.") are first masked with a same-length placeholder, then a record separator is inserted
# after sentence-final punctuation (plus closing quotes/brackets and the following space) when the next
# character is not lower-case, and at paragraph breaks. Splitting on the separator gives pieces whose
# lengths add up to the body's length, so a running sum of lengths gives each sentence's offsets.
_SEP = "\x1e"
_MASK = "\x1f"
_ABBREV = (
    r"\b(Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Gen|Col|Lt|Maj|Capt|Cpt|Sgt|Cpl|Adm|Gov|Sen|Rep|Rev|Hon|Pres|Supt|Insp|Det|"
    r"Fr|Mt|Ft|No|Nos|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\."
)
_END = r"""([.!?]+["'\x{201D}\x{2019}\x{00BB})\]]*\s+)([^a-z\s])"""
_PARA = r"(\n[ \t]*\n\s*)([^\s" + _SEP + r"])"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_SENTENCE_PIECES = (
    "string_split(regexp_replace(regexp_replace(regexp_replace(i.body, "
    f"{_lit(_ABBREV)}, {_lit(chr(92) + '1' + _MASK)}, 'g'), "
    f"{_lit(_END)}, {_lit(chr(92) + '1' + _SEP + chr(92) + '2')}, 'g'), "
    f"{_lit(_PARA)}, {_lit(chr(92) + '1' + _SEP + chr(92) + '2')}, 'g'), {_lit(_SEP)})"
)

VIEWS: tuple[View, ...] = (
    View(
        "latest_items",
        "The newest version of each story, shown when it is usable: stories whose newest version is a "
        "duplicate of another story or withheld are hidden, killed (canceled) stories always; versions "
        "still under embargo are not yet counted.",
        # The newest version is chosen first and filtered after: filtering first would show a stale older
        # version when the newest is withheld or a copy of another story. A kill is final; a withheld
        # story comes back with a later usable version. The loader keeps `is_head` (newest version, story
        # not killed) up to date, so the common case is a filter; only stories whose newest version is
        # still under embargo are ranked here, to show their newest version already released.
        f"""
        SELECT * FROM items
        WHERE is_head
          AND (embargoed_until IS NULL OR embargoed_until <= {_NOW_UTC})
          AND duplicate_of IS NULL
          AND coalesce(pub_status, 'usable') = 'usable'
        UNION ALL
        SELECT * EXCLUDE (rn) FROM (
            SELECT *, row_number() OVER (
                PARTITION BY story_id ORDER BY version DESC NULLS LAST, ingested_at DESC, item_id
            ) AS rn
            FROM items
            WHERE story_id IN (SELECT story_id FROM items WHERE is_head AND embargoed_until > {_NOW_UTC})
              AND (embargoed_until IS NULL OR embargoed_until <= {_NOW_UTC})
        ) AS released
        WHERE rn = 1
          AND duplicate_of IS NULL
          AND coalesce(pub_status, 'usable') = 'usable'
        """,
    ),
    View(
        "quote_board",
        "Who said what: every quote of the latest stories with its speaker, the speaker's titles and the story.",
        f"""
        SELECT q.text AS quote, q.kind, q.speaker, q.speaker_text, a.titles AS speaker_titles, q.cue,
               i.title AS headline, i.published_at, i.agency, i.source_uri, q.item_id, q.quote_id,
               q.speaker_actor_id, CAST({_SEEN} AS DATE) AS date, i.url
        FROM quotes q
        JOIN latest_items i USING (item_id)
        LEFT JOIN actors a ON a.item_id = q.item_id AND a.actor_id = q.speaker_actor_id
        """,
        (
            ("quote", "Quoted words, without quote marks."),
            ("kind", "direct, partial or indirect."),
            ("speaker", "Canonical name of the speaker, NULL when unresolved."),
            ("speaker_text", "Words naming the speaker where the quote is attributed ('he', 'the ministry')."),
            ("speaker_titles", "Titles and roles the story gives the speaker ('Defence Minister')."),
            ("cue", "Reporting verb or phrase ('said', 'according to')."),
            ("headline", "Headline of the story."),
            ("published_at", "Publication time of the story, UTC (NULL when the source has none)."),
            ("agency", "News agency or publisher."),
            ("source_uri", "File or URL the story came from."),
            ("item_id", "Item (latest version of the story) the quote is in."),
            ("quote_id", "Stable id of the quote."),
            ("speaker_actor_id", "actor_id of the speaker, NULL when unresolved."),
            ("date", "Publication date, else the date wire stored the story."),
            ("url", "Link to the story, when known."),
        ),
    ),
    View(
        "actor_stories",
        "Each actor across the latest stories: names used, titles, when first and last seen, how many stories.",
        f"""
        WITH a AS (
            SELECT x.actor_id, x.name, x.kind, x.aliases, x.titles, x.mention_count, i.story_id,
                   {_SEEN} AS seen
            FROM actors x JOIN latest_items i USING (item_id)
        ), names AS (
            SELECT actor_id, arg_max(name, n) AS actor FROM (
                SELECT actor_id, name, count(*) AS n FROM a GROUP BY ALL
            ) GROUP BY actor_id
        ), al AS (
            SELECT u.actor_id, list(u.alias ORDER BY u.n DESC, u.alias) AS aliases FROM (
                SELECT actor_id, alias, count(*) AS n
                FROM (SELECT actor_id, unnest(aliases) AS alias FROM a) GROUP BY ALL
            ) u JOIN names USING (actor_id)
            WHERE u.alias IS NOT NULL AND u.alias <> names.actor
            GROUP BY u.actor_id
        ), ti AS (
            SELECT actor_id, list(title ORDER BY n DESC, title) AS titles FROM (
                SELECT actor_id, title, count(*) AS n
                FROM (SELECT actor_id, unnest(titles) AS title FROM a) WHERE title IS NOT NULL GROUP BY ALL
            ) GROUP BY actor_id
        ), agg AS (
            SELECT actor_id, any_value(kind) AS kind, min(seen) AS first_seen, max(seen) AS last_seen,
                   count(DISTINCT story_id) AS stories, CAST(sum(mention_count) AS BIGINT) AS mentions
            FROM a GROUP BY actor_id
        )
        SELECT names.actor, agg.kind, coalesce(al.aliases, []) AS aliases, coalesce(ti.titles, []) AS titles,
               agg.first_seen, agg.last_seen, agg.stories, agg.mentions, agg.actor_id
        FROM agg JOIN names USING (actor_id)
        LEFT JOIN al USING (actor_id)
        LEFT JOIN ti USING (actor_id)
        """,
        (
            ("actor", "Canonical name (the one most stories use)."),
            ("kind", "person, org, place, group or other."),
            ("aliases", "Other forms used for the actor, most used first."),
            ("titles", "Titles and roles given to the actor, most used first."),
            ("first_seen", "Earliest story naming the actor (publication time, else storage time)."),
            ("last_seen", "Latest story naming the actor (publication time, else storage time)."),
            ("stories", "Number of stories naming the actor."),
            ("mentions", "Mentions of the actor in those stories."),
            ("actor_id", "Canonical actor id (join key to actors, mentions, quotes.speaker_actor_id)."),
        ),
    ),
    View(
        "actor_pairs",
        "Which actors appear in the same stories, and how often (one row per pair, each pair once).",
        f"""
        WITH a AS (
            SELECT DISTINCT i.story_id, x.actor_id, x.kind, {_SEEN} AS seen
            FROM actors x JOIN latest_items i USING (item_id)
        ), per AS (
            SELECT actor_id, count(DISTINCT story_id) AS stories FROM a GROUP BY actor_id
        ), names AS (
            SELECT actor_id, arg_max(name, n) AS actor FROM (
                SELECT x.actor_id, x.name, count(*) AS n
                FROM actors x JOIN latest_items i USING (item_id) GROUP BY ALL
            ) GROUP BY actor_id
        ), pairs AS (
            SELECT a1.actor_id AS actor_a_id, a2.actor_id AS actor_b_id,
                   any_value(a1.kind) AS kind_a, any_value(a2.kind) AS kind_b,
                   count(DISTINCT a1.story_id) AS stories, min(a1.seen) AS first_seen, max(a1.seen) AS last_seen
            FROM a a1 JOIN a a2 ON a1.story_id = a2.story_id AND a1.actor_id < a2.actor_id
            GROUP BY 1, 2
        )
        SELECT na.actor AS actor_a, p.kind_a, nb.actor AS actor_b, p.kind_b, p.stories,
               pa.stories AS stories_a, pb.stories AS stories_b,
               round(p.stories / (pa.stories + pb.stories - p.stories), 4) AS jaccard,
               p.first_seen, p.last_seen, p.actor_a_id, p.actor_b_id
        FROM pairs p
        JOIN names na ON na.actor_id = p.actor_a_id
        JOIN names nb ON nb.actor_id = p.actor_b_id
        JOIN per pa ON pa.actor_id = p.actor_a_id
        JOIN per pb ON pb.actor_id = p.actor_b_id
        """,
        (
            ("actor_a", "One actor of the pair (canonical name)."),
            ("kind_a", "Kind of actor_a."),
            ("actor_b", "The other actor."),
            ("kind_b", "Kind of actor_b."),
            ("stories", "Stories naming both."),
            ("stories_a", "Stories naming actor_a."),
            ("stories_b", "Stories naming actor_b."),
            ("jaccard", "stories / (stories_a + stories_b - stories): how tied the two are (1 = always together)."),
            ("first_seen", "Earliest story naming both (publication time, else storage time)."),
            ("last_seen", "Latest story naming both."),
            ("actor_a_id", "actor_id of actor_a (the smaller id of the two)."),
            ("actor_b_id", "actor_id of actor_b."),
        ),
    ),
    View(
        "sentences",
        "Sentence spans of the latest stories' bodies, split in SQL at sentence-final punctuation and "
        "paragraph breaks (abbreviations such as 'Mr.' and 'U.S.' do not end a sentence).",
        rf"""
        WITH pieces AS (
            SELECT i.item_id, u.piece, u.n
            FROM latest_items i, unnest({_SENTENCE_PIECES}) WITH ORDINALITY AS u(piece, n)
        ), spans AS (
            SELECT item_id, n,
                   CAST(sum(length(piece)) OVER (PARTITION BY item_id ORDER BY n) - length(piece) AS BIGINT) AS start,
                   length(piece) AS len
            FROM pieces
        )
        SELECT s.item_id,
               CAST(row_number() OVER (PARTITION BY s.item_id ORDER BY s.n) - 1 AS INTEGER) AS sentence_no,
               CAST(s.start AS INTEGER) AS start, CAST(s.start + s.len AS INTEGER) AS "end",
               regexp_replace(substring(i.body, s.start + 1, s.len), '^\s+|\s+$', '', 'g') AS text
        FROM spans s JOIN latest_items i USING (item_id)
        WHERE s.len > 0 AND regexp_matches(substring(i.body, s.start + 1, s.len), '\S')
        """,
        (
            ("item_id", "Item (latest version of a story)."),
            ("sentence_no", "Position of the sentence in the body, from 0."),
            ("start", "Offset of the sentence in items.body."),
            ("end", "Offset after the sentence (and the space after it) in items.body."),
            ("text", "The sentence, trimmed."),
        ),
    ),
    View(
        "numbers_about",
        "Figures of the latest stories with what they count and the actors and places named in the same "
        "sentence.",
        f"""
        WITH n AS (
            SELECT n.*, s.sentence_no, s.start AS s_start, s."end" AS s_end, s.text AS sentence
            FROM numbers n
            JOIN latest_items i USING (item_id)
            LEFT JOIN sentences s ON s.item_id = n.item_id AND n.start >= s.start AND n.start < s."end"
        ), near AS (
            SELECT n.number_id, n.item_id, m.actor_id, any_value(x.name) AS name, any_value(x.kind) AS kind,
                   min(m.start) AS first
            FROM n
            JOIN mentions m ON m.item_id = n.item_id AND m.start >= n.s_start AND m.start < n.s_end
            JOIN actors x ON x.item_id = m.item_id AND x.actor_id = m.actor_id
            GROUP BY ALL
        ), lists AS (
            SELECT item_id, number_id,
                   list(name ORDER BY first) FILTER (WHERE kind <> 'place') AS actors,
                   list(name ORDER BY first) FILTER (WHERE kind = 'place') AS places,
                   list(actor_id ORDER BY first) AS actor_ids
            FROM near GROUP BY ALL
        )
        SELECT n.text AS figure, n.value, n.value_low, n.value_high, n.unit, n.kind, n.counted,
               n.counted_modifier, n.counted_key,
               nullif(trim(concat_ws(' ', n.counted_modifier, n.counted)), '') AS about,
               n.comparator, n.approx, n.change,
               coalesce(l.actors, []) AS actors, coalesce(l.places, []) AS places,
               coalesce(l.actor_ids, []) AS actor_ids,
               n.sentence, i.title AS headline, i.published_at, CAST({_SEEN} AS DATE) AS date, i.agency,
               i.source_uri, n.item_id, n.number_id, n.start, n."end", n.sentence_no
        FROM n
        JOIN latest_items i USING (item_id)
        LEFT JOIN lists l ON l.item_id = n.item_id AND l.number_id = n.number_id
        """,
        (
            ("figure", "The figure as written ('Around 600')."),
            ("value", "Value (the low end for ranges, NULL for vague amounts)."),
            ("value_low", "Lower bound of a range or vague amount."),
            ("value_high", "Upper bound of a range or vague amount."),
            ("unit", "ISO currency code, %, pp, km, year, ..."),
            ("kind", "count, money, percent, measure, duration, age, ordinal or other."),
            ("counted", "Head noun counted ('soldiers')."),
            ("counted_modifier", "Modifiers of the counted noun ('North Korean')."),
            ("counted_key", "What the figure counts, for grouping: the counted noun lower-cased and singular "
             "('soldier', 'person')."),
            ("about", "What the figure counts: modifiers and noun ('North Korean soldiers')."),
            ("comparator", "more than, at least, up to, nearly, ..."),
            ("approx", "Approximate ('around', 'thousands')."),
            ("change", "up or down when the figure is a change."),
            ("actors", "People, organisations and groups named in the same sentence, in order."),
            ("places", "Places named in the same sentence, in order."),
            ("actor_ids", "actor_id of every actor and place named in the same sentence."),
            ("sentence", "The sentence the figure is in."),
            ("headline", "Headline of the story."),
            ("published_at", "Publication time of the story, UTC (NULL when the source has none)."),
            ("date", "Publication date, else the date wire stored the story."),
            ("agency", "News agency or publisher."),
            ("source_uri", "File or URL the story came from."),
            ("item_id", "Item (latest version of the story)."),
            ("number_id", "Stable id of the figure."),
            ("start", "Offset of the figure in items.body."),
            ("end", "End offset of the figure in items.body."),
            ("sentence_no", "Position of the sentence in the body, from 0."),
        ),
    ),
    View(
        "ingest_log",
        "One row per run, newest first: what it read, what it stored, what went wrong.",
        """
        WITH stored AS (
            SELECT run_id, count(*) AS items, count(*) FILTER (WHERE extracted) AS extracted,
                   list(DISTINCT agency ORDER BY agency) FILTER (WHERE agency IS NOT NULL) AS agencies,
                   list(DISTINCT source_uri) AS uris
            FROM items GROUP BY run_id
        ), probs AS (
            SELECT run_id, count(*) FILTER (WHERE kind = 'error') AS error_rows,
                   count(*) FILTER (WHERE kind = 'skipped') AS skipped_rows,
                   list(source_uri || ': ' || reason ORDER BY "at", source_uri, part)
                       FILTER (WHERE kind = 'error') AS error_list,
                   list(DISTINCT source_uri) AS uris
            FROM problems GROUP BY run_id
        ), read AS (
            SELECT run_id, list(DISTINCT source_key) AS uris FROM sources GROUP BY run_id
        ), fed AS (
            SELECT r.run_id, list(DISTINCT coalesce(f.name, f.url) ORDER BY coalesce(f.name, f.url)) AS feeds
            FROM runs r
            LEFT JOIN stored s USING (run_id)
            LEFT JOIN probs p USING (run_id)
            LEFT JOIN read USING (run_id)
            JOIN feeds f ON list_has_any(coalesce(s.uris, []) || coalesce(p.uris, []) || coalesce(read.uris, []),
                                         [f.url, coalesce(f.permanent_url, f.url)])
            GROUP BY r.run_id
        )
        SELECT r.run_id, r.flow, r.status, r.started_at, r.finished_at,
               round(epoch(r.finished_at - r.started_at), 1) AS seconds, r.args,
               coalesce(fed.feeds, []) AS feeds,
               r.seen, r.unchanged, r.stored, r.duplicates, r.skipped, r.errors,
               coalesce(s.items, 0) AS items, coalesce(s.extracted, 0) AS extracted,
               coalesce(s.agencies, []) AS agencies,
               coalesce(p.error_rows, 0) AS problem_errors, coalesce(p.skipped_rows, 0) AS problem_skips,
               coalesce(p.error_list[1:5], []) AS first_errors
        FROM runs r
        LEFT JOIN stored s USING (run_id)
        LEFT JOIN probs p USING (run_id)
        LEFT JOIN fed USING (run_id)
        ORDER BY r.started_at DESC
        """,
        (
            ("run_id", "Run id (items.run_id, problems.run_id)."),
            ("flow", "backfill, ingest, watch, ..."),
            ("status", "running, completed or failed."),
            ("started_at", "Start, UTC."),
            ("finished_at", "End, UTC (NULL while running or if killed)."),
            ("seconds", "Duration in seconds."),
            ("args", "Paths or feeds the run was given."),
            ("feeds", "Configured feeds (name, else URL) the run read, stored items from or failed on."),
            ("seen", "Sources seen."),
            ("unchanged", "Sources skipped because already stored and unchanged."),
            ("stored", "New items stored, duplicates included (as counted by the run)."),
            ("duplicates", "New items stored as duplicates."),
            ("skipped", "Sources skipped as not stories."),
            ("errors", "Sources that failed."),
            ("items", "Item rows in the warehouse written by this run."),
            ("extracted", "Of which went through NLP."),
            ("agencies", "Agencies of the items stored."),
            ("problem_errors", "Error rows in the problems table for this run."),
            ("problem_skips", "Skipped rows in the problems table for this run."),
            ("first_errors", "The first five errors, 'source: reason'."),
        ),
    ),
)


def view(name: str) -> View:
    for v in VIEWS:
        if v.name == name:
            return v
    raise KeyError(name)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for v in VIEWS:
        con.execute(f'CREATE OR REPLACE VIEW "{v.name}" AS {v.sql}')
