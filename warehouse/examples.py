"""The typical analyst queries: shown in the README (with real output) and timed by the query benchmark."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EXAMPLES", "Example"]


@dataclass(frozen=True)
class Example:
    name: str
    question: str
    sql: str


EXAMPLES: tuple[Example, ...] = (
    Example(
        "top-actors",
        "Who is named in the most stories?",
        """SELECT any_value(name) AS name, any_value(kind) AS kind, count(*) AS stories,
       sum(mention_count) AS mentions
FROM actors SEMI JOIN latest_items USING (item_id)
GROUP BY actor_id ORDER BY stories DESC, mentions DESC, name LIMIT 10""",
    ),
    Example(
        "quotes-by-speaker",
        "What did each speaker say, and with which titles?",
        """SELECT speaker, speaker_titles[1] AS title, kind, cue, left(quote, 60) AS quote
FROM quote_board WHERE speaker IS NOT NULL
ORDER BY published_at DESC, speaker LIMIT 10""",
    ),
    Example(
        "numbers-counted",
        "Which figures were reported, and what do they count?",
        """SELECT n.text, n.value, n.unit, n.counted, n.counted_modifier AS modifier, n.approx, n.kind
FROM numbers n JOIN latest_items USING (item_id)
WHERE n.kind IN ('count', 'money', 'percent')
ORDER BY n.value DESC NULLS LAST LIMIT 10""",
    ),
    Example(
        "speaker-counts",
        "Who is quoted most?",
        """SELECT speaker, count(*) AS quotes, count(DISTINCT item_id) AS stories
FROM quotes SEMI JOIN latest_items USING (item_id) WHERE speaker IS NOT NULL
GROUP BY speaker ORDER BY quotes DESC, speaker LIMIT 10""",
    ),
    Example(
        "latest-stories",
        "What is new?",
        """SELECT published_at, agency, title, byline, word_count
FROM latest_items ORDER BY published_at DESC NULLS LAST, title LIMIT 10""",
    ),
    Example(
        "titles-of-actor",
        "Which titles does each person carry?",
        """SELECT name, list_distinct(flatten(list(titles))) AS titles, count(*) AS stories
FROM actors WHERE kind = 'person' AND len(titles) > 0
GROUP BY name ORDER BY stories DESC, name LIMIT 10""",
    ),
)
