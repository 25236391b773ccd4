"""Settings: defaults in code, then wire.toml, then WIRE_* variables, each with its origin."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.settings import Settings, load_settings


def test_defaults(tmp_path: Path) -> None:
    s = load_settings(env={"WIRE_CONFIG": str(tmp_path / "none.toml")})
    assert s.db == "warehouse.duckdb" and s.model == "en_core_web_sm"
    assert dict((n, o) for n, _, o in s.describe())["db"] == "default"


def test_toml_then_env(tmp_path: Path) -> None:
    cfg = tmp_path / "wire.toml"
    cfg.write_text('db = "news.duckdb"\nworkers = 1\n[[feeds]]\nurl = "http://127.0.0.1/rss"\nname = "t"\n')
    s = load_settings(cfg, env={"WIRE_WORKERS": "2", "WIRE_NEAR_DUP_THRESHOLD": "0.9"})
    assert s.db == "news.duckdb" and s.workers == 2 and s.near_dup_threshold == 0.9
    assert s.feeds == [{"url": "http://127.0.0.1/rss", "name": "t"}]
    origins = {n: o for n, _, o in s.describe()}
    assert origins["db"] == str(cfg) and origins["workers"] == "$WIRE_WORKERS"


@pytest.mark.parametrize(("content", "message"), [
    ("db = ", "not valid TOML"), ("colour = 'red'", "unknown setting 'colour'"), ("workers = 'many'", "workers"),
])
def test_bad_config_names_the_problem(tmp_path: Path, content: str, message: str) -> None:
    cfg = tmp_path / "wire.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg, env={})


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml", env={})


def test_settings_is_typed() -> None:
    assert isinstance(Settings().workers, int)
