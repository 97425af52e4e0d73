"""kequn against a hand-written DuckDB floor and the usual pandas + lifetimes stack.

    python benchmarks/bench_compare.py                      # 100k and 1M customers
    python benchmarks/bench_compare.py --sizes 20000        # quick
    python benchmarks/bench_compare.py --large              # adds 5M customers
    python benchmarks/bench_compare.py --sizes 1000000 --spark --skip floor pandas lifetimes
    python benchmarks/bench_compare.py --sizes 1000000 --skip pandas runs daily   # CLV only

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
    kequn clv          exactly the lifetimes row's work with kequn's code (the summary
                       by kequn.models.transactions from the file's dictionary codes,
                       BG/NBD, Gamma-Gamma, P(alive), 12-month CLV) on the same Parquet;
                       its parameters, P(alive) and CLV are compared with lifetimes'
                       under the table
    kequn (no models)  `kequn run --no-models`: all dimensions, no predictive models
    kequn (all)        `kequn run`: all dimensions, BG/NBD, Gamma-Gamma, churn, clusters
                       (the models stored by an earlier run are reused while fresh)
    kequn (all, refit) `kequn run --refit`: the same, every model fitted again
    daily refresh      on a copy of the workspace after the runs above (with its compiled
                       SQL, as a nightly job finds it) refreshed the night before (one
                       day of orders, untimed): the next day's orders (~1% of the
                       history, for existing customers) imported and run by one
                       `kequn import --run`, then the dashboard's overview, a segment
                       page and a customer page with a new order read from the new run
    daily refresh (first night)  the same on the first night after the runs above
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
import shlex
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
import json
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
with open(sys.argv[2] + ".json", "w") as fh:
    json.dump({"bgnbd": {k: float(v) for k, v in bgf.params_.items()},
               "gamma_gamma": {k: float(v) for k, v in ggf.params_.items()}}, fh)
"""

# lifetimes' summary_data_from_transaction_data (freq "D"), then its four steps, with
# kequn's own code: the same definitions, so the same numbers up to the optimiser.
# The summary is not grouped by (customer_id, day) on an engine (9M groups of a string and
# a date): the customer ids are read as the file's dictionary codes, DuckDB reads the day,
# the amount in cents (exact) and whether the order is paid, and summarise_transactions
# makes one counting pass over the codes. The last day of any order, paid or not, is
# lifetimes' observation_period_end.
KEQUN_CLV = """
import json
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kequn.models.bgnbd import BetaGeoModel
from kequn.models.gammagamma import GammaGammaModel
from kequn.models.transactions import dictionary_codes, summarise_transactions

path = sys.argv[1]
# one thread: pyarrow's threads cost more CPU (and, on a busy machine, time) than they save
ids = pq.read_table(
    path, columns=["customer_id"], read_dictionary=["customer_id"], use_threads=False
)["customer_id"]
customer_ids, codes = dictionary_codes(ids)
scale = 10 ** pq.read_schema(path).field("amount").type.scale
orders = duckdb.execute(
    "SELECT ordered_at::DATE AS day, (amount * $scale)::BIGINT AS cents, status = 'paid' AS paid "
    "FROM read_parquet($orders)",  # in the file's order, as the codes
    {"orders": path, "scale": scale},
).to_arrow_table()
day = orders["day"].combine_chunks().view(pa.int32()).to_numpy()
summary = summarise_transactions(
    codes,
    day,
    orders["cents"].combine_chunks().to_numpy(),
    as_of=int(day.max()),
    keep=orders["paid"].combine_chunks().to_numpy(zero_copy_only=False),
    n_customers=len(customer_ids),
    scale=scale,
)
x, t_x, big_t, value = summary.frequency, summary.recency, summary.T, summary.monetary_value
bgf = BetaGeoModel().fit(x, t_x, big_t)
ggf = GammaGammaModel().fit(x, value)  # repeat buyers with a positive value, as lifetimes
p_alive = bgf.probability_alive(x, t_x, big_t)
# lifetimes' time=12, freq="D": twelve 30-day steps, each discounted by 1% a step
clv = ggf.customer_lifetime_value(
    bgf, x, t_x, big_t, value, horizon=360.0, period=30.0, discount_rate=0.01
)
columns = {"customer_id": customer_ids.take(summary.customer), "frequency": x, "recency": t_x,
           "T": big_t, "monetary_value": value, "p_alive": p_alive, "clv": clv}
pq.write_table(pa.table(columns), sys.argv[2])
with open(sys.argv[2] + ".json", "w") as fh:
    json.dump({"bgnbd": bgf.params_, "gamma_gamma": ggf.params_}, fh)
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


def compiled() -> None:
    """kequn's modules compiled to bytecode, as an installed copy has them (and
    ``scripts/setup.sh`` makes them): a timed command then loads each module it imports
    instead of compiling it, which it cannot keep for the next command where the
    environment says PYTHONDONTWRITEBYTECODE (this machine's does): 0.2-0.3 CPU-s a
    command, a new process's cost no installed kequn pays."""
    import compileall

    import kequn

    compileall.compile_dir(str(Path(kequn.__file__).parent), quiet=1)


def prepare(size: int) -> tuple[Path, Path, int]:
    """The orders Parquet file, the imported workspace and the order count for ``size``
    (kequn's modules compiled first: :func:`compiled`).

    ``kequn demo`` deletes its Parquet files once imported, so the files are generated
    with ``generate_demo`` and imported with ``kequn import``; cached across runs.
    """
    compiled()
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
        ("kequn clv", [*python_c, KEQUN_CLV, str(orders), str(out / "kequn-clv.parquet")]),
        ("kequn (no models)", [*KEQUN, "run", "--workspace", str(ws), "--no-models"]),
        ("kequn (all)", [*KEQUN, "run", "--workspace", str(ws)]),
        ("kequn (all, refit)", [*KEQUN, "run", "--workspace", str(ws), "--refit"]),
        ("daily refresh (first night)", DAILY),
        ("daily refresh", DAILY),
        *(
            [("kequn (all, Spark)", [*KEQUN, "run", "--workspace", str(ws), "--engine", "spark"])]
            if spark
            else []
        ),
    ]


#: stands for the daily refresh's command, made (untimed) right before it runs
DAILY = "daily"
#: the daily refresh's new orders, as a share of the orders held
DAILY_SHARE = 0.01


def daily_refresh(ws: Path, out: Path, nights_before: int = 2) -> list[str]:
    """A copy of the workspace (its newest run and lookup files, for the incremental
    build, and its compiled SQL) and one more day of orders, ~1% of the history, each
    for a different existing buyer, a copy of one of their orders moved to the day after
    the latest; one command imports them and runs (``kequn import --run``), as a nightly
    job would, then the dashboard's pages are read.

    ``nights_before``: how many such days the copy was refreshed with first, untimed (the
    same buyers' orders a day later each night): with 2, the night measured is the
    third of a workspace refreshed nightly, the first of the shape every later night
    has: its feature state a base and the nights' delta, and the night before's queries
    in its SQL cache. The second night still finds a state without a delta, and
    compiles the queries adding one (0.3 s at 1M); with 0, the first night after a full
    run (the queries of the refresh compiled then: 0.3-1 s)."""
    import duckdb

    copy = out / "daily-ws"
    shutil.rmtree(copy, ignore_errors=True)
    newest = max((ws / "runs").iterdir(), key=lambda p: p.name) if (ws / "runs").is_dir() else None

    def skip(folder: str, names: list[str]) -> list[str]:
        if Path(folder) == ws / "runs":
            return [n for n in names if newest is None or n != newest.name]
        if Path(folder) == ws / ".tmp":
            # a nightly job finds the SQL its workspace compiled the day before; the
            # rest of .tmp is scratch
            return [n for n in names if n != "sql"]
        return [n for n in names if n == ".cache"]

    shutil.copytree(ws, copy, ignore=skip)
    day_file = out / "daily-orders.parquet"
    current = (ws / "data" / "CURRENT").read_text().strip()
    con = duckdb.connect(str(ws / "data" / current), read_only=True)
    try:
        # our own paths (COPY takes no parameters)
        target = str(day_file).replace("'", "''")
        con.execute(
            "CREATE TEMP TABLE latest AS SELECT max(ordered_at)::DATE + 1 AS day, "
            "round(count(*) * ?)::BIGINT AS n FROM orders",
            [DAILY_SHARE],
        )
        con.execute(
            f"COPY (SELECT o.customer_id, 'D-' || o.order_id AS order_id, "
            "(SELECT day FROM latest) + (hash(o.order_id) % 86400) * INTERVAL 1 SECOND "
            "AS ordered_at, o.amount, o.quantity, o.discount, o.channel, 'paid' AS status "
            "FROM orders o WHERE o.customer_id IN (SELECT customer_id FROM "
            "(SELECT DISTINCT customer_id FROM orders) ORDER BY hash(customer_id) "
            "LIMIT (SELECT n FROM latest)) "
            "QUALIFY row_number() OVER (PARTITION BY o.customer_id ORDER BY o.order_id) = 1) "
            f"TO '{target}' (FORMAT PARQUET)"
        )
    finally:
        con.close()
    for night in range(1, nights_before + 1):
        # one night's refresh, untimed, then the next night's orders: the same a day later
        nightly = [*KEQUN, "import", "orders", str(day_file), "--workspace", str(copy), "--run"]
        subprocess.run(nightly, check=True, capture_output=True)
        later = out / f"daily-orders-{night + 1}.parquet"
        source, target = (str(p).replace("'", "''") for p in (day_file, later))
        duckdb.execute(
            f"COPY (SELECT * REPLACE ('N{night}-' || order_id AS order_id, "
            f"ordered_at + INTERVAL 1 DAY AS ordered_at) FROM read_parquet('{source}')) "
            f"TO '{target}' (FORMAT PARQUET)"
        )
        day_file = later
    first = pq.read_table(day_file, columns=["customer_id", "order_id"]).slice(0, 1).to_pylist()
    rows = pq.ParquetFile(day_file).metadata.num_rows
    NOTES.append(
        f"daily refresh: {rows:,} new orders on one day, imported and run, then the "
        "dashboard's overview, a segment's first page and a customer page with a new "
        "order read from the new run, as the server would answer them; "
        f"after {nights_before} such night(s) refreshed first, untimed"
    )
    shown = [sys.executable, "-c", DASHBOARD, str(copy), first[0]["customer_id"]]
    # one command imports and runs (``import --run``), as a nightly job would
    nightly = [*KEQUN, "import", "orders", str(day_file), "--workspace", str(copy), "--run"]
    script = f"{shlex.join(nightly)} && {shlex.join([*shown, first[0]['order_id']])}"
    return ["sh", "-c", script]


#: the end of the daily refresh: the pages a shop owner opens next, from the new run
#: (the server answers them the same way; it builds the run's lookup files after)
DASHBOARD = """
import sys
from pathlib import Path

from kequn.snapshots import lookup, read
from kequn.store.workspace import Workspace

ws = Workspace.open(Path(sys.argv[1]))
run = lookup.ready_run(ws)
overview = read.segments(run, "lifecycle")
label = max(run.counts["lifecycle"], key=lambda k: run.counts["lifecycle"][k])
page = read.members(run, "lifecycle", label)
customer = read.profile(run, sys.argv[2], "zh")
if customer is None or customer["orders"][0]["order_id"] != sys.argv[3] or not page["rows"]:
    sys.exit("the dashboard does not show the new run")
"""


def clv_agreement(out: Path) -> str:
    """How far kequn's CLV row is from lifetimes': parameters, P(alive), CLV."""
    import json

    import duckdb

    a, b = out / "kequn-clv.parquet", out / "lifetimes.parquet"
    if not (a.exists() and b.exists()):
        return "kequn clv vs lifetimes: not compared (a row did not run)"
    ours = json.loads(Path(f"{a}.json").read_text())
    theirs = json.loads(Path(f"{b}.json").read_text())
    names = {"v": "gamma"}  # lifetimes' name for Gamma-Gamma's scale
    params = max(
        abs(ours[m][names.get(k, k)] - v) / max(abs(v), 1e-12)
        for m in ("bgnbd", "gamma_gamma")
        for k, v in theirs[m].items()
    )
    found = duckdb.execute(
        "SELECT count(*), max(abs(k.p_alive - l.p_alive)), max(abs(k.clv - l.clv)), "
        "max(abs(k.clv - l.clv) / greatest(abs(l.clv), 1e-9)), "
        "max(abs(k.frequency - l.frequency) + abs(k.recency - l.recency) + abs(k.T - l.T) "
        "+ abs(k.monetary_value - l.monetary_value)) "
        "FROM read_parquet($a) k JOIN read_parquet($b) l USING (customer_id)",
        {"a": str(a), "b": str(b)},
    ).fetchone()
    assert found is not None
    n, alive, clv, clv_rel, inputs = found
    verdict = "within 1e-6" if max(params, alive, clv_rel) <= 1e-6 else "NOT within 1e-6"
    ours_fit, theirs_fit = _log_likelihoods(a, ours), _log_likelihoods(a, theirs)
    models = ("BG/NBD", "Gamma-Gamma")
    distance = "; ".join(
        f"{name} kequn {o[0]:.4f} (|gradient| {o[1]:.1e}), lifetimes {t[0]:.4f} "
        f"(|gradient| {t[1]:.1e}), difference {o[0] - t[0]:+.1e}"
        for name, o, t in zip(models, ours_fit, theirs_fit, strict=True)
    )
    return (
        f"kequn clv vs lifetimes ({n:,} customers): {verdict}; parameters max relative "
        f"difference {params:.2e}, P(alive) max |difference| {alive:.2e}, CLV max |difference| "
        f"{clv:.2e} (relative {clv_rel:.2e}); summary inputs max |difference| {inputs:.2e}. "
        f"How far each fit is from the maximum likelihood: the total log-likelihood at its "
        f"parameters on the same data (summed exactly) and the norm of its gradient in the "
        f"log-parameters (0 at the maximum): {distance}"
    )


def _log_likelihoods(
    summary: Path, fitted: dict[str, dict[str, float]]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The BG/NBD's and the Gamma-Gamma's total log-likelihood of ``fitted`` on the
    summary, each with the norm of its gradient in the log-parameters.

    The log-likelihoods are the per-customer formulas summed with ``math.fsum`` (so a
    difference of 1e-7 in 3e7 is not rounding); the gradients are kequn's analytic ones.
    """
    import math

    import numpy as np
    from scipy.special import gammaln

    from kequn.models._fit import compress
    from kequn.models._likelihood import BGNBD, Factored, negative_log_likelihood
    from kequn.models.bgnbd import log_likelihood
    from kequn.models.gammagamma import SpendData
    from kequn.models.gammagamma import negative_log_likelihood as spend_nll

    table = pq.read_table(summary, columns=["frequency", "recency", "T", "monetary_value"])
    x, t_x, big_t, z = (table[c].to_numpy() for c in table.column_names)
    bg = fitted["bgnbd"]
    bg_params = np.array([bg["r"], bg["alpha"], bg["a"], bg["b"]])
    bg_ll = math.fsum(log_likelihood(bg_params, x, t_x, big_t))
    rows = compress(x, t_x, big_t)
    factored = Factored.of(rows.frequency, rows.recency, rows.T, rows.weights)
    _, bg_grad = negative_log_likelihood(np.log(bg_params), factored, BGNBD)
    gg = fitted["gamma_gamma"]
    p, q, g = gg["p"], gg["q"], gg.get("gamma", gg.get("v", 0.0))
    spend = SpendData.of(x, z)
    _, gg_grad = spend_nll(np.log([p, q, g]), spend)
    keep = (x > 0) & (z > 0)
    x, z = x[keep], z[keep]
    gg_ll = math.fsum(
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(g)
        + (p * x - 1) * np.log(z)
        + p * x * np.log(x)
        - (p * x + q) * np.log(g + x * z)
    )
    return (
        (bg_ll, float(np.linalg.norm(bg_grad)) * float(rows.weights.sum())),
        (gg_ll, float(np.linalg.norm(gg_grad)) * spend.total),
    )


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
        if skip_keys(step) & skip:
            row.reason = "skipped (--skip)"
        elif isinstance(command, str) and command != DAILY:
            row.reason = command
        else:
            log(f"{size:,} customers: {step}")
            try:
                nights = 0 if "first night" in step else 2
                args = daily_refresh(ws, out, nights) if command == DAILY else command
                assert not isinstance(args, str)
                row.seconds, row.peak_mib = measure(args)
            except RuntimeError as error:
                row.reason = _reason(error)
            if "Spark" in step and row.seconds is not None:
                NOTES.append(f"{size:,} customers: {same_labels(ws)}")
            if step == "kequn clv":
                NOTES.append(f"{size:,} customers: {clv_agreement(out)}")
        rows.append(row)
    return rows


def skip_keys(step: str) -> frozenset[str]:
    """The --skip keys that leave ``step`` out: its first word (``kequn`` is every kequn
    row), and ``clv`` for the kequn clv row or ``runs`` for the `kequn run` rows."""
    first = step.split(" ", maxsplit=1)[0]
    if first != "kequn":
        return frozenset({first})
    return frozenset({first, "clv" if step == "kequn clv" else "runs"})


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
        choices=["floor", "pandas", "lifetimes", "kequn", "clv", "runs", "daily"],
        help="contenders to leave out (e.g. pandas and lifetimes at 5M, for memory); kequn "
        "is every kequn row, clv only kequn clv, runs only the `kequn run` rows",
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
