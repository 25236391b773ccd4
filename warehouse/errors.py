"""Errors of the warehouse package (terminal vs transient, as in extractors.errors).

    WireError
    ├── BadInput (terminal)
    │   ├── ReadOnlyViolation  a read-only entry point (`wire sql`, views) was asked to write
    │   └── SchemaTooNew       the file was written by a newer wire; migrations only go forward
    └── Transient (retried)
        └── WarehouseBusy      another process holds the DuckDB file; the load waits, then says so
"""

from __future__ import annotations

from extractors.errors import BadInput, Transient, WireError

__all__ = ["BadInput", "ReadOnlyViolation", "SchemaTooNew", "Transient", "WarehouseBusy", "WireError"]


class WarehouseBusy(Transient):
    """Another process holds the DuckDB file; try again shortly."""


class ReadOnlyViolation(BadInput):
    """A read-only entry point was asked to write."""


class SchemaTooNew(BadInput):
    """The warehouse was written by a newer wire; migrations only go forward."""
