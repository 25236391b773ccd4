"""Feed configuration: the `[[feeds]]` tables of wire.toml (or URLs given on the command line), checked.

`FeedConfig` is one configured feed; `parse_interval` reads "15m", "1h30m", 300; `feed_configs` checks the
tables of the settings (keys, http(s) URLs, duplicates, intervals); `resolve_feeds` picks the configured
feeds or the given URLs, each with its configuration when it has one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from warehouse.feeds import feed_id

from .errors import ConfigError
from .settings import Settings

__all__ = ["FeedConfig", "feed_configs", "parse_interval", "resolve_feeds"]


@dataclass(frozen=True)
class FeedConfig:
    """A feed as configured in `[[feeds]]` (or given on the command line)."""

    url: str
    name: str | None = None
    interval_s: int = 900
    agency: str | None = None
    fetch_article: bool = False

    @property
    def feed_id(self) -> str:
        return feed_id(self.url)

    @property
    def label(self) -> str:
        return self.name or self.url


_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|min|s|sec)?", re.I)
_UNIT = {"d": 86400, "h": 3600, "m": 60, "min": 60, "s": 1, "sec": 1, None: 1}


def parse_interval(raw: object) -> int:
    """Seconds from 300, "300", "5m", "1h30m", "90s", "1d"; at least 10 s."""
    if isinstance(raw, bool):
        raise ConfigError(f"interval {raw!r}: expected seconds or a duration like '15m'")
    if isinstance(raw, int | float):
        seconds = float(raw)
    else:
        text = str(raw).strip().replace(" ", "")
        parts = list(_INTERVAL.finditer(text))
        if not text or not parts or "".join(p.group(0) for p in parts) != text:
            raise ConfigError(f"interval {raw!r}: expected seconds or a duration like '15m', '1h30m'")
        seconds = sum(float(p.group(1)) * _UNIT[p.group(2).lower() if p.group(2) else None] for p in parts)
    if seconds < 10:
        raise ConfigError(f"interval {raw!r}: polls more often than every 10 seconds are not polite")
    return int(seconds)


def _check_url(url: object, where: str) -> str:
    if not isinstance(url, str) or not re.match(r"^https?://[^/\s]+", url.strip(), re.I):
        raise ConfigError(f"{where}: url {url!r} is not an http(s) URL")
    return url.strip()


def feed_configs(settings: Settings) -> list[FeedConfig]:
    """The `[[feeds]]` tables of the settings, checked: url (required), name, interval, agency,
    fetch_article."""
    out: list[FeedConfig] = []
    seen: set[str] = set()
    known = {"url", "name", "interval", "agency", "fetch_article"}
    for i, raw in enumerate(settings.feeds):
        where = f"feeds[{i}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a table with url, name, interval, agency, fetch_article")
        unknown = set(raw) - known
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                              f"(known: {', '.join(sorted(known))})")
        url = _check_url(raw.get("url"), where)
        fid = feed_id(url)
        if fid in seen:
            raise ConfigError(f"{where}: feed {url} is configured twice")
        seen.add(fid)
        fetch_article = raw.get("fetch_article", False)
        if not isinstance(fetch_article, bool):
            raise ConfigError(f"{where}: fetch_article must be true or false")
        out.append(FeedConfig(
            url=url,
            name=str(raw["name"]) if raw.get("name") else None,
            interval_s=parse_interval(raw.get("interval", settings.feed_interval)),
            agency=str(raw["agency"]) if raw.get("agency") else None,
            fetch_article=fetch_article,
        ))
    return out


def resolve_feeds(urls: Sequence[str] | None, settings: Settings, **overrides: Any) -> list[FeedConfig]:
    """The configured feeds (no URLs) or the given URLs, using a URL's configuration when it has one."""
    configured = feed_configs(settings)
    if not urls:
        return configured
    by_id = {f.feed_id: f for f in configured}
    out: list[FeedConfig] = []
    for url in urls:
        url = _check_url(url, "feed")
        base = by_id.get(feed_id(url)) or FeedConfig(url=url, interval_s=settings.feed_interval)
        extra = {k: v for k, v in overrides.items() if v is not None}
        out.append(replace(base, **extra) if extra else base)
    return list({f.feed_id: f for f in out}.values())
