"""What the BTYD models know of churn, as of one date: the BG/NBD's expected purchases and
probability of no purchase in a horizon, the MBG/NBD's P(alive), and the summary ``t_x``,
fitted on that date's buyers and added to their rows as :data:`BTYD_FEATURES` for the
churn classifier (:mod:`kequn.models.churn`), which is also judged against them."""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from kequn.models.bgnbd import BetaGeoModel
from kequn.models.mbgnbd import ModifiedBetaGeoModel

#: the closed forms' columns added to the churn model's rows
BTYD_FEATURES = ("btyd_t_x", "btyd_expected", "btyd_p_none", "btyd_p_alive")
#: fewer buyers than this: no fit (and no learned churn model)
MIN_BUYERS = 200

Array = NDArray[np.float64]


@dataclass
class ClosedForms:
    """The BG/NBD (expected purchases, probability of no purchase) and the MBG/NBD
    (P(alive)) fitted as of one date; ``None`` where the fit was not identified."""

    bgnbd: BetaGeoModel | None
    mbgnbd: ModifiedBetaGeoModel | None


def _summaries(table: pa.Table) -> tuple[Array, Array, Array]:
    def column(name: str) -> Array:
        return table[name].cast(pa.float64()).to_numpy(zero_copy_only=False)

    big_t = column("days_since_first_order")
    return column("purchase_days") - 1.0, big_t - column("days_since_last_order"), big_t


def fit_closed_forms(table: pa.Table) -> ClosedForms:
    """BG/NBD and MBG/NBD on the buyers of ``table`` (features as of one date)."""
    x, t_x, big_t = _summaries(table)
    return _fit_closed_forms(x, t_x, big_t, None)


def _fit_closed_forms(x: Array, t_x: Array, big_t: Array, weights: Array | None) -> ClosedForms:
    if (x.size if weights is None else weights.sum()) < MIN_BUYERS:
        return ClosedForms(None, None)
    bgnbd = BetaGeoModel().fit(x, t_x, big_t, weights=weights)
    mbgnbd = ModifiedBetaGeoModel().fit(x, t_x, big_t, weights=weights)
    identified = not bgnbd.unidentified() and not mbgnbd.unidentified()
    return ClosedForms(bgnbd, mbgnbd) if identified else ClosedForms(None, None)


def closed_forms_of(buyers: ir.Table) -> ClosedForms:
    """:func:`fit_closed_forms` on every buyer of ``buyers`` (features of one date), from
    their distinct ``(x, t_x, T)`` and counts: the fits collapse the rows to exactly these
    (:func:`kequn.models.bgnbd.compress`), so nobody's features leave the engine."""
    x = (buyers.purchase_days - 1).cast("float64")
    big_t = buyers.days_since_first_order.cast("float64")
    t_x = big_t - buyers.days_since_last_order.cast("float64")
    summary = buyers.select(x=x, t_x=t_x, T=big_t)
    combos = summary.group_by(["x", "t_x", "T"]).aggregate(n=summary.count()).to_pyarrow()
    x_, t_x_, big_t_, n = (
        combos[c].cast(pa.float64()).to_numpy(zero_copy_only=False) for c in ("x", "t_x", "T", "n")
    )
    return _fit_closed_forms(x_, t_x_, big_t_, n)


def closed_form(
    table: pa.Table, horizon_days: float, models: ClosedForms | None = None
) -> pa.Table:
    """``table`` with :data:`BTYD_FEATURES` added (NaN when the models are not identified).

    ``btyd_p_none`` is the BG/NBD's probability of no purchase in the next
    ``horizon_days``: ``1 − P(alive) + P(alive) ((α+T)/(α+T+h))^(r+x)`` (exact, since a
    BG/NBD customer can drop out only right after a purchase)."""
    models = models or fit_closed_forms(table)
    x, t_x, big_t = _summaries(table)
    nan = np.full(x.size, np.nan)
    expected, p_none, p_alive = nan, nan, nan
    if models.bgnbd is not None and models.mbgnbd is not None and x.size:
        bgnbd = models.bgnbd
        expected = bgnbd.expected_purchases(horizon_days, x, t_x, big_t)
        alive = bgnbd.probability_alive(x, t_x, big_t)
        r, alpha = bgnbd.r_, bgnbd.alpha_
        quiet = np.exp((r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + horizon_days)))
        p_none = 1.0 - alive + alive * quiet
        p_alive = models.mbgnbd.probability_alive(x, t_x, big_t)
    for name, values in zip(BTYD_FEATURES, (t_x, expected, p_none, p_alive), strict=True):
        table = table.append_column(name, pa.array(values, pa.float64()))
    return table
