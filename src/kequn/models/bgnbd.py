"""BG/NBD: how many purchases to expect from each customer, and whether they are still alive.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting Your Customers" the Easy
Way: An Alternative to the Pareto/NBD Model. *Marketing Science* 24(2), 275-284.

While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
purchase they drop out with probability p ~ Beta(a, b). For a customer with ``x`` repeat
purchases, the last at ``t_x``, observed for ``T`` (same time unit), the likelihood is

.. math::

    L = \\frac{B(a, b+x)}{B(a, b)}
        \\frac{\\Gamma(r+x)\\alpha^r}{\\Gamma(r)(\\alpha+T)^{r+x}}
      + \\delta_{x>0} \\frac{B(a+1, b+x-1)}{B(a, b)}
        \\frac{\\Gamma(r+x)\\alpha^r}{\\Gamma(r)(\\alpha+t_x)^{r+x}}

It depends on the data only through ``(x, t_x, T)``, so the fit runs on the distinct
combinations with their counts as weights: a million customers become a few thousand
rows. The fitter is hand-written (scipy's L-BFGS-B on log-parameters with the analytic
log-likelihood) because that is what makes it fast; tests check it reproduces the
paper's estimates on CDNOW and matches the closed forms evaluated independently.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import betaln, gammaln, hyp2f1

from kequn.models._fit import BetaGeoFamily, compress
from kequn.models._likelihood import BGNBD

# compress lives with the shared fitter; callers (tests, benchmarks) import it from here
__all__ = ["BetaGeoModel", "compress", "log_likelihood"]

Array = NDArray[np.float64]


def log_likelihood(params: ArrayLike, x: Array, t_x: Array, T: Array) -> Array:
    """Per-row log-likelihood of the BG/NBD at ``params = (r, alpha, a, b)``."""
    r, alpha, a, b = np.asarray(params, dtype=float)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    alive = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    # the x > 0 term; evaluated with x replaced by 1 where x == 0 to stay finite, then masked
    safe_x = np.where(x > 0, x, 1.0)
    dropped = betaln(a + 1, b + safe_x - 1) - betaln(a, b) - (r + x) * np.log(alpha + t_x)
    dropped = np.where(x > 0, dropped, -np.inf)
    return common + np.logaddexp(alive, dropped)


class BetaGeoModel(BetaGeoFamily):
    """BG/NBD, estimated by maximum likelihood; scikit-learn style.

    Parameters
    ----------
    penalizer
        L2 penalty on the parameters (0 reproduces the paper).
    """

    shape = BGNBD
    log_likelihood = staticmethod(log_likelihood)

    def probability_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> Array:
        """P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)).

        Equals 1 for every customer without a repeat purchase: the model's known quirk.
        """
        x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        r, alpha, a, b = self.params_array_
        safe_x = np.where(x > 0, x, 1.0)
        log_ratio = (
            np.log(a)
            - np.log(b + safe_x - 1)
            + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x))
        )
        return np.where(x > 0, 1.0 / (1.0 + np.exp(log_ratio)), 1.0)

    def expected_purchases_if_alive(
        self, t: float | ArrayLike, frequency: ArrayLike, T: ArrayLike
    ) -> Array:
        """E[Y(t) | alive, x, T]: eq. 10 without its P(alive) factor, which
        :meth:`expected_purchases` multiplies in."""
        x, big_t = (np.asarray(v, dtype=float) for v in (frequency, T))
        t = np.asarray(t, dtype=float)
        r, alpha, a, b = self.params_array_
        z = t / (alpha + big_t + t)
        hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
        head = (a + b + x - 1) / (a - 1)
        tail = 1 - np.exp((r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + t))) * hyp
        return np.asarray(head * tail, dtype=float)

    def probability_alive_expr(self, x: Any, t_x: Any, T: Any) -> Any:
        """The same P(alive) as an Ibis expression, so scoring runs on the engine."""
        import ibis  # not at the top: ibis takes a third of a second to import

        r, alpha, a, b = (float(v) for v in self.params_array_)
        xf, txf, tf = x.cast("float64"), t_x.cast("float64"), T.cast("float64")
        log_ratio = (
            ibis.literal(np.log(a))
            - (ibis.literal(b - 1) + xf).ln()
            + (xf + r) * ((tf + alpha).ln() - (txf + alpha).ln())
        )
        return ibis.cases((xf > 0, 1.0 / (1.0 + log_ratio.exp())), else_=1.0)
