"""Errors of the flows package (terminal vs transient, as in extractors.errors).

    WireError
    ├── BadInput (terminal)
    │   ├── ConfigError        settings file or WIRE_* variable wrong
    │   └── FetchError         404, not a feed: not worth retrying
    ├── Transient (retried)
    │   └── TransientFetchError network, time-out, 429, 5xx
    └── FeedsFailed            every feed of an ingest run failed: the run's Failed state carries it
"""

from __future__ import annotations

from typing import Any

from extractors.errors import BadInput, Transient, WireError

__all__ = ["BadInput", "ConfigError", "FeedsFailed", "FetchError", "Transient", "TransientFetchError", "WireError"]


class ConfigError(BadInput):
    """The settings file or a WIRE_* variable is wrong."""


class FetchError(BadInput):
    """A feed or page answered with something that is not worth retrying (404, not a feed)."""


class TransientFetchError(Transient):
    """A network error, time-out, 429 or 5xx: retried with back-off."""


class FeedsFailed(WireError):
    """Every feed polled by an ingest run failed. `summary` is the run's summary (as `ingest_flow` returns
    it), so a caller reading the Failed state still gets the per-feed statuses."""

    def __init__(self, message: str, summary: dict[str, Any]) -> None:
        super().__init__(message)
        self.summary = summary

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.summary))
