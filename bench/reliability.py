"""`make reliability`: run the reliability suites and print what was injected, tried and compared.

Runs pytest on tests/reliability (crash, concurrency, hostile input, properties) and on the agency XML
safety tests (tests/unit/test_agency_safety.py), at full scale unless --quick. The suites append one JSON
line per scenario to a results file (WIRE_RELIABILITY_RESULTS); this script sums them into one table:

    faults injected / survived   kills, concurrent runs, busy warehouses (survived: consistent warehouse
                                 after the fault and equal to a clean run at the end)
    bad inputs tried / handled   hostile files, HTTP responses, SQL write attempts, generated inputs
    rows compared / lost / dup.  warehouse rows compared with the uninterrupted reference run

Exit status 0 only if every test passed and no row was lost or duplicated.

    python -m bench.reliability [--quick] [--seed N] [--keep DIR] [-- extra pytest args]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "summarise"]

REPO = Path(__file__).resolve().parents[1]
SUITES = ["tests/reliability", "tests/unit/test_agency_safety.py"]
COLUMNS = ["faults_injected", "faults_survived", "inputs_tried", "inputs_handled", "rows_compared", "rows_lost",
           "rows_duplicated"]
HEADERS = ["faults injected", "survived", "bad inputs tried", "handled", "rows compared", "lost", "duplicated"]


def _junit(path: Path) -> dict[str, dict[str, int]]:
    """file -> outcome -> count, from pytest's JUnit XML."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not path.exists():
        return out
    for case in ET.parse(path).getroot().iter("testcase"):
        cls = case.get("classname", "")
        name = cls.split(".")[-1] if cls else "?"
        kinds = {child.tag for child in case}
        outcome = ("failed" if kinds & {"failure", "error"} else "skipped" if "skipped" in kinds else "passed")
        out[name][outcome] += 1
    return out


def summarise(results: list[dict[str, Any]], junit: dict[str, dict[str, int]]) -> list[list[Any]]:
    """Table rows (suite, scenario, the COLUMNS) from the suites' result lines and the test outcomes."""
    rows: list[list[Any]] = []
    for r in results:
        rows.append([r["suite"], str(r["scenario"])[:58], *(int(r.get(c, 0) or 0) for c in COLUMNS)])
    safety = junit.get("test_agency_safety", {})
    if safety:
        tried = sum(safety.values()) - safety.get("skipped", 0)
        rows.append(["agency-xml", "entity bombs, XXE, DTDs (tests/unit/test_agency_safety)", 0, 0, tried,
                     safety.get("passed", 0), 0, 0, 0])
    return rows


def _table(rows: list[list[Any]]) -> str:
    head = ["suite", "scenario", *HEADERS]
    total = ["TOTAL", "", *(sum(r[i] for r in rows) for i in range(2, len(head)))]
    body = [*rows, total]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=True)]

    def line(values: Sequence[Any]) -> str:
        cells = [str(v).ljust(w) if i < 2 else str(v).rjust(w) for i, (v, w) in enumerate(zip(values, widths,
                                                                                               strict=True))]
        return "| " + " | ".join(cells) + " |"

    sep = "|-" + "-|-".join("-" * w for w in widths) + "-|"
    return "\n".join([line(head), sep, *(line(r) for r in rows), sep, line(total)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the small scale `make test` uses")
    parser.add_argument("--seed", type=int, default=None, help="seed of the random kill times (default: clock)")
    parser.add_argument("--keep", metavar="DIR", default=None, help="keep the results JSON and JUnit XML here")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wire-reliability-"))
    work.mkdir(parents=True, exist_ok=True)
    results_path, junit_path = work / "results.jsonl", work / "junit.xml"
    results_path.unlink(missing_ok=True)
    env = dict(os.environ, WIRE_RELIABILITY_RESULTS=str(results_path),
               WIRE_RELIABILITY_SCALE="quick" if args.quick else "full")
    if args.seed is not None:
        env["WIRE_RELIABILITY_SEED"] = str(args.seed)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit_path}",
           *SUITES, *args.pytest_args]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=REPO, env=env, check=False)
    seconds = time.monotonic() - t0
    results = [json.loads(line) for line in results_path.read_text(encoding="utf-8").splitlines()
               if line.strip()] if results_path.exists() else []
    junit = _junit(junit_path)
    rows = summarise(results, junit)
    print()
    print(f"wire reliability report ({env['WIRE_RELIABILITY_SCALE']} scale, {seconds:.0f}s, results in {work})")
    print(_table(rows))
    counts: dict[str, int] = defaultdict(int)
    for per_file in junit.values():
        for outcome, n in per_file.items():
            counts[outcome] += n
    print(f"tests: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    lost = sum(r[COLUMNS.index("rows_lost") + 2] for r in rows)
    dup = sum(r[COLUMNS.index("rows_duplicated") + 2] for r in rows)
    injected = sum(r[2] for r in rows)
    survived = sum(r[3] for r in rows)
    ok = proc.returncode == 0 and lost == 0 and dup == 0 and survived == injected
    print("nothing lost, nothing duplicated, every fault survived" if ok
          else f"PROBLEMS: {lost} rows lost, {dup} duplicated, {injected - survived} faults not survived, "
               f"pytest exit {proc.returncode}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
