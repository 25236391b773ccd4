"""Scheduled ingestion the way an operator runs it (issue #19): a real `prefect server start` on 127.0.0.1
with its own PREFECT_HOME, feeds served by a local HTTP server, then

1. `wire serve`: every entry of feeds of 15, 55 and 500 entries and every file of a drop folder stored once
   (the 55- and 500-entry feeds and the 30 files go through the NLP worker pool), the 404 feed's runs
   Failed with its reason logged to the API, run names saying what ran, one pool of NLP workers for all
   runs, and SIGTERM ending serve and its workers;
2. `prefect deploy --all` with the repository's prefect.yaml and one run through `prefect worker start`
   storing the same three feeds (and ending Partial for the 404 one).

Everything runs in subprocesses, as an operator's shell would, so nothing here shares the test session's
Prefect harness. About two minutes on two cores.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feed_server import FeedServer, feed_server

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SIZES = {"small": 15, "mid": 55, "big": 500}
DROPS = 30

_PEOPLE = ["Ana Costa", "Lars Berg", "Mei Tanaka", "Omar Haddad", "Ruth Okafor", "Pavel Novak", "Ines Duarte",
           "Kofi Mensah", "Sara Lind", "Tomas Ruiz", "Hana Kim", "Yusuf Demir"]
_ORGS = ["the port authority", "the health ministry", "the city council", "the rail operator", "the central bank",
         "the teachers' union", "the water board", "the football league", "the airline", "the energy regulator"]
_PLACES = ["Lisbon", "Bergen", "Osaka", "Amman", "Lagos", "Brno", "Porto", "Accra", "Malmo", "Seville"]
_THINGS = ["jobs", "homes", "buses", "nurses", "flights", "schools", "bridges", "wind turbines", "clinics"]
_VERBS = ["cut", "add", "review", "fund", "close", "open", "delay", "replace"]


def _story(rng: random.Random, n: int) -> str:
    parts = []
    for _ in range(3):
        parts.append(
            f"{rng.choice(_PEOPLE)} of {rng.choice(_ORGS)} said it would {rng.choice(_VERBS)} "
            f"{rng.randint(2, 9000)} {rng.choice(_THINGS)} in {rng.choice(_PLACES)} by {rng.randint(2027, 2040)}.")
    parts.append(f"The decision, number {n}, followed talks in {rng.choice(_PLACES)} on "
                 f"{rng.choice(['Monday', 'Tuesday', 'Friday'])}.")
    return " ".join(parts)


def make_feed(name: str, entries: int, seed: int) -> str:
    """RSS 2.0 with `entries` distinct stories (different enough not to be near-duplicates)."""
    rng = random.Random(seed)
    items = "".join(
        f"<item><title>{name} story {i}</title><link>https://{name}.example/{i}</link>"
        f"<guid>https://{name}.example/{i}</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>"
        f"<description>{_story(rng, i)}</description></item>"
        for i in range(entries))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>'
            f"<link>https://{name}.example/</link>{items}</channel></rss>")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: Path, api: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "WIRE_"))}
    env.update({
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "PREFECT_HOME": str(home / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "WIRE_WORKERS": "2",
    })
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real Prefect server on 127.0.0.1 with a fresh PREFECT_HOME, as `prefect server start` runs it."""
    if not (BIN / "prefect").exists() or not (BIN / "wire").exists():
        pytest.skip(f"the prefect and wire commands are not installed beside {sys.executable} (run `make install`)")
    home = tmp_path_factory.mktemp("operator")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    log = (home / "server.log").open("w")
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=_env(home, api), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
            time.sleep(1)
        yield api, home
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
        log.close()


@pytest.fixture(scope="module")
def feeds() -> Iterator[FeedServer]:
    with feed_server() as server:
        for i, (name, size) in enumerate(SIZES.items()):
            server.set(f"/{name}.rss", make_feed(name, size, seed=i), content_type="application/rss+xml")
        yield server  # /broken.rss is not set: it answers 404


def _config(path: Path, server: FeedServer, names: list[str], db: Path, interval: str = "30s",
            drops: Path | None = None) -> Path:
    lines = [f'db = "{db}"']
    for name in names:
        lines += ["[[feeds]]", f'url = "{server.url(f"/{name}.rss")}"', f'name = "{name}"', f'interval = "{interval}"']
    if drops is not None:
        lines += ["[[drop_folders]]", f'path = "{drops}"', "interval = 15"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _count_items(db: Path, env: dict[str, str]) -> dict[str, int]:
    if not db.exists():
        return {}
    out = subprocess.run([str(BIN / "wire"), "sql", "--db", str(db), "--format", "csv",
                          "SELECT source_uri, count(*), count(DISTINCT coalesce(guid, source_uri)) FROM items "
                          "GROUP BY 1"],
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    counts: dict[str, int] = {}
    for line in out.stdout.splitlines()[1:]:
        uri, n, distinct = line.rsplit(",", 2)
        assert n == distinct, f"{uri}: {n} items for {distinct} entries (an entry stored twice)"
        key = uri.rsplit("/", 1)[-1].removesuffix(".rss") if uri.endswith(".rss") else "drops"
        counts[key] = counts.get(key, 0) + int(n)
    return counts


def _flow_runs(api: str) -> list[dict[str, Any]]:
    query = {"sort": "EXPECTED_START_TIME_DESC", "limit": 200,
             "flow_runs": {"state": {"type": {"not_any_": ["SCHEDULED"]}}}}  # not the runs of the coming hours
    res = httpx.post(f"{api}/flow_runs/filter", json=query, timeout=30)
    res.raise_for_status()
    return list(res.json())


def _logs(api: str, flow_run_id: str) -> str:
    res = httpx.post(f"{api}/logs/filter", json={"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 200},
                     timeout=30)
    res.raise_for_status()
    return "\n".join(r["message"] for r in res.json())


def _descendants(pid: int) -> list[Any]:
    import psutil

    with contextlib.suppress(psutil.NoSuchProcess):
        return list(psutil.Process(pid).children(recursive=True))
    return []


def _spawned_children(pid: int) -> set[int]:
    return {p.pid for p in _descendants(pid) if p.ppid() == pid and "spawn_main" in " ".join(p.cmdline())}


def test_wire_serve_stores_every_entry_and_tells_the_truth(prefect_server: tuple[str, Path], feeds: FeedServer,
                                                           tmp_path: Path) -> None:
    import psutil

    api, home = prefect_server
    db = tmp_path / "served.duckdb"
    drops = tmp_path / "drops"  # a drop folder of 30 story files: enough for the NLP pool too
    drops.mkdir()
    rng = random.Random(7)
    for i in range(DROPS):
        (drops / f"story-{i:02d}.txt").write_text(f"Dropped story {i}\n\n{_story(rng, i)}\n", encoding="utf-8")
    expected = {**SIZES, "drops": DROPS}
    config = _config(tmp_path / "wire.toml", feeds, [*SIZES, "broken"], db, drops=drops)
    env = _env(home, api, WIRE_CONFIG=str(config))
    out = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen([str(BIN / "wire"), "serve"], env=env, cwd=tmp_path, stdout=out,
                             stderr=subprocess.STDOUT, start_new_session=True)
    samples: list[set[int]] = []  # spawned children of serve: its NLP workers and the runs' subprocesses
    try:
        deadline = time.monotonic() + 420
        counts: dict[str, int] = {}
        while time.monotonic() < deadline and serve.poll() is None:
            time.sleep(5)
            samples.append(_spawned_children(serve.pid))
            counts = _count_items(db, env)
            failed = [r for r in _flow_runs(api) if r["name"].startswith("broken ") and r["state_type"] == "FAILED"]
            if counts == expected and failed:
                break
        log = (tmp_path / "serve.log").read_text(errors="replace")
        assert serve.poll() is None, f"wire serve ended early: {log[-3000:]}"
        assert counts == expected, f"stored {counts}, expected {expected}; serve said: {log[-3000:]}"
        assert "ImportError" not in log and "BrokenProcessPool" not in log, log[-3000:]

        # runs that started (a run is named when it starts; one still pending has Prefect's random name)
        runs = [r for r in _flow_runs(api) if r["state_type"] in ("COMPLETED", "FAILED", "CRASHED")]
        runs_flow_id = next(r["flow_id"] for r in runs if r["name"].startswith("broken "))
        by_feed: dict[str, list[dict[str, Any]]] = {}
        for r in runs:
            if r["flow_id"] != runs_flow_id:
                continue  # the drop-folder flow's runs
            assert re.fullmatch(r"(small|mid|big|broken) \d{4}-\d\d-\d\dT\d\d:\d\d", r["name"]), r["name"]
            by_feed.setdefault(r["name"].split()[0], []).append(r)
        # the broken feed's runs: Failed when it was polled, "Backing off" (never plain Completed) when a run
        # came while the feed waited after its failed polls
        finished = [r for r in by_feed["broken"] if r["state_type"] == "FAILED"]
        waited = [r for r in by_feed["broken"] if r["state_type"] != "FAILED"]
        assert finished and all(r["state_name"] == "Backing off" for r in waited), by_feed["broken"]
        assert all("404" in (r["state"]["message"] or "") for r in by_feed["broken"]), by_feed["broken"]
        assert "broken: 404" in _logs(api, finished[0]["id"])  # the reason reaches the UI, not only stdout
        for name in SIZES:
            assert any(r["state_type"] == "COMPLETED" and r["state_name"] == "Completed" for r in by_feed[name])
        assert not [r for r in runs if r["state_type"] == "CRASHED"]

        # one pool for the life of serve: the same two NLP workers served every run (none per run)
        samples.append(_spawned_children(serve.pid))
        stable = set.intersection(*samples)  # a run's subprocess comes and goes; the workers stay
        assert len(samples) > 3 and len(stable) == 2, samples
        everything = _descendants(serve.pid)
    finally:
        t0 = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(30)
        stopped = time.monotonic() - t0
        out.close()
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert stopped < 30, f"wire serve took {stopped:.1f}s to stop after SIGTERM: {log[-3000:]}"
    _gone, alive = psutil.wait_procs(everything, timeout=15)
    assert not alive, f"left running after serve stopped: {[p.pid for p in alive]}"
    assert _count_items(db, env) == expected  # every entry and file once, after all the polls


def test_prefect_deploy_and_a_process_worker_store_a_feed(prefect_server: tuple[str, Path], feeds: FeedServer,
                                                          tmp_path: Path) -> None:
    api, home = prefect_server
    pool = re.search(r"work_pool:\s*\n\s*name:\s*(\S+)", (REPO / "prefect.yaml").read_text()).group(1)  # type: ignore[union-attr]
    readme = (REPO / "README.md").read_text()
    assert f"prefect worker start --pool {pool}" in readme, "README and prefect.yaml name different work pools"
    assert f"prefect work-pool create {pool} --type process" in readme

    wire_home = tmp_path / "wire-home"
    wire_home.mkdir()
    shutil.copy(REPO / "prefect.yaml", wire_home / "prefect.yaml")
    db = wire_home / "deployed.duckdb"
    _config(wire_home / "wire.toml", feeds, [*SIZES, "broken"], db)
    env = _env(home, api, WIRE_HOME=str(wire_home))

    def prefect(*args: str, timeout: float = 180) -> str:
        res = subprocess.run([str(BIN / "prefect"), *args], env=env, cwd=wire_home, capture_output=True, text=True,
                             timeout=timeout, check=False)
        assert res.returncode == 0, f"prefect {' '.join(args)}: {res.stdout[-2000:]}{res.stderr[-2000:]}"
        return res.stdout

    prefect("work-pool", "create", pool, "--type", "process")
    prefect("--no-prompt", "deploy", "--all")
    prefect("--no-prompt", "deployment", "schedule", "pause", "--all")  # only the run started by hand below
    prefect("deployment", "run", "ingest-feeds/feeds-all-now")
    res = subprocess.run([str(BIN / "prefect"), "worker", "start", "--pool", pool, "--run-once"], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=400, check=False)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert _count_items(db, env) == SIZES, res.stdout[-3000:] + res.stderr[-3000:]
    run = next(r for r in _flow_runs(api) if r["name"].startswith("all feeds "))
    assert run["state_type"] == "COMPLETED" and run["state_name"] == "Partial", run["state"]
    assert "broken" in run["state"]["message"] and "404" in run["state"]["message"]
