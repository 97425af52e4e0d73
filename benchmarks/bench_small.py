"""A small shop's `kequn run`, end to end, start-up included (issue 19: ≤ 3 s at 10k).

    python benchmarks/bench_small.py                      # 10k customers, 3 repeats
    python benchmarks/bench_small.py --customers 2000 --repeat 5
    python benchmarks/bench_small.py --keep /tmp/small    # reuse the workspace next time

Creates a demo workspace once (kequn.demo), then times `kequn run` and
`kequn run --no-models` as separate processes (the first `kequn run` fits and stores the
models; later ones reuse them while fresh, as a daily run would, and are reported
separately), and lists the slowest imports of `python -X importtime -c "import kequn.cli"`.
Then one more stored-models run, under cProfile in its own process, says where its time
goes (steps of the run, imports, and whether scikit-learn was imported): cProfile slows
Python code down, so its seconds are larger than the table's and are for proportions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEQUN = [sys.executable, "-m", "kequn.cli"]


#: CPU seconds (user + system) of each timed command, in order: unlike wall time, barely
#: affected by other processes sharing the machine
CPU: dict[str, list[float]] = {}


def wall(args: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU.setdefault(" ".join(a for a in args[3:] if not a.startswith("/")), []).append(cpu)
    return seconds


def import_offenders(module: str, top: int) -> tuple[float, list[tuple[float, str]]]:
    """The whole import's seconds and the ``top`` slowest top-level-ish packages
    (cumulative seconds, first-level imports of each package only)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[tuple[float, int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        try:
            micros = int(cumulative.strip())
        except ValueError:
            continue
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((micros / 1e6, depth, name.strip()))
    total = max((s for s, _, n in rows if n == module), default=0.0)
    # the biggest packages as a whole: a name's root counted once, at its largest
    best: dict[str, float] = {}
    for seconds, _depth, name in rows:
        root = name.split(".")[0] if not name.startswith("kequn") else name
        best[root] = max(best.get(root, 0.0), seconds)
    ranked = sorted(((s, n) for n, s in best.items() if n != module), reverse=True)
    return total, ranked[:top]


#: a stored-models `kequn run` under cProfile, in a fresh interpreter: prints, as JSON,
#: the cumulative seconds of each step named in STEPS and whether scikit-learn was imported
PROFILED = """
import cProfile, json, pstats, sys, time
started = time.perf_counter()
profile = cProfile.Profile()
profile.enable()
from kequn.cli import main
try:
    main(["run", "--workspace", sys.argv[1]])
except SystemExit as stop:
    if stop.code:
        raise
profile.disable()
total = time.perf_counter() - started
steps = json.loads(sys.argv[2])
found = {}
for (path, _line, name), row in pstats.Stats(profile).stats.items():
    for label, (suffix, function) in steps.items():
        if name == function and path.endswith(suffix):
            found[label] = max(found.get(label, 0.0), row[3])
print(json.dumps({
    "total": total, "steps": found,
    "sklearn": any(m.split(".")[0] == "sklearn" for m in sys.modules),
}))
"""

#: where a run's time goes: label -> (file suffix, function name)
STEPS = {
    "import kequn.cli": ("kequn/cli/__init__.py", "<module>"),
    "open the engine (DuckDB)": ("kequn/pipeline.py", "make_engine"),
    "features": ("kequn/features/build.py", "build_features"),
    "models (load, score)": ("kequn/pipeline.py", "_predict"),
    "  of which imports of the models": ("kequn/models/churn.py", "<module>"),
    "thresholds": ("kequn/taxonomy/evaluate.py", "derive_thresholds"),
    "thresholds (together)": ("kequn/taxonomy/thresholds.py", "derive_thresholds"),
    "labels (classify, with thresholds)": ("kequn/taxonomy/evaluate.py", "classify"),
    "lookup files (after publish)": ("kequn/snapshots/lookup.py", "build_index"),
    "automation (after publish)": ("kequn/automation/__init__.py", "on_publish"),
}


def profiled(ws: Path) -> dict[str, object]:
    """One stored-models run under cProfile (see :data:`PROFILED`)."""
    done = subprocess.run(
        [sys.executable, "-c", PROFILED, str(ws), json.dumps(STEPS)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"profiled run failed:\n{done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the workspace here")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--no-profile", action="store_true", help="skip the profiled run")
    options = parser.parse_args()
    load_before = os.getloadavg()[0]
    base = options.keep or Path(tempfile.mkdtemp(prefix="kequn-small-"))
    ws = base / f"small-{options.customers}" / "ws"
    try:
        if not (ws / "kequn.toml").exists():
            from kequn.demo import demo_workspace

            started = time.perf_counter()
            demo_workspace(ws.parent, options.customers)
            print(f"demo workspace: {time.perf_counter() - started:.1f} s")
        target = ["--workspace", str(ws)]
        first = wall([*KEQUN, "run", "--refit", *target])
        rows = [("kequn run --refit (fit + store models)", [first])]
        rows.append(
            (
                "kequn run (stored models)",
                [wall([*KEQUN, "run", *target]) for _ in range(options.repeat)],
            )
        )
        rows.append(
            (
                "kequn run --no-models",
                [wall([*KEQUN, "run", "--no-models", *target]) for _ in range(options.repeat)],
            )
        )
        rows.append(
            ("kequn --help (start-up)", [wall([*KEQUN, "--help"]) for _ in range(options.repeat)])
        )
        total, offenders = import_offenders("kequn.cli", options.top)
        profile = None if options.no_profile else profiled(ws)
    finally:
        if not options.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print(f"customers: {options.customers:,}")
    print("| command | median s | min s | median CPU s | runs |")
    print("|---|---:|---:|---:|---:|")
    cpu = iter(CPU.values())
    for name, times in rows:
        used = next(cpu)
        print(
            f"| {name} | {statistics.median(times):.2f} | {min(times):.2f} | "
            f"{statistics.median(used):.2f} | {len(times)} |"
        )
    print(f"\n`import kequn.cli` (-X importtime, cumulative): {total:.2f} s; slowest:")
    for seconds, name in offenders:
        print(f"- {name}: {seconds:.3f} s")
    if profile is not None:
        steps = profile["steps"]
        assert isinstance(steps, dict)
        print(
            f"\nOne stored-models run under cProfile: {profile['total']:.2f} s "
            f"(scikit-learn imported: {'yes' if profile['sklearn'] else 'no'})"
        )
        print("| step | cumulative s |")
        print("|---|---:|")
        for label in STEPS:
            if label in steps:
                print(f"| {label} | {steps[label]:.2f} |")


if __name__ == "__main__":
    main()
