"""Gamma-Gamma: what a customer's purchases are worth, and their lifetime value.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: Using Iso-Value Curves
for Customer Base Analysis. *Journal of Marketing Research* 42(4), 415-430; and Fader &
Hardie (2013), "The Gamma-Gamma Model of Monetary Value".

A customer's transaction values are Gamma(p, ν) around their own mean, and ν ~ Gamma(q, γ)
across customers. Fitted on customers with repeat purchases (``x > 0``) and a positive
mean repeat value ``z̄``:

.. math::

    \\ell = \\ln\\Gamma(px+q) - \\ln\\Gamma(px) - \\ln\\Gamma(q) + q\\ln\\gamma
            + (px-1)\\ln \\bar z + px\\ln x - (px+q)\\ln(\\gamma + x\\bar z)

and the expected value of a customer's transactions is ``p (γ + x z̄) / (p x + q - 1)``.
Customers without repeat purchases, or with zero value, carry no information about their
own spend and are left out of the fit (they get the population mean ``p γ / (q - 1)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, gammaln

from kequn.models._fit import BetaGeoFamily, Estimator, minimise_log_params
from kequn.models._likelihood import spend_sums

Array = NDArray[np.float64]


@dataclass(frozen=True)
class SpendData:
    """The fit's sample (repeat buyers with a positive value) and its per-``x`` terms."""

    x: Array
    value: Array
    weights: Array
    xs: Array
    weights_by_x: Array
    total: float
    wx_log_z: float
    w_log_z: float

    @classmethod
    def of(
        cls, frequency: ArrayLike, monetary_value: ArrayLike, weights: ArrayLike | None = None
    ) -> SpendData:
        x = np.asarray(frequency, dtype=float)
        z = np.asarray(monetary_value, dtype=float)
        w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
        keep = (x > 0) & (z > 0)
        if keep.sum() < 2:
            raise ValueError(
                "Gamma-Gamma needs at least two customers with repeat purchases of positive value"
            )
        x, z, w = x[keep], z[keep], w[keep]
        xs, xi = np.unique(x, return_inverse=True)
        log_z = np.log(z)
        return cls(
            x=x,
            value=z,
            weights=w,
            xs=xs,
            weights_by_x=np.bincount(xi.ravel(), weights=w).astype(float),
            total=float(w.sum()),
            wx_log_z=float((w * x * log_z).sum()),
            w_log_z=float((w * log_z).sum()),
        )


def negative_log_likelihood(
    log_params: Array, data: SpendData, penalizer: float = 0.0
) -> tuple[float, Array]:
    """Mean negative log-likelihood (weighted) and its gradient in ``ln (p, q, γ)``.

    Terms that depend on the customer only through ``x`` are evaluated per distinct ``x``;
    the one per-row term, ``ln(γ + x z̄)``, is summed by a compiled loop. The gradient is
    analytic (digammas).
    """
    p, q, g = np.exp(log_params)
    xs, by_x, total = data.xs, data.weights_by_x, data.total
    x_log, log, x_inv, inv = spend_sums(float(g), data.x, data.value, data.weights)
    psi_pxq = digamma(p * xs + q)
    ll = (
        float(by_x @ (gammaln(p * xs + q) - gammaln(p * xs) + p * xs * np.log(xs)))
        - total * gammaln(q)
        + total * q * np.log(g)
        + p * data.wx_log_z
        - data.w_log_z
        - p * x_log
        - q * log
    )
    d_p = float(by_x @ (xs * (psi_pxq - digamma(p * xs) + np.log(xs)))) + data.wx_log_z - x_log
    d_q = float(by_x @ psi_pxq) - total * digamma(q) + total * np.log(g) - log
    d_g = total * q / g - (p * x_inv + q * inv)
    params = np.array([p, q, g])
    value = -ll / total + penalizer * float((params**2).sum())
    grad = -np.array([d_p, d_q, d_g]) * params / total + 2 * penalizer * params**2
    return float(value), grad


class GammaGammaModel(Estimator):
    """Gamma-Gamma spend model, estimated by maximum likelihood; scikit-learn style."""

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    def fit(
        self, frequency: ArrayLike, monetary_value: ArrayLike, weights: ArrayLike | None = None
    ) -> GammaGammaModel:
        data = SpendData.of(frequency, monetary_value, weights)

        def objective(log_params: Array) -> tuple[float, Array]:
            return negative_log_likelihood(log_params, data, self.penalizer)

        start = np.log([1.0, 1.0, max(float(np.median(data.value)), 1e-3)])
        fitted = minimise_log_params(objective, start, gradient=True)
        self.p_, self.q_, self.gamma_ = (float(v) for v in fitted.params)
        self.log_likelihood_ = float(-fitted.value * data.total)
        self.gradient_norm_ = fitted.gradient_norm * data.total
        return self

    @property
    def params_(self) -> dict[str, float]:
        return {"p": self.p_, "q": self.q_, "gamma": self.gamma_}

    def conditional_expected_average_profit(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> Array:
        """E[M | x, z̄]; the population mean where there is no repeat purchase."""
        x = np.asarray(frequency, dtype=float)
        z = np.asarray(monetary_value, dtype=float)
        p, q, g = self.p_, self.q_, self.gamma_
        population = p * g / (q - 1)
        own = p * (g + x * z) / (p * x + q - 1)
        return np.where(x > 0, own, population)

    def customer_lifetime_value(
        self,
        model: BetaGeoFamily,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        monetary_value: ArrayLike,
        *,
        horizon: float,
        period: float,
        discount_rate: float,
    ) -> Array:
        """Discounted expected value over ``horizon`` in steps of ``period`` (same unit as T).

        Each step's expected purchases (the increase of E[Y(t)]) are valued at the expected
        average transaction value and discounted at ``discount_rate`` per step. ``model`` is
        a BG/NBD or an MBG/NBD.
        """
        value = self.conditional_expected_average_profit(frequency, monetary_value)
        purchases = model.discounted_purchases(
            frequency, recency, T, horizon=horizon, period=period, discount_rate=discount_rate
        )
        return np.asarray(value * purchases, dtype=float)
