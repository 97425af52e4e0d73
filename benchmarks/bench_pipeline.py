"""Time and memory of kequn's main steps at several sizes, as a user would run them.

    python benchmarks/bench_pipeline.py                    # 100k and 1M customers
    python benchmarks/bench_pipeline.py --sizes 20000      # quick
    python benchmarks/bench_pipeline.py --engine spark     # the run step on Spark

Each step runs as its own `kequn` process; peak memory is the largest resident set of
that process and all its children together (a JVM included), sampled every 50 ms.
Prints a table; copy it into benchmarks/RESULTS.md with the machine's description.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

KEQUN = [sys.executable, "-m", "kequn.cli"]


def measure(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the process tree running ``args``."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        error = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"{' '.join(args)} failed:\n{error[-2000:]}")
    return seconds, peak / 2**20


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    parser.add_argument("--keep", type=Path, help="keep the workspaces under this folder")
    options = parser.parse_args()
    base = options.keep or Path(tempfile.mkdtemp(prefix="kequn-bench-"))
    rows = []
    try:
        for size in options.sizes:
            ws = base / f"ws-{size}"
            seconds, peak = measure(
                [*KEQUN, "demo", "--customers", str(size), "--no-runs", "--workspace", str(ws)]
            )
            orders = _orders(ws)
            rows.append(("demo: generate + import", size, orders, seconds, peak))
            seconds, peak = measure(
                [*KEQUN, "run", "--workspace", str(ws), "--engine", options.engine]
            )
            rows.append((f"run ({options.engine}, all dimensions)", size, orders, seconds, peak))
    finally:
        if not options.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"machine: {machine()}")
    print("| step | customers | orders | wall s | peak MiB | orders/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for step, size, orders, seconds, peak in rows:
        rate = orders / seconds
        print(f"| {step} | {size:,} | {orders:,} | {seconds:.1f} | {peak:,.0f} | {rate:,.0f} |")


def _orders(ws: Path) -> int:
    import duckdb

    current = (ws / "data" / "CURRENT").read_text().strip()
    with duckdb.connect(str(ws / "data" / current), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM orders").fetchone()
    return int(row[0]) if row else 0


if __name__ == "__main__":
    main()
