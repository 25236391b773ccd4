"""Shared machinery of the reliability suites: a synthetic corpus, CLI runs, kills, warehouse snapshots.

Everything here is written for these tests (no third-party text). A warehouse "snapshot" is the full
content of the story tables with the columns that legitimately differ between runs (ingestion time,
run id) left out, so two warehouses can be compared row for row.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb

__all__ = [
    "REPO",
    "STORY_TABLES",
    "CliRun",
    "Ledger",
    "check_partial",
    "compare",
    "kill_group",
    "make_corpus",
    "run_cli",
    "scale",
    "snapshot",
    "spawn_cli",
    "wire_env",
]

REPO = Path(__file__).resolve().parents[2]
STORY_TABLES: dict[str, tuple[str, ...]] = {
    # table -> key columns (rows are compared on every column except the volatile ones)
    "items": ("item_id",),
    "actors": ("item_id", "actor_id"),
    "mentions": ("mention_id",),
    "quotes": ("quote_id",),
    "numbers": ("number_id",),
    "sources": ("source_key",),
    "problems": ("source_uri", "part"),
    "lsh_buckets": ("scheme", "band", "bucket", "item_id"),
}
VOLATILE = {"ingested_at", "run_id", "seen_at", "at"}


def scale() -> str:
    """`quick` inside `make test`; `full` (more kill points, larger corpus) for `make reliability`."""
    return "full" if os.environ.get("WIRE_RELIABILITY_SCALE", "").lower() == "full" else "quick"


# --- synthetic corpus --------------------------------------------------------------------------------

_FIRST = ["Maria", "John", "Aiko", "Pedro", "Fatima", "Lars", "Chen", "Amara", "Igor", "Nadia", "Tomas", "Leila",
          "Oskar", "Priya", "Diego", "Helena", "Kwame", "Sofia", "Rafael", "Ingrid", "Yusuf", "Mei", "Anton"]
_LAST = ["Okafor", "Lindqvist", "Tanaka", "Alvarez", "Haddad", "Novak", "Brennan", "Costa", "Petrov", "Mensah",
         "Larsen", "Moreau", "Schulz", "Kowalski", "Duarte", "Rahman", "Ferreira", "Nakamura", "Hughes", "Varga"]
_ORGS = ["the Harbour Authority", "Northwind Energy", "the Ministry of Transport", "Bluecrest Bank",
         "the Farmers Union", "Meridian Airlines", "the City Council", "Solace Pharmaceuticals",
         "the Port Workers Guild", "Trident Shipping", "the National Weather Office", "Halcyon Mining"]
_PLACES = ["Valdora", "Port Elswick", "Marrenburg", "Kestrel Bay", "Sundmark", "Oriel", "Tarsis", "Lowen",
           "Caldera Springs", "New Arden", "Brightwater", "Esterhaven"]
_TITLES = ["minister", "spokesperson", "chief executive", "mayor", "union leader", "analyst", "director"]
_THINGS = ["containers", "passengers", "jobs", "homes", "tonnes of grain", "vehicles", "patients", "flights",
           "students", "barrels", "hectares", "workers"]
_TOPICS = ["the strike", "the merger", "the flood defences", "the new tariff", "the budget", "the rail link",
           "the vaccine trial", "the port expansion", "the drought", "the election", "the wage deal"]
_VERBS = ["rose", "fell", "climbed", "dropped", "jumped", "slipped"]
_SAYS = ["said", "told reporters", "said on Tuesday", "said in a statement", "added"]
_WORDS = [
    "amber", "basalt", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "indigo", "juniper", "kelp",
    "lantern", "marble", "nectar", "opal", "pylon", "quartz", "rivet", "saffron", "timber", "umber", "vessel",
    "willow", "xylem", "yarrow", "zephyr", "anchor", "beacon", "cobalt", "dune", "estuary", "falcon",
    "glacier", "heron", "isthmus", "jetty", "kiln", "lagoon", "meadow", "nimbus", "orchard",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _story(rng: random.Random, n: int) -> str:
    p1, p2 = _person(rng), _person(rng)
    org, org2 = rng.sample(_ORGS, 2)
    place = rng.choice(_PLACES)
    topic = rng.choice(_TOPICS)
    tag = " ".join(rng.sample(_WORDS, 4))  # story-specific words keep every body far from every other
    sentences = [
        f"{place.upper()} (Reuters) - {org[0].upper() + org[1:]} said on {rng.choice(['Monday', 'Friday'])} that "
        f"{rng.randint(12, 9800):,} {rng.choice(_THINGS)} were affected by {topic}, story {n} of the {tag} series.",
        f"\"We will not accept {topic} in its current form,\" {p1}, {rng.choice(_TITLES)} of {org2}, "
        f"{rng.choice(_SAYS)}.",
        f"Prices {rng.choice(_VERBS)} {rng.randint(2, 40)} percent to ${rng.randint(3, 900)} million in "
        f"{rng.choice(['March', 'April', 'the third quarter'])}, according to {org2}.",
        f"{p2} said about {rng.randint(100, 5000)} {rng.choice(_THINGS)} had been moved from {place} since "
        f"{rng.randint(1990, 2024)}, with {rng.choice(_WORDS)} and {rng.choice(_WORDS)} crews on standby.",
        f"\"It is {rng.choice(['too early', 'a good start', 'not enough', 'what we asked for'])},\" {p2} added.",
    ]
    rng.shuffle(sentences[2:])
    title = f"{org[0].upper() + org[1:]} and {topic} in {place} ({n})"
    body = "\n\n".join(sentences[:2]) + "\n\n" + " ".join(sentences[2:])
    return f"{title}\n\n{body}\n"


def make_corpus(folder: Path, n: int, *, seed: int = 7, bad: bool = False) -> list[Path]:
    """`n` distinct short stories as text files in `folder` (sorted names); with `bad`, add a few broken
    files (empty, binary, invalid UTF-8) that every run must record as skipped, never store."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for i in range(n):
        p = folder / f"story_{i:04d}.txt"
        p.write_text(_story(rng, i), encoding="utf-8")
        out.append(p)
    if bad:
        (folder / "bad_empty.txt").write_bytes(b"")
        (folder / "bad_binary.bin").write_bytes(bytes(range(256)) * 8)
        (folder / "bad_utf8.txt").write_bytes("Caf\u00e9 owners in Lowen said prices rose.".encode("cp1252")
                                               + b"\n\n\xff\xfe broken tail \x81\x8d\n")
        out += [folder / "bad_empty.txt", folder / "bad_binary.bin", folder / "bad_utf8.txt"]
    return out


# --- running the CLI -----------------------------------------------------------------------------------

@contextlib.contextmanager
def local_http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 (a free port) in a thread; yields the base URL, shuts down on exit."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def wire_env(batch_files: int = 10, workers: int = 1, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"WIRE_BATCH_FILES": str(batch_files), "WIRE_WORKERS": str(workers), "PYTHONHASHSEED": "0",
                "WIRE_CONFIG": str(REPO / "tests" / "reliability" / "no-such-wire.toml")})
    env.pop("WIRE_DEBUG", None)
    env.update(extra)
    return env


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


_RUNNER = (
    "import sys; sys.path.insert(0, {here!r}); import fault_inject; fault_inject.install_from_env(); "
    "from flows.cli import main; sys.exit(main(sys.argv[1:]))"
)


def _cli(args: Sequence[str]) -> list[str]:
    """`wire ARGS` as a fresh interpreter; WIRE_FAULT in its environment arms a crash point."""
    return [sys.executable, "-c", _RUNNER.format(here=str(Path(__file__).resolve().parent)), *args]


def run_cli(args: Sequence[str], env: Mapping[str, str], *, timeout: float = 300.0, cwd: Path | None = None) -> CliRun:
    t0 = time.monotonic()
    proc = subprocess.run(_cli(args), env=dict(env), capture_output=True, text=True, timeout=timeout,
                          cwd=str(cwd or REPO), check=False)
    return CliRun(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - t0)


def spawn_cli(args: Sequence[str], env: Mapping[str, str], *, cwd: Path | None = None) -> subprocess.Popen[str]:
    # own process group, so a kill reaches the NLP worker processes too (as `kill -9` of a job would)
    return subprocess.Popen(_cli(args), env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(cwd or REPO), start_new_session=True)


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the process and its children (it leads its own session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


# --- warehouse snapshots --------------------------------------------------------------------------------

Snapshot = dict[str, Counter[str]]


def _norm(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in sorted(value.items())}
    return value


def snapshot(db: Path, tables: Mapping[str, Sequence[str]] = STORY_TABLES) -> Snapshot:
    """Every row of the story tables as canonical JSON (volatile columns left out), counted."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out: Snapshot = {}
        present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for name in tables:
            if name not in present:  # a run killed while creating the schema leaves an empty file
                out[name] = Counter()
                continue
            cols = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall() if r[0] not in VOLATILE]
            rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}"').fetchall()
            out[name] = Counter(
                json.dumps(dict(zip(cols, map(_norm, r), strict=True)), default=str, sort_keys=True) for r in rows
            )
        return out
    finally:
        con.close()


@dataclass
class Comparison:
    rows: int = 0  # rows of the reference warehouse compared
    lost: int = 0  # reference rows missing from the other
    duplicated: int = 0  # rows present more often than in the reference
    extra: int = 0  # rows the reference does not have at all
    per_table: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.extra == 0


def compare(reference: Snapshot, other: Snapshot) -> Comparison:
    c = Comparison()
    for name, ref in reference.items():
        got = other.get(name, Counter())
        rows = sum(ref.values())
        lost = sum((ref - got).values())
        dup = sum(n - ref[k] for k, n in got.items() if k in ref and n > ref[k])
        extra = sum(n for k, n in got.items() if k not in ref)
        c.rows += rows
        c.lost += lost
        c.duplicated += dup
        c.extra += extra
        c.per_table[name] = (rows, lost, dup, extra)
    return c


# --- results ledger (read by bench/reliability.py) -----------------------------------------------------

class Ledger:
    """Appends one JSON line per scenario to $WIRE_RELIABILITY_RESULTS (if set) for the report."""

    def __init__(self, path: str | None) -> None:
        self.path = Path(path) if path else None

    def mark(self) -> int:
        """Where the results file ends now (for `rollback`)."""
        return self.path.stat().st_size if self.path is not None and self.path.exists() else 0

    def rollback(self, mark: int) -> None:
        """Withdraw the lines recorded since `mark`."""
        if self.path is not None and self.path.exists():
            with self.path.open("r+b") as fh:
                fh.truncate(mark)

    def record(self, suite: str, scenario: str, **counts: Any) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"suite": suite, "scenario": scenario, **counts}, default=str) + "\n")


# --- partial warehouses --------------------------------------------------------------------------------

def _by_item(snap: Snapshot) -> dict[str, dict[str, Counter[str]]]:
    """item_id -> table -> rows, for every table whose rows carry an item_id."""
    out: dict[str, dict[str, Counter[str]]] = {}
    for name, rows in snap.items():
        for row, n in rows.items():
            iid = json.loads(row).get("item_id")
            if iid is None:
                continue
            out.setdefault(iid, {}).setdefault(name, Counter())[row] += n
    return out


@dataclass
class PartialCheck:
    items: int = 0  # items stored so far
    half_loaded: list[str] = field(default_factory=list)  # items with some but not all of their rows
    foreign: int = 0  # rows the reference does not have, or has fewer times

    @property
    def consistent(self) -> bool:
        return not self.half_loaded and self.foreign == 0


def check_partial(reference: Snapshot, partial: Snapshot) -> PartialCheck:
    """A warehouse left by a killed run must hold, for each story, all of its rows or none, and nothing
    the uninterrupted run would not have stored."""
    res = PartialCheck(items=sum(partial.get("items", Counter()).values()))
    for name, rows in partial.items():
        ref = reference.get(name, Counter())
        res.foreign += sum(n - ref[k] for k, n in rows.items() if n > ref[k])
    ref_items, got_items = _by_item(reference), _by_item(partial)
    for iid, tables in got_items.items():
        if tables != ref_items.get(iid):
            res.half_loaded.append(iid)
    return res
