"""Prefect flows and tasks, HTTP fetching, schedules and deployments, and the `wire` CLI.

Flows (each composes the batch steps of `pipeline`):

- `backfill`      files and folders -> warehouse (`wire backfill`)
- `ingest`        one poll of feeds (`wire ingest`; `wire serve` runs it per feed on a schedule)
- `watch`         drop folders (`wire watch`)
- `reextract`     stored items re-extracted with the current extractors (`wire reextract`)
- `distributed`   the backfill on a Dask cluster, one loader (`wire backfill --dask`)

Steps and services: `pipeline` (read_file -> item_rows -> NLP -> store, the one read path), `nlp_worker` (the
worker-process side of NLP), `nlp_service` (serve's shared NLP workers), `poll` (one feed: fetch, parse,
store, state), `feeds_config` and `schedule` (which feeds, when), `serve` (deployments), `plan` (batches).
Outside the flows: `fetch` (httpx, conditional GET, charsets), `settings` (the typed settings object),
`errors` (the error tree), `prefect_api` (the one module that imports Prefect) and `prefect_env` (Prefect's
settings before it is imported), and the CLI (`cli`, `cli_*`). Nothing here is a library API: the package
exports nothing and is used through the `wire` command and Prefect entrypoints.
"""

__all__: list[str] = []
