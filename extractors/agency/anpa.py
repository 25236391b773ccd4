"""AP ANPA-1312 plain-text reader (control characters, keyword/slug line, `^` top matter,
`Eds:` notes, tab-indented paragraphs, `AP-WF-02-20-16 0337GMT` trailer after ETX)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from ..agencies import agency_name
from ..datelines import split_dateline
from ..errors import NotAStory
from ..records import Story
from .common import clean_inline, normalise_byline, strip_controls
from .story import assemble

__all__ = [
    "EMBARGO_NOTE",
    "US_ZONES",
    "decode_wire",
    "kill_or_correction",
    "read_anpa",
    "slug_parts",
    "split_messages",
]

SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"

# ANPA priority codes -> IPTC-like urgency (1 most urgent).
_PRIORITY = {"f": 1, "b": 2, "u": 3, "s": 4, "r": 5, "d": 6, "a": 7, "w": 8}
US_ZONES = {"GMT": 0, "UTC": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
            "PST": -8, "PDT": -7, "ET": -5, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "BST": 1}
_KEYWORD_LINE = re.compile(
    r"^(?:(?P<prio>[a-z])\s+(?P<cat>[a-z])\s+)?(?P<slug>\S.*?)"
    r"(?:\s+(?P<md>\d{1,2}-\d{1,2}))?(?:\s+(?P<wc>\d{3,5}))?\s*$"
)
_TRAILER = re.compile(
    r"(?P<agency>[A-Z][A-Za-z]*)?-?(?:[A-Z]{1,3}-)?(?P<mo>\d{1,2})-(?P<d>\d{1,2})-(?P<y>\d{2,4})\s+"
    r"(?P<hm>\d{3,4})\s*(?P<tz>[A-Z]{1,4})?"
)
_VERSION_WORDS = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)(?:ld|lead|add|take|sub)?|ld|lead|writethru|write|thru|sub|substitute|adds?|"
    r"inserts?|kill|mandatory|correction|corrective|corrects?|urgent|bulletin|update[ds]?|elimination|"
    r"eliminate|withdrawal|withdrawn|repeat|rpt|precede|advisory|takes?|part|fix|retransmission|"
    r"resend|\d+)$",
    re.IGNORECASE,
)
_CYCLE = re.compile(r"^(?:[ab][cmp]?|am|pm|bc|[AB][CMP]?)-", re.IGNORECASE)
_LD = re.compile(r"(\d+)(?:st|nd|rd|th)\s*-?\s*(?:Ld|Lead)\b", re.IGNORECASE)
# Kill / correction markers: as a whole word of the slug, or at the start of a headline or note
# (never anywhere in a headline: "Troops begin withdrawal" is not a kill).
_KILL_TOKEN = re.compile(r"^(?:mandatory)?(?:kill|elimination|eliminate)$", re.IGNORECASE)
_CORRECTION_TOKEN = re.compile(r"^(?:correction|corrective|corrects?|berichtigung|korrektur)$", re.IGNORECASE)
_LEAD = r"^\s*\(?\s*(?:(?:eds?|editors?|advisory|achtung)\s*[:.]\s*)?"
_KILL_LEAD = re.compile(
    _LEAD + r"(?:(?:mandatory\s+)?kill\b|elimination\b|(?:this\s+)?(?:story|item|meldung)\s+"
    r"(?:is\s+|has\s+been\s+|wird\s+)?(?:withdrawn|killed|zurückgezogen))",
    re.IGNORECASE,
)
_CORRECTS = re.compile(r"\bcorrect(?:s|ion|ive)\b", re.IGNORECASE)
_CORRECTION_LEAD = re.compile(_LEAD + r"(?:correction|corrects?|corrective|berichtigung|korrektur)\b", re.IGNORECASE)
_EMBARGO = re.compile(r"\bembargo|\bsperrfrist|\bhold for release", re.IGNORECASE)
EMBARGO_NOTE = _EMBARGO
_EDS = re.compile(r"^\s*\(?\s*(?:eds?|editors?|editor['’]s note|advisory)\s*(?:[:.]|_\s)", re.IGNORECASE)
_BYLINE_TITLE = re.compile(
    r"\b(?:writer|correspondent|editor|reporter|columnist|analyst|press|staff|contributor|critic|producer)s?\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*By\s+\S", re.IGNORECASE)
_PHOTO = re.compile(r"^(?:AP|With AP)\s+(?:Photos?|Graphics?|Video|Audio)\b", re.IGNORECASE)
_SLUG_REPEAT = re.compile(r"^(?:AM|PM|BC|[AB][CMP]?)-\S|^[ab]?[A-Za-z]{0,3}-[\w-]+.*,\s*\d{2,5}\s*$", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?:;\"'’”»)\]]$")


def _first_sentence(text: str, limit: int = 160) -> str:
    match = re.match(r"(.+?[.!?])(?=\s+[A-Z\"“‘]|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " ..."
    return sentence


def _continues(previous: str, line: str) -> bool:
    """ANPA sends one paragraph (or table row) per line; a line only continues the one before when
    that one is unfinished and this one starts in lower case (a hard wrap)."""
    return not _TERMINAL.search(previous) and line[:1].islower()


def decode_wire(data: bytes) -> str:
    """Wire text as str: UTF-8 when it decodes, else Windows-1252 (the usual 8-bit wire encoding)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def split_messages(text: str) -> list[str]:
    """The messages of a wire stream: each starts with SOH (an optional SYN run before it)."""
    chunks = [c for c in re.split(r"\x16*\x01", text) if STX in c or c.strip(" \r\n\x16\x04\x7f")]
    return chunks or [text]


def slug_parts(slug: str) -> tuple[str, int, bool, bool]:
    """(story key, version, is kill, is correction) of a slug such as "BC-BKN--Heat-Hawks 1stLd-Writethru"."""
    core = _CYCLE.sub("", slug.strip())
    tokens = [t for t in re.split(r"[\s,]+", core) if t]
    kept: list[str] = []
    for token in tokens:
        pieces = [p for p in token.split("-")]
        while pieces and (not pieces[-1] or _VERSION_WORDS.match(pieces[-1])):
            pieces.pop()
        if pieces and not all(_VERSION_WORDS.match(p) or not p for p in pieces):
            kept.append("-".join(pieces))
    key = re.sub(r"-{2,}", "-", "-".join(kept)).strip("-").casefold()
    ld = _LD.search(slug)
    version = int(ld.group(1)) + 1 if ld else 1
    words = [w for w in re.split(r"[\s,\-/]+", slug) if w]
    kill = any(_KILL_TOKEN.match(w) for w in words)
    correction = any(_CORRECTION_TOKEN.match(w) for w in words)
    return key, version, kill, correction


def kill_or_correction(texts: list[str]) -> tuple[bool, bool]:
    """(is kill, is correction) from headlines / editor notes that start with such a marker."""
    kill = any(_KILL_LEAD.match(t) for t in texts)
    corr = any(_CORRECTION_LEAD.match(t) for t in texts)
    return kill, corr


def _trailer_time(trailer: str) -> tuple[datetime | None, str | None]:
    match = _TRAILER.search(trailer)
    if not match:
        return None, None
    year = int(match["y"])
    year += 2000 if year < 70 else (1900 if year < 100 else 0)
    hm = match["hm"].zfill(4)
    try:
        local = datetime(year, int(match["mo"]), int(match["d"]), int(hm[:2]), int(hm[2:]))
    except ValueError:
        return None, match["agency"]
    offset = US_ZONES.get((match["tz"] or "GMT").upper(), 0)
    return local - timedelta(hours=offset), match["agency"]


def _message_story(message: str, source_uri: str, part: int) -> Story:
    warnings: list[str] = []
    meta: dict[str, Any] = {}
    head, found_stx, rest = message.partition(STX)
    if not found_stx:
        # Control characters stripped in transit: the text starts at the first "^" or tab line.
        start = re.search(r"^[\^\t]", message, re.MULTILINE)
        head, rest = (message[: start.start()], message[start.start() :]) if start else ("", message)
        warnings.append("no STX control character: text start found from the layout")
    if ETX not in rest:
        trailer_line = re.search(r"^\s*[A-Z]{1,4}-[A-Z]{1,4}-\d{1,2}-\d{1,2}-\d{2,4}\s+\d{3,4}\s*[A-Z]{0,4}\W*$",
                                 rest, re.MULTILINE)
        if trailer_line:
            rest = rest[: trailer_line.start()] + ETX + rest[trailer_line.start() :]
    text, _, trailer = rest.partition(ETX)
    trailer = clean_inline(re.sub(r"[\x00-\x1f\x7f]", " ", trailer)).strip("<= ")
    if trailer:
        meta["trailer"] = trailer

    header_lines = [clean_inline(re.sub(r"[\x00-\x1f\x7f]", " ", line)) for line in head.splitlines()]
    header_lines = [line for line in header_lines if line]
    priority = category = None
    slug = None
    slug_date = None
    word_count = None
    for line in reversed(header_lines):
        match = _KEYWORD_LINE.match(line)
        if match and ("-" in match["slug"] or match["md"]):
            priority, category = match["prio"], match["cat"]
            slug = match["slug"].strip()
            slug_date = match["md"]
            word_count = match["wc"]
            break
    if header_lines:
        meta["header"] = header_lines
    if category:
        meta["category"] = category
    if word_count:
        meta["word_count"] = int(word_count)

    top: list[str] = []  # ^-lines before the text
    paragraphs: list[str] = []
    ed_notes: list[str] = []
    photos: list[str] = []
    byline = byline_title = None
    in_text = False
    current: list[str] = []

    def flush() -> None:
        if current:
            para = clean_inline(" ".join(current))
            if para:
                paragraphs.append(para)
            current.clear()

    after_byline = False
    for raw in strip_controls(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
        caret = raw.lstrip().startswith("^")
        line = raw.strip()
        if caret:
            line = line[1:]
        line = re.sub(r"\s*[<=]+\s*$", "", line).strip()
        if not line:
            flush()
            continue
        if not in_text and (caret or _EDS.match(line) or (_BYLINE.match(line) and byline is None)):
            if _EDS.match(line):
                ed_notes.append(line)
            elif _PHOTO.match(line):
                photos.append(line)
            elif _BYLINE.match(line) and byline is None:
                byline = normalise_byline(line)
                after_byline = True
            elif after_byline and byline_title is None and _BYLINE_TITLE.search(line):
                byline_title = line
            elif after_byline:
                in_text = True  # top matter ends with the byline: a "^" line after it is text
                paragraphs.append(line)
            else:
                top.append(line)
            continue
        if caret:
            flush()
            paragraphs.append(line)
            continue
        in_text = True
        indented = raw[:1] in ("\t", " ")
        if current and (indented or not _continues(current[-1], line)):
            flush()
        current.append(line)
    flush()

    if top and slug is None and _SLUG_REPEAT.match(top[0]):
        slug = top[0].rsplit(",", 1)[0]
    if top and _SLUG_REPEAT.match(top[0]):
        meta["slug_repeat"] = top.pop(0)
    title = top.pop(0) if top else None
    if title is None and paragraphs:
        # Alerts carry no headline: the first sentence of the text stands in for it.
        _, _, first = split_dateline(paragraphs[0])
        title = _first_sentence(first)
        warnings.append("no headline line: the first sentence of the text is used")
    if top:
        meta["summary"] = "\n\n".join(top)
    if ed_notes:
        meta["ed_notes"] = ed_notes
    embargo_notes = [n for n in ed_notes if _EMBARGO.search(n)]
    if embargo_notes:
        meta["embargo_note"] = embargo_notes[0]
        warnings.append("an editor's note states an embargo; its time is not read, check before release")
    if photos:
        meta["photos"] = photos
    if byline_title:
        meta["byline_title"] = byline_title

    published, trailer_agency = _trailer_time(trailer)
    agency = agency_name(trailer_agency) if trailer_agency else None
    if published is None:
        warnings.append("no trailer time stamp: publication time unknown")

    key, version, kill, correction = slug_parts(slug or title or "")
    note_kill, note_corr = kill_or_correction(ed_notes + ([title] if title else []))
    kill = kill or note_kill
    # "Eds: Updates with ... Corrects spelling of ..." flags a correction anywhere in the note.
    correction = correction or note_corr or any(_CORRECTS.search(n) for n in ed_notes)
    pub_status = "canceled" if kill else "usable"
    if correction:
        meta["correction"] = True
    if kill:
        meta["kill"] = True

    day = None
    if published is not None:
        day = published
        if slug_date:
            mo, d = (int(x) for x in slug_date.split("-"))
            try:
                day = datetime(published.year, mo, d)
            except ValueError:
                day = published
            if (day - published).days > 180:
                day = day.replace(year=published.year - 1)
    # The paragraph datelines name the agency when the trailer does not.
    story = assemble(
        source_uri=source_uri,
        source_kind="anpa",
        paragraphs=paragraphs,
        title=title or slug,
        byline=byline,
        agency=agency,
        published_at=published,
        guid=None,
        guid_key=key or title,
        guid_day=day,
        version=version,
        pub_status=pub_status,
        urgency=_PRIORITY.get(priority or ""),
        slugline=slug,
        part=part,
        meta=meta,
        warnings=warnings,
    )
    story_key = f"{(story.agency or 'unknown')}:{day.strftime('%Y-%m-%d') if day else 'undated'}:{key or 'item'}"
    story.meta["story_key"] = story_key
    return story


def read_anpa(data: bytes, source_uri: str) -> list[Story]:
    """One Story per ANPA message in the source."""
    text = decode_wire(data)
    messages = [m for m in split_messages(text) if clean_inline(strip_controls(m))]
    if not messages:
        raise NotAStory(f"{source_uri}: ANPA source holds no message text")
    return [_message_story(m, source_uri, i) for i, m in enumerate(messages)]
