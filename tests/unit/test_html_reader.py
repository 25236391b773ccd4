"""HTML pages cleaned to article text: no scripts, navigation, tracking or hidden markup."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from extractors import html
from extractors.html import html_to_text
from extractors.readers import read_bytes

PAGE = """<!DOCTYPE html><html lang="en"><head>
<title>Site | Storm hits coast</title>
<meta property="og:title" content="Storm hits coast">
<meta name="author" content="ANNA KOWALSKI">
<meta property="article:published_time" content="2024-05-01T10:30:00+02:00">
<script>var tracking = "pixel"; document.write("evil")</script>
<style>.x{color:red}</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><h1>Storm hits coast</h1></header>
<article>
<p>A storm hit the coast on Tuesday, cutting power to 40,000 homes.</p>
<div class="share-tools"><p>Share this on social media</p></div>
<p>"We have never seen winds like this," said mayor Luis Ortega.</p>
<p style="display:none">hidden tracking text</p>
<img src="https://tracker.example/pixel.gif" width="1" height="1">
<script>track("read")</script>
</article>
<aside><p>Related: other storms</p></aside>
<footer><p>Copyright 2024 Site</p></footer>
</body></html>"""


def test_article_text_only() -> None:
    (story,) = read_bytes(PAGE.encode(), "pages/storm.html")
    assert story.source_kind == "html"
    assert story.title == "Storm hits coast"
    assert story.byline == "Anna Kowalski"
    assert story.published_at == datetime(2024, 5, 1, 8, 30)
    assert story.language == "en"
    assert story.body.split("\n\n") == [
        "A storm hit the coast on Tuesday, cutting power to 40,000 homes.",
        '"We have never seen winds like this," said mayor Luis Ortega.',
    ]
    for junk in ("tracking", "evil", "Home", "Related", "Copyright", "Share this", "hidden"):
        assert junk not in story.body


def test_page_without_article_uses_densest_block() -> None:
    page = ("<html><body><div id='menu'><p>Menu</p></div><div class='content'>"
            + "".join(f"<p>Paragraph {i} of the story with enough words to count.</p>" for i in range(5))
            + "</div></body></html>")
    (story,) = read_bytes(page.encode(), "p.html")
    assert story.body.startswith("Paragraph 0") and "Menu" not in story.body


def test_deeply_nested_html_does_not_crash() -> None:
    page = "<html><body>" + "<div>" * 5000 + "<p>Deep text here.</p>" + "</div>" * 5000 + "</body></html>"
    (story,) = read_bytes(page.encode(), "deep.html")
    assert "Deep text here." in story.body


def test_fragment_to_text() -> None:
    assert html_to_text("<p>One <b>bold</b> line.</p><p>Two.</p><script>x()</script>") == "One bold line.\n\nTwo."


def test_paragraphs_wrapped_one_per_div_are_all_kept() -> None:
    # React-style markup without <article>: the densest-parent heuristic alone kept one paragraph of these
    paras = [f"Paragraph {i} says the harbour board met on Monday and agreed the repairs would go ahead." for i in
             range(6)]
    page = ("<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>World</a></li></ul></nav><main>"
            + "".join(f"<div data-component='text-block'><p>{p}</p></div>" for p in paras)
            + "</main><div class='most-popular'><ol><li><a href='#'>Other story</a></li></ol></div></body></html>")
    (story,) = read_bytes(page.encode(), "p.html")
    assert story.body.split("\n\n") == paras


def test_page_dated_only_by_a_label_or_unusual_meta() -> None:
    body = "".join(f"<p>Paragraph {i} of the story, with enough words in it to count as text.</p>" for i in range(4))
    labelled = f"<html><body><div class='ds'>Published: 2005/03/14 09:12:43 GMT</div>{body}</body></html>"
    meta = (f"<html><head><meta name='OriginalPublicationDate' content='2005/02/09 15:09:58'></head>"
            f"<body>{body}</body></html>")
    undated = f"<html><body>{body}<p>In 2003 the quay closed.</p><footer>&copy; 2024 Site</footer></body></html>"
    assert read_bytes(labelled.encode(), "a.html")[0].published_at == datetime(2005, 3, 14)
    assert read_bytes(meta.encode(), "b.html")[0].published_at == datetime(2005, 2, 9)
    assert read_bytes(undated.encode(), "c.html")[0].published_at is None  # no copyright year taken for a date


def test_thousands_of_unclosed_paragraphs_are_read_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    # each unclosed <p> nests in the previous one; the fallback hashed every parent's markup (15 s for 2,000)
    monkeypatch.setattr(html, "_library_body", lambda cleaned: [])  # the fallback, as when trafilatura finds none
    page = "<html><body>" + "<p>Another line of the harbour story" * 3000 + "</body></html>"
    start = time.monotonic()
    (story,) = read_bytes(page.encode(), "unclosed.html")
    assert "harbour story" in story.body and time.monotonic() - start < 10
