"""Predictions as features for the taxonomy: P(alive), expected orders, lifetime value.

With few buyers the fits are checked before they are used (:func:`unidentified_reasons`):
parameters at the optimiser's bounds, a likelihood too flat to determine a parameter, or
too few repeat buyers leave the predictions NULL, so the taxonomy's recency rules decide,
and the run's model info says why.

Expected orders and value come from the BG/NBD + Gamma-Gamma (validated on CDNOW);
P(alive) comes from the modified BG/NBD, which, unlike the BG/NBD, does not call every
one-time buyer certainly alive.

The BG/NBD is fitted on the distinct ``(x, t_x, T)`` rows (in days) pulled once from the
engine, so its cost does not grow with the customer count; Gamma-Gamma on a fixed sample
of repeat buyers. Scoring stays on the engine where the maths allows: P(alive) and the
Gamma-Gamma expected value are closed forms compiled to Ibis. Expected purchases need the
hypergeometric function, so they are computed once per distinct ``(x, t_x, T)`` row and
joined back on the engine.

The BTYD inputs come from the feature table: ``frequency = purchase_days - 1``,
``recency = days_since_first_order - days_since_last_order``, ``T = days_since_first_order``.
For value, each buyer's mean spend per purchase day stands in for the papers' mean of
repeat transactions (the first purchase excluded); the CDNOW validation in
:mod:`kequn.models.report` uses the papers' exact definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from kequn.core.compute import Engine
from kequn.features.btyd import MIN_REPEATERS
from kequn.features.ranks import with_percent_rank

if TYPE_CHECKING:  # imported where fitted: they pull in scipy and scikit-learn
    from kequn.models.bgnbd import BetaGeoModel
    from kequn.models.gammagamma import GammaGammaModel
    from kequn.models.mbgnbd import ModifiedBetaGeoModel

HORIZON_DAYS = 365.0
PERIOD_DAYS = 365.0 / 12
MONTHLY_DISCOUNT = 0.01
GG_SAMPLE = 200_000
MIN_BUYERS = 20


@dataclass
class BtydFit:
    """The fitted BG/NBD (expected orders), MBG/NBD (P(alive)) and Gamma-Gamma (value),
    with the value given to buyers without repeat purchases."""

    bgnbd: BetaGeoModel
    mbgnbd: ModifiedBetaGeoModel
    spend: GammaGammaModel
    population_value: float
    value_basis: str


def btyd_inputs(features: ir.Table) -> ir.Table:
    buyers = features.filter(features.orders > 0)
    return buyers.select(
        "customer_id",
        x=(buyers.purchase_days - 1).cast("float64"),
        t_x=(buyers.days_since_first_order - buyers.days_since_last_order).cast("float64"),
        T=buyers.days_since_first_order.cast("float64"),
        value=(buyers.spend / buyers.purchase_days).cast("float64"),
    )


def _combos(features: ir.Table) -> pa.Table:
    inputs = btyd_inputs(features)
    return inputs.group_by(["x", "t_x", "T"]).aggregate(n=inputs.count()).to_pyarrow()


def unidentified_reasons(
    bgnbd: BetaGeoModel, mbgnbd: ModifiedBetaGeoModel, min_repeaters: float = MIN_REPEATERS
) -> list[dict[str, Any]]:
    """Why the BTYD fits cannot be used (empty when they can), each reason naming its model.

    With few buyers the likelihood runs off to the edge of the parameter space (a
    30-customer shop: r = 1,490, α = 143,000): the maximum exists but says nothing, and
    its P(alive) would decide lifecycle and loyalty on noise."""
    reasons = [{**why, "model": "BG/NBD"} for why in bgnbd.unidentified(min_repeaters)]
    for why in mbgnbd.unidentified():  # the repeat-buyer count is the same data's
        reasons.append({**why, "model": "MBG/NBD"})
    return reasons


def fit_btyd(engine: Engine, features: ir.Table) -> tuple[BtydFit | None, dict[str, Any]]:
    """Fit the BTYD models on the buyers in ``features``; ``None`` (with the reason in the
    info) when there are too few buyers or the fit is not identified."""
    from kequn.models.bgnbd import BetaGeoModel
    from kequn.models.gammagamma import GammaGammaModel
    from kequn.models.mbgnbd import ModifiedBetaGeoModel

    combos = _combos(features)
    if combos.num_rows == 0 or int(pa.compute.sum(combos["n"]).as_py()) < MIN_BUYERS:
        return None, {"status": "skipped: fewer than 20 buyers"}
    x, t_x, big_t, n = (combos[c].to_numpy().astype(float) for c in ("x", "t_x", "T", "n"))
    model = BetaGeoModel().fit(x, t_x, big_t, weights=n)
    # P(alive) from the MBG/NBD: the BG/NBD's is 1 for every one-time buyer
    alive = ModifiedBetaGeoModel().fit(x, t_x, big_t, weights=n)
    info: dict[str, Any] = {
        "status": "fitted",
        "bgnbd": model.params_,
        "bgnbd_log_likelihood": model.log_likelihood_,
        "bgnbd_log_param_se": model.log_param_se_,
        "bgnbd_rows": model.n_rows_,
        "buyers": model.n_customers_,
        "repeat_buyers": model.n_repeaters_,
        "p_alive_model": "MBG/NBD",
        "mbgnbd": alive.params_,
        "mbgnbd_log_param_se": alive.log_param_se_,
    }
    reasons = unidentified_reasons(model, alive)
    if reasons:
        # fall back to the recency rules: P(alive), expected orders and value stay NULL
        notes = [
            {
                "key": "models.unidentified",
                "params": {"buyers": model.n_customers_, "repeaters": model.n_repeaters_},
            }
        ]
        for why in reasons:
            params = {k: v for k, v in why.items() if k != "reason"}
            if "params" in params:
                params["params"] = ", ".join(params["params"])
            notes.append({"key": f"models.unidentified.{why['reason']}", "params": params})
        return None, {**info, "status": "unidentified", "reasons": reasons, "notes": notes}

    inputs = btyd_inputs(features)
    repeat = inputs.filter(inputs.x > 0)
    repeaters = int(engine.scalar(repeat.count()))
    if repeaters > GG_SAMPLE:
        # every k-th repeat buyer in id order: the same sample on every engine (hash
        # functions differ between DuckDB and Spark, so a hash sample would not be)
        step = int(np.ceil(repeaters / GG_SAMPLE))
        numbered = repeat.mutate(_n=ibis.row_number().over(order_by=repeat.customer_id))
        repeat = numbered.filter(numbered._n % step == 0)
    sample = repeat.select("x", "value").to_pyarrow()
    # rows arrive in an engine-dependent order; sorting makes the fit bit-for-bit repeatable
    sample_x, sample_value = sample["x"].to_numpy(), sample["value"].to_numpy()
    order = np.lexsort((sample_value, sample_x))
    spend = GammaGammaModel().fit(sample_x[order], sample_value[order])
    p, q, gamma = spend.p_, spend.q_, spend.gamma_
    # with q <= 1 the fitted spend distribution has no finite mean (heavy tails), so a
    # buyer without repeat purchases is valued at the sample's median instead
    if q > 1:
        population, basis = p * gamma / (q - 1), "gamma-gamma population mean"
    else:
        population, basis = float(np.median(sample_value)), "sample median (q <= 1)"
    info |= {
        "gamma_gamma": spend.params_,
        "gamma_gamma_sample": int(sample.num_rows),
        "value_without_repeats": basis,
        "horizon_days": HORIZON_DAYS,
        "monthly_discount_rate": MONTHLY_DISCOUNT,
    }
    return BtydFit(model, alive, spend, population, basis), info


def score_btyd(features: ir.Table, fit: BtydFit) -> ir.Table:
    """Add ``p_alive``, ``expected_orders_365d``, ``clv_365d`` and ``clv_pct`` from ``fit``."""
    combos = _combos(features)
    if combos.num_rows == 0:
        return without_predictions(features, "btyd")
    x, t_x, big_t = (combos[c].to_numpy().astype(float) for c in ("x", "t_x", "T"))
    model = fit.bgnbd
    expected = model.expected_purchases(HORIZON_DAYS, x, t_x, big_t)
    # twelve monthly steps, each month's purchases discounted (per distinct (x, T))
    factor = model.discounted_purchases(
        x, t_x, big_t, horizon=HORIZON_DAYS, period=PERIOD_DAYS, discount_rate=MONTHLY_DISCOUNT
    )
    scored = ibis.memtable(
        pa.table(
            {
                "x": x,
                "t_x": t_x,
                "T": big_t,
                "expected_orders_365d": expected,
                "discounted_orders_365d": factor,
            }
        )
    )
    p, q, gamma = fit.spend.p_, fit.spend.q_, fit.spend.gamma_
    inputs = btyd_inputs(features)
    joined = inputs.join(scored, ["x", "t_x", "T"])
    value = ibis.cases(
        (joined.x > 0, p * (gamma + joined.x * joined.value) / (p * joined.x + q - 1)),
        else_=fit.population_value,
    )
    per_buyer = joined.select(
        "customer_id",
        p_alive=fit.mbgnbd.probability_alive_expr(joined.x, joined.t_x, joined["T"]),
        expected_orders_365d=joined.expected_orders_365d,
        clv_365d=joined.discounted_orders_365d * value,
    )
    # on Spark without a window over every buyer (one task for all of them at 1M)
    per_buyer = with_percent_rank(per_buyer, "clv_365d", "clv_pct")
    out = features.left_join(per_buyer, "customer_id")
    return out.select(
        *[out[c] for c in features.columns],
        *[out[c] for c in per_buyer.columns if c != "customer_id"],
    )


def add_predictions(engine: Engine, features: ir.Table) -> tuple[ir.Table, dict[str, Any]]:
    """Add ``p_alive``, ``expected_orders_365d``, ``clv_365d`` and ``clv_pct`` to ``features``.

    With too few buyers to fit, or a fit that is not identified, the columns are NULL
    (so the taxonomy's recency rules decide) and the returned info says why.
    """
    fit, info = fit_btyd(engine, features)
    if fit is None:
        return without_predictions(features, "btyd"), info
    return score_btyd(features, fit), info


def without_predictions(features: ir.Table, which: str = "all") -> ir.Table:
    """NULL prediction columns: the BTYD ones, or (``"all"``) every model's."""
    null = ibis.null("float64")
    columns = dict.fromkeys(("p_alive", "expected_orders_365d", "clv_365d", "clv_pct"), null)
    if which == "all":
        columns |= {"churn_risk": null, "cluster": ibis.null("int64")}
    return features.mutate(**columns)
