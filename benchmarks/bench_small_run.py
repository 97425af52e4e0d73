"""A small shop's `kequn run` stage by stage (issue 19: a 10k-customer run ≤ 3 s, start-up
included): the median of N cold runs, each a new process, timed from the shell.

    python benchmarks/bench_small_run.py                   # 10k customers, 5 runs
    python benchmarks/bench_small_run.py --repeat 9 --keep /tmp/small   # reuse the workspace
    python benchmarks/bench_small_run.py --lookups         # with the dashboard's lookup files
    python benchmarks/bench_small_run.py --tree before=/tmp/before/src --tree after
                                # trees taking turns (/tmp/before: `git archive` of a commit)

Creates a demo workspace once (kequn.demo), fits and stores the models with one
`kequn run --refit`, brings the feature state and the compiled SQL up to date with one
untimed run, then alternates two kinds of run with stored models, N of each (with
``--tree``, each tree on its own copy of the workspace, the trees taking turns):

- ``kequn run`` exactly as a user types it, under ``/usr/bin/time -v``: wall seconds, CPU
  seconds (user + system) and peak resident memory of the whole process;
- the same command in a process that first wraps the run's steps with a clock (no
  profiler: the wrappers cost microseconds), also under ``/usr/bin/time -v``: how the
  wall time divides into start-up, the steps of :func:`kequn.pipeline.run`, printing the
  summary, and the interpreter's own start and exit; and the same in CPU seconds (of the
  process, its DuckDB threads included), which other processes on the machine move less.

By default the workspace's ``prepare_lookups`` is off, so the run is what a command-line
user waits for (the dashboard's lookup files are built by the server; ``--lookups`` keeps
them in the run, as before). `benchmarks/bench_small.py` compares whole commands
(`--no-models`, `--help`) and lists the slowest imports; this one says where a run's
seconds go. The machine is usually shared: the load average is printed with each run,
and CPU seconds move less with the load than wall seconds do.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEQUN = [sys.executable, "-m", "kequn.cli"]

#: the staged run: wraps the run's steps with two clocks (wall; CPU of the process, its
#: DuckDB threads included), runs ``kequn run``, writes the marks (seconds since this
#: script started) as JSON to argv[2]
STAGED = r"""
import time
began, began_cpu = time.perf_counter(), time.process_time()
import json, sys
from kequn.cli import main
import kequn.pipeline as pipeline
import kequn.features.state as state
import kequn.taxonomy.evaluate as evaluate
spans, cpu_spans = {}, {}

def clocked(module, name, label):
    inner = getattr(module, name, None)
    if inner is None:
        return
    def wrapper(*args, **kwargs):
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            end, end_cpu = time.perf_counter(), time.process_time()
            spans.setdefault(label, []).append((start - began, end - began))
            cpu_spans.setdefault(label, []).append((start_cpu - began_cpu, end_cpu - began_cpu))
    setattr(module, name, wrapper)

for module, name, label in json.loads(sys.argv[3]):
    clocked({"pipeline": pipeline, "state": state, "evaluate": evaluate}[module], name, label)
try:
    main(["run", "--workspace", sys.argv[1]])
except SystemExit as stop:
    if stop.code:
        raise
done, done_cpu = time.perf_counter() - began, time.process_time() - began_cpu
with open(sys.argv[2], "w") as out:
    json.dump({"wall": {"done": done, "spans": spans},
               "cpu": {"done": done_cpu, "spans": cpu_spans}}, out)
"""

#: what the staged run clocks: (module, function, label); every call of it is a span
CLOCKED = [
    ("pipeline", "run", "run"),
    ("pipeline", "workspace_taxonomy", "taxonomy"),
    ("pipeline", "make_engine", "engine"),
    ("pipeline", "resolve_as_of", "as-of"),
    ("pipeline", "features_with_models", "features+models"),
    ("state", "_update", "state"),
    ("pipeline", "_predict", "models"),
    ("pipeline", "classify", "labels"),
    ("evaluate", "derive_thresholds", "thresholds"),
    ("pipeline", "publish", "publish"),
]


def first(spans: dict[str, list[list[float]]], label: str) -> tuple[float, float] | None:
    found = spans.get(label)
    return (found[0][0], found[0][1]) if found else None


def length(spans: dict[str, list[list[float]]], label: str) -> float:
    """The seconds of all calls of ``label`` (0 when it was not called)."""
    return sum(end - start for start, end in spans.get(label, []))


#: steps before and after :func:`kequn.pipeline.run`
_OUTSIDE_THE_RUN = ("interpreter start + exit", "start-up: imports, options", "print the summary")


def stages(marks: dict[str, object], total: float) -> dict[str, float]:
    """The staged run's seconds (``total``: all of them, as ``/usr/bin/time`` counted)
    divided into steps that do not overlap; ``marks`` of one clock."""
    spans = marks["spans"]
    assert isinstance(spans, dict)
    run = first(spans, "run")
    publish = first(spans, "publish")
    assert run is not None, "the run was not clocked"
    assert publish is not None, "the run's publishing was not clocked"
    done = float(str(marks["done"]))
    features_models = length(spans, "features+models")
    models = length(spans, "models")
    labels = length(spans, "labels")
    thresholds = length(spans, "thresholds")
    out = {
        "interpreter start + exit": total - done,
        "start-up: imports, options": run[0],
        "taxonomy file": length(spans, "taxonomy"),
        "open the engine": length(spans, "engine"),
        "as-of date": length(spans, "as-of"),
        "feature state": length(spans, "state"),
        "features": features_models - models - length(spans, "state"),
        "models (stored: load, score)": models,
        "thresholds": thresholds,
        "labels": labels - thresholds,
        "publish": publish[1] - publish[0],
        "after-publish hooks": run[1] - publish[1],
        "print the summary": done - run[1],
    }
    inside = [k for k in out if k not in _OUTSIDE_THE_RUN]
    out["rest of the run (staging, ids)"] = (run[1] - run[0]) - sum(out[k] for k in inside)
    return out


TIME_V = {
    "wall": re.compile(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)"),
    "user": re.compile(r"User time \(seconds\): ([\d.]+)"),
    "system": re.compile(r"System time \(seconds\): ([\d.]+)"),
    "rss_kb": re.compile(r"Maximum resident set size \(kbytes\): (\d+)"),
}


def timed(args: list[str], src: str | None = None) -> dict[str, float]:
    """``args`` under ``/usr/bin/time -v`` (with ``src`` first on ``PYTHONPATH``): wall
    and CPU seconds, peak RSS in MiB."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *args], capture_output=True, text=True, check=False, env=env
    )
    outside = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    found = {k: p.search(done.stderr) for k, p in TIME_V.items()}
    missing = [k for k, m in found.items() if m is None]
    if missing:
        raise RuntimeError(f"/usr/bin/time -v said nothing about {missing}:\n{done.stderr}")
    hours, minutes, seconds = found["wall"].groups()  # type: ignore[union-attr]
    wall = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    user = float(found["user"].group(1))  # type: ignore[union-attr]
    system = float(found["system"].group(1))  # type: ignore[union-attr]
    rss = int(found["rss_kb"].group(1)) / 1024  # type: ignore[union-attr]
    # /usr/bin/time rounds the wall to 10 ms; the clock here adds its own fork and exec
    return {"wall": wall, "outside": outside, "cpu": user + system, "rss": rss, "load": load}


def set_lookups(ws: Path, on: bool) -> None:
    """``prepare_lookups`` under ``[serve]`` in the workspace's kequn.toml."""
    path = ws / "kequn.toml"
    text = path.read_text(encoding="utf-8")
    value = "true" if on else "false"
    new, n = re.subn(r"(?m)^prepare_lookups\s*=\s*\w+", f"prepare_lookups = {value}", text)
    if n != 1:
        raise SystemExit(f"{path}: expected one prepare_lookups line, found {n}")
    path.write_text(new, encoding="utf-8")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


#: one tree's runs: as typed, staged, the staged runs' steps in wall and in CPU seconds
Runs = tuple[
    list[dict[str, float]],
    list[dict[str, float]],
    list[dict[str, float]],
    list[dict[str, float]],
]


def measure(workspaces: dict[str, tuple[Path, str | None]], repeat: int) -> dict[str, Runs]:
    """``repeat`` rounds; in each, every tree's run as typed and its staged run, trees
    taking turns (so a change in the machine's load falls on all of them alike)."""
    out: dict[str, Runs] = {name: ([], [], [], []) for name in workspaces}
    with tempfile.TemporaryDirectory() as scratch:
        marks = Path(scratch) / "marks.json"
        for i in range(repeat):
            for name, (ws, src) in workspaces.items():
                plain, staged, steps, cpu_steps = out[name]
                plain.append(timed([*KEQUN, "run", "--workspace", str(ws)], src))
                clocked = [sys.executable, "-c", STAGED, str(ws), str(marks), json.dumps(CLOCKED)]
                staged.append(timed(clocked, src))
                clocks = json.loads(marks.read_text())
                steps.append(stages(clocks["wall"], staged[-1]["wall"]))
                cpu_steps.append(stages(clocks["cpu"], staged[-1]["cpu"]))
                print(
                    f"round {i + 1}, {name}: {plain[-1]['wall']:.2f} s as typed, "
                    f"{staged[-1]['wall']:.2f} s staged (load {plain[-1]['load']:.1f})",
                    flush=True,
                )
    return out


def report(results: dict[str, Runs]) -> None:
    names = list(results)
    head = " | ".join(names)
    print(f"| `kequn run`, stored models (median of the runs) | {head} |")
    print("|---|" + "---:|" * len(names))
    rows = [
        ("wall s, as typed", lambda r: median([x["wall"] for x in r[0]]), 2),
        ("min wall s, as typed", lambda r: min(x["wall"] for x in r[0]), 2),
        ("CPU s (user + system), as typed", lambda r: median([x["cpu"] for x in r[0]]), 2),
        ("peak RSS MiB, as typed", lambda r: median([x["rss"] for x in r[0]]), 0),
        ("wall s, staged", lambda r: median([x["wall"] for x in r[1]]), 2),
    ]
    for label, value, digits in rows:
        cells = " | ".join(f"{value(results[n]):.{digits}f}" for n in names)
        print(f"| {label} | {cells} |")
    for index, clock in ((2, "wall"), (3, "CPU")):
        print()
        print(f"| step of the staged run: median {clock} s (min) | {head} |")
        print("|---|" + "---:|" * len(names))
        for label in results[names[0]][index][0]:
            cells = []
            for name in names:
                values = [s[label] for s in results[name][index]]
                cells.append(f"{median(values):.3f} ({min(values):.3f})")
            print(f"| {label} | {' | '.join(cells)} |")


def prepare(ws: Path, trees: list[tuple[str, str | None]]) -> dict[str, tuple[Path, str | None]]:
    """A copy of ``ws`` per tree (each keeps its own feature state and compiled SQL, whose
    keys depend on the code), each brought up to date by one untimed run of that tree."""
    if len(trees) == 1 and trees[0][1] is None:
        timed([*KEQUN, "run", "--workspace", str(ws)])
        return {trees[0][0]: (ws, None)}
    out = {}
    for name, src in trees:
        copy = ws.parent / f"ws-{re.sub(r'[^A-Za-z0-9_-]', '_', name)}"
        if not copy.exists():
            shutil.copytree(ws, copy)
        timed([*KEQUN, "run", "--workspace", str(copy)], src)
        out[name] = (copy, src)
    return out


def tree(text: str) -> tuple[str, str | None]:
    """``NAME=SRC`` (SRC a folder holding the ``kequn`` package, put first on PYTHONPATH)
    or ``NAME`` (the installed tree)."""
    name, _, src = text.partition("=")
    if src and not (Path(src) / "kequn" / "__init__.py").is_file():
        raise argparse.ArgumentTypeError(f"{src}: no kequn package there")
    return name, src or None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each kind (N)")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the workspace here")
    parser.add_argument(
        "--lookups", action="store_true", help="build the dashboard's lookup files in the run"
    )
    parser.add_argument(
        "--no-refit", action="store_true", help="reuse the models stored by an earlier run"
    )
    parser.add_argument(
        "--tree",
        type=tree,
        action="append",
        help="NAME=SRC: also time the kequn package in SRC (e.g. an older commit's src/ "
        "from `git archive`), taking turns with the others; NAME alone: this tree",
    )
    options = parser.parse_args()
    if not Path("/usr/bin/time").exists():
        raise SystemExit("needs /usr/bin/time (Debian: apt-get install time)")
    load_before = os.getloadavg()
    base = options.keep or Path(tempfile.mkdtemp(prefix="kequn-small-run-"))
    ws = base / f"small-{options.customers}" / "ws"
    try:
        if not (ws / "kequn.toml").exists():
            from kequn.demo import demo_workspace

            started = time.perf_counter()
            demo_workspace(ws.parent, options.customers)
            print(f"demo workspace: {time.perf_counter() - started:.1f} s", flush=True)
        set_lookups(ws, options.lookups)
        if not options.no_refit:
            fit = timed([*KEQUN, "run", "--refit", "--workspace", str(ws)])
            print(f"kequn run --refit (fit and store the models): {fit['wall']:.2f} s", flush=True)
        workspaces = prepare(ws, options.tree or [("this tree", None)])
        results = measure(workspaces, options.repeat)
    finally:
        if not options.keep:
            shutil.rmtree(base, ignore_errors=True)
    load_after = os.getloadavg()
    print()
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"(1/5/15 min) {'/'.join(f'{v:.1f}' for v in load_before)} before, "
        f"{'/'.join(f'{v:.1f}' for v in load_after)} after"
    )
    print(
        f"customers: {options.customers:,}; lookup files in the run: "
        f"{'yes' if options.lookups else 'no'}; runs of each kind: {options.repeat}"
    )
    print()
    report(results)


if __name__ == "__main__":
    main()
