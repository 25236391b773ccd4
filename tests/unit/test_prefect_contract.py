"""wire's contract with the installed Prefect, checked against it (#17.5).

Every Prefect name `flows.prefect_api` hands out must exist where the adapter looks for it, and every call
wire makes to one must fit its signature: the calls are read from the source of `flows/` (`ast`), so a new
keyword argument is checked without editing this file. Beside the names, wire relies on methods of
Prefect's objects (`to_deployment`, `submit`, `result`, `return_state=`), on setting names it sets as
environment defaults, on where Prefect reads its settings from (`api_configured`), and on a copy of
Prefect's temporary API server (`EPHEMERAL_*`, `ephemeral_server_argv`, private to Prefect). A Prefect
upgrade that changes any of them fails here, saying which, instead of breaking a flow run.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flows import prefect_api, prefect_env
from flows.prefect_api import PREFECT_NAMES

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"


# --- the names -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(PREFECT_NAMES))
def test_each_adapter_name_is_where_the_adapter_looks(name: str) -> None:
    module, attribute = PREFECT_NAMES[name]
    try:
        found = importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(f"flows.prefect_api.{name}: Prefect module {module} does not import ({exc})")
    if attribute is not None:
        assert hasattr(found, attribute), f"flows.prefect_api.{name}: {module} has no {attribute} any more"
    assert name in prefect_api.__all__
    assert getattr(prefect_api, name) is (found if attribute is None else getattr(found, attribute))


def test_the_adapter_hands_out_nothing_else() -> None:
    with pytest.raises(AttributeError, match="no attribute 'not_a_prefect_name'"):
        _ = prefect_api.not_a_prefect_name


def test_importing_the_adapter_does_not_import_prefect() -> None:
    """`flows.prefect_env` must set Prefect's environment before Prefect is imported, and `wire sql` must
    start without it: the adapter imports a Prefect name when it is first used, not before."""
    code = ("import sys; import flows.prefect_api, flows.prefect_env, flows.cli, flows.backfill, flows.reextract, "
            "flows.poll; assert 'prefect' not in sys.modules, sorted(m for m in sys.modules if 'prefect' in m)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr


# --- how wire calls them -----------------------------------------------------------------------------------

class Call:
    def __init__(self, where: str, positional: int, starred: bool, keywords: set[str]) -> None:
        self.where, self.positional, self.starred, self.keywords = where, positional, starred, keywords

    def fits(self, target: Callable[..., Any]) -> str | None:
        """None if the call binds to `target`'s signature, else what is wrong."""
        signature = inspect.signature(target)
        args = [object()] * (self.positional + (2 if self.starred else 0))
        try:
            signature.bind_partial(*args, **dict.fromkeys(self.keywords))
        except TypeError as exc:
            return f"{self.where}: {exc} (signature {signature})"
        return None


def _adapter_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> adapter name, for `from .prefect_api import x [as y]` anywhere in the module."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            (node.level == 1 and node.module == "prefect_api") or node.module == "flows.prefect_api"
        ):
            out.update({alias.asname or alias.name: alias.name for alias in node.names})
    return out


def _calls() -> tuple[dict[str, list[Call]], dict[str, list[Call]]]:
    """Calls of adapter names, and calls of methods by name (`x.to_deployment(...)`), in flows/."""
    by_name: dict[str, list[Call]] = {}
    by_method: dict[str, list[Call]] = {}
    for path in sorted(FLOWS.glob("*.py")):
        if path.name == "prefect_api.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _adapter_aliases(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            call = Call(f"{path.relative_to(ROOT)}:{node.lineno}",
                        sum(1 for a in node.args if not isinstance(a, ast.Starred)),
                        any(isinstance(a, ast.Starred) for a in node.args),
                        {k.arg for k in node.keywords if k.arg is not None})
            if isinstance(node.func, ast.Name) and node.func.id in aliases:
                by_name.setdefault(aliases[node.func.id], []).append(call)
            elif isinstance(node.func, ast.Attribute):
                by_method.setdefault(node.func.attr, []).append(call)
    return by_name, by_method


def test_the_call_reader_finds_wires_calls() -> None:
    by_name, by_method = _calls()
    assert {"flow", "task", "get_run_logger", "create_table_artifact", "Interval", "serve", "Completed",
            "DaskTaskRunner", "get_current_settings"} <= set(by_name)
    assert any({"cache_policy", "task_run_name"} <= c.keywords for c in by_name["task"])
    assert any("entrypoint_type" in c.keywords for c in by_method["to_deployment"])


def test_every_call_of_a_prefect_name_fits_its_signature() -> None:
    by_name, _ = _calls()
    wrong = [problem for name, calls in by_name.items() for call in calls
             if (problem := call.fits(getattr(prefect_api, name))) is not None]
    assert not wrong, wrong


def _a_flow() -> Any:
    def body(x: int = 0) -> int:
        return x

    return prefect_api.flow(name="contract")(body)


def _a_task() -> Any:
    def body(x: int = 0) -> int:
        return x

    return prefect_api.task(name="contract", cache_policy=prefect_api.NONE)(body)


def test_methods_wire_calls_on_flows_and_tasks_fit() -> None:
    _, by_method = _calls()
    flow, task = _a_flow(), _a_task()
    calls = by_method.get("to_deployment", [])  # flows.serve and flows.watch build their deployments
    assert calls, "wire no longer calls .to_deployment: drop it from this check"
    wrong = [problem for call in calls if (problem := call.fits(flow.to_deployment)) is not None]
    assert not wrong, wrong
    # flows.ingest submits one task run per feed, the task's arguments given by position
    assert any(p.kind is p.VAR_POSITIONAL for p in inspect.signature(task.submit).parameters.values())
    # `wire ingest` runs the flow for its end state (flows.cli_feeds) and reads the summary out of it
    assert "return_state" in inspect.signature(flow.__call__).parameters
    from prefect.client.schemas.objects import State

    assert "raise_on_failure" in inspect.signature(State.result).parameters


def test_end_states_take_what_final_state_gives() -> None:
    """`Completed(data=, message=, name=)` and `Failed(data=, message=)` pass their keywords to the State."""
    state = prefect_api.Completed(name="Partial", data={"new_items": 1}, message="1 of 2 feeds failed")
    assert (state.name, state.message, state.is_completed()) == ("Partial", "1 of 2 feeds failed", True)
    assert prefect_api.Failed(data=ValueError("x"), message="all failed").is_failed()


def test_values_wire_uses_as_they_are() -> None:
    from prefect.cache_policies import CachePolicy

    assert isinstance(prefect_api.NONE, CachePolicy)
    assert hasattr(prefect_api.EntrypointType, "MODULE_PATH")  # deployments import the installed package
    assert "parameters" in prefect_api.flow_run.__all__  # run names read the run's parameters
    assert prefect_api.quote([1]).unquote() == [1]  # task arguments handed over as they are
    assert inspect.signature(prefect_api.refresh_global_settings_context).parameters == {}
    settings = prefect_api.get_current_settings()
    for path in ("api.url", "server.ephemeral.enabled", "server.ephemeral.startup_timeout_seconds"):
        value: Any = settings
        for part in path.split("."):
            assert hasattr(value, part), f"Prefect settings have no {path} (read by flows.prefect_env/serve)"
            value = getattr(value, part)


def test_retry_conditions_are_called_with_task_task_run_and_state() -> None:
    """backfill and reextract retry a load on Transient with `retry_condition_fn(task, task_run, state)`."""
    import typing

    from prefect import tasks

    params, _result = typing.get_args(tasks.RetryConditionCallable)
    assert len(params) == 3


# --- settings wire sets before Prefect is imported, and where Prefect reads settings -----------------------

def _setting_names() -> set[str]:
    """Every environment variable name Prefect's settings accept (canonical names and aliases)."""
    from prefect.settings import Settings
    from pydantic import AliasChoices
    from pydantic_settings import BaseSettings

    names: set[str] = set()

    def walk(cls: type[BaseSettings]) -> None:
        for field_name, field in cls.model_fields.items():
            if inspect.isclass(field.annotation) and issubclass(field.annotation, BaseSettings):
                walk(field.annotation)
                continue
            names.add(f"{cls.model_config.get('env_prefix')}{field_name}".upper())
            if isinstance(field.validation_alias, AliasChoices):
                names.update(a.upper() for a in field.validation_alias.choices if isinstance(a, str))

    walk(Settings)
    return names


def test_settings_wire_sets_or_reads_are_prefect_settings() -> None:
    names = _setting_names()
    assert "PREFECT_API_URL" in names, "the setting reader found no PREFECT_API_URL"
    used = {*prefect_env.BASE_DEFAULTS, *prefect_env.ONE_SHOT_DEFAULTS, "PREFECT_LOGGING_TO_API_ENABLED",
            "PREFECT_API_URL", "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "PREFECT_SERVER_EPHEMERAL_ENABLED",
            "PREFECT_HOME", "PREFECT_PROFILES_PATH", *(k for k in prefect_api.EPHEMERAL_ENV if "__" not in k)}
    unknown = sorted(used - names)
    assert not unknown, f"not Prefect settings any more (setting them does nothing): {unknown}"


def test_api_configured_looks_where_prefect_reads_its_settings() -> None:
    """`prefect_env.api_configured` reads the environment, the profile, .env, prefect.toml and pyproject."""
    from prefect.settings import Settings

    config = Settings.model_config
    assert config.get("env_file") == ".env"
    assert config.get("toml_file") == "prefect.toml"
    assert tuple(config.get("pyproject_toml_table_header") or ()) == ("tool", "prefect")
    assert Settings.model_fields["home"].default == Path("~/.prefect")
    import prefect.settings.profiles as profiles

    assert Path(profiles.DEFAULT_PROFILES_PATH).read_text().find('active = "ephemeral"') >= 0


# --- the copy of Prefect's temporary API server (private to Prefect) --------------------------------------

def _method_tree(cls: type, name: str) -> ast.AST:
    return ast.parse(textwrap.dedent(inspect.getsource(getattr(cls, name))))


def test_the_early_api_server_is_prefects_own() -> None:
    import prefect
    from prefect.server.api import server

    asgi = server.SubprocessASGIServer
    assert callable(server.create_app) and all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in inspect.signature(server.create_app).parameters.values()), "create_app is no longer a factory"
    assert f"{server.__name__}:{server.create_app.__name__}" == prefect_api.EPHEMERAL_APP
    assert list(asgi._port_range) == list(prefect_api.EPHEMERAL_PORTS)

    tree = _method_tree(asgi, "_run_uvicorn_command")
    literal = [ast.literal_eval(n) for n in ast.walk(tree)
               if isinstance(n, ast.Dict) and all(isinstance(k, ast.Constant) for k in n.keys)]
    assert literal == [prefect_api.EPHEMERAL_ENV], f"Prefect's server environment changed: {literal}"
    popen = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and "args" in {k.arg for k in n.keywords})
    theirs = next(k.value for k in popen.keywords if k.arg == "args")
    assert isinstance(theirs, ast.List)
    ours = prefect_api.ephemeral_server_argv(8123)
    dynamic = {0: sys.executable, 4: str(prefect.__module_path__.parent), 10: "8123"}  # interpreter, app dir, port
    assert len(ours) == len(theirs.elts), f"Prefect's server command line changed: {ast.unparse(theirs)}"
    for i, element in enumerate(theirs.elts):
        expected = element.value if isinstance(element, ast.Constant) else dynamic.get(i)
        assert ours[i] == expected, f"argument {i}: Prefect runs {ast.unparse(element)}, wire {ours[i]!r}"

    start = ast.unparse(_method_tree(asgi, "start"))
    assert f"self.server_process.poll() == {prefect_api.EPHEMERAL_PORT_TAKEN}" in start, (
        "Prefect no longer restarts its server on a taken port with that exit code")
    create_app = inspect.getsource(server.create_app)
    for key in prefect_api.EPHEMERAL_ENV:
        if key.startswith("PREFECT__"):
            assert f'os.getenv("{key}")' in create_app, f"create_app no longer reads {key}"
