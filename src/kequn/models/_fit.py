"""The optimiser both maximum-likelihood fitters share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize


def minimise_log_params(
    objective: Callable[[NDArray[np.float64]], Any],
    start: NDArray[np.float64],
    *,
    gradient: bool = False,
) -> tuple[NDArray[np.float64], float]:
    """Minimise over log-parameters with L-BFGS-B and tight tolerances.

    Working on logs keeps every parameter positive without constraints. With these
    tolerances the CDNOW estimates agree with the papers to five digits in about 100
    evaluations; a derivative-free polish added nothing but time. With ``gradient=True``
    the objective returns ``(value, gradient)``; otherwise the gradient is numerical.
    """
    best = minimize(
        objective,
        start,
        jac=gradient,
        method="L-BFGS-B",
        bounds=[(-12.0, 12.0)] * len(start),
        # with an exact gradient, tighter tolerances only chase rounding noise (the
        # estimates agree to seven digits either way)
        options={
            "ftol": 1e-12 if gradient else 1e-15,
            "gtol": 1e-8 if gradient else 1e-10,
            "maxiter": 2000,
        },
    )
    return np.exp(best.x), float(best.fun)
