"""One pool of NLP workers for a long-lived process (`wire serve`), shared by all of its flow runs.

Prefect runs every scheduled flow run of `wire serve` in a subprocess of its own. Left alone, each run
would start its own NLP worker processes and load the spaCy model again: seconds of CPU per poll, and two
more model copies in memory for every run that overlaps another. `NLPService` keeps one pool in the serve
process instead and answers on a Unix socket guarded by a random key. The flow runs inherit the socket's
address and key through `WIRE_NLP_SERVICE` / `WIRE_NLP_SERVICE_KEY`; an `NLPRunner` that finds them sends
its chunks there (`remote_chunk`), and falls back to its own workers when the service does not answer.

The workers are the same as everywhere (`flows.nlp_worker`, spawned on its importable module path), so a
served run extracts exactly what `wire ingest` does.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterable
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from flows.errors import NLPServiceUnavailable
from flows.nlp_worker import NLPInput

__all__ = ["ENV_ADDRESS", "ENV_KEY", "NLPService", "remote_chunk", "service_address"]

ENV_ADDRESS = "WIRE_NLP_SERVICE"
ENV_KEY = "WIRE_NLP_SERVICE_KEY"


def service_address() -> tuple[str, bytes] | None:
    """(socket path, key) of the NLP service this process was started under, if any."""
    address, key = os.environ.get(ENV_ADDRESS), os.environ.get(ENV_KEY)
    if not address or not key or not Path(address).exists():
        return None
    return address, bytes.fromhex(key)


def remote_chunk(address: str, key: bytes, model: str, texts: list[NLPInput],
                 nlp_batch: int) -> list[Any]:
    """Extract one chunk in the service's workers; raises `NLPServiceUnavailable` when it cannot be asked."""
    try:
        conn = Client(address, family="AF_UNIX", authkey=key)
    except (OSError, EOFError) as exc:
        raise NLPServiceUnavailable(f"NLP service at {address}: {exc}") from exc
    try:
        conn.send(("extract", model, texts, nlp_batch))
        status, payload = conn.recv()
    except (OSError, EOFError) as exc:
        raise NLPServiceUnavailable(f"NLP service at {address}: {exc}") from exc
    finally:
        conn.close()
    if status != "ok":
        raise NLPServiceUnavailable(f"NLP service at {address}: {payload}")
    return list(payload)


class NLPService:
    """A pool of NLP workers behind a Unix socket. `start()` begins answering and exports the address
    into this process's environment (so subprocesses find it); `close()` stops answering and ends the
    workers. It serves `model` (loaded when the workers start) and the other models of `models` (the
    settings' language -> model mapping: loaded by each worker on its first request for them); requests
    for any other model are refused (the caller parses itself)."""

    def __init__(self, model: str, workers: int, *, nlp_batch: int = 16, models: Iterable[str] = ()) -> None:
        from flows.pipeline import NLPRunner

        self.model = model
        self.models = frozenset({model, *models})
        self.runner = NLPRunner(model, workers, nlp_batch=nlp_batch, min_parallel=1, use_service=False)
        self._dir = tempfile.mkdtemp(prefix="wire-nlp-")
        self.address = str(Path(self._dir) / "nlp.sock")
        self._key = secrets.token_bytes(32)
        self._listener: Listener | None = None
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()
        self._lock = threading.Lock()  # one in-process parse at a time when there is a single worker
        self.requests = 0

    def start(self, *, export: bool = True) -> NLPService:
        self._listener = Listener(self.address, family="AF_UNIX", authkey=self._key)
        os.chmod(self.address, 0o600)
        self.runner.warm()
        self._thread = threading.Thread(target=self._accept, name="wire-nlp-service", daemon=True)
        self._thread.start()
        if export:
            os.environ[ENV_ADDRESS] = self.address
            os.environ[ENV_KEY] = self._key.hex()
        return self

    def __enter__(self) -> NLPService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._closed.is_set():
            try:
                conn = self._listener.accept()
            except Exception:  # closed listener, or a client with the wrong key: keep serving the others
                if self._closed.is_set():
                    return
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: Connection) -> None:
        try:
            kind, model, texts, _nlp_batch = conn.recv()  # the service parses with its own batch size
            if kind != "extract" or model not in self.models:
                conn.send(("refused", f"this service runs models {sorted(self.models)!r}, not {model!r}"))
                return
            self.requests += 1
            conn.send(("ok", self._extract(list(texts), model)))
        except Exception as exc:  # a broken pool or a vanished client: the client parses on its own
            with contextlib.suppress(Exception):
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
        finally:
            conn.close()

    def _extract(self, texts: list[NLPInput], model: str) -> list[Any]:
        if self.runner.workers == 1:  # the serve process parses itself: one chunk at a time
            with self._lock:
                return self.runner.extract_chunk(texts, model)
        return self.runner.extract_chunk(texts, model)

    def close(self) -> None:
        """Stop answering and end the workers at once (serve is stopping: nothing waits for them)."""
        if self._closed.is_set():
            return
        self._closed.set()
        if os.environ.get(ENV_ADDRESS) == self.address:
            os.environ.pop(ENV_ADDRESS, None)
            os.environ.pop(ENV_KEY, None)
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
        self.runner.close(abort=True)
        shutil.rmtree(self._dir, ignore_errors=True)
