"""HTML pages cleaned to the article text: beautifulsoup4 (lxml parser) cleans, trafilatura finds the text.

Scripts, styles, navigation, forms, asides, hidden elements and elements named like boilerplate (share,
related, comment, cookie, ...) are removed first, so they never reach the body whoever picks it. The main
text of what is left is trafilatura's (`favor_precision`, comments off); when it finds none (tiny or
pathologically nested pages), the `<article>` element, else the element whose direct `<p>` children hold
the most text. Title, byline and publication time come from `<meta>` tags, JSON-LD or the page's first
`<time>`; when none of them dates the page, htmldate's structural search does (metadata, dated URL,
"Published:" labels; not its extensive search, which takes a copyright year or a year in the text for
the date). Measured against the bs4-only reader in `bench/html_compare.py` (README, "HTML pages").
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from bs4 import BeautifulSoup, Tag

from .clean import clean_inline, normalise_byline
from .dates import parse_datetime
from .errors import NotAStory
from .records import Story

__all__ = ["html_to_text", "looks_like_html", "read_html"]

_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "form", "nav", "aside", "footer",
         "header", "button", "input", "select", "textarea", "figure", "figcaption", "object", "embed")
_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote", "pre")
_BOILER = re.compile(r"(share|social|related|newsletter|advert|promo|comment|cookie|subscribe|breadcrumb"
                     r"|byline|caption|sidebar|footer|menu|nav)", re.I)
_MAX_DEPTH = 400


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(body|p|div|article)\b", head))


def _soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "lxml")


def _strip_noise(root: Tag) -> None:
    for tag in root.find_all(_DROP):
        tag.decompose()
    for tag in root.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        style = str(tag.get("style", "")).replace(" ", "").lower()
        classes = tag.get("class")
        ident = " ".join([*(classes if isinstance(classes, list) else []), str(tag.get("id", ""))])
        if (tag.has_attr("hidden") or "display:none" in style or tag.get("aria-hidden") == "true"
                or (ident and tag.name not in {"html", "body", "article", "main"} and _BOILER.search(ident))):
            tag.decompose()


def _block_texts(root: Tag) -> list[str]:
    out: list[str] = []
    for block in root.find_all(_BLOCKS):
        if block.find_parent(_BLOCKS):  # nested block: its text is in the parent
            continue
        text = clean_inline(block.get_text(" "))
        if text:
            out.append(text)
    return out


def _main_container(soup: BeautifulSoup) -> Tag:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text(" ")))
    best: Tag | None = None
    best_len = 0
    # parents deduplicated by identity, in document order: a set of Tags hashes each one's serialisation,
    # which took minutes on 2,000 unclosed <p> (each nested in the previous one)
    parents = {id(p.parent): p.parent for p in soup.find_all("p") if isinstance(p.parent, Tag)}
    for parent in parents.values():
        classes = parent.get("class")
        ident = " ".join([*(classes if isinstance(classes, list) else []), str(parent.get("id", ""))])
        if _BOILER.search(ident):
            continue
        size = sum(len(p.get_text(" ")) for p in parent.find_all("p", recursive=False))
        if size > best_len:
            best, best_len = parent, size
    if best is not None:
        return best
    return soup.body or soup


def _container_body(soup: BeautifulSoup) -> list[str]:
    return _block_texts(_main_container(soup))


def _library_body(cleaned: str) -> list[str]:
    """trafilatura's main text of the cleaned page, one block a line; [] when it finds none."""
    import trafilatura  # imported on first use: 0.3 s, which the CLI's start-up should not pay

    text = trafilatura.extract(cleaned, include_comments=False, favor_precision=True)
    return [line for line in (clean_inline(x) for x in (text or "").splitlines()) if line]


def _library_date(markup: str, url: str | None) -> datetime | None:
    """htmldate's original publication date from metadata, the URL and date labels (no extensive search)."""
    from htmldate import find_date

    found = find_date(markup, url=url, original_date=True, extensive_search=False)
    return parse_datetime(found) if found else None


def html_to_text(markup: str) -> str:
    """Paragraph text of an HTML fragment (feed summaries, inline content): blocks joined by blank lines."""
    soup = _soup(markup)
    _strip_noise(soup)
    blocks = _block_texts(soup)
    if not blocks:
        text = clean_inline(soup.get_text(" "))
        return text
    return "\n\n".join(blocks)


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    # one walk of the tree per call (not two finds per name): pages with 100,000 elements took minutes
    metas = [t for t in soup.find_all("meta") if isinstance(t, Tag) and t.get("content")]
    for name in names:
        for attr in ("property", "name"):
            tag = next((t for t in metas if t.get(attr) == name), None)
            if tag is not None:
                return clean_inline(str(tag["content"]))
    return None


def _json_ld(soup: BeautifulSoup) -> dict[str, object]:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict) and str(item.get("@type", "")).endswith(("NewsArticle", "Article")):
                return item
    return {}


def _lang(soup: BeautifulSoup) -> str | None:
    lang = soup.html.get("lang") if soup.html else None
    return lang if isinstance(lang, str) and lang else None


def read_html(markup: str, source_uri: str, *, url: str | None = None) -> Story:
    """One story from an article page."""
    if markup.count("<") > 2_000_000:
        raise NotAStory(f"{source_uri}: HTML too large / too deeply nested to be an article page")
    soup = _soup(markup)
    ld = _json_ld(soup)
    title = _meta(soup, "og:title", "twitter:title") or (str(ld.get("headline")) if ld.get("headline") else None)
    if not title:
        h1 = soup.find("h1")
        title = clean_inline(h1.get_text(" ")) if h1 else None
    if not title and soup.title and soup.title.string:
        title = clean_inline(soup.title.string)
    author = _meta(soup, "author", "article:author", "byl", "dc.creator")
    ld_author = ld.get("author")
    if not author and isinstance(ld_author, dict):
        author = str(ld_author.get("name") or "") or None
    published: datetime | None = None
    for raw in (_meta(soup, "article:published_time", "pubdate", "date", "dc.date", "og:updated_time"),
                str(ld.get("datePublished")) if ld.get("datePublished") else None):
        if raw and (published := parse_datetime(raw)):
            break
    if published is None and (t := soup.find("time")) and isinstance(t, Tag) and t.get("datetime"):
        published = parse_datetime(str(t["datetime"]))
    if published is None:
        published = _library_date(markup, url)
    _strip_noise(soup)
    blocks = _library_body(str(soup)) or _container_body(soup)
    if title and blocks and blocks[0] == title:
        blocks = blocks[1:]
    if author:
        blocks = [b for b in blocks if not re.fullmatch(r"(?i)by\s+" + re.escape(author) + r".{0,40}", b)]
    body = "\n\n".join(blocks)
    if not body and isinstance(ld.get("articleBody"), str):
        body = "\n\n".join(clean_inline(p) for p in str(ld["articleBody"]).split("\n") if p.strip())
    if not body.strip():
        raise NotAStory(f"{source_uri}: HTML page holds no article text")
    return Story(
        source_uri=source_uri,
        source_kind="html",
        body=body,
        title=title,
        byline=normalise_byline(author) if author else None,
        published_at=published,
        url=url or _meta(soup, "og:url"),
        language=_lang(soup),
    )
