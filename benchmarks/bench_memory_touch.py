"""What this machine charges for memory it has not touched lately: the rate at which a
process can fill fresh memory and a new file, against memory and a file it has just used.

    python benchmarks/bench_memory_touch.py              # 4 rounds of 256 MB, in .cache
    python benchmarks/bench_memory_touch.py --mb 512 --rounds 6 --folder /tmp

Why it is here (issue 19, the daily refresh): the benchmark machine is a Firecracker VM
whose kernel returns free memory to the host (``page_reporting`` on the kernel command
line) and whose DAMON daemon pages out file pages unused for a minute (a ``pageout``
scheme under ``/sys/kernel/mm/damon/admin``). Memory a process touches for the first time,
and the page cache a new file fills, must then come back from the host, which costs far
more than the kernel's own page zeroing on an ordinary machine. A ``kequn run`` at 1M
customers touches gigabytes of fresh memory (its arrays, DuckDB's buffers, the files it
writes); the one-query floor touches little. The table says how much of the gap between
them is the machine's and not the code's.

Each round, a new process-wide buffer of ``--mb`` is filled (kept, so the next round
cannot reuse its pages), then filled again (the same pages, now mapped), then a new file
of the same size is written (fsync not asked) and read back. Rates are MB per second;
the machine's description is printed first.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _machine() -> str:
    cores = os.cpu_count()
    total = int(Path("/proc/meminfo").read_text(encoding="ascii").split()[1]) // 1024
    reporting = "unknown"
    with contextlib.suppress(OSError):
        cmdline = Path("/proc/cmdline").read_text(encoding="ascii")
        reporting = "on" if "page_reporting" in cmdline else "not on the command line"
    damon = Path("/sys/kernel/mm/damon/admin/kdamonds/0/state")
    state = damon.read_text().strip() if damon.exists() else "absent"
    return (
        f"{platform.platform()}, {cores} cores, {total:,} MB memory; "
        f"free page reporting: {reporting}; DAMON kdamond 0: {state}"
    )


def _rate(mb: int, seconds: float) -> float:
    return mb / seconds if seconds > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--folder", type=Path, default=HERE / ".cache")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    print(_machine())
    with contextlib.suppress(OSError):
        print(f"load average: {os.getloadavg()[0]:.2f}")
    rows: dict[str, list[float]] = {k: [] for k in ("fresh", "again", "write", "read")}
    kept: list[np.ndarray] = []
    words = args.mb * 1024 * 1024 // 8
    chunk = np.ones(1024 * 1024 // 8)  # 1 MB written at a time
    for _ in range(args.rounds):
        start = time.perf_counter()
        buffer = np.empty(words)
        buffer.fill(1.0)
        rows["fresh"].append(_rate(args.mb, time.perf_counter() - start))
        start = time.perf_counter()
        buffer.fill(2.0)
        rows["again"].append(_rate(args.mb, time.perf_counter() - start))
        kept.append(buffer)
        with tempfile.NamedTemporaryFile(dir=args.folder, suffix=".bin") as fh:
            start = time.perf_counter()
            for _ in range(args.mb):
                fh.write(chunk.tobytes())
            fh.flush()
            rows["write"].append(_rate(args.mb, time.perf_counter() - start))
            fh.seek(0)
            start = time.perf_counter()
            while fh.read(1 << 20):
                pass
            rows["read"].append(_rate(args.mb, time.perf_counter() - start))
    names = {
        "fresh": "fill memory never touched",
        "again": "fill the same memory again",
        "write": "write a new file (page cache)",
        "read": "read that file back",
    }
    print(f"\n{'':32} {'median MB/s':>12} {'slowest':>10} {'fastest':>10}")
    for key, label in names.items():
        got = rows[key]
        print(f"{label:32} {statistics.median(got):12,.0f} {min(got):10,.0f} {max(got):10,.0f}")
    print(
        f"\n{args.rounds} rounds of {args.mb} MB. On an ordinary machine the first two rows "
        "are within a few times of each other."
    )


if __name__ == "__main__":
    main()
