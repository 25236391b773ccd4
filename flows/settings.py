"""One typed settings object: defaults in code, then a TOML file, then `WIRE_*` environment variables.

The file is `wire.toml` in the working directory, or the path in `WIRE_CONFIG`. Scalar settings are
top-level keys (`db = "news.duckdb"`); feeds are `[[feeds]]` tables and drop folders `[[drop_folders]]`.
Environment variables are the upper-cased field names with a `WIRE_` prefix (`WIRE_DB`, `WIRE_WORKERS`).
`wire config` prints the effective settings and where each value came from.

Why not pydantic-settings (2.16.3, installed with Prefect; measured with a prototype of this class on it):
- `wire config` would lose its origins: the sources are merged into one dict before validation (the
  instance's `model_fields_set` is empty for values from the file or the environment), so saying where a
  value came from means calling each source on its own and comparing, which is this module's layering again;
- errors would stop naming the file and the choices: a bad value reads "1 validation error for Settings /
  workers / Input should be a valid integer" with no path, a TOML syntax error comes out as a bare
  `TOMLDecodeError`, an unknown key as "Extra inputs are not permitted" without the known names, and
  `WIRE_MODELS="en=...,fr=..."` is refused (table values from the environment must be JSON);
- start-up: `python -X importtime -c "import flows.settings"` is 18-27 ms (0.04-0.07 s for the process),
  `pydantic_settings` alone 150-240 ms (0.17-0.19 s with it), paid by every `wire` command, and no command
  that does not run a flow imports pydantic otherwise.
The `[[feeds]]` tables (`feeds_config.py`) stay checked by hand for the same reasons (messages name
`feeds[i]` and the key, with the known keys); a half migration would keep both styles of error.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the warehouse (DuckDB, Arrow) is not imported by the CLI's start or NLP workers
    from warehouse.dedup import NearDupConfig

from .errors import ConfigError

__all__ = ["Settings", "load_settings"]


_DEFAULT_MODEL = "en_core_web_sm"
_DEFAULT_MODELS = {"en": _DEFAULT_MODEL, "fr": "fr_core_news_sm"}  # = extractors.lang.DEFAULT_MODELS


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass
class Settings:
    db: str = "warehouse.duckdb"  # warehouse file used when --db is not given
    model: str = _DEFAULT_MODEL  # spaCy model package name (English; the NLP workers start with it)
    workers: int = field(default_factory=_default_workers)  # NLP worker processes
    batch_files: int = 256  # files per backfill batch (one load transaction each)
    nlp_batch: int = 16  # stories per spaCy batch inside a worker
    min_parallel: int = 24  # fewer stories than this are extracted in-process (no pool start-up)
    max_source_bytes: int = 20 * 1024 * 1024  # larger files are skipped as not stories
    lock_wait: float = 60.0  # seconds a writer waits for the warehouse file
    read_wait: float = 10.0  # seconds `wire sql` waits while a load holds the file
    # near-duplicates: word 3-shingle Jaccard at or above this (0 turns near-duplicate detection off); after
    # changing it or minhash_perm run `wire dedup-reindex` so stored stories are found under the new keys
    near_dup_threshold: float = 0.8
    minhash_perm: int = 128  # MinHash permutations of the near-duplicate index
    user_agent: str = "wire/0.1 (+https://github.com/wire-news/wire; news ingestion)"
    http_timeout: float = 20.0  # seconds per HTTP request
    http_max_bytes: int = 10 * 1024 * 1024  # largest feed or page accepted
    per_host_limit: int = 2  # concurrent requests per host
    feed_interval: int = 900  # seconds between polls of a feed that sets no `interval`
    feed_workers: int = 4  # feeds fetched at the same time (the per-host limit still applies)
    feed_backoff_base: float = 60.0  # seconds before the first retry of a failed feed (doubles per failure)
    feed_backoff_max: float = 6 * 3600.0  # longest back-off after repeated failures, seconds
    feed_disable_after: int = 5  # consecutive hard failures (4xx, not a feed) that disable a feed
    article_max_fetches: int = 30  # article pages fetched per feed poll at most (fetch_article feeds)
    feeds: list[dict[str, Any]] = field(default_factory=list)  # [[feeds]] url, name, interval, agency, fetch_article
    drop_folders: list[dict[str, Any]] = field(default_factory=list)  # [[drop_folders]] path, interval
    # spaCy model per language (BCP 47 tag or primary subtag); each item is parsed with its language's model,
    # items in a language that maps to no model get no NLP actors or quotes (extractors.lang). `en` is
    # `model` when only `model` is changed.
    models: dict[str, str] = field(default_factory=lambda: dict(_DEFAULT_MODELS))  # WIRE_MODELS="en=...,fr=..."
    origins: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def near_dup(self) -> NearDupConfig:
        """The near-duplicate thresholds every flow passes to `prepare` and the loader."""
        from warehouse.dedup import NearDupConfig

        return NearDupConfig(self.near_dup_threshold, self.minhash_perm)

    def language_models(self) -> dict[str, str]:
        """Language -> spaCy model: `models`, with English served by `model` when `models` names no English
        model or still names the default one while `model` was changed (`WIRE_MODEL=en_core_web_md`)."""
        out = dict(self.models)
        if "en" not in out or (self.model != _DEFAULT_MODEL and out["en"] == _DEFAULT_MODEL):
            out["en"] = self.model
        return out

    def describe(self) -> list[tuple[str, object, str]]:
        """(name, value, origin) for every setting."""
        return [
            (f.name, getattr(self, f.name), self.origins.get(f.name, "default"))
            for f in dataclasses.fields(self)
            if f.name != "origins"
        ]


def _coerce(name: str, raw: object, current: object) -> object:
    try:
        if isinstance(current, bool):
            if isinstance(raw, str):
                return raw.strip().lower() in {"1", "true", "yes", "on"}
            return bool(raw)
        if isinstance(current, int):
            return int(raw)  # type: ignore[call-overload]
        if isinstance(current, float):
            return float(raw)  # type: ignore[arg-type]
        if isinstance(current, dict):
            if isinstance(raw, str):  # WIRE_MODELS="en=en_core_web_sm,fr=fr_core_news_sm"
                pairs = [p.split("=", 1) for p in raw.split(",") if p.strip()]
                if any(len(p) != 2 for p in pairs):
                    raise ValueError("expected lang=model pairs separated by commas")
                raw = {k.strip(): v.strip() for k, v in pairs}
            if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
                raise TypeError("expected a table of language = model name")
            return {str(k): str(v) for k, v in raw.items()}
        if isinstance(current, list):
            if not isinstance(raw, list):
                raise TypeError("expected a list of tables")
            return raw
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot use {raw!r}: {exc}") from exc


def load_settings(config: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    settings = Settings()
    names = {f.name for f in dataclasses.fields(Settings)} - {"origins"}
    path = Path(config or env.get("WIRE_CONFIG") or "wire.toml")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        for key, raw in data.items():
            if key not in names:
                raise ConfigError(f"{path}: unknown setting {key!r} (known: {', '.join(sorted(names))})")
            setattr(settings, key, _coerce(key, raw, getattr(settings, key)))
            settings.origins[key] = str(path)
    elif config:
        raise ConfigError(f"{path}: config file not found")
    for key in names:
        var = "WIRE_" + key.upper()
        if var in env and not isinstance(getattr(settings, key), list):
            setattr(settings, key, _coerce(key, env[var], getattr(settings, key)))
            settings.origins[key] = f"${var}"
    return settings
