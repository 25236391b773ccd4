"""DuckDB side of wire: schema and migrations, bulk loading, look-ups, views, read-only queries."""

from .connect import open_db, reader, writer
from .errors import ReadOnlyViolation, SchemaTooNew, WarehouseBusy
from .load import Batch, LoadResult, load_batch
from .query import QueryResult, run_query
from .schema import SCHEMA_VERSION, migrate

__all__ = [
    "SCHEMA_VERSION",
    "Batch",
    "LoadResult",
    "QueryResult",
    "ReadOnlyViolation",
    "SchemaTooNew",
    "WarehouseBusy",
    "load_batch",
    "migrate",
    "open_db",
    "reader",
    "run_query",
    "writer",
]
