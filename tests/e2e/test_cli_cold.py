"""Cold `wire backfill`: wire starts Prefect's ephemeral API itself, early, unless a Prefect API is configured."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows import prefect_env
from flows.prefect_env import EarlyAPI, api_configured

WIRE = Path(sys.executable).with_name("wire")
STORY = "Storm hits coast\n\nA storm hit the coast on Tuesday, the weather office said.\n"


@pytest.fixture
def clean_prefect_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No PREFECT_* variables, an empty PREFECT_HOME and a working directory without Prefect files."""
    for key in list(os.environ):
        if key.upper().startswith("PREFECT_"):
            monkeypatch.delenv(key)
    home = tmp_path / "prefect-home"
    home.mkdir()
    monkeypatch.setenv("PREFECT_HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield home


def test_nothing_configured(clean_prefect_env: Path) -> None:
    assert not api_configured()
    (clean_prefect_env / "profiles.toml").write_text('active = "ephemeral"\n[profiles.ephemeral]\n'
                                                     'PREFECT_SERVER_ALLOW_EPHEMERAL_MODE = "true"\n')
    assert not api_configured()


@pytest.mark.parametrize("where", ["env", "profile", "profile-by-env", "dotenv", "prefect.toml", "pyproject",
                                   "ephemeral-off", "bad-toml"])
def test_a_configured_api_is_left_to_prefect(clean_prefect_env: Path, monkeypatch: pytest.MonkeyPatch,
                                             where: str) -> None:
    url = "http://127.0.0.1:4200/api"
    if where == "env":
        monkeypatch.setenv("PREFECT_API_URL", url)
    elif where == "profile":
        (clean_prefect_env / "profiles.toml").write_text(
            f'active = "local"\n[profiles.local]\nPREFECT_API_URL = "{url}"\n')
    elif where == "profile-by-env":
        (clean_prefect_env / "profiles.toml").write_text(f'[profiles.remote]\nPREFECT_API_URL = "{url}"\n')
        assert not api_configured()  # the profile exists but is not active
        monkeypatch.setenv("PREFECT_PROFILE", "remote")
    elif where == "dotenv":
        Path(".env").write_text(f"PREFECT_API_URL={url}\n")
    elif where == "prefect.toml":
        Path("prefect.toml").write_text(f'[api]\nurl = "{url}"\n')
    elif where == "pyproject":
        Path("pyproject.toml").write_text(f'[project]\nname = "x"\n[tool.prefect.api]\nurl = "{url}"\n')
    elif where == "ephemeral-off":
        monkeypatch.setenv("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "false")
    else:
        Path("prefect.toml").write_text("[api\n")
    assert api_configured()


def test_defaults_do_not_override_the_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_BLOCKS_REGISTER_ON_START", "true")
    monkeypatch.delenv("PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION", raising=False)
    prefect_env.prepare_one_shot_env()
    assert os.environ["PREFECT_API_BLOCKS_REGISTER_ON_START"] == "true"
    assert os.environ["PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION"] == "false"


def test_no_early_server_once_prefect_is_imported() -> None:
    import prefect  # noqa: F401  (a caller that already set Prefect up: tests, `wire serve`)

    assert EarlyAPI.start() is None


@pytest.mark.prefect
def test_adopt_yields_to_prefect_settings(prefect_harness: None) -> None:
    """If Prefect's own settings name an API that `api_configured` missed, the early server is dropped."""
    api = EarlyAPI()
    api.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    child = api.process
    before = os.environ.get("PREFECT_API_URL")
    assert not api.adopt()
    assert child.poll() is not None and api.process is None
    assert os.environ.get("PREFECT_API_URL") == before


def _prefect_children(home: Path) -> list[int]:
    """Processes still running with this PREFECT_HOME in their environment (a server left behind)."""
    found = []
    needle = f"PREFECT_HOME={home}".encode()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                if needle in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


@pytest.mark.prefect
@pytest.mark.slow
def test_cold_backfill_is_a_recorded_flow_run(tmp_path: Path) -> None:
    """A cold run on a fresh PREFECT_HOME: the flow run, its task runs and its artifact are in Prefect's
    database, no server is left running, and a re-run with nothing new adds no flow run."""
    home = tmp_path / "prefect-home"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "s.txt").write_text(STORY)
    db = tmp_path / "w.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), WIRE_WORKERS="1")
    cmd = [str(WIRE), "backfill", str(tmp_path / "in"), "--db", str(db), "--quiet"]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=400)
    cold = time.perf_counter() - t0
    assert res.returncode == 0, res.stderr
    assert re.search(r"^  stored +1$", res.stdout, re.M), res.stdout
    assert not _prefect_children(home)
    with sqlite3.connect(home / "prefect.db") as con:
        runs = con.execute("SELECT fr.id, fr.state_type FROM flow_run fr JOIN flow f ON f.id = fr.flow_id "
                           "WHERE f.name = 'backfill'").fetchall()
        assert [state for _id, state in runs] == ["COMPLETED"]
        # The one batch was read and parsed before the flow run existed (flows.backfill.HeadStart): its load,
        # the step that stores it, is the run's task run.
        tasks = con.execute("SELECT name FROM task_run WHERE flow_run_id = ?", (runs[0][0],)).fetchall()
        assert [name for (name,) in tasks if name.startswith("load-batch")], tasks
        assert con.execute("SELECT count(*) FROM artifact WHERE key = 'backfill-summary'").fetchone() == (1,)

    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=400)
    assert res.returncode == 0, res.stderr
    assert re.search(r"^  unchanged +1 ", res.stdout, re.M), res.stdout
    assert time.perf_counter() - t0 < cold
    with sqlite3.connect(home / "prefect.db") as con:
        assert con.execute("SELECT count(*) FROM flow_run").fetchone() == (1,)


def test_backfill_command_line_is_parsed_without_the_other_commands() -> None:
    from flows.cli import _command

    assert _command(["backfill", "x"]) == "backfill"
    assert _command(["--config", "w.toml", "backfill", "x"]) == "backfill"
    assert _command(["--help"]) is None and _command([]) is None


def test_console_script_exit_code_and_output(tmp_path: Path) -> None:
    """`wire backfill` ends without the interpreter's teardown: its exit code and all its output survive."""
    res = subprocess.run([str(WIRE), "backfill", str(tmp_path / "missing"), "--db", str(tmp_path / "w.duckdb"),
                          "--no-prefect", "--quiet"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 1  # errors and nothing stored
    assert re.search(r"^  numbers +0$", res.stdout, re.M), res.stdout  # the summary's last line was flushed
    assert "missing: no such file or folder" in res.stdout


def _children(pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(proc.name))
    return found


@pytest.mark.prefect
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux only")
def test_killed_backfill_leaves_no_server(tmp_path: Path) -> None:
    """SIGKILL runs no exit handler; the early server still ends with its parent."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "s.txt").write_text(STORY)
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), WIRE_WORKERS="1")
    proc = subprocess.Popen([str(WIRE), "backfill", str(tmp_path / "in"), "--db", str(tmp_path / "w.duckdb"),
                             "--quiet"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        servers: list[int] = []
        while not servers and time.monotonic() < deadline:
            servers = [c for c in _children(proc.pid)
                       if b"uvicorn" in Path(f"/proc/{c}/cmdline").read_bytes()]
            time.sleep(0.05)
        assert servers, "no API server was started"
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_running(s) for s in servers):
        time.sleep(0.1)
    alive = [s for s in servers if _running(s)]
    assert not alive, f"server {alive} outlived the killed wire process"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
