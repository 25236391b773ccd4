"""Prefect settings for wire's own process, and an early start of Prefect's ephemeral API for one-shot runs.

With no Prefect server configured, Prefect starts a temporary API server (a uvicorn subprocess that imports
the whole server: FastAPI, SQLAlchemy, the ORM, and runs the database migrations) when a flow is first
called, after the main process has imported Prefect and has imported the server module itself to do so.
On a cold `wire backfill` that start was most of the run. `EarlyAPI` starts the same server, with Prefect's
own command line and environment, before the main process imports Prefect, so its start overlaps the
imports and the spaCy model load; the flow run then reports to it through `PREFECT_API_URL`.

Every setting here is a default for wire's process only (`os.environ.setdefault`): a user's explicit
`PREFECT_*` settings still win, and a configured `PREFECT_API_URL` (environment, profile, `.env`,
`prefect.toml`, `pyproject.toml`) is used as before.

Prefect's names and what `EarlyAPI` copies of Prefect's own server come from `flows.prefect_api`; this module
imports no Prefect itself, and takes Prefect's settings functions only where they are used, after the
environment is set.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extractors.errors import WireError

# Only what does not import Prefect: Prefect's own names are imported where used, after the environment is set.
from .prefect_api import EPHEMERAL_ENV, EPHEMERAL_PORT_TAKEN, EPHEMERAL_PORTS, ephemeral_server_argv, prefect_imported

__all__ = ["EarlyAPI", "api_configured", "prepare_one_shot_env", "prepare_prefect_env"]

# Every command that runs flows (backfill, serve, watch, feeds).
BASE_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",  # a first start on a fresh machine is slow
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}

# Only `wire backfill`, whose ephemeral server lives for one flow run. Block types are a catalogue for the
# UI and for saving blocks (a client registers the type it saves anyway); the backfill flow uses none.
# Registering them costs seconds on a fresh PREFECT_HOME, and checking the registry's hash against the memo
# store still costs a fraction of a second on every start; with memoization off too, nothing is written to
# the memo store, so a later `prefect server start` on the same home still registers them.
ONE_SHOT_DEFAULTS = {
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}


def prepare_prefect_env() -> None:
    """Defaults that make a first run on a fresh machine work: a patient ephemeral server, quiet logs.
    With a real Prefect server (PREFECT_API_URL configured) the runs' logs go to its API, so the UI shows
    why a feed failed; a temporary server that ends with the command gets none (nobody could read them)."""
    for key, value in BASE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if not api_configured():
        os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")


def prepare_one_shot_env() -> None:
    """`prepare_prefect_env` plus the defaults of a server that serves one flow run."""
    prepare_prefect_env()
    for key, value in ONE_SHOT_DEFAULTS.items():
        os.environ.setdefault(key, value)


def _prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()


def _toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}


def _mentions_api(table: Any) -> bool:
    return isinstance(table, dict) and (
        "PREFECT_API_URL" in table or (isinstance(table.get("api"), dict) and "url" in table["api"]))


def api_configured() -> bool:
    """Whether a Prefect API URL (or no ephemeral server) is configured, judged without importing Prefect.

    Looks where Prefect's settings come from: the environment, the active profile, `./.env`, `./prefect.toml`
    and `./pyproject.toml` `[tool.prefect]`. An unreadable file counts as configured (leave it to Prefect).
    `EarlyAPI.adopt` checks again with Prefect's own settings once Prefect is imported.
    """
    env = {k.upper(): v for k, v in os.environ.items()}
    if env.get("PREFECT_API_URL"):
        return True
    if any(env.get(k, "true").strip().lower() in {"0", "false", "no", "off"}
           for k in ("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "PREFECT_SERVER_EPHEMERAL_ENABLED")):
        return True  # no ephemeral server wanted: Prefect reports the missing API URL itself
    try:
        profiles_path = Path(os.environ.get("PREFECT_PROFILES_PATH") or _prefect_home() / "profiles.toml")
        profiles = _toml(profiles_path.expanduser())
        active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
        if _mentions_api((profiles.get("profiles") or {}).get(active)):
            return True
        dotenv = Path(".env")
        if dotenv.is_file() and "PREFECT_API_URL" in dotenv.read_text(encoding="utf-8", errors="replace"):
            return True
        if _mentions_api(_toml(Path("prefect.toml"))):
            return True
        if _mentions_api(_toml(Path("pyproject.toml")).get("tool", {}).get("prefect")):
            return True
    except (OSError, tomllib.TOMLDecodeError, AttributeError):
        return True
    return False


def _free_port() -> int:
    """A free port in Prefect's range for its temporary server (8000-8999), as Prefect picks it."""
    for _ in range(50):
        port = random.randrange(EPHEMERAL_PORTS.start, EPHEMERAL_PORTS.stop)
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise WireError("Prefect API: no free port between 8000 and 8999 for the temporary server")


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a function for the child (between fork and exec) asking the kernel to SIGTERM it when wire
    ends: a `wire backfill` killed before its exit handlers run (SIGKILL, an unhandled SIGTERM) leaves no
    server behind. Prefect's own temporary server outlives a killed parent."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved here, not in the forked child
    except (OSError, AttributeError):
        return None

    def set_parent_death_signal() -> None:
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return set_parent_death_signal


class EarlyAPI:
    """Prefect's ephemeral API server, started by wire before Prefect is imported.

    `start()` spawns it (or returns None when a server is configured or Prefect is already imported);
    `adopt()`, after importing Prefect, points Prefect at it unless Prefect's settings name another API;
    `wait_ready()` blocks until it answers; `stop()` ends it. At exit the server is ended after Prefect's
    own exit handlers (registered later, run earlier) have sent their last events.
    """

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.adopted = False
        self._saved_url: str | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @classmethod
    def start(cls) -> EarlyAPI | None:
        if prefect_imported() or api_configured():
            return None  # Prefect is set up already (tests, a long-lived caller) or reports elsewhere
        api = cls()
        api._spawn()
        atexit.register(api._end_process)  # registered before Prefect's exit handlers, so it runs after them
        return api

    def _spawn(self) -> None:
        # Prefect's SubprocessASGIServer command line and environment (prefect.server.api.server).
        self.port = _free_port()
        self.process = subprocess.Popen(
            ephemeral_server_argv(self.port),
            env={**os.environ, **EPHEMERAL_ENV},
            preexec_fn=_die_with_parent(),
        )

    def adopt(self) -> bool:
        """Point Prefect at this server, unless Prefect's own settings (now importable) name an API."""
        from .prefect_api import get_current_settings, refresh_global_settings_context

        settings = get_current_settings()
        if settings.api.url or not settings.server.ephemeral.enabled:
            self.stop()  # configured where `api_configured` does not look: Prefect's settings win
            return False
        self._saved_url = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = self.api_url
        refresh_global_settings_context()  # threads Prefect starts later read the global settings
        self.adopted = True
        return True

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until the server answers /health (Prefect's own start-up check), restarting on a taken port."""
        import httpx

        if timeout is None:
            from .prefect_api import get_current_settings

            timeout = float(get_current_settings().server.ephemeral.startup_timeout_seconds)
        deadline = time.monotonic() + timeout
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                code = self.process.poll()
                if code == EPHEMERAL_PORT_TAKEN:  # the port was taken between the check and the bind
                    self._spawn()
                    self._point_at_port()
                    continue
                if code is not None:
                    raise WireError(f"Prefect API: the temporary server exited with code {code} while starting")
                try:
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.stop()
        raise WireError(f"Prefect API: the temporary server did not start within {timeout:.0f} s "
                        "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")

    def _point_at_port(self) -> None:
        if self.adopted:
            from .prefect_api import refresh_global_settings_context

            os.environ["PREFECT_API_URL"] = self.api_url
            refresh_global_settings_context()

    def _end_process(self) -> None:
        """Stop the server as Prefect stops its own (SIGTERM, then SIGKILL after 5 s); run at exit."""
        process, self.process = self.process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop(self) -> None:
        """Stop the server and point Prefect back at what was configured before `adopt`."""
        self._end_process()
        if self.adopted:
            self.adopted = False
            if self._saved_url is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = self._saved_url
            if prefect_imported("prefect.context"):
                from .prefect_api import refresh_global_settings_context

                refresh_global_settings_context()
