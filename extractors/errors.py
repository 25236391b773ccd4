"""Errors of the extractors package, the root of wire's error tree.

    WireError                  every error wire raises on purpose
    ├── BadInput (terminal)    this input cannot be read: recorded as a problem row, the run goes on
    │   ├── NotAStory          empty, binary, or no text to extract
    │   └── UnsafeInput        XML entity expansion, external entities
    └── Transient (retried)    may succeed later (network, lock); warehouse.errors.WarehouseBusy is one

`warehouse.errors` and `flows.errors` add their own leaves under `BadInput` and `Transient`.
`BadInput` is terminal: the item is recorded as skipped with the message and the run goes on.
`Transient` may succeed when tried again (network, lock) and is the only kind Prefect retries.
Messages name the file, feed or item they are about.
"""

from __future__ import annotations

__all__ = ["BadInput", "NotAStory", "Transient", "UnsafeInput", "WireError"]


class WireError(Exception):
    """Base of every error wire raises on purpose."""


class BadInput(WireError):
    """Terminal: this input cannot be read; record it and go on."""


class NotAStory(BadInput):
    """The source holds no story (empty, binary, no text)."""


class UnsafeInput(BadInput):
    """The source tries something dangerous (XML entity expansion, external entities)."""


class Transient(WireError):
    """May succeed if tried again later (network, lock)."""
