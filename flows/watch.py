"""Drop folders: agencies deliver files by FTP/SFTP into folders; wire ingests each new or changed file.

A file is read only once it has settled: it has not been modified for `settle_seconds` and its size and
modification time did not change since the previous poll, so a file still being written is never read
half-way. Temporary upload names (`*.part`, `*.tmp`, `*.filepart`, dot files, `~` files) are ignored
until renamed. What was processed is recorded in the warehouse `sources` table (size, mtime, content
hash), so after a restart nothing is ingested twice and nothing is missed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .backfill import Summary, backfill
from .pipeline import SourceFile, discover
from .prefect_api import NONE, flow, task
from .settings import Settings, load_settings

__all__ = [
    "DropTicker", "DropWatcher", "drop_deployments", "drop_folder_flow", "is_temporary", "settled_files", "watch_flow",
    "watch_loop",
]

_TEMP_SUFFIXES = (".part", ".tmp", ".temp", ".filepart", ".partial", ".crdownload", ".lock", ".swp")


def is_temporary(path: Path) -> bool:
    name = path.name
    return name.startswith((".", "~")) or name.endswith("~") or name.lower().endswith(_TEMP_SUFFIXES)


@dataclass
class DropWatcher:
    """Remembers what each poll saw, to tell settled files from files still being written."""

    folders: Sequence[str]
    settle_seconds: float = 2.0
    clock: Callable[[], float] = time.time
    _last: dict[str, tuple[int, int]] = field(default_factory=dict)

    def ready(self) -> list[SourceFile]:
        files, _missing = discover(self.folders)
        now = self.clock()
        seen: dict[str, tuple[int, int]] = {}
        out: list[SourceFile] = []
        for f in files:
            if is_temporary(Path(f.uri)):
                continue
            sig = (f.size, f.mtime_ns)
            seen[f.key] = sig
            settled = now - f.mtime_ns / 1e9 >= self.settle_seconds
            prev = self._last.get(f.key)
            if settled and (prev is None or prev == sig):
                out.append(f)
        self._last = seen
        return out


def settled_files(folders: Sequence[str], settle_seconds: float, now: float | None = None) -> list[SourceFile]:
    """Files not modified for `settle_seconds` (for runs that keep no memory between polls)."""
    files, _missing = discover(folders)
    now = time.time() if now is None else now
    return [f for f in files if not is_temporary(Path(f.uri)) and now - f.mtime_ns / 1e9 >= settle_seconds]


@task(name="ingest-drop-folder", cache_policy=NONE)
def ingest_ready(paths: list[str], db: str, settings: Settings) -> Summary:
    return backfill(paths, db, settings)


@flow(name="watch-drops")
def watch_flow(paths: list[str], db: str) -> dict[str, object]:
    """Ingest the given settled drop-folder files (already stored, unchanged files are skipped)."""
    summary = ingest_ready(paths, db, load_settings())
    return summary.as_dict()


def watch_loop(
    folders: Sequence[str],
    db: str,
    *,
    interval: float,
    settings: Settings,
    polls: int | None = None,
    use_prefect: bool = True,
    on_summary: Callable[[Summary | dict[str, object]], None] | None = None,
) -> int:
    """Poll the folders every `interval` seconds; returns the number of polls made."""
    watcher = DropWatcher(folders, settle_seconds=min(interval, 5.0))
    done = 0
    while polls is None or done < polls:
        ready = [f.uri for f in watcher.ready()]
        if ready:
            result: Summary | dict[str, object] = (
                watch_flow(ready, db) if use_prefect else backfill(ready, db, settings)
            )
            if on_summary:
                on_summary(result)
        done += 1
        if polls is None or done < polls:
            time.sleep(interval)
    return done


@flow(name="drop-folders")
def drop_folder_flow(folders: list[str], db: str, settle_seconds: float = 10.0) -> dict[str, object]:
    """Scheduled form: ingest every settled file of the folders (stored, unchanged files are skipped)."""
    ready = [f.uri for f in settled_files(folders, settle_seconds)]
    if not ready:
        return {"stored": 0, "duplicates": 0, "skipped": 0, "errors": 0, "seen": 0}
    return ingest_ready(ready, db, load_settings()).as_dict()


def _drop_folders(settings: Settings) -> list[tuple[str, float]]:
    return [(str(d["path"]), float(d.get("interval", 30))) for d in settings.drop_folders if "path" in d]


def drop_deployments(settings: Settings, db: str) -> list[Any]:
    """The drop-folder deployments `wire serve` serves beside the feeds: one per configured folder."""
    from datetime import timedelta

    from .prefect_api import EntrypointType

    return [
        drop_folder_flow.to_deployment(
            name=f"drop-{Path(path).name or 'folder'}", interval=timedelta(seconds=interval),
            parameters={"folders": [path], "db": db, "settle_seconds": max(2.0, min(interval, 10.0))},
            description=f"ingest settled files dropped into {path} every {interval:g}s", tags=["wire", "drops"],
            entrypoint_type=EntrypointType.MODULE_PATH,  # the run imports flows.watch, not this file as a script
        )
        for path, interval in _drop_folders(settings)
    ]


class DropTicker:
    """`wire serve --local`'s drop-folder step: each `tick` backfills the files that settled since the last
    one (one watcher per warehouse, kept by the ticker, so no module state)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.watchers: dict[str, DropWatcher] = {}

    @property
    def active(self) -> bool:
        return bool(_drop_folders(self.settings))

    def tick(self, db: str) -> None:
        folders = [path for path, _ in _drop_folders(self.settings)]
        if not folders:
            return
        watcher = self.watchers.setdefault(db, DropWatcher(folders, settle_seconds=5.0))
        ready = [f.uri for f in watcher.ready()]
        if ready:
            backfill(ready, db, self.settings)
