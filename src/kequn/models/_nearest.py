"""The nearest-centre assignment, compiled by numba (cached on disk) with the rows shared
among the cores. Imported only when a run assigns many rows
(:data:`kequn.models.scoring.NEAREST_COMPILED_WORK`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import prange

from kequn.models._compile import compiled

#: rows taken together, feature by feature (the additions of different rows side by side
#: in the vector registers): 3 times quicker than row after row at 791k rows
BLOCK = 256


def _nearest(x: Any, mean: Any, scale: Any, centres: Any, out: Any) -> None:  # pragma: no cover
    """``out[i]``: the index of the centre nearest to row ``i`` of ``x`` standardised,
    by the operations :meth:`kequn.models.scoring.NearestCentre.predict` makes in numpy,
    in the same order, so with the same bits: each value ``(x - mean) / scale``; a
    centre's squared distance the row's terms ``(z - c) * (z - c)`` added onto 0 from the
    first feature to the last (numpy's sum of a row); the first centre of the smallest
    distance, or the first whose distance is NaN (``argmin``'s choice). No fast-math:
    nothing is reordered or fused. Blocks of rows go to the cores; a row's terms are
    added in its own lane, never to another row's."""
    n, m = x.shape
    k = centres.shape[0]
    for block in prange((n + BLOCK - 1) // BLOCK):
        start = block * BLOCK
        rows = min(n, start + BLOCK) - start
        z = np.empty((m, BLOCK))  # the block standardised, a feature's values side by side
        for j in range(m):
            for r in range(rows):
                z[j, r] = (x[start + r, j] - mean[j]) / scale[j]
        best = np.empty(BLOCK)
        nearest = np.zeros(BLOCK, dtype=np.int64)
        total = np.empty(BLOCK)
        for c in range(k):
            total[:] = 0.0
            for j in range(m):
                centre = centres[c, j]
                for r in range(rows):
                    d = z[j, r] - centre
                    total[r] += d * d
            for r in range(rows):
                t = total[r]
                if c == 0:
                    best[r] = t
                elif t < best[r] or (np.isnan(t) and not np.isnan(best[r])):
                    best[r] = t
                    nearest[r] = c
        out[start : start + rows] = nearest[:rows]


#: :func:`_nearest` compiled, the rows shared among the cores (GNU OpenMP's threads, as
#: :data:`kequn.models._trees.walk`)
nearest = compiled(_nearest, nogil=True, parallel=True)
