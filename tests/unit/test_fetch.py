"""The polite fetcher against httpx.MockTransport: headers, conditional GET, limits, errors, redirects."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from flows.fetch import Fetcher, parse_retry_after

UA = "wire-test/1.0 (+https://example.invalid)"
BODY = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


def fetcher(handler: object, **kw: object) -> Fetcher:
    return Fetcher(user_agent=UA, transport=httpx.MockTransport(handler), **kw)  # type: ignore[arg-type]


def test_sends_user_agent_and_returns_validators() -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(200, content=BODY,
                              headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

    with fetcher(handler) as f:
        res = f.fetch("https://feeds.example/rss")
    assert res.outcome == "ok" and res.http == 200 and res.content == BODY
    assert res.etag == '"v1"' and res.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT" and res.sha256
    assert seen[0].headers["user-agent"] == UA
    assert "rss+xml" in seen[0].headers["accept"]
    assert "if-none-match" not in seen[0].headers


def test_conditional_get_gives_not_modified() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        if req.headers.get("if-none-match") == '"v1"' and req.headers.get("if-modified-since"):
            return httpx.Response(304)
        return httpx.Response(200, content=BODY, headers={"ETag": '"v1"'})

    with fetcher(handler) as f:
        res = f.fetch("https://feeds.example/rss", etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert res.outcome == "not_modified" and res.http == 304 and res.content == b""
    assert res.etag == '"v1"'


def test_body_hash_fallback_when_server_ignores_conditional_get() -> None:
    with fetcher(lambda req: httpx.Response(200, content=BODY)) as f:
        first = f.fetch("https://feeds.example/rss")
        again = f.fetch("https://feeds.example/rss", etag='"x"', previous_sha256=first.sha256)
        changed = f.fetch("https://feeds.example/rss", previous_sha256="0" * 64)
    assert again.outcome == "unchanged" and "unchanged" in again.status
    assert changed.outcome == "ok"


@pytest.mark.parametrize("retry_after", ["120", None])
def test_429_reports_retry_after(retry_after: str | None) -> None:
    headers = {"Retry-After": retry_after} if retry_after else {}
    with fetcher(lambda req: httpx.Response(429, headers=headers)) as f:
        res = f.fetch("https://feeds.example/rss")
    assert res.outcome == "error" and res.transient and res.http == 429
    assert res.retry_after == (120.0 if retry_after else None)
    assert res.status.startswith("429") and ("retry after 120s" in res.status) == bool(retry_after)


def test_retry_after_as_http_date() -> None:
    now = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now) == 90
    assert parse_retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now=now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("99999999") == 7 * 24 * 3600


@pytest.mark.parametrize(("code", "transient"), [(500, True), (503, True), (404, False), (410, False), (403, False)])
def test_http_errors_are_transient_or_hard(code: int, transient: bool) -> None:
    with fetcher(lambda req: httpx.Response(code)) as f:
        res = f.fetch("https://feeds.example/rss")
    assert res.outcome == "error" and res.http == code and res.transient is transient
    assert res.status.startswith(str(code))


def test_timeout_and_network_errors_are_transient() -> None:
    def slow(req: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=req)

    def refused(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=req)

    with fetcher(slow, timeout=3) as f:
        res = f.fetch("https://feeds.example/rss")
    assert res.outcome == "error" and res.transient and res.status.startswith("timeout after 3s")
    with fetcher(refused) as f:
        res = f.fetch("https://feeds.example/rss")
    assert res.transient and "connection refused" in res.status


def test_size_limit() -> None:
    big = b"x" * 5000
    with fetcher(lambda req: httpx.Response(200, content=big), max_bytes=1000) as f:
        res = f.fetch("https://feeds.example/rss")
    assert res.outcome == "error" and not res.transient and "too large" in res.status
    with fetcher(lambda req: httpx.Response(200, content=big), max_bytes=10_000) as f:
        assert f.fetch("https://feeds.example/rss").content == big


def test_gzip_is_decoded_and_the_limit_applies_to_the_decoded_size() -> None:
    plain = b"<rss>" + b"a" * 20_000 + b"</rss>"
    packed = gzip.compress(plain)
    assert len(packed) < 1000

    def handler(req: httpx.Request) -> httpx.Response:
        assert "gzip" in req.headers["accept-encoding"]
        return httpx.Response(200, content=packed, headers={"Content-Encoding": "gzip"})

    with fetcher(handler) as f:
        assert f.fetch("https://feeds.example/rss").content == plain
    with fetcher(handler, max_bytes=5000) as f:
        assert "too large" in f.fetch("https://feeds.example/rss").status


def test_permanent_redirect_is_recorded_temporary_is_not() -> None:
    def handler(req: httpx.Request) -> httpx.Response:
        path = req.url.path
        if path == "/old":
            return httpx.Response(301, headers={"Location": "https://feeds.example/new"})
        if path == "/moved":
            return httpx.Response(308, headers={"Location": "/temp"})
        if path == "/temp":
            return httpx.Response(302, headers={"Location": "https://feeds.example/new"})
        if path == "/loop":
            return httpx.Response(302, headers={"Location": "/loop"})
        return httpx.Response(200, content=BODY)

    with fetcher(handler) as f:
        moved = f.fetch("https://feeds.example/old")
        chain = f.fetch("https://feeds.example/moved")
        temp = f.fetch("https://feeds.example/temp")
        loop = f.fetch("https://feeds.example/loop")
    assert moved.outcome == "ok" and moved.permanent_url == "https://feeds.example/new"
    assert chain.permanent_url == "https://feeds.example/temp"  # the 302 after it is not permanent
    assert temp.outcome == "ok" and temp.permanent_url is None and temp.final_url == "https://feeds.example/new"
    assert loop.outcome == "error" and "redirects" in loop.status


def test_invalid_url_is_an_error_not_an_exception() -> None:
    with fetcher(lambda req: httpx.Response(200)) as f:
        assert f.fetch("not a url").outcome == "error"


def test_per_host_concurrency_limit() -> None:
    active = {"n": 0, "max": 0}
    lock = threading.Lock()

    def handler(req: httpx.Request) -> httpx.Response:
        with lock:
            active["n"] += 1
            active["max"] = max(active["max"], active["n"])
        time.sleep(0.2)
        with lock:
            active["n"] -= 1
        return httpx.Response(200, content=BODY)

    with fetcher(handler, per_host_limit=2) as f:
        threads = [threading.Thread(target=f.fetch, args=(f"https://one.example/{i}",)) for i in range(6)]
        threads += [threading.Thread(target=f.fetch, args=(f"https://two.example/{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert f.max_active["one.example"] == 2
    assert f.max_active["two.example"] <= 2
    assert active["max"] >= 3  # other hosts are not held back by one host's limit


def test_a_body_that_drips_in_too_slowly_times_out() -> None:
    ticks = iter(range(0, 1000, 2))  # every clock reading is two seconds later

    class Drip(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            for _ in range(100):
                yield b"<rss>"

    def handler(req: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Drip())

    f = Fetcher(user_agent=UA, timeout=5, transport=httpx.MockTransport(handler), clock=lambda: float(next(ticks)))
    with f:
        res = f.fetch("https://feeds.example/rss")
    assert res.outcome == "error" and res.transient and res.status == "timeout: body not received within 15s"
