"""Daily refresh with and without the feature state (issue 19 item 2).

    python benchmarks/bench_incremental.py                    # 100k customers
    python benchmarks/bench_incremental.py --sizes 1000000    # 1M / ~10M orders
    python benchmarks/bench_incremental.py --prepare-only     # build the cached workspace
    python benchmarks/bench_incremental.py --quick            # no --no-models runs
    python benchmarks/bench_incremental.py --one-copy         # one import, both runs on it

The demo data (seed 7, purchase rate 1.4: ~10 orders per customer, as bench_compare.py)
is generated and imported once into ``--cache``/demo-N/ws. Then, for each mode, a copy
of that workspace gets:

    first run     `kequn run --no-models` (builds the feature state when it is on)
    import        `kequn import orders day.parquet`: one new day, 1% of the history's
                  orders (a random 1% of the orders again, new ids, dated the next day)
    run           `kequn run --no-models` as of the new day (lookup files included)
    full run      `kequn run` (models fitted in the run before are reused while fresh)

"state" is the default; "no state" sets KEQUN_FEATURE_STATE=off (the full rebuild every
run, as before the state existed). The labels of the two modes' last runs are compared
with EXCEPT ALL both ways. Wall seconds per step are printed as a markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil

KEQUN = [sys.executable, "-m", "kequn.cli"]
SEED = 7
PURCHASE_RATE = 1.4


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def wall(args: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:5])} failed:\n{done.stderr[-3000:]}")
    return seconds


def prepare(cache: Path, size: int) -> tuple[Path, Path]:
    """The imported workspace and the day's new orders for ``size`` customers (cached)."""
    root = cache / f"demo-{size}"
    data, ws, ready = root / "data", root / "ws", root / "ready"
    made = f"seed={SEED} purchase_rate={PURCHASE_RATE}\n"
    if not ready.exists() or ready.read_text() != made:
        shutil.rmtree(root, ignore_errors=True)
        log(f"generating and importing {size:,} customers into {root}")
        from kequn.demo import generate_demo

        files = generate_demo(data, size, seed=SEED, purchase_rate=PURCHASE_RATE)
        wall([*KEQUN, "init", "--workspace", str(ws)])
        for table, path in (
            ("customers", files.customers),
            ("orders", files.orders),
            ("events", files.events),
        ):
            wall([*KEQUN, "import", table, str(path), "--workspace", str(ws)])
        day = data / "day.parquet"
        source = str(data / "orders.parquet").replace("'", "''")
        duckdb.sql(
            f"""COPY (
                SELECT * REPLACE ('N-' || order_id AS order_id,
                    (SELECT max(ordered_at)::DATE + 1 FROM read_parquet('{source}'))
                        + (ordered_at - ordered_at::DATE) AS ordered_at,
                    'paid' AS status)
                FROM read_parquet('{source}') USING SAMPLE 1 PERCENT (bernoulli, 7)
            ) TO '{str(day).replace("'", "''")}' (FORMAT parquet)"""
        )
        ready.write_text(made)
    return ws, data / "day.parquet"


def keep_rows(ws: Path, keep: Path) -> None:
    """The newest run's rows (features and labels) copied to one file, to compare after."""
    from kequn.snapshots.runs import list_runs
    from kequn.store.workspace import Workspace

    newest = max(list_runs(Workspace.open(ws)), key=lambda r: r.run_id)
    target = str(keep).replace("'", "''")  # our own cache file (COPY takes no parameters)
    duckdb.execute(f"COPY (FROM {newest.rows_sql()}) TO '{target}' (FORMAT parquet)")


def same_labels(a: str, b: str) -> str:
    con = duckdb.connect()
    q = "SELECT count(*) FROM (FROM read_parquet(?) EXCEPT ALL FROM read_parquet(?))"
    one = con.execute(q, [a, b]).fetchone() or ("?",)
    two = con.execute(q, [b, a]).fetchone() or ("?",)
    n = con.execute("SELECT count(*) FROM read_parquet(?)", [a]).fetchone() or (0,)
    return f"{n[0]:,} rows; differing: {one[0]} / {two[0]}"


def bench(cache: Path, size: int, quick: bool) -> tuple[list[tuple[str, str, float]], str]:
    base, day = prepare(cache, size)
    rows: list[tuple[str, str, float]] = []
    finals: dict[str, str] = {}
    for mode in ("no state", "state"):
        work = cache / f"work-{size}"
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work / "ws")
        ws = str(work / "ws")
        env = dict(os.environ)
        if mode == "no state":
            env["KEQUN_FEATURE_STATE"] = "off"
        else:
            env.pop("KEQUN_FEATURE_STATE", None)
        steps = [
            ("first run --no-models", ["run", "--no-models"]),
            ("first run (models fitted)", ["run"]),
            ("import the day", ["import", "orders", str(day)]),
            ("run --no-models", ["run", "--no-models"]),
            ("run (models reused)", ["run"]),
        ]
        if quick:  # the daily refresh alone: models fitted once, then import + run
            steps = [s for s in steps if "--no-models" not in s[1]]
        for step, args in steps:
            log(f"{size:,} {mode}: {step}")
            rows.append((mode, step, wall([*KEQUN, *args, "-w", ws], env)))
        keep = cache / f"labels-{size}-{mode.replace(' ', '')}.parquet"
        keep_rows(work / "ws", keep)
        finals[mode] = str(keep)
        shutil.rmtree(work, ignore_errors=True)
    return rows, same_labels(finals["state"], finals["no state"])


def bench_one_copy(cache: Path, size: int) -> tuple[list[tuple[str, str, float]], str]:
    """Cheaper (for 1M on a busy machine): one copy, models fitted and the state built
    once, the day imported once, then the same day's run with the state (first, so a
    warm page cache favours the full rebuild after it) and without."""
    base, day = prepare(cache, size)
    work = cache / f"work-{size}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, work / "ws")
    ws = str(work / "ws")
    on = {k: v for k, v in os.environ.items() if k != "KEQUN_FEATURE_STATE"}
    off = {**on, "KEQUN_FEATURE_STATE": "off"}
    rows: list[tuple[str, str, float]] = []
    steps = [
        ("state", "first run (models fitted, state built)", ["run"], on),
        ("both", "import the day", ["import", "orders", str(day)], on),
        ("state", "run (models reused)", ["run"], on),
        ("no state", "run (models reused)", ["run"], off),
    ]
    finals = []
    for mode, step, args, env in steps:
        log(f"{size:,} {mode}: {step}")
        rows.append((mode, step, wall([*KEQUN, *args, "-w", ws], env)))
        if step == "run (models reused)":
            keep = cache / f"labels-{size}-{mode.replace(' ', '')}-one.parquet"
            keep_rows(work / "ws", keep)
            finals.append(str(keep))
    shutil.rmtree(work, ignore_errors=True)
    return rows, same_labels(finals[0], finals[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--cache", type=Path, default=Path(__file__).parent / ".cache" / "incr")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--quick", action="store_true", help="skip the --no-models runs")
    parser.add_argument(
        "--one-copy", action="store_true", help="one workspace copy, one import (cheapest)"
    )
    args = parser.parse_args()
    memory = psutil.virtual_memory().total / 2**30
    print(
        f"{os.cpu_count()} cores ({platform.machine()}), {memory:.0f} GiB RAM, "
        f"load average at start {os.getloadavg()[0]:.1f}"
    )
    for size in args.sizes:
        if args.prepare_only:
            prepare(args.cache, size)
            continue
        rows, same = (
            bench_one_copy(args.cache, size)
            if args.one_copy
            else bench(args.cache, size, args.quick)
        )
        print(f"\n{size:,} customers\n")
        print("| mode | step | wall s |")
        print("|---|---|---:|")
        for mode, step, seconds in rows:
            print(f"| {mode} | {step} | {seconds:.1f} |")
        print(f"\nlabels, state vs no state (EXCEPT ALL both ways): {same}")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
