"""What the models step needs made ready ahead: imports and numba's compiled loops.

A run's models step begins with seconds of single-threaded Python that do not depend on
the data: importing scikit-learn (1.1-1.3 s measured in a 1M-customer refit) and SciPy's
optimisers (0.3 s), and numba loading the compiled loops from its disk cache (0.4-0.5 s
for the first, with numba's import, a few ms for each next one measured: the trees' loop
and the nearest centre when scoring, the BG/NBD's and Gamma-Gamma's sums when fitting).
The features before it are DuckDB queries, which release the GIL and leave a core
partly idle, so the pipeline does these in a thread while the features are built
(:func:`kequn.pipeline.features_with_models`), and the models step waits for it first.
Each function here only makes later calls quicker; a failure is left for the real call
to report.
"""

from __future__ import annotations

import importlib
from typing import Any, cast

import numpy as np

#: what fitting imports: SciPy's optimiser (the BTYD fits) and scikit-learn's parts (the
#: churn classifier and its closed form's calibration, the clusters)
_FITTING_MODULES = (
    "scipy.optimize",
    "sklearn.ensemble",
    "sklearn.linear_model",
    "sklearn.metrics",
    "sklearn.cluster",
    "sklearn.pipeline",
    "sklearn.preprocessing",
)


def scoring(churn: Any, rows: int, clusters: Any = None) -> None:
    """numba's compiled loops for scoring with the stored models, for the argument types
    the scoring passes, compiled or read from numba's cache without running them: the
    walk of ``churn``'s trees (a stored :class:`ChurnFit`, or None; rows in column-major
    order) and the nearest centre of ``clusters`` (a stored ``ClusterFit``, or None; rows
    in column-major order); each only if about ``rows`` rows (the buyers when the models
    were fitted) are enough for the scoring to use it."""
    from kequn.models.scoring import (
        COMPILED_WORK,
        NEAREST_COMPILED_WORK,
        NearestCentre,
        TreeEnsemble,
    )

    model = getattr(churn, "model", None)
    if isinstance(model, TreeEnsemble) and model.trees and rows * len(model.trees) >= COMPILED_WORK:
        from kequn.models._trees import by_splits, walk

        x = _two_rows(model.n_features)
        if model._splits is not None:  # the loop the scoring will take
            _compile(by_splits, x, float(model.baseline), *model._splits, np.empty(2))
        else:
            _compile(walk, x, float(model.baseline), *model._flat, np.empty(2))
    centres = getattr(clusters, "model", None)
    if isinstance(centres, NearestCentre) and rows * len(centres.centres) >= NEAREST_COMPILED_WORK:
        from kequn.models._nearest import nearest

        arrays = (centres.mean, centres.scale, centres.centres)
        x = _two_rows(centres.mean.shape[0])
        _compile(nearest, x, *map(np.ascontiguousarray, arrays), np.empty(2, dtype=np.int64))
    # below both: scored in numpy, numba is not even imported


def _two_rows(width: int) -> np.ndarray:
    """Two rows in column-major order, as the scoring passes its rows: only F-contiguous
    (one row would count as C-contiguous too, and be typed so)."""
    return np.full((2, width), np.nan, order="F")


def _compile(loop: Any, *args: Any) -> None:
    """numba's ``loop`` compiled (or read from its cache) for the types of ``args``,
    without running it."""
    import numba

    cast(Any, loop).compile(tuple(numba.typeof(a) for a in args))


def fitting() -> None:
    """Import what fitting the models imports, and compile (or read from numba's cache)
    the likelihoods' loops by evaluating each once on three made-up customers."""
    for name in _FITTING_MODULES:
        importlib.import_module(name)

    from kequn.models._likelihood import BGNBD, Factored, negative_log_likelihood, spend_sums

    x, t_x, big_t = np.array([0.0, 1.0, 3.0]), np.array([0.0, 10.0, 30.0]), np.full(3, 40.0)
    weights = np.ones(3)
    negative_log_likelihood(np.zeros(4), Factored.of(x, t_x, big_t, weights), BGNBD)
    spend_sums(1.0, x, np.array([0.0, 20.0, 35.0]), weights)
