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

from kequn.models._likelihood import Factored, Shape, factorize, negative_log_likelihood

Array = NDArray[np.float64]
Index = NDArray[np.intp]


#: the optimiser works on log-parameters within these bounds
LOG_BOUND = 12.0
#: a fitted log-parameter this close to a bound is "at the bound"
NEAR_BOUND = 1.0
#: a standard error of a log-parameter above this (a factor of e^5 ≈ 150 either way within
#: one standard error) means the likelihood is too flat to determine it. Smaller errors
#: are common and harmless: on 300-customer CDNOW samples the BG/NBD's a and b can be
#: uncertain by e^4 together along a ridge where a / b, and the predictions, stay put
FLAT_SE = 5.0


@dataclass(frozen=True)
class Minimum:
    """Where :func:`minimise_log_params` stopped: ``params`` (not logs), the objective's
    ``value`` and ``gradient_norm`` (in the log-parameters) there, and the objective's
    Hessian in the log-parameters there when the Newton polish computed one."""

    params: Array
    value: float
    gradient_norm: float
    hessian: Array | None = None


def minimise_log_params(
    objective: Callable[[Array], Any],
    start: Array,
    *,
    gradient: bool = False,
) -> Minimum:
    """Minimise over log-parameters with L-BFGS-B, then polish with Newton steps.

    Working on logs keeps every parameter positive without constraints. With these
    tolerances the CDNOW estimates agree with the papers to five digits in about 100
    evaluations. With ``gradient=True`` the objective returns ``(value, gradient)``;
    otherwise the gradient is numerical.

    L-BFGS-B stops when the objective no longer falls by a relative 1e-12, which on a
    million customers leaves the gradient at ~1e-7 per customer: on a flat ridge of the
    likelihood the last digits of the parameters are still moving. With an exact gradient
    a few Newton steps (the Hessian by central differences of that gradient) then take it
    to the maximum itself, to rounding (see :func:`newton_polish`).
    """
    from scipy.optimize import minimize  # here: scoring stored models never needs it

    if gradient:
        objective = _remember_last(objective)
    best = minimize(
        objective,
        start,
        jac=gradient,
        method="L-BFGS-B",
        bounds=[(-LOG_BOUND, LOG_BOUND)] * len(start),
        options={
            "ftol": 1e-12 if gradient else 1e-15,
            "gtol": 1e-8 if gradient else 1e-10,
            "maxiter": 2000,
        },
    )
    if not gradient:
        return Minimum(np.exp(best.x), float(best.fun), float(np.linalg.norm(best.jac)))
    return newton_polish(objective, np.asarray(best.x, dtype=float))


def _remember_last(objective: Callable[[Array], Any]) -> Callable[[Array], Any]:
    """``objective`` answering a repeated call at the same point from memory: the Newton
    polish starts where L-BFGS-B evaluated last (on a million customers each evaluation
    is a pass over half a million rows)."""
    last: list[tuple[bytes, Any]] = []

    def remembered(log_params: Array) -> Any:
        point = np.asarray(log_params, dtype=float)
        key = point.tobytes()
        if last and last[0][0] == key:
            return last[0][1]
        value = objective(point)
        last[:] = [(key, value)]
        return value

    return remembered


#: at most this many Newton steps after L-BFGS-B (two are usually enough)
NEWTON_STEPS = 5


def newton_polish(objective: Callable[[Array], tuple[float, Array]], start: Array) -> Minimum:
    """Newton steps from ``start`` while they shrink the gradient without raising the value.

    The Hessian is taken once, at ``start`` (close enough to the maximum that it hardly
    changes over the remaining steps, each of which then costs one evaluation), and is
    returned for the standard errors. Nothing is changed where it is not positive
    definite (an unidentified fit: the likelihood does not curve up in some direction)
    or a step would leave the bounds.
    """
    x = start
    value, grad = objective(x)
    hessian = objective_hessian(lambda p: objective(p)[1], x)
    for _ in range(NEWTON_STEPS):
        if hessian is None or not np.all(np.isfinite(grad)):
            break
        try:
            step = np.linalg.solve(hessian, grad)
        except np.linalg.LinAlgError:
            break
        candidate = x - step
        if np.any(np.abs(candidate) > LOG_BOUND):
            break
        new_value, new_grad = objective(candidate)
        # near the maximum the values differ by little more than rounding: a step may
        # not raise the value beyond that, and must shrink the gradient
        slack = 1e-12 * max(abs(value), 1.0)
        if not (
            np.isfinite(new_value)
            and new_value <= value + slack
            and np.linalg.norm(new_grad) < np.linalg.norm(grad)
        ):
            break
        x, value, grad = candidate, new_value, new_grad
        if np.linalg.norm(step) < 1e-12:
            break
    return Minimum(np.exp(x), float(value), float(np.linalg.norm(grad)), hessian)


def objective_hessian(
    gradient: Callable[[Array], Array], log_params: Array, step: float = 1e-4
) -> Array | None:
    """The Hessian by central differences of an analytic ``gradient``, or None where it
    is not finite and positive definite."""
    k = log_params.size
    hessian = np.empty((k, k))
    for i in range(k):
        shift = np.zeros(k)
        shift[i] = step
        hessian[i] = (gradient(log_params + shift) - gradient(log_params - shift)) / (2 * step)
    hessian = (hessian + hessian.T) / 2
    try:
        eigenvalues = np.linalg.eigvalsh(hessian)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(eigenvalues)) or eigenvalues.min() <= 0:
        return None
    return hessian


def log_param_errors(hessian: Array | None, total: float, k: int) -> Array:
    """Standard errors of the log-parameters from the observed information.

    ``hessian`` is that of the mean negative log-likelihood (hence ``total``) at the
    maximum, as :func:`newton_polish` leaves it; where it is missing (not positive
    definite) the errors are infinite: the likelihood does not curve up in some
    direction, so the maximum says nothing about it.
    """
    if hessian is None:
        return np.full(k, np.inf)
    try:
        return np.sqrt(np.diag(np.linalg.inv(hessian * total)))
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
    (xs, t_xs, big_ts), inverse = distinct_rows(x, t_x, big_t)
    counts = np.bincount(inverse, weights=w, minlength=xs.size).astype(float)
    return Summary(xs, t_xs, big_ts, counts)


def distinct_rows(*columns: Array) -> tuple[tuple[Array, ...], Index]:
    """The distinct rows of equally long float columns, sorted, and each row's index.

    One integer key per row from the columns' distinct-value indices, so one 1-D unique
    (or, when the keys are few, a count) does the work: an order of magnitude faster than
    ``np.unique(..., axis=1)`` on a million rows.
    """
    factors = [factorize(column) for column in columns]
    sizes = [float(values.size) for values, _ in factors]
    if np.prod(sizes) >= 2.0**62:  # too many distinct values for one integer key
        _, first, inverse = np.unique(
            np.stack(columns), axis=1, return_index=True, return_inverse=True
        )
        return tuple(column[first] for column in columns), inverse.ravel()
    keys = np.zeros(columns[0].size, dtype=np.int64)
    for values, codes in factors:
        keys = keys * values.size + codes
    if np.prod(sizes) <= 4 * keys.size + 1024:
        present = np.zeros(int(np.prod(sizes)), dtype=bool)
        present[keys] = True
        distinct = np.flatnonzero(present)
        inverse = (np.cumsum(present) - 1)[keys]
    else:
        distinct, inverse = np.unique(keys, return_inverse=True)
        inverse = inverse.ravel()
    rows = []
    for values, _ in reversed(factors):
        rows.append(values[distinct % values.size])
        distinct = distinct // values.size
    return tuple(reversed(rows)), inverse


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
        fitted = minimise_log_params(objective, start, gradient=True)
        for name, value in zip(self.param_names, fitted.params, strict=True):
            setattr(self, f"{name}_", float(value))
        # the objective is the mean over customers, plus the penalty when there is one
        if self.penalizer == 0:
            self.log_likelihood_ = float(-fitted.value * total)
        else:
            per_row = self.log_likelihood(self.params_array_, data.frequency, data.recency, data.T)
            self.log_likelihood_ = float((data.weights * per_row).sum())
        # of the total log-likelihood, in the log-parameters: ~0 at the maximum
        self.gradient_norm_ = fitted.gradient_norm * float(total)
        self.n_customers_ = float(total)
        self.n_rows_ = int(data.frequency.size)
        self.n_repeaters_ = float(data.weights[data.frequency > 0].sum())
        self.at_bounds_ = [
            name
            for name, value in zip(self.param_names, np.log(fitted.params), strict=True)
            if abs(value) >= LOG_BOUND - NEAR_BOUND
        ]
        errors = log_param_errors(fitted.hessian, float(total), len(self.param_names))
        self.log_param_se_ = dict(zip(self.param_names, map(float, errors), strict=True))
        return self

    def probability_alive(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> Array:
        """P(alive | x, t_x, T)."""
        raise NotImplementedError

    def expected_purchases_if_alive(
        self, t: float | ArrayLike, frequency: ArrayLike, T: ArrayLike
    ) -> Array:
        """E[Y(t) | alive, x, T]: expected purchases in the next ``t`` if still alive."""
        raise NotImplementedError

    def expected_purchases(
        self, t: float | ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Array:
        """E[Y(t) | x, t_x, T] = E[Y(t) | alive, x, T] P(alive | x, t_x, T).

        The first factor (a hypergeometric function) depends on ``(x, T)`` only, so it is
        evaluated once per distinct pair: on a million customers a few percent of them.
        """
        x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        t = np.asarray(t, dtype=float)
        alive = self.probability_alive(x, t_x, big_t)
        if t.ndim or x.ndim != 1 or big_t.shape != x.shape:
            return self.expected_purchases_if_alive(t, x, big_t) * alive
        (xs, big_ts), pair = distinct_rows(x, big_t)
        return self.expected_purchases_if_alive(t, xs, big_ts)[pair] * alive

    def discounted_purchases(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        *,
        horizon: float,
        period: float,
        discount_rate: float,
    ) -> Array:
        """Expected purchases over ``horizon`` in steps of ``period`` (the unit of T), each
        step's (the increase of E[Y(t)]) discounted at ``discount_rate`` per step: the CLV
        of a customer whose every purchase is worth 1.

        E[Y(t)] is E[Y(t) | alive, x, T] P(alive | x, t_x, T), and only the first factor (a
        hypergeometric function per step) changes from step to step: it is evaluated per
        distinct ``(x, T)``, once per step, and P(alive) multiplied in at the end.
        """
        x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        (xs, big_ts), pair = distinct_rows(x, big_t)
        discounted = np.zeros_like(xs)
        previous = np.zeros_like(xs)
        for i in range(1, int(np.ceil(horizon / period)) + 1):
            current = self.expected_purchases_if_alive(min(i * period, horizon), xs, big_ts)
            discounted += (current - previous) / (1 + discount_rate) ** i
            previous = current
        return np.asarray(discounted[pair] * self.probability_alive(x, t_x, big_t), dtype=float)

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
