"""Feeds end to end against a real HTTP server on 127.0.0.1: conditional polls, changes, failures, CLI.

Most tests replace the NLP pass by an empty extraction (`NoNLP`): they are about fetching and storing;
the CLI test runs the real pipeline on a three-entry feed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from extractors.records import Extraction
from flows.feeds_config import FeedConfig, resolve_feeds
from flows.ingest import IngestSummary, ingest
from flows.pipeline import NLPJob, NLPRunner
from flows.serve import serve_local
from flows.settings import Settings
from warehouse import reader
from warehouse.feeds import FeedState, all_feed_states

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feed_server import FeedServer, feed_server


class NoNLP(NLPRunner):
    """Stands in for spaCy where a test is about feeds, not extraction."""

    def __init__(self) -> None:
        super().__init__("none", 1)

    def submit(self, texts: Sequence[Any], models: Sequence[str] | None = None) -> NLPJob:
        return NLPJob(done=[Extraction() for _ in texts])


def small_feed(entries: list[tuple[str, str, str]], title: str = "Test Wire") -> str:
    """RSS 2.0 with (guid, title, body) entries."""
    items = "".join(
        f"<item><title>{t}</title><link>https://wire.example/{i}</link><guid>{g}</guid>"
        f"<pubDate>Mon, 0{i % 9 + 1} Jan 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;{b}&lt;/p&gt;</description>"
        "</item>"
        for i, (g, t, b) in enumerate(entries)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://wire.example/</link>{items}</channel></rss>")


ENTRIES = [
    ("https://wire.example/a", "Port reopens", "The port reopened on Monday after a two-day strike."),
    ("https://wire.example/b", "Rates held", "The central bank held its main rate at 4.5 percent."),
    ("urn:wire:c", "Bridge closed", "The old bridge was closed to traffic for repairs."),
]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as srv:
        yield srv


@pytest.fixture
def settings() -> Settings:
    return Settings(workers=1, http_timeout=5.0, feed_backoff_base=60, feed_disable_after=3, lock_wait=30)


def run(urls: list[str], db: str, settings: Settings, **kw: Any) -> IngestSummary:
    return ingest(resolve_feeds(urls, settings), db, settings, runner=NoNLP(), **kw)


def count(db: str, sql: str) -> int:
    with reader(db) as con:
        row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def states(db: str) -> dict[str, FeedState]:
    with reader(db) as con:
        return {s.url: s for s in all_feed_states(con)}


def test_real_feeds_polled_twice_store_every_entry_once(server: FeedServer, shared: Path, db: str,
                                                        settings: Settings) -> None:
    feeds = shared / "fixtures" / "feeds"
    urls = [server.set("/guardian.rss", (feeds / "guardian.rss").read_bytes(), content_type="application/rss+xml"),
            server.set("/heise.atom", (feeds / "heise.atom").read_bytes(), content_type="application/atom+xml"),
            server.set("/npr.json", (feeds / "npr.json").read_bytes(), content_type="application/feed+json")]
    first = run(urls, db, settings)
    assert [r.outcome for r in first.feeds] == ["stored"] * 3
    entries = sum(r.entries for r in first.feeds)
    assert entries > 50 and first.total("new_items") == entries
    assert count(db, "SELECT count(*) FROM items WHERE source_kind = 'feed'") == entries
    assert count(db, "SELECT count(DISTINCT guid) FROM items") == entries
    assert count(db, "SELECT count(*) FROM items WHERE body = '' OR body IS NULL") == 0
    assert count(db, "SELECT count(*) FROM items WHERE published_at IS NULL") == 0

    second = run(urls, db, settings)
    assert [r.outcome for r in second.feeds] == ["not modified"] * 3
    assert second.total("new_items") == 0
    assert count(db, "SELECT count(*) FROM items") == entries
    for path in ("/guardian.rss", "/heise.atom", "/npr.json"):
        again = server.hits_for(path)[-1]
        assert again.status == 304 and again.headers.get("if-none-match") and again.headers.get("if-modified-since")
        assert again.headers["user-agent"].startswith("wire/")
    st = states(db)
    assert all(s.last_status == "304 not modified" and s.new_items == 0 and s.failures == 0 for s in st.values())
    assert sum(s.total_items for s in st.values()) == entries
    assert count(db, "SELECT count(*) FROM runs WHERE flow = 'ingest' AND status = 'completed'") == 2


def test_changed_feed_stores_only_new_or_changed_entries(server: FeedServer, db: str, settings: Settings) -> None:
    url = server.set("/wire.rss", small_feed(ENTRIES))
    assert run([url], db, settings).total("new_items") == 3
    changed = [
        (ENTRIES[0][0], ENTRIES[0][1], ENTRIES[0][2] + " Ships queued overnight."),  # changed body
        (ENTRIES[1][0].replace("https://", "http://"), ENTRIES[1][1], ENTRIES[1][2]),  # guid flipped to http
        ENTRIES[2],  # unchanged
        ("https://wire.example/d", "New entry", "A new entry appeared in the feed."),  # new
    ]
    server.set("/wire.rss", small_feed(changed))
    (report,) = run([url], db, settings).feeds
    assert report.outcome == "stored" and report.entries == 4
    assert report.new_items == 2 and report.versions == 1 and report.already == 2
    assert count(db, "SELECT count(*) FROM items") == 5
    with reader(db) as con:
        versions = con.execute(
            "SELECT version, body FROM items WHERE guid = ? ORDER BY version", [ENTRIES[0][0]]).fetchall()
        story_ids = con.execute("SELECT count(DISTINCT story_id) FROM items WHERE guid = ?", [ENTRIES[0][0]]).fetchone()
    assert [v for v, _ in versions] == [1, 2] and versions[1][1].endswith("Ships queued overnight.")
    assert story_ids == (1,)
    assert states(db)[url].total_items == 5


def test_server_ignoring_conditional_get_stores_nothing_twice(server: FeedServer, db: str,
                                                              settings: Settings) -> None:
    url = server.set("/plain.rss", small_feed(ENTRIES), validators=False)
    run([url], db, settings)
    (report,) = run([url], db, settings).feeds
    assert report.outcome == "unchanged" and report.new_items == 0 and report.http == 200
    assert count(db, "SELECT count(*) FROM items") == 3
    assert "unchanged" in (states(db)[url].last_status or "")


def test_failures_end_in_a_readable_status_and_nothing_is_lost(server: FeedServer, db: str,
                                                               settings: Settings) -> None:
    settings.http_timeout = 0.5
    html = "<!DOCTYPE html><html><body><h1>Welcome</h1><p>This is a home page, not a feed.</p></body></html>"
    urls = {
        "429": server.set("/busy.rss", b"slow down", status=429, headers={"Retry-After": "120"},
                          content_type="text/plain"),
        "500": server.set("/broken.rss", b"oops", status=500, content_type="text/plain"),
        "timeout": server.set("/slow.rss", small_feed(ENTRIES[:1]), delay=1.5),
        "truncated": server.set("/cut.rss", small_feed(ENTRIES[1:2]), truncate=True),
        "html": server.set("/page.html", html, content_type="text/html"),
    }
    summary = run(list(urls.values()), db, settings)
    by_url = {r.url: r for r in summary.feeds}
    assert all(r.outcome == "error" for r in summary.feeds)
    assert by_url[urls["429"]].status == "429 Too Many Requests, retry after 120s"
    assert by_url[urls["500"]].status.startswith("500")
    assert by_url[urls["timeout"]].status.startswith("timeout after 0.5s")
    assert by_url[urls["truncated"]].status.startswith("truncated body")
    assert by_url[urls["html"]].status.startswith("not a feed (text/html)")
    st = states(db)
    for url in urls.values():
        assert st[url].last_status == by_url[url].status and st[url].failures == 1
        assert st[url].etag is None and st[url].total_items == 0
    busy_next, busy_last = st[urls["429"]].next_poll, st[urls["429"]].last_poll
    assert busy_next is not None and busy_last is not None
    assert busy_next - busy_last >= timedelta(seconds=120)
    assert count(db, "SELECT count(*) FROM problems") == 5
    assert count(db, "SELECT count(*) FROM items") == 0

    # the same feeds recover: every entry is stored, the failures are forgotten
    feed = small_feed(ENTRIES)
    for name, url in urls.items():
        path = "/" + url.rsplit("/", 1)[-1]
        server.set(path, feed.replace("Test Wire", name))
    settings.http_timeout = 5.0
    again = run(list(urls.values()), db, settings)
    assert [r.outcome for r in again.feeds] == ["stored"] * 5
    assert count(db, "SELECT count(DISTINCT guid) FROM items") == 3
    assert all(s.failures == 0 for s in states(db).values())


def test_feed_is_disabled_after_repeated_hard_failures(server: FeedServer, db: str, settings: Settings,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = server.url("/gone.rss")  # 404
    for _ in range(3):
        run([url], db, settings)
    st = states(db)[url]
    assert st.disabled and st.hard_failures == 3 and "404" in (st.disabled_reason or "")
    (skipped,) = run([url], db, settings, skip="not_due").feeds
    assert skipped.outcome == "disabled" and "404" in skipped.status
    assert len(server.hits_for("/gone.rss")) == 3  # a disabled feed is not polled on schedule

    from flows.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["feeds", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "DISABLED" in out and "404" in out and url in out


def test_permanent_redirect_is_followed_next_time(server: FeedServer, db: str, settings: Settings) -> None:
    new = server.set("/new.rss", small_feed(ENTRIES))
    old = server.set("/old.rss", b"", status=301, headers={"Location": new})
    (report,) = run([old], db, settings).feeds
    assert report.outcome == "stored" and report.new_items == 3
    assert states(db)[old].permanent_url == new
    (again,) = run([old], db, settings).feeds
    assert again.outcome == "not modified"
    assert len(server.hits_for("/old.rss")) == 1 and len(server.hits_for("/new.rss")) == 2
    assert count(db, "SELECT count(DISTINCT source_uri) FROM items") == 1  # stories keep the configured URL


def test_article_pages_are_fetched_for_summary_only_entries(server: FeedServer, db: str,
                                                            settings: Settings) -> None:
    article = ("<html><head><title>Port reopens</title></head><body><nav>Home News</nav><article>"
               "<h1>Port reopens</h1><p>The port reopened on Monday after a two-day strike.</p>"
               "<p>Dock workers accepted a new contract late on Sunday.</p>"
               "<p>About 40 ships were waiting outside the harbour.</p></article></body></html>")
    page = server.set("/article/a", article, content_type="text/html; charset=utf-8")
    entries = [(ENTRIES[0][0], ENTRIES[0][1], "The port reopened.")]
    feed_xml = small_feed(entries).replace("https://wire.example/0", page)
    url = server.set("/summaries.rss", feed_xml)
    feed = FeedConfig(url=url, name="Summaries", fetch_article=True)
    (report,) = ingest([feed], db, settings, runner=NoNLP()).feeds
    assert report.articles == 1 and report.new_items == 1
    with reader(db) as con:
        body, meta = con.execute("SELECT body, meta FROM items").fetchone()  # type: ignore[misc]
    assert "Dock workers accepted a new contract" in body and "Home News" not in body
    assert '"body_from": "article"' in meta
    # the feed changes (a new entry): the stored entry's article is not fetched again
    server.set("/summaries.rss", small_feed([*entries, ENTRIES[2]]).replace("https://wire.example/0", page))
    (again,) = ingest([feed], db, settings, runner=NoNLP()).feeds
    assert again.new_items == 1 and again.already == 1
    assert len(server.hits_for("/article/a")) == 1


def test_serve_local_polls_the_configured_feeds_when_due(server: FeedServer, db: str, settings: Settings) -> None:
    a = server.set("/a.rss", small_feed(ENTRIES[:2], "A"))
    b = server.set("/b.rss", small_feed(ENTRIES[2:], "B"))
    settings.feeds = [{"url": a, "name": "A", "interval": "10m"}, {"url": b, "name": "B", "interval": 600}]
    runs: list[IngestSummary] = []
    assert serve_local(settings, db, max_cycles=1, runner=NoNLP(), on_run=runs.append) == 1
    assert [r.name for r in runs[0].feeds] == ["A", "B"] and runs[0].total("new_items") == 3
    # nothing is due ten minutes before the next poll: the second cycle polls nothing
    assert serve_local(settings, db, max_cycles=1, runner=NoNLP(), on_run=runs.append) == 1
    assert len(runs) == 1 and len(server.hits_for("/a.rss")) == 1
    st = states(db)
    next_poll, last_poll = st[a].next_poll, st[a].last_poll
    assert next_poll is not None and last_poll is not None
    assert next_poll - last_poll == timedelta(minutes=10)


def test_cli_ingest_twice_with_the_real_pipeline(server: FeedServer, db: str, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from flows.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WIRE_WORKERS", "1")
    url = server.set("/cli.rss", small_feed(ENTRIES))
    assert main(["ingest", url, "--db", db, "--no-prefect"]) == 0
    out = capsys.readouterr().out
    assert "200 OK: 3 new of 3 entries" in out
    assert count(db, "SELECT count(*) FROM items WHERE extracted") == 3
    assert main(["sql", "SELECT count(*) AS n FROM items", "--db", db, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "3"]
    assert main(["ingest", url, "--db", db, "--no-prefect"]) == 0
    out = capsys.readouterr().out
    assert "304 not modified" in out and "total: 0 new items" in out
    assert main(["feeds", "--db", db]) == 0
    out = capsys.readouterr().out
    assert url in out and "304 not modified" in out


def test_repeated_and_duplicate_entries_are_stored_once(server: FeedServer, db: str, settings: Settings) -> None:
    a = ENTRIES[0]
    entries = [a, (a[0].replace("https://", "http://"), a[1], a[2]),  # the same entry again, guid flipped
               ("https://wire.example/copy", "Port reopens (copy)", a[2]),  # another guid, the same story text
               ENTRIES[1]]
    url = server.set("/dups.rss", small_feed(entries))
    (report,) = run([url], db, settings).feeds
    assert report.entries == 4 and report.repeated == 1
    assert report.new_items == 3 and report.duplicates == 1
    with reader(db) as con:
        rows = con.execute("SELECT guid, duplicate_of IS NOT NULL, extracted FROM items ORDER BY part").fetchall()
    assert rows == [(a[0], False, True), ("https://wire.example/copy", True, False), (ENTRIES[1][0], False, True)]


def test_ill_formed_feed_is_stored_as_far_as_it_reads_with_the_error_shown(server: FeedServer, db: str,
                                                                           settings: Settings) -> None:
    broken = small_feed(ENTRIES).replace("<title>Rates held</title>", "<title>Rates & held</title>")
    url = server.set("/bozo.rss", broken)
    (report,) = run([url], db, settings).feeds
    assert report.outcome == "stored" and report.new_items >= 1
    assert "ill-formed" in report.status and report.warnings
    st = states(db)[url]
    assert st.last_error and st.last_error.startswith("ill-formed feed") and st.failures == 0
    with reader(db) as con:
        warned = con.execute("SELECT count(*) FROM items WHERE len(warnings) > 0").fetchone()
    assert warned == (report.new_items,)


def test_a_busy_warehouse_ends_in_a_report_not_a_crash(server: FeedServer, db: str, settings: Settings) -> None:
    import multiprocessing
    import random
    import threading

    from flows.fetch import Fetcher
    from flows.poll import RunContext, bind_run, poll_feed, release_run
    from warehouse import WarehouseBusy

    url = server.set("/busy-db.rss", small_feed(ENTRIES))
    run([url], db, settings)  # creates the warehouse
    server.set("/busy-db.rss", small_feed([*ENTRIES, ("urn:wire:new", "New", "A new entry.")]))
    settings.lock_wait = 0.3
    mp = multiprocessing.get_context("spawn")
    ready, done = mp.Event(), mp.Event()
    holder = mp.Process(target=_hold_file, args=(db, ready, done))
    holder.start()
    try:
        assert ready.wait(60)
        with pytest.raises(WarehouseBusy, match="busy"):  # a run cannot even start: it says so
            run([url], db, settings)
        bind_run("busy", RunContext(Fetcher(user_agent="t"), NoNLP(), threading.Lock(), random.Random()))
        try:
            report = poll_feed(resolve_feeds([url], settings)[0], db, "busy", settings)
        finally:
            ctx = release_run("busy")
            assert ctx is not None
            ctx.fetcher.close()
    finally:
        done.set()
        holder.join(30)
    assert report.outcome == "error" and "busy" in report.status
    assert run([url], db, settings).total("new_items") == 1  # nothing was lost: the next poll stores it


def _hold_file(db: str, ready: Any, done: Any) -> None:
    import duckdb

    con = duckdb.connect(db)
    ready.set()
    done.wait(60)
    con.close()


def test_entries_with_nothing_to_store_are_each_on_record(server: FeedServer, db: str, settings: Settings) -> None:
    empty = "<item><description></description></item>"
    url = server.set("/holes.rss", small_feed(ENTRIES[:1]).replace("</channel>", empty * 2 + "</channel>"))
    (report,) = run([url], db, settings).feeds
    assert report.outcome == "stored" and report.new_items == 1 and report.entries == 3
    with reader(db) as con:
        rows = con.execute("SELECT part, kind FROM problems WHERE source_uri = ? ORDER BY part", [url]).fetchall()
    assert rows == [(1, "skipped"), (2, "skipped")]


def test_store_failing_mid_transaction_keeps_the_old_validators_and_the_next_poll_stores_everything(
        server: FeedServer, db: str, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #19.6: the ETag / Last-Modified of a poll are saved only with its entries. A load that dies
    inside its transaction (after the items, before the facts) stores nothing, and the next poll fetches the
    whole document again (no conditional 304 on validators of entries that were never stored)."""
    import warehouse.load as load

    url = server.set("/mid.rss", small_feed(ENTRIES))
    real = load.insert_rows
    inserted: list[str] = []

    def dies_after_items(con: Any, name: str, rows: list[Any], **kw: Any) -> int:
        if "items" in inserted and rows and name != "items" and "died" not in inserted:
            inserted.append("died")  # once: the items of this transaction are in, the rest is not
            raise OSError("disk went away")
        if rows:
            inserted.append(name)
        return real(con, name, rows, **kw)

    monkeypatch.setattr(load, "insert_rows", dies_after_items)
    first = run([url], db, settings)
    assert first.feeds[0].outcome == "error" and "store failed: OSError: disk went away" in first.feeds[0].status
    assert "died" in inserted
    assert count(db, "SELECT count(*) FROM items") == 0  # the whole transaction rolled back
    st = states(db)[url]
    assert st.etag is None and st.last_modified is None and st.body_sha256 is None and st.failures == 1

    monkeypatch.setattr(load, "insert_rows", real)
    hits = len(server.hits)
    second = run([url], db, settings, force=True)
    assert second.feeds[0].outcome == "stored" and second.feeds[0].http == 200
    assert not any("If-None-Match" in h.headers or "if-none-match" in h.headers for h in server.hits[hits:])
    assert count(db, "SELECT count(DISTINCT guid) FROM items") == 3 and count(db, "SELECT count(*) FROM items") == 3
    third = run([url], db, settings, force=True)
    assert third.feeds[0].outcome == "not modified" and count(db, "SELECT count(*) FROM items") == 3
