"""Fitted models scoring the buyers where their rows are, on a distributed engine.

Churn and cluster scoring use numpy on the fitted arrays (:mod:`kequn.models.scoring`).
In process (DuckDB) the buyers' features are pulled once and scored here. On Spark that
would bring every buyer's features to the driver (170-290 MiB at 1M customers) and send
the scores back as an in-memory table: it will not do at tens of millions. There the
same numpy function becomes a vectorised user-defined function (:func:`scores_in_batches`)
over the feature columns: Spark's executors run it on Arrow batches of the rows they
hold, with the fitted arrays in its closure, and the scores stay a column of the table.

A row's score depends on that row alone, computed by the same numpy code in the same
order, so it has the same bits as in process, whatever the batch it arrives in
(tests/engines/test_spark_scoring.py compares every buyer's scores).

The executors import kequn to unpickle the function: on a cluster, kequn must be
installed in the executors' Python, as pyspark is.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
#: one float64 array per input column (NaN where missing) -> one score per row
Scorer = Callable[[list[Array]], NDArray[Any]]


def scores_in_batches(
    name: str, scorer: Scorer, inputs: Sequence[ir.Value], dtype: str = "float64"
) -> ir.Value:
    """An expression of ``scorer`` applied to ``inputs`` (each cast to float64), a batch
    of rows at a time, by the engine's workers (a pandas UDF on Spark)."""

    def apply(*columns: Any) -> Any:
        import pandas as pd

        arrays = [np.asarray(column, dtype=np.float64) for column in columns]
        return pd.Series(scorer(arrays), index=columns[0].index)

    # one named parameter per input column: Ibis reads the UDF's arguments from the
    # function's signature, and a *columns parameter would be one argument
    apply.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(f"c{i}", inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for i in range(len(inputs))
        ]
    )
    apply.__name__ = name
    udf = ibis.udf.scalar.pandas(
        apply, name=name, signature=(tuple("float64" for _ in inputs), dtype)
    )
    return udf(*(value.cast("float64") for value in inputs))
