"""The optimiser both maximum-likelihood fitters share."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize


def minimise_log_params(
    objective: Callable[[NDArray[np.float64]], float], start: NDArray[np.float64]
) -> tuple[NDArray[np.float64], float]:
    """Minimise over log-parameters with L-BFGS-B and tight tolerances.

    Working on logs keeps every parameter positive without constraints. With these
    tolerances the CDNOW estimates agree with the papers to five digits in about 100
    evaluations; a derivative-free polish added nothing but time. The gradient is
    numerical (4 parameters: 9 evaluations a step), so an analytic one is the next
    speed-up for inputs with hundreds of thousands of distinct rows.
    """
    best = minimize(
        objective,
        start,
        method="L-BFGS-B",
        bounds=[(-12.0, 12.0)] * len(start),
        options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000},
    )
    return np.exp(best.x), float(best.fun)
