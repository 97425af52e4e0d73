"""BG/NBD and Gamma-Gamma against the published CDNOW results and independent closed forms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis
import mpmath
import numpy as np
import pyarrow.csv as pacsv
import pytest
from scipy.optimize import approx_fprime, minimize
from scipy.special import gammaln
from sklearn.base import clone

from kequn.features.btyd import btyd_summary
from kequn.models import _likelihood, bgnbd, mbgnbd
from kequn.models.bgnbd import BetaGeoModel, compress
from kequn.models.gammagamma import GammaGammaModel
from kequn.models.mbgnbd import ModifiedBetaGeoModel
from kequn.models.report import clv_holdout_report

DATA = Path(__file__).parent.parent / "data" / "cdnow"
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def summary() -> dict[str, np.ndarray]:
    table = pacsv.read_csv(DATA / "cdnow_customers_summary_with_monetary.csv")
    return {name: table[name].to_numpy().astype(float) for name in ("ID", "x", "t_x", "T", "zbar")}


@pytest.fixture(scope="module")
def fitted(summary: dict[str, np.ndarray]) -> BetaGeoModel:
    return BetaGeoModel().fit(summary["x"], summary["t_x"], summary["T"])


def published() -> BetaGeoModel:
    model = BetaGeoModel()
    model.r_, model.alpha_, model.a_, model.b_ = PUBLISHED.values()
    return model


def test_reproduces_the_published_bgnbd_estimates(fitted: BetaGeoModel) -> None:
    for name, value in PUBLISHED.items():
        assert fitted.params_[name] == pytest.approx(value, rel=0.005), name
    assert fitted.log_likelihood_ == pytest.approx(-9582.4, abs=0.5)


def test_fits_on_distinct_combinations(
    summary: dict[str, np.ndarray], fitted: BetaGeoModel
) -> None:
    assert fitted.n_rows_ < len(summary["x"])  # fewer rows than customers
    assert fitted.n_customers_ == len(summary["x"])


def test_reproduces_the_published_gamma_gamma_estimates(summary: dict[str, np.ndarray]) -> None:
    model = GammaGammaModel().fit(summary["x"], summary["zbar"])
    for name, value in PUBLISHED_GG.items():
        assert model.params_[name] == pytest.approx(value, rel=0.005), name


def _closed_form(
    params: dict[str, float], t: float, x: float, t_x: float, big_t: float
) -> tuple[float, float]:
    """Eq. 10 and P(alive) of Fader, Hardie & Lee (2005), evaluated with mpmath."""
    mpmath.mp.dps = 40
    r, alpha, a, b = (mpmath.mpf(params[k]) for k in ("r", "alpha", "a", "b"))
    x, t_x, big_t, t = (mpmath.mpf(v) for v in (x, t_x, big_t, t))
    delta = 1 if x > 0 else 0
    odds = delta * a / (b + x - 1) * ((alpha + big_t) / (alpha + t_x)) ** (r + x) if delta else 0
    alive = 1 / (1 + odds)
    hyp = mpmath.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + big_t + t))
    expected = (
        (a + b + x - 1) / (a - 1) * (1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp)
    )
    return float(expected * alive), float(alive)


CUSTOMERS = [
    (0, 0.0, 38.86),
    (1, 1.71, 38.86),
    (2, 30.43, 38.86),
    (7, 29.43, 35.0),
    (20, 30.0, 32.0),
    (3, 5.0, 38.0),
    (50, 36.0, 38.0),
    (500, 38.0, 38.5),
]


@pytest.mark.parametrize(("x", "t_x", "big_t"), CUSTOMERS)
def test_conditional_expectations_match_an_independent_closed_form(
    fitted: BetaGeoModel, x: int, t_x: float, big_t: float
) -> None:
    want_expected, want_alive = _closed_form(fitted.params_, 39.0, x, t_x, big_t)
    got_expected = fitted.expected_purchases(39.0, [x], [t_x], [big_t])[0]
    got_alive = fitted.probability_alive([x], [t_x], [big_t])[0]
    assert got_expected == pytest.approx(want_expected, rel=1e-6)
    assert got_alive == pytest.approx(want_alive, rel=1e-6)


def test_alive_expression_on_the_engine_matches_numpy(fitted: BetaGeoModel) -> None:
    x, t_x, big_t = (np.array(v, dtype=float) for v in zip(*CUSTOMERS, strict=True))
    table = ibis.memtable({"x": x, "t_x": t_x, "T": big_t})
    got = (
        ibis.duckdb.connect()
        .to_pyarrow(table.select(p=fitted.probability_alive_expr(table.x, table.t_x, table["T"])))[
            "p"
        ]
        .to_numpy()
    )
    np.testing.assert_allclose(got, fitted.probability_alive(x, t_x, big_t), rtol=1e-9)


def test_summary_from_raw_transactions_matches_the_papers(summary: dict[str, np.ndarray]) -> None:
    orders = ibis.duckdb.connect().read_csv(str(DATA / "cdnow_sample_transactions.csv"))
    orders = orders.select(
        customer_id=orders.customer_id, order_date=orders.date.cast("date"), amount=orders.amount
    )
    ours = (
        btyd_summary(orders, dt.date(1997, 9, 30), unit_days=7).order_by("customer_id").to_pyarrow()
    )
    assert ours.num_rows == len(summary["x"])
    np.testing.assert_array_equal(ours["customer_id"].to_numpy(), summary["ID"])
    np.testing.assert_array_equal(ours["frequency"].to_numpy(), summary["x"])
    np.testing.assert_allclose(ours["recency"].to_numpy(), summary["t_x"], atol=0.006)
    np.testing.assert_allclose(ours["T"].to_numpy(), summary["T"], atol=0.006)
    np.testing.assert_allclose(ours["monetary_value"].to_numpy(), summary["zbar"], atol=0.006)


def test_holdout_report_gives_the_models_own_numbers() -> None:
    report = clv_holdout_report(DATA / "cdnow_sample_transactions.csv", dt.date(1997, 9, 30))
    assert report.customers == 2357
    assert report.actual_holdout == 1882
    # the model under-forecasts CDNOW's holdout by about 12%; we report that, not a tuned number
    assert report.predicted_holdout == pytest.approx(1653.4, abs=1.0)
    assert report.weekly[-1]["predicted"] == pytest.approx(report.predicted_holdout)
    assert report.weekly[-1]["actual"] == report.actual_holdout
    assert [row["calibration_repeats"] for row in report.by_frequency] == [
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7+",
    ]
    assert sum(row["customers"] for row in report.by_frequency) == 2357


def test_published_parameters_predict_the_papers_holdout(summary: dict[str, np.ndarray]) -> None:
    predicted = (
        published().expected_purchases(39.0, summary["x"], summary["t_x"], summary["T"]).sum()
    )
    assert predicted == pytest.approx(1654, abs=1.0)


def _auc(score: np.ndarray, label: np.ndarray) -> float:
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    for value in np.unique(score):  # average ranks of ties
        tie = score == value
        ranks[tie] = ranks[tie].mean()
    positives = label.sum()
    return float(
        (ranks[label].sum() - positives * (positives + 1) / 2)
        / (positives * (len(label) - positives))
    )


def test_bgnbd_p_alive_quirk_and_expected_purchases_ranking(
    summary: dict[str, np.ndarray], fitted: BetaGeoModel
) -> None:
    report_orders = ibis.duckdb.connect().read_csv(str(DATA / "cdnow_sample_transactions.csv"))
    later = report_orders.filter(report_orders.date.cast("date") > dt.date(1997, 9, 30))
    buyers = set(later.customer_id.to_pyarrow().to_pylist())
    bought = np.array([int(i) in buyers for i in summary["ID"]])
    alive = fitted.probability_alive(summary["x"], summary["t_x"], summary["T"])
    expected = fitted.expected_purchases(39.0, summary["x"], summary["t_x"], summary["T"])
    assert _auc(alive, bought) < 0.5  # one-time buyers all get P(alive) = 1: ranks backwards
    assert _auc(expected, bought) > 0.74


def test_edge_cases() -> None:
    with pytest.raises(ValueError, match="no customers"):
        BetaGeoModel().fit([], [], [])
    with pytest.raises(ValueError, match="recency"):
        BetaGeoModel().fit([1], [5], [3])
    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, 400).astype(float)
    x[:3] = [500, 300, 120]
    t_x = np.where(x > 0, rng.uniform(1, 30, 400), 0.0)
    model = BetaGeoModel().fit(x, t_x, np.full(400, 40.0))
    values = model.expected_purchases(10, x, t_x, np.full(400, 40.0))
    assert np.all(np.isfinite(values))
    assert np.all(np.isfinite(model.probability_alive(x, t_x, np.full(400, 40.0))))
    spend = GammaGammaModel().fit([1, 2, 3, 0, 2], [10.0, 0.0, 30.0, 0.0, 20.0])  # zeros left out
    assert np.all(np.isfinite(spend.conditional_expected_average_profit([0, 2], [0.0, 25.0])))
    with pytest.raises(ValueError, match="at least two"):
        GammaGammaModel().fit([0, 0], [0.0, 0.0])


def test_compress_sums_weights() -> None:
    data = compress([0, 0, 1], [0, 0, 2], [5, 5, 5])
    assert data.weights.tolist() == [2.0, 1.0]


def test_clv_is_discounted_and_positive(
    summary: dict[str, np.ndarray], fitted: BetaGeoModel
) -> None:
    spend = GammaGammaModel().fit(summary["x"], summary["zbar"])
    args = (fitted, summary["x"], summary["t_x"], summary["T"], summary["zbar"])
    near = spend.customer_lifetime_value(*args, horizon=52, period=4.33, discount_rate=0.01)
    flat = spend.customer_lifetime_value(*args, horizon=52, period=4.33, discount_rate=0.0)
    assert np.all(near >= 0)
    assert np.all(near <= flat + 1e-9)
    assert near.sum() < flat.sum()


def test_modified_bgnbd_matches_lifetimes_and_ranks_one_time_buyers(
    summary: dict[str, np.ndarray],
) -> None:
    model = ModifiedBetaGeoModel().fit(summary["x"], summary["t_x"], summary["T"])
    # lifetimes 0.11.3 ModifiedBetaGeoFitter on the same summary gives these (an independent
    # implementation, run once and recorded)
    reference = {"r": 0.524838, "alpha": 6.182988, "a": 0.891356, "b": 1.614000}
    for name, value in reference.items():
        assert model.params_[name] == pytest.approx(value, rel=1e-3), name
    alive = model.probability_alive(summary["x"], summary["t_x"], summary["T"])
    one_time = summary["x"] == 0
    assert np.all(alive[one_time] < 1)  # unlike the BG/NBD
    older = model.probability_alive([0, 0], [0, 0], [10, 40])
    assert older[1] < older[0]  # the longer ago the one purchase, the less likely alive
    orders = ibis.duckdb.connect().read_csv(str(DATA / "cdnow_sample_transactions.csv"))
    later = orders.filter(orders.date.cast("date") > dt.date(1997, 9, 30))
    buyers = set(later.customer_id.to_pyarrow().to_pylist())
    bought = np.array([int(i) in buyers for i in summary["ID"]])
    assert _auc(alive, bought) > 0.65  # ≈ 0.69, against < 0.5 for the BG/NBD's P(alive)
    table = ibis.memtable(
        {"x": summary["x"][:50], "t_x": summary["t_x"][:50], "T": summary["T"][:50]}
    )
    expr = model.probability_alive_expr(table.x, table.t_x, table["T"])
    got = ibis.duckdb.connect().to_pyarrow(table.select(p=expr))["p"].to_numpy()
    np.testing.assert_allclose(got, alive[:50], rtol=1e-9)


@pytest.mark.parametrize("shape_name", ["BGNBD", "MBGNBD"])
def test_analytic_gradient_matches_finite_differences(
    summary: dict[str, np.ndarray], shape_name: str
) -> None:
    shape = getattr(_likelihood, shape_name)
    per_row = {"BGNBD": bgnbd.log_likelihood, "MBGNBD": mbgnbd.log_likelihood}[shape_name]
    x, t_x, T = summary["x"], summary["t_x"], summary["T"]
    data = compress(x, t_x, T)
    factored = _likelihood.Factored.of(data.frequency, data.recency, data.T, data.weights)
    for params in ([0.243, 4.414, 0.793, 2.426], [1.7, 30.0, 0.2, 9.0]):
        log_params = np.log(params)
        value, grad = _likelihood.negative_log_likelihood(log_params, factored, shape)
        # the fused loop agrees with the per-row formula ...
        assert value == pytest.approx(-per_row(params, x, t_x, T).mean(), rel=1e-12)
        # ... and its gradient with finite differences of that value
        numeric = approx_fprime(
            log_params,
            lambda v: _likelihood.negative_log_likelihood(v, factored, shape)[0],
            1e-7,
        )
        np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-7)


def test_gamma_gamma_gradient_fit_matches_a_derivative_free_fit(
    summary: dict[str, np.ndarray],
) -> None:
    x, z = summary["x"], summary["zbar"]
    keep = (x > 0) & (z > 0)
    x, z = x[keep], z[keep]

    def nll(log_params: np.ndarray) -> float:
        p, q, g = np.exp(log_params)
        ll = (
            gammaln(p * x + q)
            - gammaln(p * x)
            - gammaln(q)
            + q * np.log(g)
            + (p * x - 1) * np.log(z)
            + p * x * np.log(x)
            - (p * x + q) * np.log(g + x * z)
        )
        return float(-ll.sum())

    reference = minimize(
        nll,
        np.log([1.0, 1.0, 30.0]),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
    )
    model = GammaGammaModel().fit(x, z)
    np.testing.assert_allclose([model.p_, model.q_, model.gamma_], np.exp(reference.x), rtol=1e-4)
    assert model.log_likelihood_ == pytest.approx(-reference.fun, rel=1e-9)


def test_models_follow_the_estimator_contract() -> None:
    for model in (BetaGeoModel(penalizer=0.01), ModifiedBetaGeoModel(), GammaGammaModel()):
        copy = clone(model)
        assert copy.get_params() == model.get_params()
        assert copy is not model
