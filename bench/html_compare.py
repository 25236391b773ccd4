"""Compare wire's HTML reader with trafilatura on article pages built from BBC stories.

    python -m bench.html_compare [--shared ../shared] [--pages 200] [--seed 17] [--keep DIR]

There is no HTML corpus in ../shared, so the test set is generated: `--pages` BBC stories (headline line,
blank line, body; spread over the five folders by a seeded shuffle) are wrapped in one of six page
templates and written to a temporary directory (`--keep DIR` writes them there instead, for a look), then
read back. The texts stay in ../shared and the temporary directory: nothing is copied into the repository.

The templates imitate the boilerplate of real news pages, with class names taken from common CMS
conventions rather than from wire's own boilerplate pattern:

- `cms`: `<article>`, og/article meta and a JSON-LD NewsArticle, cookie banner, nav, breadcrumbs, byline,
  figure, an in-body ad slot and "Read more" link, share bar, related list, comments, most-read sidebar;
- `component`: React-style markup inside `<article>`: every paragraph in its own `data-component` div with
  hashed class names, links blocks, JSON-LD `@graph` as the only dated metadata;
- `component-main`: the same markup without `<article>` (`<main>` only), og:title, `<time>` only;
- `divsoup`: a 2000s layout of nested divs (no semantic tags), `OriginalPublicationDate` meta, "Have your
  say" reader comments as paragraphs, a top-stories box of headline paragraphs;
- `legacy`: a table layout with `<font>` and paragraphs separated by `<br><br>`, the date only in the text
  ("Published: 2005/03/14 09:12:43 GMT") on half of them, no date at all (a copyright year only) on the rest;
- `blog`: WordPress-style `entry-content`, og:title with the site name, `<time>` published/updated, a
  dated URL, share links, comment list and widgets.

Scores, per extractor, averaged over pages: token precision, recall and F1 of the extracted body against
the story body (multisets of lower-cased `\\w+` tokens); the share of pages with F1 >= 0.95; headline
exactly right (whitespace normalised); publication date right (YYYY-MM-DD, or none given for an undated
page) and wrong (a date given that is not the page's); median ms per page (one pass after a short
warm-up, body and metadata together). "wire before" is `read_html` with its library calls switched off
(its own fallback alone: the reader before trafilatura and htmldate were adopted). trafilatura runs with
`include_comments=False` (wire never keeps comments) and the page URL; htmldate is scored on the date
alone.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
FOLDERS = ("business", "entertainment", "politics", "sport", "tech")
TEMPLATES = ("cms", "component", "component-main", "divsoup", "legacy", "blog")
SITES = ("The Courier", "Daily Ledger", "Northern Post", "Metro Wire", "The Chronicle")
FIRST = ("Anna", "James", "Priya", "Tom", "Sarah", "David", "Chloe", "Mark", "Fiona", "Ravi", "Helen", "Owen")
LAST = ("Kowalski", "Hughes", "Patel", "Morgan", "Reid", "Clarke", "Evans", "Shah", "Walsh", "Price", "Ellis")
TOWNS = ("Leeds", "Cardiff", "Glasgow", "Bristol", "Norwich", "Belfast", "Toronto", "Sydney")
COMMENT_SENTENCES = (
    "I completely disagree with the premise of this piece.",
    "This is exactly what people have been saying for years and nobody listened.",
    "Another example of the government failing to plan ahead.",
    "Good to see some balanced reporting for once.",
    "Does anyone actually believe these figures?",
    "My family has been affected by this and it is not as simple as the article suggests.",
    "The real question is who will end up paying for all of this.",
    "Well said, the comments above miss the point entirely.",
    "I remember when this was first announced and the promises that were made at the time.",
    "Nothing will change until the people at the top are held to account.",
    "Interesting article, but it would have been useful to hear from the other side.",
    "We should be investing in the long term instead of chasing headlines.",
    "Frankly I am tired of reading the same story every few months.",
    "Spot on. Couldn't agree more with the last point.",
)
NAV = ("Home", "News", "UK", "World", "Business", "Politics", "Tech", "Science", "Health", "Entertainment",
       "Sport", "Weather", "Video", "Opinion")
COOKIE = ("We use cookies and similar technologies to improve your experience, personalise content and ads, "
          "and analyse our traffic. By clicking Accept all you agree to our use of cookies.")
NEWSLETTER = "Sign up for our morning briefing: the day's top stories in your inbox every weekday."
FOOTER_LINKS = ("About us", "Contact us", "Terms of use", "Privacy policy", "Cookie settings", "Advertise",
                "Careers", "Accessibility help")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    key: str
    template: str
    url: str
    headline: str
    body: str
    date: str | None  # YYYY-MM-DD; None for an undated page
    markup: str


@dataclass(frozen=True)
class Result:
    body: str
    title: str | None
    date: str | None


def shared_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    near = HERE.parent.parent / "shared"
    return near if near.exists() else Path("/work/shared")


def read_story(path: Path) -> tuple[str, list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    head, _, rest = text.strip().partition("\n")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", rest.strip()) if p.strip()]
    return " ".join(head.split()), paras


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _human(dt: datetime) -> str:
    return f"{DAYS[dt.weekday()]} {dt.day} {MONTHS[dt.month - 1]} {dt.year}"


def _comments(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for _ in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)[0]}."
        out.append((name, " ".join(rng.sample(COMMENT_SENTENCES, rng.randint(2, 4)))))
    return out


def _links(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f'<li><a href="/news/{_slug(h)}">{_e(h)}</a></li>' for h in items) + "</ul>"


def _footer(site: str, year: int) -> str:
    links = " ".join(f'<a href="/{_slug(x)}">{x}</a>' for x in FOOTER_LINKS)
    return f"<footer class=\"site-footer\"><nav>{links}</nav><p>&copy; {year} {_e(site)}. All rights reserved. " \
           "We are not responsible for the content of external sites.</p></footer>"


def _json_ld(kind: str, headline: str, pub: datetime, mod: datetime, author: str, site: str, url: str) -> str:
    item = {"@context": "https://schema.org", "@type": kind, "headline": headline, "datePublished": pub.isoformat(),
            "dateModified": mod.isoformat(), "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": site}, "mainEntityOfPage": url}
    return f'<script type="application/ld+json">{json.dumps(item)}</script>'


def page_cms(rng: random.Random, h: str, paras: list[str], pub: datetime, others: list[str]) -> tuple[str, str]:
    site, author = rng.choice(SITES), f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    section = rng.choice(NAV[2:10])
    url = f"https://www.{_slug(site)}.example/news/{_slug(section)}-{rng.randint(10**7, 10**8)}"
    mod = pub + timedelta(hours=rng.randint(1, 30))
    body = []
    for i, p in enumerate(paras):
        body.append(f"<p>{_e(p)}</p>")
        if i == 2:
            body.append('<div class="ad-slot ad-slot--mpu"><span class="ad-label">Advertisement</span>'
                        '<div id="div-gpt-ad-1"></div></div>')
        if i == 4:
            body.append(f'<p><strong>Read more:</strong> <a href="/news/{_slug(others[0])}">{_e(others[0])}</a></p>')
    comments = "".join(f'<div class="comment"><p class="comment__author">{_e(n)} '
                       f'<time datetime="{(mod + timedelta(hours=k + 1)).isoformat()}">{k + 1}h ago</time></p>'
                       f"<p>{_e(c)}</p></div>" for k, (n, c) in enumerate(_comments(rng, rng.randint(3, 8))))
    markup = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{_e(h)} - {_e(site)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{_e(paras[0][:150])}">
<meta property="og:type" content="article"><meta property="og:title" content="{_e(h)}">
<meta property="og:url" content="{url}"><meta property="og:site_name" content="{_e(site)}">
<meta property="article:published_time" content="{pub.isoformat()}">
<meta property="article:modified_time" content="{mod.isoformat()}">
<link rel="canonical" href="{url}">
{_json_ld("NewsArticle", h, pub, mod, author, site, url)}
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"event":"pageview","section":"{section}"}});</script>
<style>.ad-slot{{min-height:250px}}.cookie-consent{{position:fixed;bottom:0}}</style>
</head><body>
<div id="cookie-banner" class="cookie-consent" role="dialog"><p>{COOKIE}</p>
<button>Accept all</button><button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/">{_e(site)}</a><nav class="primary-nav">{_links(list(NAV))}</nav>
<form class="search"><input name="q" placeholder="Search"></form></header>
<div class="breaking-banner"><span>Breaking</span> <a href="/news/{_slug(others[1])}">{_e(others[1])}</a></div>
<main id="main-content"><article class="story">
<header class="story__header"><ol class="breadcrumbs"><li><a href="/">Home</a></li><li><a href="/{_slug(section)}">
{section}</a></li></ol><h1 class="story__headline">{_e(h)}</h1>
<p class="story__byline">By <a rel="author" href="/authors/{_slug(author)}">{author}</a>, {section} correspondent</p>
<time class="story__date" datetime="{pub.isoformat()}">{_human(pub)}</time></header>
<figure class="story__image"><img src="/img/{rng.randint(1, 9999)}.jpg" alt="">
<figcaption>File photo. Image: {rng.choice(SITES)} picture desk</figcaption></figure>
<div class="story__body">{"".join(body)}</div>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
<section class="related-stories"><h2>Related stories</h2>{_links(others[2:6])}</section>
</article>
<section id="comments" class="comments"><h2>Comments</h2>{comments}</section>
</main>
<aside class="sidebar"><h2>Most read</h2>
<ol class="most-read">{"".join(f"<li><a href='#'>{_e(o)}</a></li>" for o in others[6:16])}</ol>
<div class="newsletter"><p>{NEWSLETTER}</p><input type="email"><button>Sign up</button></div></aside>
{_footer(site, pub.year)}
</body></html>"""
    return url, markup


def _hash_class(rng: random.Random, name: str) -> str:
    return f"ssrcss-{rng.randint(10**5, 10**6):x}-{name}"


def page_component(rng: random.Random, h: str, paras: list[str], pub: datetime, others: list[str],
                   *, article: bool) -> tuple[str, str]:
    site, author = rng.choice(SITES), f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    url = f"https://www.{_slug(site)}.example/news/articles/c{rng.randint(10**9, 10**10):x}"
    mod = pub + timedelta(hours=rng.randint(0, 5))
    pcls = _hash_class(rng, "Paragraph")
    blocks = []
    for i, p in enumerate(paras):
        blocks.append(f'<div data-component="text-block" class="{_hash_class(rng, "Wrap")}"><p class="{pcls}">'
                      f"{_e(p)}</p></div>")
        if i == 3:
            blocks.append(f'<div data-component="links-block" class="{_hash_class(rng, "Links")}"><h2>Related</h2>'
                          f"{_links(others[0:3])}</div>")
    blocks.append(f'<div data-component="tags" class="{_hash_class(rng, "Tags")}"><ul>'
                  + "".join(f"<li><a href='#'>{t}</a></li>" for t in rng.sample(NAV[2:], 3)) + "</ul></div>")
    header = (f'<header class="{_hash_class(rng, "HeadingWrapper")}"><h1 id="main-heading">{_e(h)}</h1></header>'
              f'<div data-component="byline-block" class="{_hash_class(rng, "Byline")}"><div><span>{author}</span>'
              f'<span>{rng.choice(NAV[2:10])} reporter</span></div><time datetime="{pub.isoformat()}">'
              f"{pub.day} {MONTHS[pub.month - 1]} {pub.year}</time></div>")
    story = header + "".join(blocks)
    wrapper = (f'<article class="{_hash_class(rng, "Article")}">{story}</article>' if article
               else f'<div id="story" class="{_hash_class(rng, "StoryWrapper")}">{story}</div>')
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": site, "url": f"https://www.{_slug(site)}.example/"},
        {"@type": "ReportageNewsArticle", "headline": h, "datePublished": pub.isoformat(),
         "dateModified": mod.isoformat(), "author": [{"@type": "Person", "name": author}]}]}
    meta = (f'<script type="application/ld+json">{json.dumps(graph)}</script>' if article
            else f'<meta property="og:title" content="{_e(h)}">')
    aside = (f'<section data-component="most-read" class="{_hash_class(rng, "MostRead")}"><h2>Most read</h2><ol>'
             + "".join(f"<li><a href='#'><span>{k + 1}</span><p class='{_hash_class(rng, 'PromoHeadline')}'>"
                       f"{_e(o)}</p></a></li>" for k, o in enumerate(others[3:13])) + "</ol></section>")
    markup = f"""<!DOCTYPE html><html lang="en-GB" class="no-js"><head><meta charset="utf-8">
<title>{_e(h)} - {_e(site)}</title>{meta}
<link rel="preload" href="/static/app.js" as="script"><script src="/static/app.js" defer></script>
<style>{"".join(f".{_hash_class(rng, 'X')}{{margin:0}}" for _ in range(8))}</style></head>
<body><div id="__next"><div class="{_hash_class(rng, "Consent")}"><p>{COOKIE}</p><button>OK</button></div>
<header class="{_hash_class(rng, "GlobalHeader")}"><a href="/">{_e(site)}</a>
<div class="{_hash_class(rng, "NavWrap")}">{_links(list(NAV))}</div></header>
<div id="main-wrapper"><main id="main-content" role="main">{wrapper}</main>
<div class="{_hash_class(rng, "Secondary")}">{aside}</div></div>
<div class="{_hash_class(rng, "Footer")}"><div>{_links(list(FOOTER_LINKS))}</div>
<p>Copyright {pub.year} {_e(site)}. {_e(site)} is not responsible for the content of external sites.</p></div>
</div><script>window.__INITIAL_DATA__={json.dumps({"page": url, "headline": h})}</script></body></html>"""
    return url, markup


def page_divsoup(rng: random.Random, h: str, paras: list[str], pub: datetime, others: list[str]) -> tuple[str, str]:
    site = rng.choice(SITES)
    section = rng.choice(NAV[2:10])
    url = f"http://news.{_slug(site)}.example/1/hi/{_slug(section)}/{rng.randint(10**6, 10**7)}.stm"
    talk = "".join(f"<p>{_e(c)}</p><p class='hys-name'>{_e(n)}, {rng.choice(TOWNS)}</p>"
                   for n, c in _comments(rng, rng.randint(4, 9)))
    top = "".join(f"<p><a href='#'>{_e(o)}</a></p>" for o in others[0:8])
    markup = f"""<html><head><title>{_e(site)} :: {section} :: {_e(h)}</title>
<meta name="keywords" content="{_e(site)}, news, {section}">
<meta name="OriginalPublicationDate" content="{pub:%Y/%m/%d %H:%M:%S}">
<meta name="Headline" content="{_e(h)}">
<link rel="stylesheet" href="/css/main.css"><script src="/js/sniffer.js"></script></head>
<body><div id="wrapper"><div id="masthead"><img src="/img/logo.gif" alt="{_e(site)}">
<div class="topnav"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a> |
<a href="/weather">Weather</a></div></div>
<div id="leftnav">{_links(list(NAV))}</div>
<div id="content"><div class="mxb"><h1>{_e(h)}</h1></div>
<div class="ds">Page last updated at {pub:%H:%M} GMT, {_human(pub)}</div>
<div class="storybody">{"".join(f"<p>{_e(p)}</p>" for p in paras)}</div>
<div class="printlink"><a href="#">Printable version</a> | <a href="#">E-mail this to a friend</a></div>
<div id="talkback"><div class="hys-title">HAVE YOUR SAY</div>{talk}</div></div>
<div id="rightcol"><div class="box"><div class="boxtitle">TOP {section.upper()} STORIES NOW</div>{top}</div>
<div class="box"><p>Low graphics version | Change edition | About the site | News sources</p></div></div>
<div id="bottom"><p>&copy; {_e(site)} MMV</p></div></div></body></html>"""
    return url, markup


def page_legacy(rng: random.Random, h: str, paras: list[str], pub: datetime, others: list[str],
                *, undated: bool) -> tuple[str, str]:
    site = rng.choice(SITES)
    section = rng.choice(NAV[2:10])
    url = f"http://www.{_slug(site)}.example/stories/{rng.randint(10**5, 10**6)}.html"
    nav = "<br>".join(f"<a href='/{_slug(n)}'>{n}</a>" for n in NAV)
    dated = (f'<font size="1" color="#666666">Published: {pub:%Y/%m/%d %H:%M:%S} GMT</font><br><br>'
             if undated is False else "<br>")
    see = "<br>".join(f"<a href='#'>{_e(o)}</a>" for o in others[0:5])
    markup = f"""<html><head><title>{_e(site).upper()} | {section} | {_e(h)}</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body bgcolor="#ffffff"><table width="100%" border="0" cellpadding="0" cellspacing="0"><tr>
<td width="120" valign="top" class="nav"><font size="1">{nav}</font></td>
<td valign="top"><font size="4" face="arial"><b>{_e(h)}</b></font><br>
{dated}
<font face="arial" size="2">{"<br><br>".join(_e(p) for p in paras)}</font><br><br>
<font size="1"><a href="#">E-mail this story</a> | <a href="#">Printable version</a></font></td>
<td width="180" valign="top"><font size="2"><b>SEE ALSO:</b><br>{see}</font></td></tr></table>
<center><font size="1">&copy; {pub.year + 1} {_e(site)} | <a href="#">Help</a> | <a href="#">Privacy</a></font>
</center></body></html>"""
    return url, markup


def page_blog(rng: random.Random, h: str, paras: list[str], pub: datetime, others: list[str]) -> tuple[str, str]:
    site = f"{rng.choice(LAST)}'s {rng.choice(('Notebook', 'Desk', 'Dispatch'))}"
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    url = f"https://{_slug(site)}.example/{pub:%Y/%m/%d}/{_slug(h)}/"
    mod = pub + timedelta(days=rng.randint(1, 40))
    comments = "".join(f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
                       f'<b class="fn">{_e(n)}</b> <time datetime="{(pub + timedelta(days=k + 1)).isoformat()}">'
                       f"{(pub + timedelta(days=k + 1)):%B %d, %Y}</time></footer>"
                       f'<div class="comment-content"><p>{_e(c)}</p></div></article></li>'
                       for k, (n, c) in enumerate(_comments(rng, rng.randint(2, 7))))
    recent = "".join(f"<li><a href='#'>{_e(o)}</a></li>" for o in others[0:6])
    markup = f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">
<title>{_e(h)} | {_e(site)}</title>
<meta property="og:locale" content="en_US"><meta property="og:type" content="article">
<meta property="og:title" content="{_e(h)} | {_e(site)}"><meta property="og:url" content="{url}">
<link rel="stylesheet" id="theme-css" href="/wp-content/themes/twentysomething/style.css">
<script src="/wp-includes/js/jquery/jquery.min.js"></script></head>
<body class="post-template-default single single-post"><div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header"><p class="site-title"><a href="/">{_e(site)}</a></p>
<p class="site-description">Notes on the news of the day</p>
<nav id="site-navigation" class="main-navigation">{_links(list(NAV[:8]), "menu")}</nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-{rng.randint(100, 9999)}" class="post type-post status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{_e(h)}</h1><div class="entry-meta">
<span class="posted-on">Posted on <time class="entry-date published" datetime="{pub.isoformat()}">
{pub:%B %d, %Y}</time><time class="updated" datetime="{mod.isoformat()}">{mod:%B %d, %Y}</time></span>
<span class="byline"> by <span class="author vcard">{author}</span></span></div></header>
<div class="entry-content">{"".join(f"<p>{_e(p)}</p>" for p in paras)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a>Twitter</a></li>
<li><a>Facebook</a></li></ul></div>
<div class="jp-relatedposts"><h3>Related</h3>{_links(others[6:9])}</div></div>
<footer class="entry-footer"><span class="cat-links">Posted in {rng.choice(NAV[2:10])}</span></footer>
</article>
<nav class="navigation post-navigation"><a rel="prev">{_e(others[9])}</a> <a rel="next">{_e(others[10])}</a></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">Thoughts on &ldquo;{_e(h)}&rdquo;</h2>
<ol class="comment-list">{comments}</ol><div id="respond"><h3>Leave a Reply</h3><form><textarea></textarea></form></div>
</div></main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2>Recent Posts</h2>
<ul>{recent}</ul></section><section class="widget widget_text"><div class="textwidget"><p>{_e(author)} writes
about politics, business and technology. Opinions are the author's own.</p></div></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">Proudly powered by WordPress</div></footer>
</div></body></html>"""
    return url, markup


def build_pages(shared: Path, n: int, seed: int) -> list[Page]:
    rng = random.Random(seed)
    paths = sorted((shared / "corpora" / "bbc").glob("*/*.txt"))
    if not paths:
        raise SystemExit(f"no BBC stories under {shared / 'corpora' / 'bbc'}")
    rng.shuffle(paths)
    stories = [(p, *read_story(p)) for p in paths]
    chosen = [s for s in stories if len(s[2]) >= 3][:n]
    pool = [h for _, h, _ in stories[n:]]
    pages = []
    for i, (path, headline, paras) in enumerate(chosen):
        template = TEMPLATES[i % len(TEMPLATES)]
        undated = False
        pub = datetime(2004, 1, 1, 6) + timedelta(days=rng.randint(0, 729), minutes=rng.randint(0, 11 * 60))
        others = rng.sample(pool, 16)
        if template == "cms":
            url, markup = page_cms(rng, headline, paras, pub, others)
        elif template in ("component", "component-main"):
            url, markup = page_component(rng, headline, paras, pub, others, article=template == "component")
        elif template == "divsoup":
            url, markup = page_divsoup(rng, headline, paras, pub, others)
        elif template == "legacy":
            undated = rng.random() < 0.5
            url, markup = page_legacy(rng, headline, paras, pub, others, undated=undated)
        else:
            url, markup = page_blog(rng, headline, paras, pub, others)
        key = f"{path.parent.name}/{path.name}"
        pages.append(Page(key, template, url, headline, "\n\n".join(paras),
                          None if undated else pub.date().isoformat(), markup))
    return pages


def wire_reader(*, libraries: bool = True) -> Callable[[str, str], Result]:
    """`extractors.html.read_html`; `libraries=False` runs it without trafilatura and htmldate (the reader
    before they were adopted: its own fallback alone)."""
    from extractors import html as wire_html
    from extractors.errors import NotAStory

    def run(markup: str, url: str) -> Result:
        with contextlib.ExitStack() as stack:
            if not libraries:
                stack.enter_context(mock.patch.object(wire_html, "_library_body", return_value=[]))
                stack.enter_context(mock.patch.object(wire_html, "_library_date", return_value=None))
            try:
                story = wire_html.read_html(markup, url, url=url)
            except NotAStory:
                return Result("", None, None)
        return Result(story.body, story.title, story.published_at.date().isoformat() if story.published_at else None)

    return run


def trafilatura_reader(*, precision: bool = False, recall: bool = False, fast: bool = False
                       ) -> Callable[[str, str], Result]:
    import trafilatura
    from trafilatura.settings import Document

    def run(markup: str, url: str) -> Result:
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True, include_comments=False,
                                          favor_precision=precision, favor_recall=recall, fast=fast)
        if not isinstance(doc, Document):
            return Result("", None, None)
        return Result(doc.text or "", doc.title, doc.date)

    return run


def htmldate_reader(*, extensive: bool) -> Callable[[str, str], Result]:
    from htmldate import find_date

    def run(markup: str, url: str) -> Result:
        return Result("", None, find_date(markup, url=url, original_date=True, extensive_search=extensive))

    return run


def prf(extracted: str, gold: str) -> tuple[float, float, float]:
    ext, ref = Counter(TOKEN.findall(extracted.lower())), Counter(TOKEN.findall(gold.lower()))
    overlap = sum((ext & ref).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    p, r = overlap / sum(ext.values()), overlap / sum(ref.values())
    return p, r, 2 * p * r / (p + r)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class Scores:
    n: int
    p: float
    r: float
    f1: float
    good: float  # share of pages with body F1 >= 0.95
    title: float
    date: float
    date_wrong: float


@dataclass(frozen=True)
class Run:
    name: str
    ms: float  # median per page
    body: bool
    by: dict[str, Scores]  # "all" and each template


def _scores(rows: list[tuple[Page, Result, tuple[float, float, float]]]) -> Scores:
    k = len(rows) or 1
    return Scores(
        n=len(rows), p=sum(r[2][0] for r in rows) / k, r=sum(r[2][1] for r in rows) / k,
        f1=sum(r[2][2] for r in rows) / k, good=sum(r[2][2] >= 0.95 for r in rows) / k,
        title=sum(_norm(r[1].title) == _norm(r[0].headline) for r in rows) / k,
        date=sum(r[1].date == r[0].date for r in rows) / k,
        date_wrong=sum(r[1].date is not None and r[1].date != r[0].date for r in rows) / k)


def score(name: str, run: Callable[[str, str], Result], pages: list[Page], *, body: bool = True) -> Run:
    for page in pages[:3]:  # warm-up: imports, lazy tables
        run(page.markup, page.url)
    rows = []
    times = []
    for page in pages:
        start = time.perf_counter()
        res = run(page.markup, page.url)
        times.append(time.perf_counter() - start)
        rows.append((page, res, prf(res.body, page.body)))
    by = {"all": _scores(rows)} | {t: _scores([r for r in rows if r[0].template == t]) for t in TEMPLATES}
    return Run(name, 1000 * statistics.median(times), body, by)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def print_tables(runs: list[Run], n_pages: int) -> None:
    print(f"\n{n_pages} pages ({', '.join(TEMPLATES)}; about {n_pages // len(TEMPLATES)} each)\n")
    print("| extractor | body P | body R | body F1 | pages F1 >= 0.95 | headline | date right / wrong | ms/page |")
    print("|---|---|---|---|---|---|---|---|")
    for run in runs:
        a = run.by["all"]
        cells = ([f"{a.p:.3f}", f"{a.r:.3f}", f"{a.f1:.3f}", _pct(a.good), _pct(a.title)] if run.body
                 else ["-"] * 5)
        cells += [f"{_pct(a.date)} / {_pct(a.date_wrong)}", f"{run.ms:.1f}"]
        print(f"| {run.name} | " + " | ".join(cells) + " |")
    print("\nbody F1 / headline / date right, by template\n")
    print("| extractor | " + " | ".join(TEMPLATES) + " |")
    print("|---|" + "---|" * len(TEMPLATES))
    for run in runs:
        cells = [f"{s.f1:.2f} / {_pct(s.title)} / {_pct(s.date)}" if run.body else f"- / - / {_pct(s.date)}"
                 for s in (run.by[t] for t in TEMPLATES)]
        print(f"| {run.name} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--shared", help="shared data folder (default ../shared)")
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--keep", help="write the generated pages to this folder and keep them")
    args = ap.parse_args(argv)
    pages = build_pages(shared_dir(args.shared), args.pages, args.seed)
    with tempfile.TemporaryDirectory(prefix="wire-html-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for i, page in enumerate(pages):
            (folder / f"{i:03d}-{page.template}.html").write_text(page.markup, encoding="utf-8")
        pages = [Page(p.key, p.template, p.url, p.headline, p.body, p.date,
                      (folder / f"{i:03d}-{p.template}.html").read_text(encoding="utf-8")) for i, p in enumerate(pages)]
    import trafilatura

    versions = f"trafilatura {trafilatura.__version__}"
    print(f"# wire extractors/html.py (beautifulsoup4 + lxml) vs {versions}", file=sys.stderr)
    results = [
        score("wire before (bs4 heuristic only)", wire_reader(libraries=False), pages),
        score("wire read_html (trafilatura body, htmldate fallback)", wire_reader(), pages),
        score("trafilatura", trafilatura_reader(), pages),
        score("trafilatura favor_precision", trafilatura_reader(precision=True), pages),
        score("trafilatura favor_recall", trafilatura_reader(recall=True), pages),
        score("trafilatura fast", trafilatura_reader(fast=True), pages),
        score("htmldate find_date (date only)", htmldate_reader(extensive=True), pages, body=False),
        score("htmldate, extensive_search=False", htmldate_reader(extensive=False), pages, body=False),
    ]
    print_tables(results, len(pages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
