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

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, gammaln

from kequn.models._fit import Estimator, minimise_log_params
from kequn.models.bgnbd import BetaGeoModel

Array = NDArray[np.float64]


class GammaGammaModel(Estimator):
    """Gamma-Gamma spend model, estimated by maximum likelihood; scikit-learn style."""

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    def fit(
        self, frequency: ArrayLike, monetary_value: ArrayLike, weights: ArrayLike | None = None
    ) -> GammaGammaModel:
        x = np.asarray(frequency, dtype=float)
        z = np.asarray(monetary_value, dtype=float)
        w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
        keep = (x > 0) & (z > 0)
        if keep.sum() < 2:
            raise ValueError(
                "Gamma-Gamma needs at least two customers with repeat purchases of positive value"
            )
        x, z, w = x[keep], z[keep], w[keep]
        total = w.sum()

        # terms that depend on the customer only through x are evaluated per distinct x;
        # the one per-row term is ln(γ + x z̄). The gradient is analytic (digammas).
        xs, xi = np.unique(x, return_inverse=True)
        w_by_x = np.bincount(xi.ravel(), weights=w)
        wx_log_z = float(w @ (x * np.log(z)))
        w_log_z = float(w @ np.log(z))
        wx = w * x

        def objective(log_params: Array) -> tuple[float, Array]:
            p, q, g = np.exp(log_params)
            log_gz = np.log(g + x * z)
            ll = (
                w_by_x @ (gammaln(p * xs + q) - gammaln(p * xs) + p * xs * np.log(xs))
                - total * gammaln(q)
                + total * q * np.log(g)
                + p * wx_log_z
                - w_log_z
                - p * (wx @ log_gz)
                - q * (w @ log_gz)
            )
            psi_pxq = digamma(p * xs + q)
            d_p = w_by_x @ (xs * (psi_pxq - digamma(p * xs) + np.log(xs))) + wx_log_z - wx @ log_gz
            d_q = w_by_x @ psi_pxq - total * digamma(q) + total * np.log(g) - w @ log_gz
            d_g = total * q / g - (p * wx + q * w) @ (1.0 / (g + x * z))
            params = np.array([p, q, g])
            value = -ll / total + self.penalizer * float((params**2).sum())
            grad = -np.array([d_p, d_q, d_g]) * params / total + 2 * self.penalizer * params**2
            return float(value), grad

        start = np.log([1.0, 1.0, max(float(np.median(z)), 1e-3)])
        fitted, best_fun = minimise_log_params(objective, start, gradient=True)
        self.p_, self.q_, self.gamma_ = (float(v) for v in fitted)
        self.log_likelihood_ = float(-best_fun * total)
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
        model: BetaGeoModel,
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
        average transaction value and discounted at ``discount_rate`` per step.
        """
        value = self.conditional_expected_average_profit(frequency, monetary_value)
        total = np.zeros_like(value)
        previous = np.zeros_like(value)
        steps = int(np.ceil(horizon / period))
        for i in range(1, steps + 1):
            current = model.expected_purchases(min(i * period, horizon), frequency, recency, T)
            total += value * (current - previous) / (1 + discount_rate) ** i
            previous = current
        return total
