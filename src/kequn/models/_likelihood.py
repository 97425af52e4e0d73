"""Log-likelihood and its analytic gradient for the BG/NBD and the modified BG/NBD.

Both models' per-customer likelihood has the same shape (Fader, Hardie & Lee 2005, eq. 6;
Batislam, Denizel & Filiztekin 2007)::

    ln L = ln Γ(r+x) − ln Γ(r) + r ln α
           + logaddexp( ln B(a+i, b+x+j) − ln B(a, b) − (r+x) ln(α+T),
                        ln B(a+k, b+x+l) − ln B(a, b) − (r+x) ln(α+t_x) )

with ``(i, j, k, l) = (0, 0, 1, -1)`` and the second term only where ``x > 0`` for the
BG/NBD, and ``(0, 1, 1, 0)`` for every customer in the MBG/NBD (its
``ln B(a, b+x+1) + ln(a/(b+x)) = ln B(a+1, b+x)``).

Why hand-written: ``lifetimes`` (and its fork ``btyd``) minimise with a numerical gradient
over every customer row, which is what makes them slow on a million customers. Here the
special functions are evaluated once per distinct ``x``, ``T`` and ``t_x`` (a few hundred or
thousand values) and gathered, and the gradient is analytic (digammas), so an evaluation
costs one pass over the distinct ``(x, t_x, T)`` rows (a loop compiled with numba, cached
on disk after the first call) and the optimiser needs no extra evaluations for derivatives.
Tests check the gradient against finite differences and the fit against the paper's CDNOW
estimates.

The Gamma-Gamma spend model's one per-customer term, ``(px + q) ln(γ + x z̄)``, and its
derivatives are summed by a second compiled loop, :func:`spend_sums`, for the same reason.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import betaln, digamma, gammaln

Array = NDArray[np.float64]
Index = NDArray[np.intp]


@dataclass(frozen=True)
class Factored:
    """Distinct ``(x, t_x, T)`` rows stored as indices into their distinct values."""

    x: Array
    x_index: Index
    t_x: Array
    t_x_index: Index
    T: Array
    T_index: Index
    weights: Array

    @classmethod
    def of(cls, x: Array, t_x: Array, T: Array, weights: Array) -> Factored:
        (xs, xi), (ts, ti), (big_ts, big_ti) = (factorize(v) for v in (x, t_x, T))
        return cls(xs, xi, ts, ti, big_ts, big_ti, weights)


#: a column of whole numbers from 0 to at most this is factorised by counting, not sorting
DENSE_RANGE = 1 << 24


def factorize(column: Array) -> tuple[Array, Index]:
    """The sorted distinct values of a 1-D float column and each row's index into them.

    What ``np.unique(column, return_inverse=True)`` gives; for whole numbers in a modest
    range (days, counts: what BTYD summaries hold) by counting instead of sorting, which
    is several times faster on a million rows.
    """
    if column.size and np.all(np.isfinite(column)):
        low, high = float(column.min()), float(column.max())
        if low >= 0 and high <= DENSE_RANGE and high + 1 <= 4 * column.size + 1024:
            whole = column.astype(np.int64)
            if np.array_equal(whole, column):
                present = np.zeros(int(high) + 1, dtype=bool)
                present[whole] = True
                codes = np.cumsum(present) - 1
                return np.flatnonzero(present).astype(float), codes[whole]
    values, inverse = np.unique(column, return_inverse=True)
    return values, inverse.ravel()


@dataclass(frozen=True)
class Shape:
    """Offsets of the two beta functions, and whether the second term needs ``x > 0``."""

    alive_a: float
    alive_b: float
    dropped_a: float
    dropped_b: float
    dropped_needs_repeat: bool


BGNBD = Shape(0.0, 0.0, 1.0, -1.0, dropped_needs_repeat=True)
MBGNBD = Shape(0.0, 1.0, 1.0, 0.0, dropped_needs_repeat=False)


def _beta_terms(a: float, b: float, x: Array, da: float, db: float) -> tuple[Array, Array, Array]:
    """``ln B(a+da, b+x+db) − ln B(a, b)`` and its derivatives in ``a`` and ``b``."""
    value = betaln(a + da, b + x + db) - betaln(a, b)
    both = digamma(a + b + x + da + db)
    d_a = digamma(a + da) - both - digamma(a) + digamma(a + b)
    d_b = digamma(b + x + db) - both - digamma(b) + digamma(a + b)
    return value, d_a, d_b


def negative_log_likelihood(
    log_params: Array, data: Factored, shape: Shape, penalizer: float = 0.0
) -> tuple[float, Array]:
    """Mean negative log-likelihood (weighted) and its gradient in the log-parameters."""
    r, alpha, a, b = np.exp(log_params)
    x = data.x
    total = data.weights.sum()
    repeat = x > 0 if shape.dropped_needs_repeat else np.ones_like(x, dtype=bool)
    # where the dropped-out term does not exist, evaluate it at a harmless x and mask it
    x_dropped = np.where(repeat, x, 1.0)

    alive_beta, alive_da, alive_db = _beta_terms(a, b, x, shape.alive_a, shape.alive_b)
    dropped_beta, dropped_da, dropped_db = _beta_terms(
        a, b, x_dropped, shape.dropped_a, shape.dropped_b
    )
    log_alpha_t = np.log(alpha + data.T)
    log_alpha_tx = np.log(alpha + data.t_x)

    per_x = gammaln(r + x) - gammaln(r)
    psi_x = digamma(r + x) - digamma(r)
    dropped_beta = np.where(repeat, dropped_beta, -np.inf)
    dropped_da = np.where(repeat, dropped_da, 0.0)
    dropped_db = np.where(repeat, dropped_db, 0.0)
    ll, d_r, d_alpha, d_a, d_b = _compiled_row_sums()(
        r,
        x,
        per_x,
        psi_x,
        alive_beta,
        alive_da,
        alive_db,
        dropped_beta,
        dropped_da,
        dropped_db,
        log_alpha_t,
        1.0 / (alpha + data.T),
        log_alpha_tx,
        1.0 / (alpha + data.t_x),
        data.x_index,
        data.T_index,
        data.t_x_index,
        data.weights,
    )
    ll += total * r * np.log(alpha)
    d_r += total * np.log(alpha)
    d_alpha += total * r / alpha

    params = np.array([r, alpha, a, b])
    value = -ll / total + penalizer * float((params**2).sum())
    # chain rule to log-parameters: d/d(ln θ) = θ d/dθ
    grad = -np.array([d_r, d_alpha, d_a, d_b]) * params / total + 2 * penalizer * params**2
    return float(value), grad


@functools.cache
def _compiled_row_sums() -> Callable[..., Any]:
    """:func:`_row_sums` compiled by numba, on the first fit: numba takes ~0.5 s to import,
    which a run that reuses its stored models (or runs none) should not pay."""
    from kequn.models._compile import compiled

    return compiled(_row_sums, nogil=True)


def _row_sums(
    r: float,
    x: Array,
    per_x: Array,
    psi_x: Array,
    alive_beta: Array,
    alive_da: Array,
    alive_db: Array,
    dropped_beta: Array,
    dropped_da: Array,
    dropped_db: Array,
    log_alpha_t: Array,
    inv_alpha_t: Array,
    log_alpha_tx: Array,
    inv_alpha_tx: Array,
    x_index: Index,
    t_index: Index,
    tx_index: Index,
    weights: Array,
) -> tuple[float, float, float, float, float]:
    """The weighted log-likelihood and its partial derivatives, in one pass over the rows.

    A fused loop because numpy would make some forty full-length temporaries per
    evaluation; per-value terms (special functions) arrive precomputed. The sums are
    compensated (Kahan): added one by one into a total of ~10⁷, half a million rows
    would otherwise leave rounding noise of ~10⁻⁶ in it, enough to hide the last steps
    to the maximum.
    """
    sums = np.zeros(5)
    lost = np.zeros(5)
    terms = np.empty(5)
    for i in range(weights.size):
        xi, ti, txi, w = x_index[i], t_index[i], tx_index[i], weights[i]
        r_plus_x = r + x[xi]
        alive = alive_beta[xi] - r_plus_x * log_alpha_t[ti]
        dropped = dropped_beta[xi] - r_plus_x * log_alpha_tx[txi]
        # logaddexp(alive, dropped) with one exp; shares of each term for the gradient
        if dropped > alive:
            small = np.exp(alive - dropped)
            terms[0] = w * (per_x[xi] + dropped + np.log1p(small))
            share_dropped = w / (1.0 + small)
        else:
            small = np.exp(dropped - alive)
            terms[0] = w * (per_x[xi] + alive + np.log1p(small))
            share_dropped = w * small / (1.0 + small)
        share_alive = w - share_dropped
        terms[1] = w * psi_x[xi] - share_alive * log_alpha_t[ti] - share_dropped * log_alpha_tx[txi]
        terms[2] = -r_plus_x * (share_alive * inv_alpha_t[ti] + share_dropped * inv_alpha_tx[txi])
        terms[3] = share_alive * alive_da[xi] + share_dropped * dropped_da[xi]
        terms[4] = share_alive * alive_db[xi] + share_dropped * dropped_db[xi]
        for k in range(5):
            y = terms[k] - lost[k]
            t = sums[k] + y
            lost[k] = (t - sums[k]) - y
            sums[k] = t
    return sums[0], sums[1], sums[2], sums[3], sums[4]


def spend_sums(gamma: float, x: Array, value: Array, weights: Array) -> tuple[float, ...]:
    """The Gamma-Gamma's per-customer sums at scale ``gamma``, in one compiled pass.

    ``(Σ w x ln(γ+x z̄), Σ w ln(γ+x z̄), Σ w x / (γ+x z̄), Σ w / (γ+x z̄))`` over customers
    with frequency ``x`` and mean repeat value ``z̄``: the log-likelihood and its gradient
    need nothing else from the rows. One loop instead of numpy's temporaries and BLAS dot
    products (which, on a busy machine, cost more waiting for their threads than adding).
    """
    return tuple(_compiled_spend_sums()(gamma, x, value, weights))


@functools.cache
def _compiled_spend_sums() -> Callable[..., Any]:
    """:func:`_spend_sums` compiled by numba (cached on disk), on the first fit."""
    from kequn.models._compile import compiled

    return compiled(_spend_sums, nogil=True)


def _spend_sums(
    gamma: float, x: Array, value: Array, weights: Array
) -> tuple[float, float, float, float]:
    sums = np.zeros(4)
    lost = np.zeros(4)
    terms = np.empty(4)
    for i in range(weights.size):
        scaled = gamma + x[i] * value[i]
        w, log_i, inv_i = weights[i], np.log(scaled), 1.0 / scaled
        terms[0] = w * x[i] * log_i
        terms[1] = w * log_i
        terms[2] = w * x[i] * inv_i
        terms[3] = w * inv_i
        for k in range(4):  # compensated, as in _row_sums
            y = terms[k] - lost[k]
            t = sums[k] + y
            lost[k] = (t - sums[k]) - y
            sums[k] = t
    return sums[0], sums[1], sums[2], sums[3]
