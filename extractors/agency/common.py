"""Helpers shared by the agency readers: markup to paragraphs, trailers, language, ids and subjects.

What the other readers share too has its own module: datelines `extractors.datelines`, date stamps
`extractors.dates`, agency names `extractors.agencies`, text clean-up and bylines `extractors.clean`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from lxml import etree

from ..clean import INITIALS as _INITIALS
from ..clean import clean_inline, normalise_byline, strip_controls
from ..ids import stable_id

__all__ = [
    "LONG_LINE",
    "block_paragraphs",
    "clean_inline",
    "derived_guid",
    "finish_body",
    "guess_language",
    "normalise_byline",
    "strip_controls",
    "strip_trailers",
    "subject_code",
    "subject_name",
    "text_paragraphs",
    "to_int",
]

# Character clean-up, bylines and title case are shared with the other readers (extractors.clean).


def to_int(raw: object) -> int | None:
    """An int from a string such as " 4 " or "2"; None when it is not one."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    match = re.search(r"-?\d+", str(raw))
    return int(match.group(0)) if match else None


# --- markup to paragraphs -----------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "bq",
        "block", "li", "ul", "ol", "dl", "dt", "dd", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "hl1", "hl2", "table", "tr", "thead", "tbody", "tfoot", "body", "body.content", "html",
        "address", "center", "nitf-table", "nitf-table-container", "br", "hr", "caption",
    }
)
_SKIP_TAGS = frozenset(
    {
        "script", "style", "head", "title", "media", "figure", "figcaption", "img", "object", "iframe",
        "note", "fn", "noscript", "svg", "math", "nav", "form", "button", "media-caption",
        "media-producer", "media-metadata", "media-reference", "nitf-table-metadata",
    }
)


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def block_paragraphs(root: etree._Element) -> list[str]:
    """Clean paragraphs of an XHTML / HTML / NITF body element: block elements end paragraphs,
    inline markup is flattened, media, notes and scripts are left out. Text lying directly in a
    block with blank lines inside it is split at the blank lines."""
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        paragraphs.extend(text_paragraphs(text))

    def walk(el: etree._Element) -> None:
        name = _local(el)
        if name in _SKIP_TAGS:
            return
        is_block = name in _BLOCK_TAGS
        if is_block:
            flush()
        if name in ("td", "th"):
            buffer.append(" ")
        if el.text:
            buffer.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                buffer.append(child.tail)
        if is_block:
            flush()

    walk(root)
    flush()
    return paragraphs


_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


# A line this long was not hard-wrapped: it ends its paragraph.
LONG_LINE = 100


_BULLET = re.compile(r"^[*•·▪–-]\s+\S")
_SENTENCE_END = re.compile(r"[.!?:\"”»'’)]\s*$")


def _starts_paragraph(previous: str, line: str) -> bool:
    """An indented line after a finished sentence, starting a new sentence, opens a paragraph
    (the wire convention "   Text..." inside hard-wrapped text)."""
    stripped = line.lstrip(" \t")
    indented = line[: len(line) - len(stripped)]
    if not stripped or not (indented.startswith("\t") or len(indented) >= 2):
        return False
    if _BULLET.match(stripped):
        return True
    # A short line ends its paragraph (a byline, a heading): wrapped lines run to ~65 characters.
    finished = bool(_SENTENCE_END.search(previous)) or len(previous.strip()) < 50
    return finished and not stripped[0].islower()


def text_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text: split at blank lines and at indented lines that start a new
    sentence; hard-wrapped lines inside a paragraph are joined, except after a line too long to
    have been wrapped (one paragraph per line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for chunk in _BLANK_LINE.split(text):
        current: list[str] = []
        for line in chunk.split("\n"):
            if current and _starts_paragraph(current[-1], line):
                para = clean_inline(" ".join(current))
                if para:
                    out.append(para)
                current = []
            current.append(line)
            if len(line.strip()) > LONG_LINE:
                para = clean_inline(" ".join(current))
                if para:
                    out.append(para)
                current = []
        para = clean_inline(" ".join(current))
        if para:
            out.append(para)
    return out


# --- trailers -----------------------------------------------------------------------------------

_RULE = re.compile(r"^[\s_\-=*~#.•·]{3,}$")
_NOT_FOR_PUB = re.compile(
    r"not (?:intended )?for publication|nicht (?:zur|für die) veröffentlichung|"
    r"pas (?:destiné )?(?:pour|à la) publication",
    re.I,
)
_NOTEBOOK_START = re.compile(r"^#+\s*(?:dpa[\s-]+)?(?:notebook|notizblock)\b", re.IGNORECASE)
_NOTEBOOK = re.compile(r"^#+\s|^(?:[A-Za-z]+\s+)?NOTEBOOK\b|^\*\s*\*", re.IGNORECASE)
_END_MARK = re.compile(r"^(?:ends?|end of story|more|-+\s*30\s*-+|#{3,}|xxx)\.?$", re.IGNORECASE)
_REPORTING = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|compilation)\s+by\b.*\)?$",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"can be reached at|follow (?:\w+ ){0,4}on (?:twitter|x|facebook|instagram)|twitter\.com/|"
    r"@[a-z0-9.-]+\.(?:com|org)|"
    r"https?://|www\.|^online:|^copyright\b|©|all rights reserved|contributed to this report",
    re.IGNORECASE,
)
_COPYRIGHT_TRAILER = re.compile(r"^(?:copyright|\(c\)|©)\s.*(?:rights reserved|press|reuters|afp|dpa)", re.I)
_ED_NOTE = re.compile(
    r"^\s*\(?\s*(?:eds?|editors?|editor['’]s note|note to editors|advisory)\s*(?:[:.]|_\s)|"
    # Reuters' version notes: "(Adds comments, detail)", "(Updates prices)", "(Corrects paragraph 3)"
    r"^\((?:adds|updates|recasts|corrects|repeats|rewrites|changes|new throughout|fixes|removes|refiles|"
    r"edits|writes through|combines|re-?issues|releads|moves|inserts|deletes|clarifies|amends)\b[^()]*\)$",
    re.IGNORECASE,
)


def strip_trailers(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Split agency trailers (staff initials, "(Reporting by ...)", contact lines after a rule,
    not-for-publication notebooks) and editor notes off a list of paragraphs.

    Returns (body paragraphs, removed paragraphs).
    """
    paras = list(paragraphs)
    removed: list[str] = []
    # Editor notes at the start ("Eds: ...").
    while paras and _ED_NOTE.match(paras[0]):
        removed.append(paras.pop(0))
    # dpa's "# Notebook" block (links, notes to editors, contacts) ends the text.
    for i, para in enumerate(paras):
        if i > 0 and _NOTEBOOK_START.match(para):
            removed.extend(paras[i:])
            paras = paras[:i]
            break
    # A not-for-publication block: cut from the separator / heading that opens it.
    for i, para in enumerate(paras):
        if _NOT_FOR_PUB.search(para):
            cut = i
            while cut > 0 and (_RULE.match(paras[cut - 1]) or _NOTEBOOK.match(paras[cut - 1])):
                cut -= 1
            removed.extend(paras[cut:])
            paras = paras[:cut]
            break
    # Trailing initials, reporting credits, copyright lines, rules.
    changed = True
    while paras and changed:
        changed = False
        last = paras[-1]
        if (
            _RULE.match(last)
            or _INITIALS.match(last)
            or _REPORTING.match(last)
            or _COPYRIGHT_TRAILER.match(last)
            or _NOTEBOOK.match(last)
            or _END_MARK.match(last)
        ):
            removed.insert(0, paras.pop())
            changed = True
    # Contact / follow-us lines after the last rule.
    rules = [i for i, p in enumerate(paras) if _RULE.match(p)]
    if rules:
        last_rule = rules[-1]
        tail = paras[last_rule + 1 :]
        if tail and all(_CONTACT.search(p) for p in tail) and len(tail) <= 4:
            removed = paras[last_rule:] + removed
            paras = paras[:last_rule]
    # Remaining rules are separators, not text.
    kept = []
    for para in paras:
        if _RULE.match(para):
            removed.append(para)
        else:
            kept.append(para)
    return kept, removed


def finish_body(paragraphs: Iterable[str]) -> str:
    """Join clean paragraphs into a body ("\\n\\n" between them)."""
    return "\n\n".join(p for p in (clean_inline(x) for x in paragraphs) if p)


# --- language -----------------------------------------------------------------------------------

_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "is", "that", "for", "was", "on", "with", "he", "said", "it", "by"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "mit", "den", "von", "zu", "sich", "auf", "ein", "dem"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "pour", "que", "qui", "du", "sur", "pas"},
    "es": {"el", "la", "los", "las", "y", "que", "de", "en", "por", "una", "con", "para", "del", "se"},
    "it": {"il", "di", "che", "e", "la", "per", "un", "una", "non", "con", "del", "della", "sono", "gli"},
    "nl": {"de", "het", "een", "en", "van", "is", "niet", "met", "op", "dat", "voor", "zijn", "te", "ook"},
    "pt": {"o", "a", "os", "as", "e", "de", "que", "em", "um", "uma", "para", "com", "não", "do", "da"},
}


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of a text by stopword counts; None when the text is too short or unclear."""
    words = re.findall(r"[^\W\d_]+", text.casefold())[:2000]
    if len(words) < 20:
        return None
    scores = {lang: sum(1 for w in words if w in stops) for lang, stops in _STOPWORDS.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 0.08 * len(words) or top < 1.3 * second:
        return None
    return best


# --- ids and subjects ---------------------------------------------------------------------------


def derived_guid(kind: str, agency: str | None, key: str | None, day: datetime | None) -> str:
    """A stable guid for formats that state none: agency + slug/keyword + date."""
    slug = re.sub(r"[^a-z0-9]+", "-", (key or "").casefold()).strip("-") or "item"
    date = day.strftime("%Y-%m-%d") if day else "undated"
    who = re.sub(r"[^a-z0-9]+", "-", (agency or "unknown").casefold()).strip("-") or "unknown"
    return f"urn:wire:{kind}:{who}:{date}:{slug[:80]}:{stable_id(kind, who, date, slug, length=8)}"


_SUBJ_TOP = {
    "01": "arts, culture and entertainment", "02": "crime, law and justice", "03": "disaster and accident",
    "04": "economy, business and finance", "05": "education", "06": "environmental issue",
    "07": "health", "08": "human interest", "09": "labour", "10": "lifestyle and leisure",
    "11": "politics", "12": "religion and belief", "13": "science and technology",
    "14": "social issue", "15": "sport", "16": "unrest, conflicts and war", "17": "weather",
}
_MEDTOP_TOP = {
    "01": "arts, culture, entertainment and media", "02": "crime, law and justice",
    "03": "disaster, accident and emergency incident", "04": "economy, business and finance",
    "05": "education", "06": "environment", "07": "health", "08": "human interest", "09": "labour",
    "10": "lifestyle and leisure", "11": "politics", "12": "religion", "13": "science and technology",
    "14": "society", "15": "sport", "16": "conflict, war and peace", "17": "weather",
}
_SCHEME_URIS = {
    "http://cv.iptc.org/newscodes/mediatopic/": "medtop",
    "http://cv.iptc.org/newscodes/subjectcode/": "subj",
    "https://cv.iptc.org/newscodes/mediatopic/": "medtop",
    "https://cv.iptc.org/newscodes/subjectcode/": "subj",
}


def subject_code(raw: str | None, scheme: str | None = None) -> str | None:
    """A subject as a qcode: "medtop:20000106" from a qcode, a cv.iptc.org URI, a bare 8-digit IPTC
    subject code ("04011002" -> "subj:04011002") or a scheme + code pair."""
    if not raw:
        return None
    text = clean_inline(str(raw))
    for uri, prefix in _SCHEME_URIS.items():
        if text.startswith(uri):
            return f"{prefix}:{text[len(uri):].strip('/')}"
    if re.fullmatch(r"\d{8}", text):
        if scheme:
            for uri, prefix in _SCHEME_URIS.items():
                if scheme.startswith(uri) or scheme.casefold() == prefix:
                    return f"{prefix}:{text}"
        return f"subj:{text}"
    if scheme and ":" not in text:
        for uri, prefix in _SCHEME_URIS.items():
            if scheme.startswith(uri) or scheme.casefold() == prefix:
                return f"{prefix}:{text}"
        if not scheme.startswith("http"):
            return f"{scheme}:{text}"
    return text or None


def subject_name(code: str) -> str | None:
    """English name of a top-level IPTC subject / media topic code, when the code is one."""
    match = re.fullmatch(r"(subj|medtop):(\d{2})000000", code)
    if not match:
        return None
    table = _SUBJ_TOP if match.group(1) == "subj" else _MEDTOP_TOP
    return table.get(match.group(2))
