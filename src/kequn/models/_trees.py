"""The tree ensemble's scoring loop, compiled by numba (cached on disk) with the rows
shared among the cores. Imported only when a run scores many rows
(:data:`kequn.models.scoring.COMPILED_WORK`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import prange

from kequn.models._compile import compiled

#: rows walked together through one tree, so that tree's nodes stay in the cache
BLOCK = 1024


def _walk(
    x: Any,
    baseline: float,
    roots: Any,
    feature: Any,
    threshold: Any,
    missing_left: Any,
    left: Any,
    right: Any,
    is_leaf: Any,
    value: Any,
    raw: Any,
) -> None:  # pragma: no cover - compiled
    """``raw[i]``: the baseline plus, tree by tree in order, the value of the leaf row
    ``i`` of ``x`` reaches: left when its value is at most the split's threshold, or is
    missing (NaN) and the split sends missing values left; otherwise right. The same
    additions in the same order as :meth:`kequn.models.scoring.Tree.add_to` makes.

    Blocks of rows go to the cores; within a block, tree by tree (the same order of
    additions for each row), which was 20 % quicker than row by row at 1M rows."""
    n = x.shape[0]
    for block in prange((n + BLOCK - 1) // BLOCK):
        start = block * BLOCK
        stop = min(n, start + BLOCK)
        total = np.full(stop - start, baseline)
        for root in roots:
            for r in range(stop - start):
                node = root
                while not is_leaf[node]:
                    v = x[start + r, feature[node]]
                    if v <= threshold[node] or (missing_left[node] and np.isnan(v)):
                        node = left[node]
                    else:
                        node = right[node]
                total[r] += value[node]
        raw[start:stop] = total


#: :func:`_walk` compiled, with the rows shared among the cores. numba's threads here are
#: GNU OpenMP's: a process that forks after scoring and scores again in the child is
#: stopped by OpenMP (kequn forks no such child; a library user should use "spawn")
walk = compiled(_walk, nogil=True, parallel=True)
