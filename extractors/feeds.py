"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed 1.0/1.1) -> one Story per entry.

Pure: bytes in, stories out (no network; the flow fetches article pages itself and swaps the body).

RSS and Atom go through feedparser from the raw bytes (it finds the encoding); JSON Feed is read here
because feedparser does not know it. Ill-formed ("bozo") XML is parsed as far as feedparser gets and the
error is kept as a warning on every story; only a document with no entries at all that does not even
look like a feed is refused (`BadInput`).

Story of an entry:
- `guid`: the entry's id/guid; an entry without one gets a stable id from link + title + date
  (`urn:wire:feed:<hash>`, `meta.guid_generated`), so it is the same item on every poll. Identity uses
  `extractors.identity.canonical_guid`, so guids that flip between http and https are one entry; an entry
  repeated inside one document is kept once (the first, feeds list newest first).
- `body`: the cleaned text of content:encoded / Atom content / JSON `content_html`|`content_text`, else
  the summary (HTML cleaned with beautifulsoup4, paragraphs joined by a blank line, feed trailers such as
  "Continue reading..." and "The post X appeared first on Y." dropped).
- An entry whose body is empty after cleaning is NOT dropped ("every entry is stored once"): its title
  becomes the body (`meta.body_from = "title"` and a warning), else its link; an entry with none of
  body, title and link holds nothing to store and is left out with a feed-level problem.
- `meta.summary_only` says the body came from a summary (the flow may fetch the article page).
- `published_at`: feedparser's UTC struct_time; when it cannot read the date (non-English month or
  day names, odd layouts) `parse_feed_date` reads it (naive UTC).
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from .charset import reconcile_xml
from .clean import clean_inline, normalise_byline
from .dates import parse_datetime
from .errors import BadInput, NotAStory, UnsafeInput
from .html import html_to_text
from .identity import canonical_guid
from .ids import stable_id
from .months import MONTH_NUMBERS
from .records import Story

__all__ = ["ParsedFeed", "parse_feed", "parse_feed_date", "read_feed", "sniff_feed"]

SOURCE_KIND = "feed"

# --- sniffing -----------------------------------------------------------------------------------------

_XML_PROLOG = re.compile(rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S | re.I)
_ROOT = re.compile(rb"<\s*([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def sniff_feed(data: bytes) -> str | None:
    """'rss', 'rdf', 'atom' or 'jsonfeed' when the bytes are a feed document, else None (by content)."""
    head = data[:16384]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 XML: decode the head to sniff it
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return None
    stripped = head.lstrip()
    if stripped.startswith(b"{"):
        if re.search(rb'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org', head):
            return "jsonfeed"
        if b"jsonfeed.org" in data:  # the version key may come after the items (JSON keys have no order)
            try:
                doc = json.loads(data.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError):
                return None
            if isinstance(doc, dict) and "jsonfeed.org" in str(doc.get("version", "")):
                return "jsonfeed"
        return None
    rest = head[_XML_PROLOG.match(head).end():]  # type: ignore[union-attr]  # the pattern always matches
    m = _ROOT.match(rest)
    if not m:
        return None
    name = m.group(2).lower()
    if name == b"rss":
        return "rss"
    if name == b"rdf" and (b"purl.org/rss/1.0" in head or b"netscape.com/rdf" in head or b"<channel" in data[:65536]):
        return "rdf"
    if name == b"feed" and (b"http://www.w3.org/2005/atom" in head.lower() or b"purl.org/atom" in head.lower()):
        return "atom"
    return None


# --- dates --------------------------------------------------------------------------------------------

_WEEKDAY_NAMES = (
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday "
    "mo di mi do fr sa so montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "lun mar mer jeu ven sam dim lundi mardi mercredi jeudi vendredi samedi dimanche "
    "mié jue vie sáb dom lunes martes miércoles jueves viernes sábado domingo "
    "gio lunedì martedì mercoledì giovedì venerdì sabato domenica "
    "seg ter qua qui sex segunda terça quarta quinta sexta "
    "ma wo vr za zo maandag dinsdag woensdag donderdag vrijdag zaterdag zondag"
)
_WEEKDAYS = frozenset(_WEEKDAY_NAMES.split())
_ZONES = {"ut": 0, "utc": 0, "gmt": 0, "z": 0, "mez": 1, "cet": 1, "mesz": 2, "cest": 2, "est": -5, "edt": -4,
          "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "ist": 5.5, "jst": 9}
_EMAIL_ZONES = {"ut", "utc", "gmt", "z", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"}
_TOKEN = re.compile(r"[^\W\d_]+\.?|\d+|[+-]\d{2}:?\d{2}", re.U)
_TIME = re.compile(r"\b(\d{1,2})(?::|h(?=\d))(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\b\.?)?", re.I)


def parse_feed_date(raw: str | None) -> datetime | None:
    """A feed date in any common layout and language as naive UTC: ISO 8601, RFC 822, and day/month-name
    dates with non-English names ('Mi, 01 Feb 2016 17:22:00 +0100', '3 févr. 2016 10:00 CET'); else None."""
    if not raw or not raw.strip():
        return None
    strict = raw.strip()
    if re.search(r"[A-Za-z]{3}", strict):  # RFC 822 style: email.utils wants '+0100', not '+01:00'
        strict = re.sub(r"([+-]\d{2}):(\d{2})$", r"\1\2", strict)
    last = strict.rsplit(None, 1)[-1].lower() if " " in strict else ""
    # email.utils reads an unknown zone name ('CEST', 'MEZ') as UTC; those go to the reader below
    clock = _TIME.search(strict)
    if not (last in _ZONES and last not in _EMAIL_ZONES) and not (clock and clock.group(4)):
        parsed = parse_datetime(strict)
        if parsed is not None:
            return parsed
    text = unicodedata.normalize("NFC", raw).strip().lower()
    time_m = _TIME.search(text)
    hour = minute = second = 0
    if time_m:
        hour, minute, second = int(time_m.group(1)), int(time_m.group(2)), int(time_m.group(3) or 0)
        if time_m.group(4) and 1 <= hour <= 12:  # 12-hour clock
            hour = hour % 12 + (12 if time_m.group(4).lower() == "p" else 0)
        text = text[: time_m.start()] + " " + text[time_m.end():]
    day = month = year = None
    offset: float | None = None
    numbers: list[int] = []
    months: list[str] = []
    for tok in _TOKEN.findall(text):
        word = tok.rstrip(".")
        if tok[0] in "+-" and len(tok) >= 5:
            sign = -1 if tok[0] == "-" else 1
            digits = tok[1:].replace(":", "")
            if digits.isdecimal():
                offset = sign * (int(digits[:2]) + int(digits[2:]) / 60)
        elif word.isdecimal():  # not isdigit(): '²' is a digit that int() refuses
            numbers.append(int(word))
        elif word in MONTH_NUMBERS:
            months.append(word)
        elif word in _ZONES:
            offset = _ZONES[word]
        elif word in _WEEKDAYS or word in {"de", "del", "der", "den", "le", "of", "um", "à", "a", "h", "uhr"}:
            continue
    if months:  # 'mar' is March and a French Tuesday: a name that is no weekday wins
        month = MONTH_NUMBERS[next((w for w in months if w not in _WEEKDAYS), months[-1])]
    if month is None:  # numeric: 01.02.2016 / 01/02/2016 (day first, the non-US convention)
        if len(numbers) >= 3:
            if numbers[0] > 31:
                year, month, day = numbers[0], numbers[1], numbers[2]
            else:
                day, month, year = numbers[0], numbers[1], numbers[2]
    else:
        for n in numbers:
            if n > 31 and year is None:
                year = n
            elif day is None and 1 <= n <= 31:
                day = n
            elif year is None:
                year = n
    if year is None or month is None or day is None:
        return None
    if year < 100:
        year += 2000
    try:
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if offset:
        value -= timedelta(hours=offset)
    return value


def _struct_to_dt(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError):
        return None


# --- cleaning -----------------------------------------------------------------------------------------

_TRAILER = re.compile(
    r"^(?:continue reading|read more|read the full (?:story|article)|weiterlesen|lire la suite|leer más|"
    r"the post .{1,300} appeared first on .{1,200}|this (?:article|entry|post) (?:was|is) (?:originally )?"
    r"(?:published|posted) (?:on|at|by) .{1,200}|related:.{0,300}|\[(?:\.\.\.|…)\])\W*$",
    re.I,
)


def _clean_html(markup: str) -> str:
    if not markup or not markup.strip():
        return ""
    if "<" not in markup and "&" not in markup:
        paras = [clean_inline(p) for p in re.split(r"\n\s*\n", markup)]
        return "\n\n".join(p for p in paras if p)
    text = html_to_text(markup)
    paras = [p for p in text.split("\n\n") if p and not _TRAILER.match(p)]
    if paras and paras[-1].endswith(("[…]", "[...]")):
        paras[-1] = paras[-1][: -5 if paras[-1].endswith("[...]") else -3].rstrip()
    return "\n\n".join(p for p in paras if p)


def _plain_text(text: str) -> str:
    paras = [clean_inline(p) for p in re.split(r"\n\s*\n", text or "")]
    return "\n\n".join(p for p in paras if p and not _TRAILER.match(p))


# --- entries ------------------------------------------------------------------------------------------


@dataclass
class _Entry:
    """What every feed format gives for one entry, before it becomes a Story."""

    guid: str | None
    link: str | None
    title: str | None
    author: str | None
    content: str  # cleaned
    summary: str  # cleaned
    published: datetime | None
    date_raw: str | None
    language: str | None
    tags: list[str] = field(default_factory=list)
    updated: datetime | None = None


@dataclass
class ParsedFeed:
    """A parsed feed document: its stories and what went wrong reading it."""

    format: str  # rss20, rss10, rss091u, atom10, json11 ...
    title: str | None
    link: str | None
    language: str | None
    stories: list[Story]
    bozo: str | None = None  # the well-formedness error feedparser met, when any
    problems: list[tuple[int, str]] = field(default_factory=list)  # (entry index, why it was left out)
    repeated: int = 0  # entries repeated inside the document (kept once)


def _generated_guid(link: str | None, title: str | None, date_raw: str | None) -> str:
    return "urn:wire:feed:" + stable_id("feed-entry", canonical_guid(link) if link else "", (title or "").strip(),
                                        (date_raw or "").strip())


def _to_story(e: _Entry, idx: int, source_uri: str, fmt: str, feed_title: str | None, feed_lang: str | None,
              agency: str | None, bozo: str | None) -> Story | None:
    title = clean_inline(e.title) if e.title else None
    warnings: list[str] = []
    meta: dict[str, Any] = {"feed_format": fmt}
    if feed_title:
        meta["feed_title"] = feed_title
    body, body_from = (e.content, "content") if e.content else (e.summary, "summary")
    if e.content and e.summary and len(e.summary) > len(e.content) * 1.5:  # a stub content, the summary is fuller
        body, body_from = e.summary, "summary"
    if not body:
        if title:
            body, body_from = title, "title"
        elif e.link:
            body, body_from = e.link, "link"
        else:
            return None
        warnings.append(f"{source_uri}: entry {idx} has no text; its {body_from} is stored as the body")
    meta["body_from"] = body_from
    meta["summary_only"] = body_from != "content"
    if e.content and e.summary and e.summary != e.content:
        meta["summary"] = e.summary[:2000]
    guid = e.guid.strip() if e.guid and e.guid.strip() else None
    if guid is None:
        guid = _generated_guid(e.link, title, e.date_raw)
        meta["guid_generated"] = True
    published = e.published
    if published is None and e.date_raw:
        published = parse_feed_date(e.date_raw)
        if published is None:
            warnings.append(f"{source_uri}: entry {idx}: cannot read the date {e.date_raw!r}")
    if e.updated is not None:
        meta["updated_at"] = e.updated.isoformat()
    if bozo:
        warnings.append(f"{source_uri}: ill-formed feed, read as far as possible: {bozo}")
    return Story(
        source_uri=source_uri,
        source_kind=SOURCE_KIND,
        body=body,
        title=title,
        byline=normalise_byline(e.author) if e.author and e.author.strip() else None,
        agency=agency,
        published_at=published,
        guid=guid,
        url=e.link,
        language=e.language or feed_lang,
        keywords=[t for t in dict.fromkeys(clean_inline(t) for t in e.tags) if t],
        part=idx,
        meta=meta,
        warnings=warnings,
    )


def _fp_text(detail: Any, fallback: Any = "") -> str:
    """Cleaned text of a feedparser text construct (HTML or plain)."""
    if isinstance(detail, dict) and "value" in detail:
        value = str(detail.get("value") or "")
        kind = str(detail.get("type") or "")
        return _plain_text(value) if kind == "text/plain" and "<" not in value else _clean_html(value)
    return _clean_html(str(fallback or ""))


def _raw(d: Any, key: str) -> Any:
    """A FeedParserDict value without its legacy key mapping (updated -> published warns)."""
    return dict.get(d, key) if isinstance(d, dict) else None


def _fp_entries(parsed: Any) -> list[_Entry]:
    out: list[_Entry] = []
    for e in parsed.entries:
        contents = [_fp_text(c) for c in _raw(e, "content") or []]
        content = max(contents, key=len) if contents else ""
        summary = _fp_text(_raw(e, "summary_detail"), _raw(e, "summary") or "")
        if content and summary == content:
            summary = ""
        date_raw = _raw(e, "published") or _raw(e, "updated") or _raw(e, "created")
        # our reader first: feedparser misreads some non-English dates ('2016年2月1日' as 1 November)
        published = parse_feed_date(date_raw) if date_raw else None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            if published is None and _raw(e, key):
                published = _struct_to_dt(_raw(e, key))
        updated = _struct_to_dt(_raw(e, "updated_parsed")) if _raw(e, "updated_parsed") else None
        link = _raw(e, "link") or None
        guid = _raw(e, "id") or None
        title = _raw(e, "title") or None
        if title and "<" in title:
            title = html_to_text(title) or title
        lang = None
        detail = _raw(e, "title_detail") or _raw(e, "summary_detail")
        if isinstance(detail, dict) and dict.get(detail, "language"):
            lang = str(dict.get(detail, "language"))
        tags = [str(dict.get(t, "term") or dict.get(t, "label") or "") for t in _raw(e, "tags") or []]
        out.append(_Entry(guid=guid, link=link, title=title, author=_raw(e, "author") or None, content=content,
                          summary=summary, published=published, date_raw=date_raw, language=lang, tags=tags,
                          updated=updated if updated != published else None))
    return out


def _json_author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    if isinstance(authors, list):
        names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
        if names:
            return " and ".join(names)
    author = item.get("author")
    if isinstance(author, dict) and author.get("name"):
        return str(author["name"])
    return None


def _parse_json_feed(data: bytes, source_uri: str) -> tuple[dict[str, Any], list[_Entry]]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadInput(f"{source_uri}: JSON Feed is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items", []), list):
        raise BadInput(f"{source_uri}: not a JSON Feed (no items list)")
    entries: list[_Entry] = []
    for item in doc.get("items") or []:
        if not isinstance(item, dict):
            continue
        content = _clean_html(str(item.get("content_html") or "")) or _plain_text(str(item.get("content_text") or ""))
        summary = _plain_text(str(item.get("summary") or ""))
        if summary and "<" in summary:
            summary = _clean_html(summary)
        if summary == content:
            summary = ""
        date_raw = item.get("date_published") or item.get("date_modified")
        published = parse_feed_date(str(date_raw)) if date_raw else None
        modified = parse_feed_date(str(item["date_modified"])) if item.get("date_modified") else None
        guid = item.get("id")
        tags = [str(t) for t in item.get("tags") or [] if isinstance(t, str | int)]
        entries.append(_Entry(
            guid=str(guid) if guid is not None and str(guid).strip() else None,
            link=str(item.get("url") or item.get("external_url") or "") or None,
            title=str(item["title"]) if item.get("title") else None,
            author=_json_author(item) or _json_author(doc),
            content=content, summary=summary, published=published,
            date_raw=str(date_raw) if date_raw else None,
            language=str(item["language"]) if item.get("language") else None,
            tags=tags, updated=modified if modified != published else None,
        ))
    return doc, entries


_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


def parse_feed(data: bytes, source_uri: str, *, agency: str | None = None) -> ParsedFeed:
    """Parse a feed document into stories (see the module doc); `BadInput` when it is not a feed."""
    if not data.strip():
        raise NotAStory(f"{source_uri}: empty feed")
    kind = sniff_feed(data)
    bozo: str | None = None
    lie: str | None = None
    if kind == "jsonfeed":
        doc, entries = _parse_json_feed(data, source_uri)
        version = str(doc.get("version", ""))
        fmt = "json" + (version.rstrip("/").rsplit("/", 1)[-1].replace(".", "") if version else "")
        title = str(doc["title"]) if doc.get("title") else None
        link = str(doc["home_page_url"]) if doc.get("home_page_url") else None
        lang = str(doc["language"]) if doc.get("language") else None
    else:
        if _ENTITY_DECL.search(data[:65536]):
            raise UnsafeInput(f"{source_uri}: feed declares XML entities (entity expansion / external entities); "
                              "refused")
        data, lie = reconcile_xml(data)  # a declared charset the bytes contradict: the bytes win
        try:
            parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        except Exception as exc:  # feedparser rarely raises, but a reader bug must name the feed
            raise BadInput(f"{source_uri}: cannot parse feed: {type(exc).__name__}: {exc}") from exc
        if parsed.get("bozo"):
            err = parsed.get("bozo_exception")
            bozo = f"{type(err).__name__}: {err}" if err else "ill-formed"
        fmt = str(parsed.get("version") or kind or "")
        if not parsed.entries and (not fmt or kind is None):
            raise BadInput(f"{source_uri}: not a feed (no RSS, Atom or JSON Feed document"
                           + (f"; {bozo}" if bozo else "") + ")")
        if not parsed.entries and bozo:
            raise BadInput(f"{source_uri}: not a feed: ill-formed {fmt or 'feed'} document with no readable "
                           f"entry ({bozo})")
        entries = _fp_entries(parsed)
        feed = parsed.get("feed", {})
        title = clean_inline(str(feed.get("title"))) if feed.get("title") else None
        link = str(feed.get("link")) if feed.get("link") else None
        lang = str(feed.get("language")) if feed.get("language") else None
        if not lang:
            detail = feed.get("title_detail")
            lang = str(detail.get("language")) if isinstance(detail, dict) and detail.get("language") else None
    result = ParsedFeed(format=fmt, title=title, link=link, language=lang, stories=[], bozo=bozo)
    seen: set[str] = set()
    for idx, entry in enumerate(entries):
        story = _to_story(entry, idx, source_uri, fmt, title, lang, agency, bozo)
        if story is None:
            result.problems.append((idx, f"{source_uri}: entry {idx} has no text, title or link; nothing to store"))
            continue
        key = canonical_guid(story.guid or "")
        if key in seen:
            result.repeated += 1
            continue
        seen.add(key)
        if lie:
            story.warnings.append(f"{source_uri}: {lie}")
        result.stories.append(story)
    return result


def read_feed(data: bytes, source_uri: str, *, agency: str | None = None) -> list[Story]:
    """Stories of a feed document, one per entry (the reader `extractors.readers.read_bytes` dispatches to)."""
    return parse_feed(data, source_uri, agency=agency).stories

