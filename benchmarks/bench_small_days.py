"""A small shop's run day after day (issue 19: a 10k-customer run ≤ 3 s, start-up included).

    python benchmarks/bench_small_days.py                        # 10k customers, 3 days
    python benchmarks/bench_small_days.py --days 5 --repeat 2
    python benchmarks/bench_small_days.py --tree before=/tmp/before/src --tree after
                                 # trees taking turns (/tmp/before: `git archive` of a commit)

`bench_small_run.py` reruns one day, where every query finds its compiled SQL kept from
the run before. A shop that runs daily has new orders and a new as-of date every day, and
whatever holds the date or the data's thresholds is compiled again. So this creates a demo
workspace once (kequn.demo), fits and stores the models with `kequn run --refit`, runs
once more untimed, and then, on a fresh copy per tree and repeat, adds day after day: one
more day of orders (1 % of the orders held, each for a different existing buyer, a copy
of one of their orders moved to the day after the latest), imported with `kequn import
orders`, then `kequn run` timed as a user types it (a new process). Prints a markdown
table of wall seconds per day, with the load average.
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

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
KEQUN = [sys.executable, "-m", "kequn.cli"]

#: one day of orders, 1 % of those held, each for a different buyer (our own paths and
#: numbers; COPY takes no parameters)
DAY = """
CREATE TEMP TABLE latest AS
  SELECT max(ordered_at)::DATE + 1 AS day, round(count(*) * 0.01)::BIGINT AS n FROM orders;
COPY (
  SELECT o.customer_id, 'D{day}-' || o.order_id AS order_id,
         (SELECT day FROM latest) + (hash(o.order_id) % 86400) * INTERVAL 1 SECOND
           AS ordered_at,
         o.amount, o.quantity, o.discount, o.channel, 'paid' AS status
  FROM orders o
  WHERE o.customer_id IN (
    SELECT customer_id FROM (SELECT DISTINCT customer_id FROM orders)
    ORDER BY hash(customer_id || '{day}') LIMIT (SELECT n FROM latest))
  QUALIFY row_number() OVER (PARTITION BY o.customer_id ORDER BY o.order_id) = 1
) TO '{target}' (FORMAT PARQUET);
"""


def log(text: str) -> None:
    print(f"[bench_small_days] {text}", file=sys.stderr, flush=True)


def prepare(customers: int) -> Path:
    """The demo workspace with stored models and its SQL kept, made once."""
    base = CACHE / f"small-days-{customers}" / "ws"
    if (base / "runs").is_dir() and any((base / "runs").iterdir()):
        return base
    shutil.rmtree(base.parent, ignore_errors=True)
    base.parent.mkdir(parents=True)
    log(f"creating a {customers:,}-customer demo workspace in {base}")
    for args in (
        ["demo", "-w", str(base), "--customers", str(customers), "--no-runs"],
        ["run", "-w", str(base), "--refit"],
        ["run", "-w", str(base)],
    ):
        subprocess.run([*KEQUN, *args], check=True, capture_output=True)
    return base


def one_day(ws: Path, day: int, env: dict[str, str]) -> float:
    """Add, import and classify one more day; the run's wall seconds."""
    import duckdb

    target = ws.parent / f"day-{day}.parquet"
    current = (ws / "data" / "CURRENT").read_text().strip()
    con = duckdb.connect(str(ws / "data" / current), read_only=True)
    try:
        quoted = str(target).replace("'", "''")
        con.execute(DAY.format(day=day, target=quoted))
    finally:
        con.close()
    subprocess.run(
        [*KEQUN, "import", "orders", str(target), "-w", str(ws)],
        env=env,
        check=True,
        capture_output=True,
    )
    start = time.perf_counter()
    subprocess.run([*KEQUN, "run", "-w", str(ws)], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        help="NAME=SRC (a source tree put first on PYTHONPATH) or NAME for the installed one",
    )
    args = parser.parse_args()
    trees = [(t.split("=", 1)[0], t.split("=", 1)[1] if "=" in t else None) for t in args.tree]
    trees = trees or [("installed", None)]
    base = prepare(args.customers)
    rows: list[tuple[str, list[float], float]] = []
    for _ in range(args.repeat):
        for name, src in trees:
            copy = base.parent / f"copy-{name}"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
            env = {**os.environ, **({"PYTHONPATH": src} if src else {})}
            seconds = []
            for day in range(args.days):
                seconds.append(one_day(copy, day, env))
                log(f"{name} day {day + 1}: {seconds[-1]:.2f} s")
            rows.append((name, seconds, os.getloadavg()[0]))
    print(
        f"machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}; {args.customers:,} customers, 1 % of the orders "
        "added each day"
    )
    days = range(1, args.days + 1)
    print("| tree | " + " | ".join(f"day {d}" for d in days) + " | load |")
    print("|---|" + "---:|" * (args.days + 1))
    for name, seconds, load in rows:
        print(f"| {name} | " + " | ".join(f"{s:.2f} s" for s in seconds) + f" | {load:.2f} |")


if __name__ == "__main__":
    main()
