"""Errors of the flows package (terminal vs transient, as in extractors.errors)."""

from __future__ import annotations

from extractors.errors import BadInput, Transient, WireError

__all__ = ["BadInput", "ConfigError", "FetchError", "Transient", "TransientFetchError", "WireError"]


class ConfigError(BadInput):
    """The settings file or a WIRE_* variable is wrong."""


class FetchError(BadInput):
    """A feed or page answered with something that is not worth retrying (404, not a feed)."""


class TransientFetchError(Transient):
    """A network error, time-out, 429 or 5xx: retried with back-off."""
