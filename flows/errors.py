"""Errors of the flows package (terminal vs transient, as in extractors.errors).

Fetching raises nothing: an HTTP failure is a `FetchResult.status` ("404 Not Found", "timeout after 20s")
that the feed's state and back-off record, so one bad feed never stops a poll of the others.

    WireError
    ├── BadInput (terminal)
    │   └── ConfigError        settings file or WIRE_* variable wrong
    ├── Transient (retried)    (warehouse.errors.WarehouseBusy: the load tasks retry it)
    │   └── NLPServiceUnavailable  serve's shared NLP workers did not answer: the run parses on its own
    └── FeedsFailed            every feed of an ingest run failed: the run's Failed state carries it
"""

from __future__ import annotations

from typing import Any

from extractors.errors import BadInput, Transient, WireError

__all__ = [
    "BadInput", "ConfigError", "FeedsFailed", "NLPServiceUnavailable", "Transient", "WireError", "retry_transient",
]


class ConfigError(BadInput):
    """The settings file or a WIRE_* variable is wrong."""


class NLPServiceUnavailable(Transient, ConnectionError):
    """The serve process's NLP service did not answer (transient: the caller parses on its own)."""


class FeedsFailed(WireError):
    """Every feed polled by an ingest run failed. `summary` is the run's summary (as `ingest_flow` returns
    it), so a caller reading the Failed state still gets the per-feed statuses."""

    def __init__(self, message: str, summary: dict[str, Any]) -> None:
        super().__init__(message)
        self.summary = summary

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.summary))


def retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """A task's `retry_condition_fn`: Prefect retries a failed task run only when it raised a `Transient`
    (a busy warehouse, a lost worker connection), never bad input."""
    try:
        state.result()
    except Transient:
        return True
    except Exception:
        return False
    return False
