"""Full-text search of stories and quotes, ranked by BM25, with highlighted snippets.

Engine: DuckDB's own `fts` extension, shipped for DuckDB 1.5.5 as the PyPI wheel `duckdb-extension-fts`
(the file `duckdb_extension_fts/extensions/v1.5.5/fts.duckdb_extension` inside the package). It is loaded
by path (`LOAD '<file>'`), so nothing is downloaded and nothing is written to ~/.duckdb: search works
offline on a fresh machine. Two indexes live in the warehouse file: `fts_main_items` (title + body of
every item) and `fts_main_quotes` (quote text + speaker), Porter-stemmed, English stop words removed.

Languages: a story in a language the extension has a Snowball stemmer for (`STEMMERS`: French, German,
Portuguese, Spanish, Finnish, Norwegian ...) is also indexed with that stemmer, in a copy of its searchable
text in schema `wire_search` (`wire_search.items_fr`, `wire_search.quotes_fr`: the extension indexes tables
only, not views), and ranked by that index (the query is stemmed the same way); English and languages
without a stemmer are ranked by the main index. `language` restricts hits to one language ("fr" matches
fr, fr-CA ...; "pt-BR" only pt-BR).

Freshness: an index is stale when the set of ids it covers differs from its table (compared by count
and an order-free hash of the ids, no bookkeeping table needed). `search` rebuilds stale indexes lazily
through a short writer connection (a full rebuild: the extension has no incremental update; about 7 s per
2,000 stories on a busy 2-core machine), so loads pay nothing; `refresh_index(con)` does the same on a
writer connection a flow already holds. If the writer cannot be had in `wait` seconds (another process
took the file between the check and the rebuild), search uses the existing, slightly stale index and says
so; with no index at all, or where the extension cannot be loaded (a platform without the wheel), it ranks
with BM25 computed directly in SQL (`engine="sql"`: same formula, a light suffix stemmer).

Results come from `latest_items` only (no duplicates, old versions, kills or embargoed stories).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb

from .connect import reader, writer
from .errors import BadInput, WarehouseBusy

__all__ = [
    "SearchHit",
    "SearchResult",
    "fts_extension_path",
    "highlight",
    "index_state",
    "load_fts",
    "refresh_index",
    "search",
]

Engine = Literal["fts", "sql"]
IndexState = Literal["fresh", "stale", "missing"]

K1 = 1.2
B = 0.75
# Indexed table -> (id column, indexed columns). The id must be unique in the table.
_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "items": ("item_id", ("title", "body")),
    "quotes": ("quote_id", ("text", "speaker")),
}
_FTS_OPTIONS = "stemmer = 'porter', stopwords = 'english', strip_accents = 1, lower = 1, overwrite = 1"
# Primary language subtag -> the fts extension's Snowball stemmer (English keeps the main Porter index).
STEMMERS: dict[str, str] = {
    "ar": "arabic", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch", "fi": "finnish",
    "fr": "french", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian",
    "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish",
}
_LANG_SCHEMA = "wire_search"
_PRIMARY_SQL = "lower(split_part(coalesce({col}, ''), '-', 1))"


def _lang_options(stemmer: str) -> str:
    return f"stemmer = '{stemmer}', stopwords = 'none', strip_accents = 1, lower = 1, overwrite = 1"


def _lang_sources(lang: str) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Per-language index table -> (SQL of its rows, id column, indexed columns)."""
    match = f"{_PRIMARY_SQL.format(col='i.language')} = '{lang}'"
    return {
        f"items_{lang}": (f"SELECT i.item_id, i.title, i.body FROM items i WHERE {match}", "item_id",
                          ("title", "body")),
        f"quotes_{lang}": ("SELECT q.quote_id, q.text, q.speaker FROM quotes q JOIN items i USING (item_id) "
                           f"WHERE {match}", "quote_id", ("text", "speaker")),
    }


def _stemmed_languages(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Primary subtags of the stored items' languages that get an index of their own."""
    rows = con.execute(f"SELECT DISTINCT {_PRIMARY_SQL.format(col='language')} FROM items").fetchall()
    return sorted(str(r[0]) for r in rows if str(r[0]) in STEMMERS)


def _lang_state(con: duckdb.DuckDBPyConnection, lang: str) -> IndexState:
    state: IndexState = "fresh"
    for table, (sql, key, _cols) in _lang_sources(lang).items():
        schema = f"fts_{_LANG_SCHEMA}_{table}"
        exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND "
                             "table_name = 'docs'", [schema]).fetchone()
        if not exists or not exists[0]:
            return "missing"
        want = _fingerprint(con, f'SELECT count(*), bit_xor(hash("{key}")) FROM ({sql})')
        if want != _fingerprint(con, f'SELECT count(*), bit_xor(hash(name)) FROM "{schema}".docs'):
            state = "stale"
    return state
# The fts extension's default english stop-word list is long; the SQL fallback uses the common core.
_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have", "he", "her",
    "his", "i", "in", "is", "it", "its", "of", "on", "or", "she", "that", "the", "their", "them", "they", "this",
    "to", "was", "were", "will", "with", "would", "said", "says",
})
_WORD = re.compile(r"\w+", re.UNICODE)
# The SQL fallback's light stemmer (the same rule in Python and SQL): strip one common suffix from words of
# four letters or more, so "ministers"/"minister" and "resigned"/"resign" match without the extension.
_SUFFIX = "(ing|ed|es|s)$"
_SUFFIX_RE = re.compile(_SUFFIX)
_SQL_STEM = f"CASE WHEN length(x) > 3 THEN regexp_replace(x, '{_SUFFIX}', '') ELSE x END"


@dataclass
class SearchHit:
    kind: Literal["story", "quote"]
    score: float
    item_id: str
    headline: str | None
    published_at: datetime | None
    agency: str | None
    source_uri: str | None
    snippet: str  # best passage with the matching words marked
    quote_id: str | None = None
    speaker: str | None = None
    text: str | None = None  # the whole quote (quotes only)
    language: str | None = None  # the story's language (BCP 47)


@dataclass
class SearchResult:
    query: str
    engine: Engine
    hits: list[SearchHit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "index rebuilt", "index stale: warehouse busy"


# --- the extension -------------------------------------------------------------------------------------

def fts_extension_path() -> Path | None:
    """The fts extension binary shipped by `duckdb-extension-fts` for this DuckDB, if installed."""
    try:
        import duckdb_extension_fts
    except ImportError:
        return None
    base = Path(duckdb_extension_fts.__file__).parent / "extensions"
    path = base / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    return path if path.is_file() else None


def load_fts(con: duckdb.DuckDBPyConnection) -> bool:
    """Load the fts extension into `con` from the installed wheel; False if it cannot be loaded."""
    path = fts_extension_path()
    if path is None:
        return False
    try:
        con.execute("SET autoinstall_known_extensions = false")
        con.execute(f"LOAD '{_sql_str(str(path))}'")
    except duckdb.Error:
        return False
    return True


def _sql_str(text: str) -> str:
    return text.replace("'", "''")


# --- index maintenance ---------------------------------------------------------------------------------

def _fingerprint(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, int]:
    row = con.execute(sql).fetchone()
    return (int(row[0]), int(row[1] or 0)) if row else (0, 0)


def index_state(con: duckdb.DuckDBPyConnection, name: str) -> IndexState:
    """Whether the fts index of table `name` covers exactly the rows of the table."""
    key, _cols = _INDEXES[name]
    schema = f"fts_main_{name}"
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'docs'", [schema]
    ).fetchone()
    if not exists or not exists[0]:
        return "missing"
    table_fp = _fingerprint(con, f'SELECT count(*), bit_xor(hash("{key}")) FROM "{name}"')
    index_fp = _fingerprint(con, f'SELECT count(*), bit_xor(hash(name)) FROM "{schema}".docs')
    return "fresh" if table_fp == index_fp else "stale"


def refresh_index(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> list[str]:
    """Rebuild the stale (or, with `force`, all) search indexes on a writer connection.

    Returns the names of the tables re-indexed. Raises `BadInput` if the fts extension cannot be loaded.
    """
    if not load_fts(con):
        raise BadInput("the DuckDB fts extension is not available (pip install duckdb-extension-fts)")
    rebuilt = []
    for name, (key, cols) in _INDEXES.items():
        if force or index_state(con, name) != "fresh":
            col_list = ", ".join(f"'{c}'" for c in cols)
            con.execute(f"PRAGMA create_fts_index('{name}', '{key}', {col_list}, {_FTS_OPTIONS})")
            rebuilt.append(name)
    for lang in _stemmed_languages(con):
        if force or _lang_state(con, lang) != "fresh":
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {_LANG_SCHEMA}")
            for table, (sql, key, cols) in _lang_sources(lang).items():
                con.execute(f"CREATE OR REPLACE TABLE {_LANG_SCHEMA}.{table} AS {sql}")
                col_list = ", ".join(f"'{c}'" for c in cols)
                con.execute(f"PRAGMA create_fts_index('{_LANG_SCHEMA}.{table}', '{key}', {col_list}, "
                            f"{_lang_options(STEMMERS[lang])})")
                rebuilt.append(f"{table} ({STEMMERS[lang]})")
    return rebuilt


def _language_clause(language: str | None, placeholder: str = "?") -> str:
    """Hits in `language` only: its primary subtag matches any region, a full tag matches itself."""
    if language is None:
        return ""
    if "-" in language:
        return f" AND lower(i.language) = lower({placeholder})"
    return f" AND {_PRIMARY_SQL.format(col='i.language')} = lower({placeholder})"


def _score_sql(table: str, key: str, langs: Sequence[str]) -> str:
    """BM25 of each row by the index of its story's language (the main index for the others)."""
    main = f"fts_main_{table}.match_bm25({key}, $q)"
    if not langs:
        return main
    cases = " ".join(f"WHEN '{lang}' THEN fts_{_LANG_SCHEMA}_{table}_{lang}.match_bm25({key}, $q)" for lang in langs)
    return f"CASE {_PRIMARY_SQL.format(col='lang')} {cases} ELSE {main} END"


# --- queries -------------------------------------------------------------------------------------------

def _since_clause(since: date | datetime | None, placeholder: str = "?") -> str:
    return "" if since is None else f" AND coalesce(i.published_at, i.ingested_at) >= {placeholder}"


def _as_datetime(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def _fts_story_sql(since_sql: str, langs: Sequence[str] = ()) -> str:
    return f"""
        SELECT i.item_id, s.score, i.title, i.published_at, i.agency, i.source_uri, i.body, i.language
        FROM (
            SELECT item_id, {_score_sql("items", "item_id", langs)} AS score
            FROM (SELECT item_id, language AS lang FROM items)
        ) s JOIN latest_items i USING (item_id)
        WHERE s.score IS NOT NULL{since_sql}
        ORDER BY s.score DESC, i.item_id LIMIT $limit
    """


def _fts_quote_sql(since_sql: str, langs: Sequence[str] = ()) -> str:
    return f"""
        SELECT q.item_id, s.score, i.title, i.published_at, i.agency, i.source_uri, q.text, q.quote_id,
               q.speaker, i.language
        FROM (
            SELECT quote_id, {_score_sql("quotes", "quote_id", langs)} AS score
            FROM (SELECT q.quote_id, i.language AS lang FROM quotes q JOIN items i USING (item_id))
        ) s
        JOIN quotes q USING (quote_id)
        JOIN latest_items i ON i.item_id = q.item_id
        WHERE s.score IS NOT NULL{since_sql}
        ORDER BY s.score DESC, q.quote_id LIMIT $limit
    """


def _sql_bm25(docs_sql: str, extra: str) -> str:
    """BM25 over `docs_sql` (columns: id, txt, plus whatever `extra` selects from it as `d`)."""
    return f"""
        WITH d AS ({docs_sql}),
        toks AS (SELECT id, list_transform(regexp_extract_all(lower(txt), '\\w+'), x -> {_SQL_STEM}) AS t FROM d),
        stats AS (SELECT count(*) AS n, avg(len(t)) AS avgdl FROM toks),
        tf AS (
            SELECT id, len(t) AS dl, term, count(*) AS tf
            FROM (SELECT id, t, unnest(list_filter(t, x -> list_contains($terms, x))) AS term FROM toks)
            GROUP BY ALL
        ),
        df AS (SELECT term, count(*) AS df FROM tf GROUP BY term),
        scored AS (
            SELECT tf.id, sum(
                ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
                * tf.tf * ({K1} + 1) / (tf.tf + {K1} * (1 - {B} + {B} * tf.dl / stats.avgdl))
            ) AS score
            FROM tf JOIN df USING (term), stats GROUP BY tf.id
        )
        SELECT {extra} FROM scored s JOIN d ON d.id = s.id ORDER BY s.score DESC, s.id LIMIT $limit
    """


def _sql_story_sql(since_sql: str) -> str:
    docs = ("SELECT i.item_id AS id, coalesce(i.title, '') || ' ' || i.body AS txt, i.* FROM latest_items i "
            f"WHERE true{since_sql}")
    return _sql_bm25(docs, "d.item_id, s.score, d.title, d.published_at, d.agency, d.source_uri, d.body, d.language")


def _sql_quote_sql(since_sql: str) -> str:
    docs = ("SELECT q.quote_id AS id, q.text || ' ' || coalesce(q.speaker, '') AS txt, q.item_id, q.text, "
            "q.quote_id, q.speaker, i.title, i.published_at, i.agency, i.source_uri, i.language "
            f"FROM quotes q JOIN latest_items i ON i.item_id = q.item_id WHERE true{since_sql}")
    return _sql_bm25(docs, "d.item_id, s.score, d.title, d.published_at, d.agency, d.source_uri, d.text, "
                           "d.quote_id, d.speaker, d.language")


def _query_terms(words: str) -> list[str]:
    return [w for w in dict.fromkeys(m.group(0).lower() for m in _WORD.finditer(words)) if w not in _STOPWORDS]


def _light_stems(words: Sequence[str]) -> list[str]:
    return [_SUFFIX_RE.sub("", w) if len(w) > 3 else w for w in (x.lower() for x in words)]


# --- snippets ------------------------------------------------------------------------------------------

Marks = tuple[str, str]
Stemmer = Callable[[Sequence[str]], list[str]]


def _sql_stemmer(con: duckdb.DuckDBPyConnection, stemmer: str = "porter") -> Stemmer:
    def stems(words: Sequence[str]) -> list[str]:
        if not words:
            return []
        row = con.execute(f"SELECT list_transform(?, w -> stem(lower(w), '{stemmer}'))", [list(words)]).fetchone()
        return list(row[0]) if row else []
    return stems


def highlight(
    text: str,
    query_words: Sequence[str],
    *,
    width: int = 220,
    marks: Marks = ("**", "**"),
    stems: Stemmer = _light_stems,
) -> str:
    """The passage of `text` (about `width` characters) holding the most distinct query words, with every
    matching word wrapped in `marks`. Words match when their stems match (`stems` maps words to stems)."""
    wanted = {s for s in stems(list(query_words)) if s}
    tokens = list(_WORD.finditer(text))
    token_stems = stems([t.group(0) for t in tokens]) if tokens else []
    hit_stems = [(t, s) for t, s in zip(tokens, token_stems, strict=True) if s in wanted]
    hits = [t for t, _ in hit_stems]
    lo, hi = 0, len(text)
    if len(text) > width:
        best: tuple[int, int] = (-1, 0)
        best_start = 0
        for i, (h, _) in enumerate(hit_stems):  # window a little before each hit: most distinct words, then most
            start = max(0, h.start() - width // 6)
            inside = [s for x, s in hit_stems[i:] if x.end() <= start + width]
            score = (len(set(inside)), len(inside))
            if score > best:
                best, best_start = score, start
        lo, hi = _word_bounds(text, best_start, min(len(text), best_start + width))
    out: list[str] = []
    pos = lo
    for h in hits:
        if h.start() < lo or h.end() > hi:
            continue
        out.append(text[pos:h.start()])
        out.append(marks[0] + h.group(0) + marks[1])
        pos = h.end()
    out.append(text[pos:hi])
    snippet = " ".join("".join(out).split())
    return ("…" if lo > 0 else "") + snippet + ("…" if hi < len(text) else "")


def _word_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Move lo forward and hi back so the window does not cut words in half."""
    if lo > 0 and text[lo - 1].isalnum():
        m = re.search(r"\W", text[lo:hi])
        lo = lo + m.end() if m else lo
    if hi < len(text) and text[hi].isalnum():
        cut = max(text.rfind(" ", lo, hi), text.rfind("\n", lo, hi))
        hi = cut if cut > lo else hi
    return lo, hi


# --- the entry point -----------------------------------------------------------------------------------

def _check(con: duckdb.DuckDBPyConnection, db: str, notes: list[str]) -> dict[str, IndexState] | None:
    """Index states on a reader connection with the extension loaded; None when fts cannot be used."""
    if not load_fts(con):
        notes.append("fts extension not available: BM25 computed in SQL, light stemming")
        return None
    try:
        states = {name: index_state(con, name) for name in _INDEXES}
        states.update({f"language {lang}": _lang_state(con, lang) for lang in _stemmed_languages(con)})
        return states
    except duckdb.CatalogException:  # not a wire warehouse (no items table)
        raise BadInput(f"{db}: not a wire warehouse (no items table)") from None


def _rebuild(db: str, wait: float, states: dict[str, IndexState], notes: list[str]) -> bool:
    """Refresh stale indexes through a short writer connection; True when an fts index can be used."""
    try:
        with writer(db, wait=wait, threads=None) as con:
            rebuilt = refresh_index(con)
        if rebuilt:
            notes.append("search index rebuilt for " + ", ".join(rebuilt))
        return True
    except WarehouseBusy:
        if all(s != "missing" for s in states.values()):
            notes.append("search index is behind the latest load (warehouse busy); results may miss new items")
            return True
        notes.append("no search index yet and the warehouse is busy: BM25 computed in SQL, light stemming")
        return False


def _run(
    con: duckdb.DuckDBPyConnection, result: SearchResult, terms: list[str], *, use_fts: bool, quotes: bool,
    since: date | datetime | None, limit: int, width: int, marks: Marks, language: str | None = None,
) -> None:
    since_value = None if since is None else _as_datetime(since)
    where = _since_clause(since, "$since") + _language_clause(language, "$language")
    params: dict[str, Any] = {"limit": limit}
    if since_value is not None:
        params["since"] = since_value
    if language is not None:
        params["language"] = language
    stemmers: dict[str, Stemmer] = {}
    if use_fts:
        result.engine = "fts"
        langs = [lang for lang in _stemmed_languages(con) if _lang_state(con, lang) != "missing"]
        sql = _fts_quote_sql(where, langs) if quotes else _fts_story_sql(where, langs)
        params["q"] = " ".join(terms)
        rows = con.execute(sql, params).fetchall()

        def stemmer_of(lang: str | None) -> Stemmer:
            name = STEMMERS.get((lang or "").split("-")[0].lower(), "porter")
            if name not in stemmers:
                stemmers[name] = _sql_stemmer(con, name)
            return stemmers[name]
    else:
        result.engine = "sql"
        sql = _sql_quote_sql(where) if quotes else _sql_story_sql(where)
        params["terms"] = list(dict.fromkeys(_light_stems(terms)))
        rows = con.execute(sql, params).fetchall()

        def stemmer_of(lang: str | None) -> Stemmer:
            return _light_stems
    for row in rows:
        if quotes:
            item_id, score, title, published, agency, uri, text, quote_id, speaker, lang = row
            result.hits.append(SearchHit(
                "quote", float(score), item_id, title, published, agency, uri,
                highlight(text, terms, width=width, marks=marks, stems=stemmer_of(lang)),
                quote_id=quote_id, speaker=speaker, text=text, language=lang))
        else:
            item_id, score, title, published, agency, uri, body, lang = row
            result.hits.append(SearchHit(
                "story", float(score), item_id, title, published, agency, uri,
                highlight(body, terms, width=width, marks=marks, stems=stemmer_of(lang)), language=lang))


def search(
    db: str | os.PathLike[str],
    words: str,
    *,
    quotes: bool = False,
    since: date | datetime | None = None,
    limit: int = 10,
    width: int = 220,
    marks: Marks = ("**", "**"),
    wait: float = 10.0,
    engine: Engine | None = None,
    language: str | None = None,
) -> SearchResult:
    """Stories (or, with `quotes`, quotes) of the latest stories that match `words`, best first.

    `since` keeps stories published (else stored) on or after that date; `language` stories in that language
    ("fr": fr, fr-CA ...; "pt-BR": pt-BR only). `engine` forces "fts" or "sql";
    by default the fts index is used (and refreshed when stale) and SQL BM25 is the fallback.
    """
    db = str(db)
    if not Path(db).exists():
        raise FileNotFoundError(f"{db}: no such warehouse (run `wire backfill ... --db {db}` first)")
    terms = _query_terms(words)
    result = SearchResult(query=words, engine="sql")
    if not terms:
        result.notes.append("no search words (only stop words or punctuation)")
        return result
    opts: dict[str, Any] = {"quotes": quotes, "since": since, "limit": limit, "width": width, "marks": marks,
                            "language": language}
    with reader(db, wait=wait) as con:
        states = None if engine == "sql" else _check(con, db, result.notes)
        if states is None or all(s == "fresh" for s in states.values()):
            if engine == "fts" and states is None:
                raise BadInput("the fts engine was asked for but cannot be used: " + "; ".join(result.notes))
            _run(con, result, terms, use_fts=states is not None, **opts)
            return result
    use_fts = _rebuild(db, wait, states, result.notes)  # stale or missing: a short writer, then read again
    if engine == "fts" and not use_fts:
        raise BadInput("the fts engine was asked for but cannot be used: " + "; ".join(result.notes))
    with reader(db, wait=wait) as con:
        _run(con, result, terms, use_fts=use_fts and load_fts(con), **opts)
    return result
