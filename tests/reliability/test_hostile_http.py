"""Hostile HTTP against the feed fetcher (issue #10.3): feeds that never finish sending, endless
redirects, bodies far over the size limit, gzip bombs, servers that never answer, truncated and corrupt
bodies. Every case must come back as a readable error within a time bound, never hang, never raise.

A real local HTTP server (threads, 127.0.0.1) plays the hostile side, so httpx's own networking,
redirect and decoding code is exercised, not a mock.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import duckdb
import pytest
from rel_harness import Ledger, local_http_server, run_cli, wire_env

from flows.fetch import Fetcher, FetchResult

pytestmark = pytest.mark.reliability

TIMEOUT = 2.0
MAX_BYTES = 256 * 1024
GOOD_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour wire</title>
<item><guid>urn:test:quay-1</guid><title>Quay reopens in Lowen</title>
<description>The quay in Lowen reopened on Monday after repairs costing 4 million dollars, the port said.
"We are open again," harbour master Ingrid Varga told reporters.</description></item>
</channel></rss>"""


def _gzip_bomb(size: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    out = [z.compress(block) for _ in range(size >> 20)]
    out.append(z.flush())
    return b"".join(out)


BOMB = _gzip_bomb(1 << 30)  # 1 GiB of zeros in about 1 MB


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    stop = threading.Event()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        try:
            if path == "/good":
                self._send(200, GOOD_FEED, {"Content-Type": "application/rss+xml"})
            elif path.startswith("/redirect/"):
                n = int(path.rsplit("/", 1)[1])
                self._send(302, b"", {"Location": f"/redirect/{n + 1}"})
            elif path == "/loop-a":
                self._send(301, b"", {"Location": "/loop-b"})
            elif path == "/loop-b":
                self._send(301, b"", {"Location": "/loop-a"})
            elif path == "/to-file":
                self._send(302, b"", {"Location": "file:///etc/passwd"})
            elif path == "/declared-huge":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024 * 1024))
                self.end_headers()
                self._stream(lambda: b"<rss>" + b"a" * 65536)
            elif path in ("/endless", "/drip"):
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._chunk(b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>')
                if path == "/endless":
                    self._stream(lambda: self._chunk_bytes(b"<item><title>x</title></item>" * 2000))
                else:  # one item every 0.3 s: never idle long enough for a read time-out, never finished
                    while not self.stop.is_set():
                        self._chunk(b"<item><title>x</title></item>")
                        time.sleep(0.3)
            elif path == "/gzip-bomb":
                self._send(200, BOMB, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})
            elif path == "/bad-gzip":
                self._send(200, b"\x1f\x8b\x08\x00garbage-not-gzip" * 10,
                           {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})
            elif path == "/silent":
                self.stop.wait(30)
            elif path == "/truncated":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(GOOD_FEED[:200])
                self.wfile.flush()
                self.close_connection = True
            elif path == "/not-a-feed":
                self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, {"Content-Type": "image/png"})
            elif path == "/xxe":
                self._send(200, b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY s SYSTEM "file:///etc/passwd">]>'
                           b'<rss version="2.0"><channel><title>t</title><item><title>Leak</title>'
                           b"<description>&s; The quay reopened.</description></item></channel></rss>",
                           {"Content-Type": "application/rss+xml"})
            else:
                self._send(404, b"no")
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _chunk_bytes(self, data: bytes) -> bytes:
        return f"{len(data):x}\r\n".encode() + data + b"\r\n"

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(self._chunk_bytes(data))
        self.wfile.flush()

    def _stream(self, make: Callable[[], bytes]) -> None:
        while not self.stop.is_set():
            self.wfile.write(make())


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _Handler.stop.clear()
    with local_http_server(_Handler) as base:
        try:
            yield base
        finally:
            _Handler.stop.set()  # ends the endless streams before the server shuts down


def _fetch(url: str, bound: float) -> tuple[FetchResult | None, float]:
    """Fetch in a thread; (None, elapsed) if it has not returned within `bound` seconds."""
    box: list[FetchResult] = []
    fetcher = Fetcher(user_agent="wire-reliability-test", timeout=TIMEOUT, max_bytes=MAX_BYTES, max_redirects=5)
    t0 = time.monotonic()
    worker = threading.Thread(target=lambda: box.append(fetcher.fetch(url)), daemon=True)
    worker.start()
    worker.join(bound)
    elapsed = time.monotonic() - t0
    if not box:
        return None, elapsed
    fetcher.close()
    return box[0], elapsed


CASES = {
    # path: words the status must contain
    "/redirect/0": "redirect",
    "/loop-a": "redirect",
    "/to-file": "",
    "/declared-huge": "too large",
    "/endless": "too large",
    "/gzip-bomb": "too large",
    "/bad-gzip": "decode",
    "/silent": "timeout",
    "/truncated": "",
}


@pytest.mark.parametrize("path", sorted(CASES))
def test_hostile_response_is_a_readable_error(server: str, path: str, ledger: Ledger) -> None:
    res, elapsed = _fetch(server + path, bound=TIMEOUT * 3 + 10)
    ledger.record("http", f"fetch {path}", inputs_tried=1, inputs_handled=int(res is not None and not res.ok),
                  seconds=round(elapsed, 2), status=res.status if res else "did not return")
    assert res is not None, f"{path}: fetch did not return within {elapsed:.0f}s"
    assert not res.ok and res.outcome == "error", res
    assert CASES[path] in res.status.lower(), res.status
    assert len(res.content) <= MAX_BYTES


def test_feed_that_never_finishes_sending_is_cut_off(server: str, ledger: Ledger) -> None:
    """A server that keeps a slow trickle going (never idle for a read time-out) must still be cut off:
    `Fetcher` documents a whole-request time-out."""
    res, elapsed = _fetch(server + "/drip", bound=TIMEOUT * 5 + 10)
    ledger.record("http", "fetch /drip (never-ending slow body)", inputs_tried=1,
                  inputs_handled=int(res is not None and not res.ok), seconds=round(elapsed, 2),
                  status=res.status if res else "did not return")
    assert res is not None, f"fetch of a never-ending trickle did not return within {elapsed:.0f}s"
    assert not res.ok


@pytest.mark.slow
def test_ingest_stores_the_good_feed_and_records_the_hostile_ones(server: str, tmp_path: Path,
                                                                  ledger: Ledger) -> None:
    db = tmp_path / "feeds.duckdb"
    hostile = ["/redirect/0", "/gzip-bomb", "/endless", "/declared-huge", "/not-a-feed", "/xxe", "/bad-gzip"]
    env = wire_env(HTTP_TIMEOUT=str(TIMEOUT), WIRE_HTTP_TIMEOUT=str(TIMEOUT), WIRE_HTTP_MAX_BYTES=str(MAX_BYTES))
    run = run_cli(["ingest", *(server + p for p in [*hostile, "/good"]), "--db", str(db), "--no-prefect"], env,
                  timeout=300)
    assert "Traceback" not in run.stderr, run.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        bodies = [r[0] for r in con.execute("SELECT body FROM items").fetchall()]
        feeds = dict(con.execute("SELECT url, last_status FROM feeds").fetchall())
    finally:
        con.close()
    assert any("quay in Lowen reopened" in b for b in bodies), bodies
    assert not any("root:" in b for b in bodies)  # /etc/passwd never read into a story
    recorded = [p for p in hostile if p != "/xxe" and feeds.get(server + p)]
    assert len(recorded) == len(hostile) - 1, feeds
    ledger.record("http", "wire ingest of hostile feeds beside a good one", inputs_tried=len(hostile),
                  inputs_handled=len(recorded) + int(not any("root:" in b for b in bodies)),
                  good_stored=int(any("quay in Lowen reopened" in b for b in bodies)))
