"""What the maximum-likelihood fitters share: the optimiser, and the BG/NBD family's fit.

The BG/NBD and the MBG/NBD differ only in their likelihood (a :class:`Shape` for the fused
loop in :mod:`kequn.models._likelihood`, and the per-row formula); compressing the data,
the starting point, the optimiser and the fitted attributes are the same, and live here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize

from kequn.models._likelihood import Factored, Shape, negative_log_likelihood

Array = NDArray[np.float64]


def minimise_log_params(
    objective: Callable[[Array], Any],
    start: Array,
    *,
    gradient: bool = False,
) -> tuple[Array, float]:
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


#: the optimiser works on log-parameters within these bounds
LOG_BOUND = 12.0
#: a fitted log-parameter this close to a bound is "at the bound"
NEAR_BOUND = 1.0
#: a standard error of a log-parameter above this (a factor of e^5 ≈ 150 either way within
#: one standard error) means the likelihood is too flat to determine it. Smaller errors
#: are common and harmless: on 300-customer CDNOW samples the BG/NBD's a and b can be
#: uncertain by e^4 together along a ridge where a / b, and the predictions, stay put
FLAT_SE = 5.0


def log_param_errors(
    gradient: Callable[[Array], Array], log_params: Array, total: float, step: float = 1e-4
) -> Array:
    """Standard errors of the log-parameters from the observed information.

    The Hessian of the total negative log-likelihood is taken by central differences of
    the analytic gradient (of the mean, hence ``total``); where it is not positive
    definite the errors are infinite: the likelihood does not curve up in some direction,
    so the maximum says nothing about it.
    """
    k = log_params.size
    hessian = np.empty((k, k))
    for i in range(k):
        shift = np.zeros(k)
        shift[i] = step
        hessian[i] = (gradient(log_params + shift) - gradient(log_params - shift)) / (2 * step)
    hessian = (hessian + hessian.T) / 2 * total
    try:
        eigenvalues = np.linalg.eigvalsh(hessian)
        if not np.all(np.isfinite(eigenvalues)) or eigenvalues.min() <= 0:
            return np.full(k, np.inf)
        return np.sqrt(np.diag(np.linalg.inv(hessian)))
    except np.linalg.LinAlgError:
        return np.full(k, np.inf)


@dataclass(frozen=True)
class Summary:
    """Distinct ``(x, t_x, T)`` rows with their counts."""

    frequency: Array
    recency: Array
    T: Array
    weights: Array


def compress(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
) -> Summary:
    """Collapse customers into distinct ``(x, t_x, T)`` rows, summing their weights."""
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    big_t = np.asarray(T, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    if not (x.shape == t_x.shape == big_t.shape == w.shape):
        raise ValueError("frequency, recency, T and weights must have the same length")
    if x.size == 0:
        raise ValueError("no customers to fit")
    if np.any(x < 0) or np.any(t_x < 0) or np.any(big_t < t_x):
        raise ValueError("need frequency >= 0 and 0 <= recency <= T")
    if np.any((x == 0) & (t_x != 0)):
        raise ValueError("customers without repeat purchases must have recency 0")
    # one integer key per row from the three columns' distinct-value indices: a 1-D
    # unique is an order of magnitude faster than np.unique(..., axis=1) on a million rows
    indices = [np.unique(column, return_inverse=True) for column in (x, t_x, big_t)]
    if np.prod([float(values.size) for values, _ in indices]) < 2.0**62:
        keys = np.zeros(x.size, dtype=np.int64)
        for values, index in indices:
            keys = keys * values.size + index.ravel()
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    else:  # too many distinct values for one integer key
        _, first, inverse = np.unique(
            np.stack([x, t_x, big_t]), axis=1, return_index=True, return_inverse=True
        )
    counts = np.bincount(inverse.ravel(), weights=w).astype(float)
    return Summary(x[first], t_x[first], big_t[first], counts)


class Estimator:
    """scikit-learn's estimator protocol (``get_params``, ``set_params``; so ``clone``
    and pipelines work) without importing scikit-learn, which takes a second or more:
    the BTYD models need only numpy and scipy. Parameters are the ``__init__``
    arguments, kept as attributes of the same name."""

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [name for name in signature.parameters if name != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Self:
        for name, value in params.items():
            if name not in self._param_names():
                raise ValueError(f"{type(self).__name__} has no parameter {name!r}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


class BetaGeoFamily(Estimator):
    """Maximum likelihood on distinct ``(x, t_x, T)`` rows for the BG/NBD and its variants.

    A subclass states its likelihood: ``shape`` (for the fused loop with the analytic
    gradient) and ``log_likelihood`` (per row, for reporting a penalised fit's
    log-likelihood). The parameters are ``(r, alpha, a, b)``.

    Parameters
    ----------
    penalizer
        L2 penalty on the parameters (0 reproduces the papers).
    """

    shape: ClassVar[Shape]
    param_names: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")

    r_: float
    alpha_: float
    a_: float
    b_: float

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    @staticmethod
    def log_likelihood(params: ArrayLike, x: Array, t_x: Array, T: Array) -> Array:
        """Per-row log-likelihood at ``params = (r, alpha, a, b)``."""
        raise NotImplementedError

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> Self:
        data = compress(frequency, recency, T, weights)
        total = data.weights.sum()
        factored = Factored.of(data.frequency, data.recency, data.T, data.weights)

        def objective(log_params: Array) -> tuple[float, Array]:
            return negative_log_likelihood(log_params, factored, self.shape, self.penalizer)

        start = np.log([0.5, max(data.T.mean() / 4, 1e-3), 0.8, 2.5])
        fitted, best_fun = minimise_log_params(objective, start, gradient=True)
        for name, value in zip(self.param_names, fitted, strict=True):
            setattr(self, f"{name}_", float(value))
        # the objective is the mean over customers, plus the penalty when there is one
        if self.penalizer == 0:
            self.log_likelihood_ = float(-best_fun * total)
        else:
            per_row = self.log_likelihood(self.params_array_, data.frequency, data.recency, data.T)
            self.log_likelihood_ = float((data.weights * per_row).sum())
        self.n_customers_ = float(total)
        self.n_rows_ = int(data.frequency.size)
        self.n_repeaters_ = float(data.weights[data.frequency > 0].sum())
        log_fitted = np.log(fitted)
        self.at_bounds_ = [
            name
            for name, value in zip(self.param_names, log_fitted, strict=True)
            if abs(value) >= LOG_BOUND - NEAR_BOUND
        ]
        errors = log_param_errors(lambda p: objective(p)[1], log_fitted, float(total))
        self.log_param_se_ = dict(zip(self.param_names, map(float, errors), strict=True))
        return self

    def unidentified(self, min_repeaters: float = 0) -> list[dict[str, Any]]:
        """Why the fit cannot be trusted, one entry per reason (empty when it can):
        too few repeat buyers, parameters at the optimiser's bounds, or a likelihood so
        flat that a parameter is undetermined (see :data:`FLAT_SE`)."""
        reasons: list[dict[str, Any]] = []
        if self.n_repeaters_ < min_repeaters:
            reasons.append(
                {"reason": "repeaters", "repeaters": self.n_repeaters_, "minimum": min_repeaters}
            )
        if self.at_bounds_:
            reasons.append({"reason": "bounds", "params": list(self.at_bounds_)})
        flat = [name for name, se in self.log_param_se_.items() if not se <= FLAT_SE]
        if flat:
            reasons.append({"reason": "flat", "params": flat})
        return reasons

    @property
    def params_array_(self) -> Array:
        return np.array([getattr(self, f"{name}_") for name in self.param_names])

    @property
    def params_(self) -> dict[str, float]:
        return {name: float(getattr(self, f"{name}_")) for name in self.param_names}
