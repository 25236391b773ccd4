"""wire's one door to Prefect: every Prefect name the flows use, and what wire copies from Prefect's internals.

No other module of `flows/` imports `prefect` (or `prefect_dask`); they import the names below from here
(`tests/unit/test_layering.py` holds them to it). Importing this module does not import Prefect: a name is
imported from Prefect when it is first used (`__getattr__`, PEP 562), so `from .prefect_api import flow` at
the top of a flow module costs what `from prefect import flow` did, while a lazy import inside a function
stays lazy, and `flows.prefect_env` can set Prefect's environment before Prefect is first imported.

`PREFECT_NAMES` says where each name lives in Prefect; `tests/unit/test_prefect_contract.py` checks each
one, and the keyword arguments wire passes to it, against the installed Prefect, so an upgrade that moves
or changes one fails there with its name instead of in a flow run.

The ephemeral API server that `flows.prefect_env.EarlyAPI` starts before Prefect is imported copies
Prefect's own `SubprocessASGIServer` (`prefect.server.api.server`): its uvicorn app factory, its
environment, its port range and the exit code of a taken port are `EPHEMERAL_*` here, and
`ephemeral_server_argv` is its command line, built without importing Prefect.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.errors import WireError

if TYPE_CHECKING:
    from prefect import flow as flow
    from prefect import get_run_logger as get_run_logger
    from prefect import serve as serve
    from prefect import task as task
    from prefect.artifacts import create_progress_artifact as create_progress_artifact
    from prefect.artifacts import create_table_artifact as create_table_artifact
    from prefect.artifacts import update_progress_artifact as update_progress_artifact
    from prefect.cache_policies import NONE as NONE
    from prefect.context import refresh_global_settings_context as refresh_global_settings_context
    from prefect.deployments.runner import EntrypointType as EntrypointType
    from prefect.runtime import flow_run as flow_run
    from prefect.schedules import Interval as Interval
    from prefect.settings import get_current_settings as get_current_settings
    from prefect.states import Completed as Completed
    from prefect.states import Failed as Failed
    from prefect.utilities.annotations import quote as quote
    from prefect_dask import DaskTaskRunner as DaskTaskRunner

__all__ = [
    "EPHEMERAL_APP",
    "EPHEMERAL_ENV",
    "EPHEMERAL_PORTS",
    "EPHEMERAL_PORT_TAKEN",
    "NONE",
    "PREFECT_NAMES",
    "Completed",
    "DaskTaskRunner",
    "EntrypointType",
    "Failed",
    "Interval",
    "create_progress_artifact",
    "create_table_artifact",
    "ephemeral_server_argv",
    "flow",
    "flow_run",
    "get_current_settings",
    "get_run_logger",
    "prefect_imported",
    "quote",
    "refresh_global_settings_context",
    "serve",
    "task",
    "update_progress_artifact",
]

# name here -> (Prefect module, attribute of it; None: the module itself)
PREFECT_NAMES: dict[str, tuple[str, str | None]] = {
    # flows and tasks
    "flow": ("prefect", "flow"),
    "task": ("prefect", "task"),
    "get_run_logger": ("prefect", "get_run_logger"),
    "NONE": ("prefect.cache_policies", "NONE"),  # no cache key: wire's task inputs are not hashable data
    "quote": ("prefect.utilities.annotations", "quote"),  # hand task arguments over without a future search
    "flow_run": ("prefect.runtime.flow_run", None),  # the running flow run's parameters (run names)
    # end states and artifacts
    "Completed": ("prefect.states", "Completed"),
    "Failed": ("prefect.states", "Failed"),
    "create_table_artifact": ("prefect.artifacts", "create_table_artifact"),
    "create_progress_artifact": ("prefect.artifacts", "create_progress_artifact"),
    "update_progress_artifact": ("prefect.artifacts", "update_progress_artifact"),
    # serving and deployments
    "serve": ("prefect", "serve"),
    "EntrypointType": ("prefect.deployments.runner", "EntrypointType"),
    "Interval": ("prefect.schedules", "Interval"),
    # settings (the ephemeral API server of flows.prefect_env)
    "get_current_settings": ("prefect.settings", "get_current_settings"),
    "refresh_global_settings_context": ("prefect.context", "refresh_global_settings_context"),
    # scale-out (the prefect-dask extra)
    "DaskTaskRunner": ("prefect_dask", "DaskTaskRunner"),
}


def __getattr__(name: str) -> Any:
    """A Prefect name, imported from Prefect on first use (then kept as an attribute of this module)."""
    try:
        module, attribute = PREFECT_NAMES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    found = importlib.import_module(module)
    value = found if attribute is None else getattr(found, attribute)
    globals()[name] = value
    return value


def prefect_imported(module: str = "prefect") -> bool:
    """Whether Prefect (or one of its modules) is imported in this process already, without importing it."""
    return module in sys.modules


# --- copied from prefect.server.api.server.SubprocessASGIServer (checked by test_prefect_contract) --------

EPHEMERAL_APP = "prefect.server.api.server:create_app"  # the uvicorn app factory of the server
EPHEMERAL_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
EPHEMERAL_PORTS = range(8000, 9000)  # where Prefect picks the port of its temporary server
EPHEMERAL_PORT_TAKEN = 3  # the server's exit code when its port was taken between the check and the bind


def _prefect_app_dir() -> Path:
    """The folder holding the `prefect` package (uvicorn's --app-dir), found without importing Prefect."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        raise WireError("Prefect is not installed")
    return Path(next(iter(spec.submodule_search_locations))).parent


def ephemeral_server_argv(port: int) -> list[str]:
    """The command line of Prefect's temporary API server on `port` (Prefect's own, in this interpreter)."""
    return [sys.executable, "-m", "uvicorn", "--app-dir", str(_prefect_app_dir()), "--factory", EPHEMERAL_APP,
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]
