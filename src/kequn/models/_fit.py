"""The optimiser both maximum-likelihood fitters share."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize


def minimise_log_params(
    objective: Callable[[NDArray[np.float64]], float], start: NDArray[np.float64]
) -> tuple[NDArray[np.float64], float]:
    """Minimise over log-parameters: L-BFGS-B to get close, then Nelder-Mead to polish.

    Working on logs keeps every parameter positive without constraints; the polish makes
    the estimates reproducible to the digits the papers publish.
    """
    best = minimize(objective, start, method="L-BFGS-B", bounds=[(-12.0, 12.0)] * len(start))
    best = minimize(
        objective,
        best.x,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000},
    )
    return np.exp(best.x), float(best.fun)
