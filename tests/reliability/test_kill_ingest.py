"""Crash safety of `wire ingest` (issue #10.1): a feed poll killed with SIGKILL at named points (inside
the load transaction, right after COMMIT before the feed's state row is saved) or at a random time, then
polled again, ends with exactly the story rows of one uninterrupted poll.

The feed is served by a local HTTP server from stories generated here.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from rel_harness import (
    STORY_TABLES,
    Ledger,
    check_partial,
    compare,
    kill_group,
    local_http_server,
    make_corpus,
    run_cli,
    scale,
    snapshot,
    spawn_cli,
    wire_env,
)

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

FULL = scale() == "full"
ENTRIES = 16 if FULL else 8
NAMED = ["insert-mentions:1", "done-sources:1", "committed:1"] if FULL else ["committed:1"]
TABLES = {k: v for k, v in STORY_TABLES.items() if k != "sources"} | {"sources": ("source_key",)}


def _feed(tmp: Path) -> bytes:
    files = make_corpus(tmp / "feed-stories", ENTRIES, seed=23)
    items = []
    for i, f in enumerate(files):
        title, _, body = f.read_text(encoding="utf-8").partition("\n\n")
        items.append(f"<item><guid isPermaLink=\"false\">urn:wire-test:{i}</guid><title>{escape(title)}</title>"
                     f"<pubDate>Mon, 0{1 + i % 9} Jun 2026 10:00:00 GMT</pubDate>"
                     f"<description>{escape(body.replace(chr(10) * 2, ' '))}</description></item>")
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>'
            + "".join(items) + "</channel></rss>").encode()


@pytest.fixture(scope="module")
def feed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    body = _feed(tmp_path_factory.mktemp("feed"))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with local_http_server(Handler) as base:
        yield f"{base}/feed.xml"


def _ingest(url: str, db: Path) -> list[str]:
    return ["ingest", url, "--db", str(db), "--format", "json", "--no-prefect"]


def _faulted(args: list[str], env: dict[str, str]) -> int | None:
    """Run until the armed fault kills it; then reap anything it left behind in its session."""
    proc = spawn_cli(args, env)
    try:
        proc.wait(timeout=300)
    finally:
        kill_group(proc)
    return proc.returncode


def test_ingest_killed_then_polled_again_equals_one_poll(feed_url: str, tmp_path: Path, ledger: Ledger) -> None:
    env = wire_env(batch_files=10)
    ref_db = tmp_path / "ref.duckdb"
    ref_run = run_cli(_ingest(feed_url, ref_db), env)
    assert ref_run.returncode == 0, ref_run.stderr
    reference = snapshot(ref_db, TABLES)
    assert sum(reference["items"].values()) == ENTRIES
    db = tmp_path / "killed.duckdb"
    kills: list[dict[str, Any]] = []
    for spec in NAMED:
        rc = _faulted(_ingest(feed_url, db), dict(env, WIRE_FAULT=spec))
        assert rc == -signal.SIGKILL, f"{spec} not reached (exit {rc})"
        part = check_partial(reference, snapshot(db, TABLES))
        kills.append({"fault": spec, "consistent": part.consistent, "items_stored": part.items})
    seed = int(os.environ.get("WIRE_RELIABILITY_SEED") or time.time_ns() % 1_000_000)
    delay = random.Random(seed).uniform(0.3, 0.95) * ref_run.seconds
    proc = spawn_cli(_ingest(feed_url, db), env)
    try:
        proc.wait(timeout=delay)
    except Exception:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        part = check_partial(reference, snapshot(db, TABLES))
        kills.append({"fault": f"SIGKILL after {delay:.1f}s", "consistent": part.consistent,
                      "items_stored": part.items})
    kill_group(proc)
    final = run_cli(_ingest(feed_url, db), env)
    assert final.returncode == 0, final.stderr
    again = run_cli(_ingest(feed_url, db), env)  # a poll of the unchanged feed adds nothing
    assert again.returncode == 0, again.stderr
    cmp = compare(reference, snapshot(db, TABLES))
    ledger.record("kill", f"wire ingest killed and polled again (seed {seed})", faults_injected=len(kills),
                  faults_survived=sum(k["consistent"] for k in kills) if cmp.equal else 0, rows_compared=cmp.rows,
                  rows_lost=cmp.lost, rows_duplicated=cmp.duplicated + cmp.extra, kills=kills)
    assert all(k["consistent"] for k in kills), kills
    assert cmp.equal, cmp.per_table
