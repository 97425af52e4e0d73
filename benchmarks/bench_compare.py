"""kequn against a hand-written DuckDB floor and the usual pandas + lifetimes stack.

    python benchmarks/bench_compare.py                      # 100k and 1M customers
    python benchmarks/bench_compare.py --sizes 20000        # quick
    python benchmarks/bench_compare.py --large              # adds 5M customers
    python benchmarks/bench_compare.py --sizes 1000000 --spark --skip floor pandas lifetimes

For each size the demo data is generated once (seed 7, buyers buying 1.4x as often as
in `kequn demo`, so about 10 orders per customer: 100k customers / 1M orders, 1M / 10M,
5M / 50M) and cached under benchmarks/.cache/demo-N/: the Parquet files in data/ and an
imported workspace in ws/.
Then each contender runs as its own process, on the same orders:

    floor              one DuckDB SQL query: per-customer recency, frequency, monetary of
                       paid orders and NTILE(5) scores, written to Parquet
    pandas             the same with pandas: groupby, rank + qcut quintiles, to Parquet
    lifetimes          lifetimes' summary_data_from_transaction_data, BetaGeoFitter,
                       GammaGammaFitter, P(alive) and 12-month CLV, to Parquet
    kequn (no models)  `kequn run --no-models`: all dimensions, no predictive models
    kequn (all)        `kequn run`: all dimensions, BG/NBD, Gamma-Gamma, churn, clusters
    kequn (all, Spark) with --spark: `kequn run --engine spark` (local[2]), then its
                       labels are compared with those of the DuckDB run just before

lifetimes runs in its own virtual environment, benchmarks/.cache/lifetimes-venv, built on
first use from benchmarks/lifetimes-requirements.txt; if that fails its row says why.
Wall seconds and the peak resident memory of each process tree (sampled every 50 ms) are
printed as a markdown table; "x floor" is wall seconds over the floor's at the same size.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pyarrow.parquet as pq

KEQUN = [sys.executable, "-m", "kequn.cli"]
HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
LIFETIMES_VENV = CACHE / "lifetimes-venv"
LIFETIMES_REQUIREMENTS = HERE / "lifetimes-requirements.txt"
SEED = 7
#: about 10 orders per customer, the issue's sizes (1M customers / 10M orders)
PURCHASE_RATE = 1.4
#: lines printed under the table (the Spark label comparison)
NOTES: list[str] = []

# Each contender script takes the orders Parquet file and an output Parquet file.
FLOOR = """
import sys

import duckdb

orders, out = (p.replace("'", "''") for p in sys.argv[1:3])
duckdb.sql(f'''
COPY (
    WITH as_of AS (SELECT max(ordered_at)::DATE AS day FROM read_parquet('{orders}')),
    rfm AS (
        SELECT customer_id,
               (SELECT day FROM as_of) - max(ordered_at)::DATE AS recency_days,
               count(*) AS frequency,
               sum(amount) AS monetary
        FROM read_parquet('{orders}')
        WHERE status = 'paid'
        GROUP BY customer_id
    )
    SELECT *,
           ntile(5) OVER (ORDER BY recency_days DESC) AS r_score,
           ntile(5) OVER (ORDER BY frequency) AS f_score,
           ntile(5) OVER (ORDER BY monetary) AS m_score
    FROM rfm
) TO '{out}' (FORMAT parquet)
''')
"""

PANDAS = """
import sys

import pandas as pd

orders = pd.read_parquet(sys.argv[1], columns=["customer_id", "ordered_at", "amount", "status"])
as_of = orders["ordered_at"].max().normalize()
paid = orders[orders["status"] == "paid"].assign(amount=lambda d: d["amount"].astype("float64"))
rfm = paid.groupby("customer_id").agg(
    last_order=("ordered_at", "max"), frequency=("ordered_at", "size"), monetary=("amount", "sum")
)
rfm["recency_days"] = (as_of - rfm["last_order"].dt.normalize()).dt.days


def quintile(values, ascending=True):
    ranks = values.rank(method="first", ascending=ascending)
    return pd.qcut(ranks, 5, labels=False) + 1


rfm["r_score"] = quintile(rfm["recency_days"], ascending=False)
rfm["f_score"] = quintile(rfm["frequency"])
rfm["m_score"] = quintile(rfm["monetary"])
rfm.drop(columns="last_order").reset_index().to_parquet(sys.argv[2])
"""

LIFETIMES = """
import sys

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

orders = pd.read_parquet(sys.argv[1], columns=["customer_id", "ordered_at", "amount", "status"])
as_of = orders["ordered_at"].max()
paid = orders[orders["status"] == "paid"].assign(amount=lambda d: d["amount"].astype("float64"))
summary = summary_data_from_transaction_data(
    paid, "customer_id", "ordered_at", monetary_value_col="amount",
    observation_period_end=as_of, freq="D",
)
bgf = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
summary["p_alive"] = bgf.conditional_probability_alive(
    summary["frequency"], summary["recency"], summary["T"]
)
summary["clv"] = ggf.customer_lifetime_value(
    bgf, summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"],
    time=12, freq="D", discount_rate=0.01,
)
summary.reset_index().to_parquet(sys.argv[2])
"""


@dataclass
class Row:
    step: str
    customers: int
    orders: int
    seconds: float | None = None
    peak_mib: float | None = None
    reason: str = ""


def measure(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the process tree running ``args``.

    As in bench_pipeline.py, but stderr goes to a file so a chatty process can't block.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errors)
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
            errors.seek(0)
            error = errors.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(args[:4])} failed:\n{error[-2000:]}")
    return seconds, peak / 2**20


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def prepare(size: int) -> tuple[Path, Path, int]:
    """The orders Parquet file, the imported workspace and the order count for ``size``.

    ``kequn demo`` deletes its Parquet files once imported, so the files are generated
    with ``generate_demo`` and imported with ``kequn import``; cached across runs.
    """
    root = CACHE / f"demo-{size}"
    data, ws, ready = root / "data", root / "ws", root / "ready"
    made = f"seed={SEED} purchase_rate={PURCHASE_RATE}\n"
    if not ready.exists() or ready.read_text() != made:
        shutil.rmtree(root, ignore_errors=True)
        log(f"generating and importing {size:,} customers into {root}")
        from kequn.demo import generate_demo

        files = generate_demo(data, size, seed=SEED, purchase_rate=PURCHASE_RATE)
        _check([*KEQUN, "init", "--workspace", str(ws)])
        for table, path in (
            ("customers", files.customers),
            ("orders", files.orders),
            ("events", files.events),
        ):
            _check([*KEQUN, "import", table, str(path), "--workspace", str(ws)])
        ready.write_text(made)
    orders = data / "orders.parquet"
    return orders, ws, pq.ParquetFile(orders).metadata.num_rows


@functools.cache
def lifetimes_python() -> tuple[Path | None, str]:
    """The lifetimes venv's interpreter, built on first use, or None and the reason."""
    python = LIFETIMES_VENV / "bin" / "python"
    probe = [str(python), "-c", "import lifetimes, pyarrow"]
    if python.exists() and _works(probe):
        return python, ""
    log(f"building {LIFETIMES_VENV} from {LIFETIMES_REQUIREMENTS.name}")
    shutil.rmtree(LIFETIMES_VENV, ignore_errors=True)
    try:
        _check([sys.executable, "-m", "venv", str(LIFETIMES_VENV)])
        _check([str(python), "-m", "pip", "install", "-q", "-r", str(LIFETIMES_REQUIREMENTS)])
        _check(probe)
    except RuntimeError as error:
        return None, _reason(error)
    return python, ""


def contenders(
    orders: Path, ws: Path, out: Path, skip: frozenset[str] = frozenset(), spark: bool = False
) -> list[tuple[str, list[str] | str]]:
    """(step, command) pairs; a string in place of a command is why the step can't run."""
    python, reason = (None, "skipped") if "lifetimes" in skip else lifetimes_python()
    lifetimes: list[str] | str = (
        [str(python), "-c", LIFETIMES, str(orders), str(out / "lifetimes.parquet")]
        if python
        else reason
    )
    python_c = [sys.executable, "-c"]
    return [
        ("floor (DuckDB SQL)", [*python_c, FLOOR, str(orders), str(out / "floor.parquet")]),
        ("pandas", [*python_c, PANDAS, str(orders), str(out / "pandas.parquet")]),
        ("lifetimes", lifetimes),
        ("kequn (no models)", [*KEQUN, "run", "--workspace", str(ws), "--no-models"]),
        ("kequn (all)", [*KEQUN, "run", "--workspace", str(ws)]),
        *(
            [("kequn (all, Spark)", [*KEQUN, "run", "--workspace", str(ws), "--engine", "spark"])]
            if spark
            else []
        ),
    ]


def same_labels(ws: Path) -> str:
    """Whether the newest run (Spark) labels every customer as the one before (DuckDB)."""
    import duckdb

    from kequn.core.compute import parquet_glob
    from kequn.snapshots.runs import list_runs
    from kequn.store.workspace import Workspace
    from kequn.taxonomy.model import load_taxonomy

    spark, duck = list_runs(Workspace.open(ws))[:2]
    if (spark.engine, duck.engine, spark.as_of) != ("spark", "duckdb", duck.as_of):
        return f"not compared: the newest runs are {spark.engine} and {duck.engine}"
    taxonomy = load_taxonomy(spark.taxonomy_path)
    columns = taxonomy.label_columns()
    # column names from the run's own taxonomy (checked ids), quoted
    picked = ", ".join(["customer_id", *(f'"{c}"' for c in columns)])
    a, b = parquet_glob(spark.labels_path), parquet_glob(duck.labels_path)
    differ = duckdb.execute(
        f"SELECT (SELECT count(*) FROM (SELECT {picked} FROM read_parquet($a) EXCEPT ALL "
        f"SELECT {picked} FROM read_parquet($b))) + (SELECT count(*) FROM (SELECT {picked} "
        f"FROM read_parquet($b) EXCEPT ALL SELECT {picked} FROM read_parquet($a))), "
        "(SELECT count(*) FROM read_parquet($a))",
        {"a": a, "b": b},
    ).fetchone()
    assert differ is not None
    verdict = "equal" if differ[0] == 0 else f"DIFFERENT ({differ[0]:,} rows differ)"
    return (
        f"Spark labels vs DuckDB's (as of {spark.as_of}): {verdict}, {len(columns)} label "
        f"columns x {differ[1]:,} customers"
    )


def bench(size: int, skip: frozenset[str] = frozenset(), spark: bool = False) -> list[Row]:
    orders, ws, n_orders = prepare(size)
    out = CACHE / f"demo-{size}" / "out"
    out.mkdir(exist_ok=True)
    rows = []
    for step, command in contenders(orders, ws, out, skip, spark):
        row = Row(step, size, n_orders)
        if step.split(" ")[0] in skip:
            row.reason = "skipped (--skip)"
        elif isinstance(command, str):
            row.reason = command
        else:
            log(f"{size:,} customers: {step}")
            try:
                row.seconds, row.peak_mib = measure(command)
            except RuntimeError as error:
                row.reason = _reason(error)
            if "Spark" in step and row.seconds is not None:
                NOTES.append(f"{size:,} customers: {same_labels(ws)}")
        rows.append(row)
    return rows


def table(rows: list[Row]) -> str:
    floors = {r.customers: r.seconds for r in rows if r.step.startswith("floor")}
    lines = [
        "| step | customers | orders | wall s | peak MiB | orders/s | × floor |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.seconds is None or r.peak_mib is None:
            cells = [f"n/a: {r.reason}", "n/a", "n/a", "n/a"]
        else:
            floor = floors.get(r.customers)
            times = f"{r.seconds / floor:.1f}" if floor else "n/a"
            rate = f"{r.orders / r.seconds:,.0f}"
            cells = [f"{r.seconds:.1f}", f"{r.peak_mib:,.0f}", rate, times]
        lines.append(f"| {r.step} | {r.customers:,} | {r.orders:,} | {' | '.join(cells)} |")
    return "\n".join(lines)


def log(message: str) -> None:
    print(f"[bench_compare] {message}", file=sys.stderr, flush=True)


def _check(args: list[str]) -> None:
    done = subprocess.run(args, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed:\n{done.stderr[-2000:]}")


def _works(args: list[str]) -> bool:
    return subprocess.run(args, check=False, capture_output=True).returncode == 0


def _reason(error: RuntimeError) -> str:
    """The last non-empty line of a failure, short enough for a table cell."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return (lines[-1] if lines else "failed")[:120].replace("|", "/")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--large", action="store_true", help="add 5M customers to the sizes")
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        choices=["floor", "pandas", "lifetimes", "kequn"],
        help="contenders to leave out (e.g. pandas and lifetimes at 5M, for memory)",
    )
    parser.add_argument(
        "--spark", action="store_true", help="add `kequn run --engine spark` and compare labels"
    )
    options = parser.parse_args()
    sizes = [*options.sizes, *([5_000_000] if options.large else [])]
    skip = frozenset(options.skip)
    rows = [row for size in dict.fromkeys(sizes) for row in bench(size, skip, options.spark)]
    print(f"machine: {machine()}")
    print(table(rows))
    for note in NOTES:
        print(note)


if __name__ == "__main__":
    main()
