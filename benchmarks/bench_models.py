"""Fitting time of the BTYD models on simulated customers, as the run fits them.

    python benchmarks/bench_models.py                   # 1M customers
    python benchmarks/bench_models.py --customers 100000 5000000
    python benchmarks/bench_models.py --run /tmp/x      # a run refitting, then reusing

Customers are simulated from a BG/NBD with known parameters (r=0.8, α=60 days, a=0.6,
b=3), observed for 1 to 1,095 days, in whole days as kequn's features give them: that is
hundreds of thousands of distinct (x, t_x, T) rows at a million customers, the hard case
for the fitter. Spend per transaction is Gamma-Gamma (p=6, q=3.7, γ=15). Each fit is
timed on its own, after one warm-up fit (which loads the compiled likelihood from its
cache); "recovered" shows the estimates, which should be near the simulated values.

With ``--run WORKSPACE`` (e.g. made by ``kequn demo -w /tmp/x --customers 100000``) it
times instead one ``kequn run`` that fits and stores every model (``--refit``) and one
that scores with the stored models, in this process (start-up not counted).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from kequn.models.bgnbd import BetaGeoModel, compress
from kequn.models.gammagamma import GammaGammaModel
from kequn.models.mbgnbd import ModifiedBetaGeoModel
from kequn.models.predict import GG_SAMPLE


def simulate(n: int, seed: int = 7) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.8, 1 / 60.0, n)
    drop = rng.beta(0.6, 3.0, n)
    big_t = rng.integers(1, 1096, n).astype(float)
    x = np.zeros(n)
    t_x = np.zeros(n)
    clock = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        clock[idx] += rng.exponential(1 / rate[idx])
        over = clock[idx] > big_t[idx]
        alive[idx[over]] = False
        buying = idx[~over]
        x[buying] += 1
        t_x[buying] = np.floor(clock[buying])
        alive[buying[rng.random(buying.size) < drop[buying]]] = False
    t_x = np.minimum(t_x, big_t)
    t_x[x == 0] = 0
    # the mean of x transactions of Gamma(p, ν) value is Gamma(p x, ν x)
    nu = rng.gamma(3.7, 1 / 15.0, n)
    repeats = np.maximum(x, 1)
    spend = rng.gamma(6.0 * repeats, 1 / (nu * repeats))
    return x, t_x, big_t, spend


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--run", metavar="WORKSPACE", help="time runs with and without refit")
    options = parser.parse_args()
    if options.run:
        time_runs(options.run)
        return
    warm_x, warm_tx, warm_t, _ = simulate(2000, seed=1)
    BetaGeoModel().fit(warm_x, warm_tx, warm_t)
    ModifiedBetaGeoModel().fit(warm_x, warm_tx, warm_t)
    print("| customers | distinct (x, t_x, T) | step | seconds | recovered |")
    print("|---:|---:|---|---:|---|")
    for n in options.customers:
        x, t_x, big_t, spend = simulate(n)
        started = time.perf_counter()
        rows = compress(x, t_x, big_t)
        squeeze = time.perf_counter() - started
        started = time.perf_counter()
        bg = BetaGeoModel().fit(rows.frequency, rows.recency, rows.T, weights=rows.weights)
        bg_seconds = time.perf_counter() - started
        started = time.perf_counter()
        mbg = ModifiedBetaGeoModel().fit(rows.frequency, rows.recency, rows.T, rows.weights)
        mbg_seconds = time.perf_counter() - started
        repeat = np.flatnonzero(x > 0)
        sample = repeat[:: max(1, int(np.ceil(repeat.size / GG_SAMPLE)))]
        started = time.perf_counter()
        gg = GammaGammaModel().fit(x[sample], spend[sample])
        gg_seconds = time.perf_counter() - started
        distinct = rows.frequency.size

        def show(params: dict[str, float]) -> str:
            return ", ".join(f"{k}={v:.3g}" for k, v in params.items())

        print(f"| {n:,} | {distinct:,} | distinct rows from customers | {squeeze:.2f} | |")
        print(f"| {n:,} | {distinct:,} | BG/NBD fit | {bg_seconds:.2f} | {show(bg.params_)} |")
        print(f"| {n:,} | {distinct:,} | MBG/NBD fit | {mbg_seconds:.2f} | {show(mbg.params_)} |")
        print(
            f"| {n:,} | {sample.size:,} repeat buyers | Gamma-Gamma fit | {gg_seconds:.2f} "
            f"| {show(gg.params_)} |"
        )
        total = squeeze + bg_seconds + gg_seconds
        print(f"| {n:,} | | **BG/NBD + Gamma-Gamma, total** | **{total:.2f}** | |")


def time_runs(root: str) -> None:
    from kequn.pipeline import run
    from kequn.store.workspace import Workspace

    ws = Workspace.open(root)
    print("| run | seconds | models |")
    print("|---|---:|---|")
    for label, refit in (("refit every model", True), ("stored models", False)):
        started = time.perf_counter()
        info = run(ws, refit=refit)
        stored = (info.models or {}).get("stored", {})
        what = "reused " + ", ".join(stored["reused"]) if stored.get("reused") else "fitted"
        seconds = time.perf_counter() - started
        print(f"| {label} ({info.customers:,} customers) | {seconds:.1f} | {what} |")


if __name__ == "__main__":
    main()
