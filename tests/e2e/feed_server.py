"""A small real HTTP server for feed tests: conditional GET, gzip, failures on demand (127.0.0.1, port 0)."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Resource:
    body: bytes
    content_type: str = "application/xml"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True  # send ETag / Last-Modified and honour conditional requests
    delay: float = 0.0  # seconds before answering (time-outs)
    truncate: bool = False  # announce the full length, send half, close
    mtime: float = field(default_factory=lambda: 1_700_000_000.0)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class FeedServer:
    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: bytes | str, **kw: Any) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self.resources[path] = Resource(data, **kw)
        return self.url(path)

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        with self._lock:
            res = self.resources.get(path)
        headers = {k.lower(): v for k, v in h.headers.items()}
        if res is None:
            self._send(h, path, headers, 404, b"not found", {"Content-Type": "text/plain"})
            return
        if res.delay:
            time.sleep(res.delay)
        out = {"Content-Type": res.content_type, **res.headers}
        if res.status != 200:
            self._send(h, path, headers, res.status, res.body, out)
            return
        if res.validators:
            etag = '"' + hashlib.sha256(res.body).hexdigest()[:16] + '"'
            last_mod = formatdate(res.mtime, usegmt=True)
            out.update({"ETag": etag, "Last-Modified": last_mod})
            if headers.get("if-none-match") == etag or (
                    "if-none-match" not in headers and headers.get("if-modified-since") == last_mod):
                self._send(h, path, headers, 304, b"", {k: v for k, v in out.items() if k != "Content-Type"})
                return
        body = res.body
        if "gzip" in headers.get("accept-encoding", "") and not res.truncate:
            body = gzip.compress(body)
            out["Content-Encoding"] = "gzip"
        if res.truncate:
            h.send_response(200)
            for k, v in out.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
            with self._lock:
                self.hits.append(Hit(path, headers, 200))
            return
        self._send(h, path, headers, 200, body, out)

    def _send(self, h: BaseHTTPRequestHandler, path: str, req: dict[str, str], status: int, body: bytes,
              headers: dict[str, str]) -> None:
        with self._lock:
            self.hits.append(Hit(path, req, status))
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if body:
            h.wfile.write(body)


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
