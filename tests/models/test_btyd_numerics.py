"""The BTYD fitters' numerics: they reach the maximum, factorise and deduplicate exactly,
and their compiled loops give the same bits when loaded from numba's on-disk cache."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
import pytest
from scipy.special import gammaln

from kequn.models import bgnbd, mbgnbd
from kequn.models._fit import distinct_rows
from kequn.models._likelihood import factorize
from kequn.models.bgnbd import BetaGeoModel
from kequn.models.gammagamma import GammaGammaModel
from kequn.models.mbgnbd import ModifiedBetaGeoModel

DATA = Path(__file__).parent.parent / "data" / "cdnow"


@pytest.fixture(scope="module")
def cdnow() -> dict[str, np.ndarray]:
    table = pacsv.read_csv(DATA / "cdnow_customers_summary_with_monetary.csv")
    return {name: table[name].to_numpy().astype(float) for name in ("x", "t_x", "T", "zbar")}


def _spend_log_likelihood(params: np.ndarray, x: np.ndarray, z: np.ndarray) -> float:
    p, q, g = params
    keep = (x > 0) & (z > 0)
    x, z = x[keep], z[keep]
    return math.fsum(
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(g)
        + (p * x - 1) * np.log(z)
        + p * x * np.log(x)
        - (p * x + q) * np.log(g + x * z)
    )


@pytest.mark.parametrize("model_class", [BetaGeoModel, ModifiedBetaGeoModel])
def test_bg_family_fits_end_at_the_maximum(
    cdnow: dict[str, np.ndarray], model_class: type[BetaGeoModel]
) -> None:
    """After the Newton polish the gradient is rounding, and no nearby point (each
    parameter moved by a relative 1e-5 either way) has a higher log-likelihood, summed
    exactly from the per-customer formula (not the fitter's own loop)."""
    x, t_x, big_t = cdnow["x"], cdnow["t_x"], cdnow["T"]
    model = model_class().fit(x, t_x, big_t)
    per_row = {BetaGeoModel: bgnbd.log_likelihood, ModifiedBetaGeoModel: mbgnbd.log_likelihood}[
        model_class
    ]
    assert model.gradient_norm_ < 1e-6
    best = model.params_array_
    at_best = math.fsum(per_row(best, x, t_x, big_t))
    assert model.log_likelihood_ == pytest.approx(at_best, abs=1e-6)
    for i in range(best.size):
        for sign in (-1, 1):
            moved = best.copy()
            moved[i] *= 1 + sign * 1e-5
            assert math.fsum(per_row(moved, x, t_x, big_t)) < at_best


def test_gamma_gamma_fit_ends_at_the_maximum(cdnow: dict[str, np.ndarray]) -> None:
    x, z = cdnow["x"], cdnow["zbar"]
    model = GammaGammaModel().fit(x, z)
    assert model.gradient_norm_ < 1e-6
    best = np.array([model.p_, model.q_, model.gamma_])
    at_best = _spend_log_likelihood(best, x, z)
    assert model.log_likelihood_ == pytest.approx(at_best, abs=1e-6)
    for i in range(3):
        for sign in (-1, 1):
            moved = best.copy()
            moved[i] *= 1 + sign * 1e-5
            assert _spend_log_likelihood(moved, x, z) < at_best


def test_an_unidentified_fit_is_left_where_the_optimiser_stopped() -> None:
    """Three customers: the likelihood does not curve up in every direction, so there is
    no Hessian to polish with; the standard errors say the fit is flat."""
    model = BetaGeoModel().fit([0.0, 1.0, 2.0], [0.0, 3.0, 5.0], [10.0, 10.0, 10.0])
    assert any(reason["reason"] in ("flat", "bounds") for reason in model.unidentified())


@pytest.mark.parametrize(
    "column",
    [
        np.array([3.0, 0.0, 7.0, 3.0, 0.0, 12.0]),  # whole numbers: counted
        np.array([0.5, 1.25, 0.5, 3.0]),  # fractions (weeks): sorted
        np.array([-2.0, 5.0, -2.0, 1.0]),  # negatives: sorted
        np.array([1.0, 1e9, 5.0]),  # a range too wide to count
        np.array([], dtype=float),
    ],
)
def test_factorize_is_np_unique(column: np.ndarray) -> None:
    values, codes = factorize(column)
    want_values, want_codes = np.unique(column, return_inverse=True)
    np.testing.assert_array_equal(values, want_values)
    np.testing.assert_array_equal(codes, want_codes.ravel())


@pytest.mark.parametrize("scale", [1.0, 1 / 7])  # days (counted) and weeks (sorted)
def test_distinct_rows_are_np_unique_rows(scale: float) -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(0, 30, 5000).astype(float)
    t_x = np.where(x > 0, rng.integers(0, 400, 5000), 0).astype(float) * scale
    big_t = t_x + rng.integers(0, 50, 5000) * scale
    (xs, t_xs, big_ts), inverse = distinct_rows(x, t_x, big_t)
    want, want_inverse = np.unique(np.stack([x, t_x, big_t]), axis=1, return_inverse=True)
    np.testing.assert_array_equal(np.stack([xs, t_xs, big_ts]), want)
    np.testing.assert_array_equal(inverse, want_inverse.ravel())


@pytest.mark.parametrize("model_class", [BetaGeoModel, ModifiedBetaGeoModel])
def test_expected_purchases_and_clv_per_distinct_pair_equal_per_customer(
    cdnow: dict[str, np.ndarray], model_class: type[BetaGeoModel]
) -> None:
    """E[Y(t)] and the CLV are computed once per distinct (x, T); the same numbers as
    evaluating every customer on their own, as the code did before."""
    x, t_x, big_t, z = cdnow["x"], cdnow["t_x"], cdnow["T"], cdnow["zbar"]
    model = model_class().fit(x, t_x, big_t)
    spend = GammaGammaModel().fit(x, z)

    def per_customer(t: float) -> np.ndarray:
        rows = [
            model.expected_purchases_if_alive(t, x[i : i + 1], big_t[i : i + 1])[0]
            for i in range(x.size)
        ]
        return np.array(rows) * model.probability_alive(x, t_x, big_t)

    np.testing.assert_allclose(
        model.expected_purchases(39.0, x, t_x, big_t), per_customer(39.0), rtol=1e-13
    )
    value = spend.conditional_expected_average_profit(x, z)
    want = np.zeros_like(x)
    previous = np.zeros_like(x)
    for i in range(1, 14):  # 52 / 4.33 is just over 12: a 13th, shorter step
        current = per_customer(min(i * 4.33, 52.0))
        want += value * (current - previous) / 1.01**i
        previous = current
    got = spend.customer_lifetime_value(
        model, x, t_x, big_t, z, horizon=52.0, period=4.33, discount_rate=0.01
    )
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


COMPILED = """
import json
import sys

import numpy as np

from kequn.models import _likelihood
from kequn.models.bgnbd import compress

rng = np.random.default_rng(5)
x = rng.integers(0, 20, 2000).astype(float)
t_x = np.where(x > 0, rng.uniform(1, 50, 2000), 0.0)
big_t = t_x + rng.uniform(0, 20, 2000)
rows = compress(x, t_x, big_t)
data = _likelihood.Factored.of(rows.frequency, rows.recency, rows.T, rows.weights)
results = []
for shape in (_likelihood.BGNBD, _likelihood.MBGNBD):
    value, grad = _likelihood.negative_log_likelihood(np.log([0.3, 5.0, 0.8, 2.5]), data, shape)
    results.append([value.hex(), *(float(g).hex() for g in grad)])
spend = _likelihood.spend_sums(12.5, x + 1, rng.uniform(1, 100, 2000), np.ones(2000))
results.append([float(s).hex() for s in spend])
stats = [_likelihood._compiled_row_sums().stats, _likelihood._compiled_spend_sums().stats]
json.dump({"results": results, "hits": [sum(s.cache_hits.values()) for s in stats],
           "misses": [sum(s.cache_misses.values()) for s in stats]}, sys.stdout)
"""


@pytest.mark.slow
def test_compiled_loops_cached_on_disk_give_the_same_bits(tmp_path: Path) -> None:
    """A CLI process pays numba's compile once: the next process loads the machine code
    from the cache (here a fresh NUMBA_CACHE_DIR, as an installed kequn would use the
    user's cache folder) and computes exactly the same numbers."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}

    def run() -> dict[str, list[list[str]]]:
        done = subprocess.run(
            [sys.executable, "-c", COMPILED], env=env, capture_output=True, text=True, check=True
        )
        return json.loads(done.stdout)

    first, second = run(), run()
    assert (first["misses"], first["hits"]) == ([1, 1], [0, 0])  # compiled
    assert (second["misses"], second["hits"]) == ([0, 0], [1, 1])  # loaded from disk
    assert any((tmp_path / "numba").rglob("*.nbi"))
    assert second["results"] == first["results"]
