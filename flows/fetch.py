"""Polite HTTP fetching of feeds and article pages with httpx.

- a clear User-Agent, time-outs (connect / read; the whole body within 3x the time-out), a size limit on
  the decoded body
  (gzip and deflate are decoded by httpx; the limit applies to what we would parse);
- redirects followed (at most `max_redirects`); a permanent redirect (301/308 from the first hop on) is
  reported as `permanent_url`, so the caller polls the new address next time;
- conditional GET: `If-None-Match` (ETag) and `If-Modified-Since` (Last-Modified) are sent when known;
  304 gives outcome "not_modified"; a 200 whose bytes hash to the previous body's sha256 gives
  "unchanged" (the fallback for servers that ignore conditional requests);
- 429 and 503 report their `Retry-After` (seconds or an HTTP date) in `retry_after`;
- at most `per_host_limit` requests to one host at a time, across threads.

`fetch` never raises for network or HTTP trouble: every outcome is a `FetchResult` with a readable
`status` ("200 OK", "304 not modified", "429 Too Many Requests, retry after 120s", "timeout after 20s",
"truncated body: ...") and `transient` saying whether trying again later may help.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx

__all__ = ["FEED_ACCEPT", "HTML_ACCEPT", "FetchResult", "Fetcher", "http_feed_bytes", "http_text", "parse_retry_after"]

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
               "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

Outcome = Literal["ok", "not_modified", "unchanged", "error"]
_PERMANENT = {301, 308}
_TRANSIENT_HTTP = {408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524}
_MAX_RETRY_AFTER = 7 * 24 * 3600.0


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), within [0, 7 days]."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), _MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delta, 0.0), _MAX_RETRY_AFTER)


@dataclass
class FetchResult:
    url: str  # as requested
    outcome: Outcome
    status: str  # one readable line
    http: int | None = None
    final_url: str | None = None
    content: bytes = b""
    content_type: str | None = None
    encoding: str | None = None  # charset the server declared
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None  # of the content
    permanent_url: str | None = None
    retry_after: float | None = None  # seconds, from Retry-After
    transient: bool = False  # an error that may go away (network, 429, 5xx)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome != "error"


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class Fetcher:
    """One httpx client shared by the polls of a run (connection reuse), with a per-host limit.

    `transport` is for tests (httpx.MockTransport); `clock` lets tests check timing.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 20.0,
        max_bytes: int = 10 * 1024 * 1024,
        per_host_limit: int = 2,
        max_redirects: int = 5,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.per_host_limit = max(1, per_host_limit)
        self._clock = clock
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            max_redirects=max_redirects,
            transport=transport,
            limits=httpx.Limits(max_connections=max(4, self.per_host_limit * 4),
                                max_keepalive_connections=self.per_host_limit * 2),
        )
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self.max_active: dict[str, int] = {}  # most concurrent requests seen per host (for tests/stats)
        self._active: dict[str, int] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.BoundedSemaphore(self.per_host_limit)
            return self._hosts[host]

    def _enter(self, host: str) -> None:
        with self._lock:
            self._active[host] = self._active.get(host, 0) + 1
            self.max_active[host] = max(self.max_active.get(host, 0), self._active[host])

    def _leave(self, host: str) -> None:
        with self._lock:
            self._active[host] -= 1

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        previous_sha256: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET `url` (conditionally when validators are given); never raises for network/HTTP trouble."""
        t0 = self._clock()
        try:
            host = httpx.URL(url).host
            if not host:
                raise httpx.InvalidURL("no host")
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            return FetchResult(url, "error", f"invalid URL: {exc}")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        slot = self._slot(host)
        with slot:
            self._enter(host)
            try:
                result = self._get(url, headers, previous_sha256)
            finally:
                self._leave(host)
        result.seconds = self._clock() - t0
        return result

    def _get(self, url: str, headers: dict[str, str], previous_sha256: str | None) -> FetchResult:
        deadline = self._clock() + self.timeout * 3  # a server dripping bytes cannot hold a poll forever
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                res = FetchResult(url, "ok", "", http=resp.status_code, final_url=str(resp.url),
                                  content_type=resp.headers.get("content-type"),
                                  encoding=resp.charset_encoding,
                                  etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"),
                                  permanent_url=_permanent(resp))
                code = resp.status_code
                if code == 304:
                    res.outcome, res.status = "not_modified", "304 not modified"
                    res.etag = res.etag or headers.get("If-None-Match")
                    res.last_modified = res.last_modified or headers.get("If-Modified-Since")
                    return res
                if not 200 <= code < 300:
                    res.outcome, res.transient = "error", code in _TRANSIENT_HTTP or code >= 500
                    res.status = f"{code} {resp.reason_phrase or 'error'}".strip()
                    if code in (429, 503):
                        res.retry_after = parse_retry_after(resp.headers.get("retry-after"))
                        if res.retry_after is not None:
                            res.status += f", retry after {res.retry_after:.0f}s"
                    return res
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and "content-encoding" not in resp.headers \
                        and int(declared) > self.max_bytes:
                    raise _TooLarge(f"{int(declared):,} bytes declared")
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    if self._clock() > deadline:
                        raise _TooSlow
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _TooLarge(f"more than {size:,} bytes")
                    chunks.append(chunk)
                res.content = b"".join(chunks)
                res.sha256 = hashlib.sha256(res.content).hexdigest()
                if previous_sha256 and res.sha256 == previous_sha256:
                    res.outcome, res.status = "unchanged", f"{code} unchanged (same bytes as last poll)"
                else:
                    res.status = f"{code} {resp.reason_phrase or 'OK'}".strip()
                return res
        except _TooSlow:
            return FetchResult(url, "error", f"timeout: body not received within {self.timeout * 3:g}s",
                               transient=True)
        except _TooLarge as exc:
            return FetchResult(url, "error", f"too large: {exc}, limit {self.max_bytes:,} bytes", http=200)
        except httpx.TimeoutException as exc:
            kind = type(exc).__name__.replace("Timeout", "").lower() or "request"
            return FetchResult(url, "error", f"timeout after {self.timeout:g}s ({kind})", transient=True)
        except httpx.TooManyRedirects as exc:
            return FetchResult(url, "error", f"too many redirects: {exc}")
        except httpx.RemoteProtocolError as exc:
            text = str(exc)
            what = "truncated body" if "body" in text or "incomplete" in text.lower() else "protocol error"
            return FetchResult(url, "error", f"{what}: {text}", transient=True)
        except httpx.DecodingError as exc:
            return FetchResult(url, "error", f"cannot decode the body (bad gzip?): {exc}", transient=True)
        except (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.NetworkError) as exc:
            return FetchResult(url, "error", f"network error: {type(exc).__name__}: {exc or 'connection failed'}",
                               transient=True)
        except httpx.UnsupportedProtocol as exc:
            return FetchResult(url, "error", f"unsupported URL: {exc}")
        except httpx.HTTPError as exc:
            return FetchResult(url, "error", f"HTTP error: {type(exc).__name__}: {exc}", transient=True)


def _permanent(resp: httpx.Response) -> str | None:
    """Where the chain of permanent redirects from the requested URL ends (None if the first is not one)."""
    permanent: str | None = None
    hops = [*resp.history, resp]
    for i, r in enumerate(resp.history):
        if r.status_code not in _PERMANENT:
            break
        permanent = str(hops[i + 1].request.url)
    return permanent


# --- the HTTP charset against the bytes (kept apart from the fetcher: used by the ingest flow) -----------

def http_text(content: bytes, declared: str | None, url: str) -> tuple[str, str | None]:
    """An HTML page's text: the HTTP Content-Type charset unless the bytes say otherwise (valid UTF-8 served
    as Latin-1, or Latin-1 bytes served as UTF-8: the bytes win, as for XML declarations and `<meta>`
    charsets, `extractors.charset`), with a warning naming the lie. Without an HTTP charset the page's own
    declaration decides (`extractors.clean.decode_bytes` via the HTML reader's rules)."""
    from extractors.charset import true_encoding

    if not declared:
        from extractors.clean import decode_bytes

        text, _ = decode_bytes(content, url)
        return text, None
    enc, warning = true_encoding(content, declared)
    text = content.decode(enc, errors="replace")
    return text, (f"{url}: HTTP Content-Type {warning}" if warning else None)


def http_feed_bytes(content: bytes, declared: str | None, url: str) -> tuple[bytes, str | None]:
    """Feed bytes for the XML parser and a warning when the HTTP Content-Type charset is not what the bytes
    are in. The bytes win: a feed without an XML declaration whose HTTP charset the bytes do not contradict
    (Latin-1 served as such) is re-encoded as UTF-8, which the parser assumes; one declared UTF-8 over HTTP
    that is not is re-encoded from what it really is; an XML declaration is left to `reconcile_xml`."""
    from extractors.charset import declared_xml_encoding, true_encoding

    if not declared or content.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return content, None
    enc, warning = true_encoding(content, declared)
    note = f"{url}: HTTP Content-Type {warning}" if warning else None
    if declared_xml_encoding(content) is None and enc != "utf-8":
        return content.decode(enc, errors="replace").encode("utf-8"), note
    return content, note
