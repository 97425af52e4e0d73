"""Thresholds in process: DuckDB's ``quantile_disc`` with an exact decimal q gives the
same value as the definition, the smallest value whose ``cume_dist`` reaches q, on ties,
NULLs, empty and tiny tables, and q where n * q is a whole number."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pytest

from kequn.features import ranks
from kequn.features.ranks import discrete_quantile

QS = (0.0, 0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 0.6, 0.75, 0.8, 0.9, 0.95, 0.99, 1.0)


def by_definition(con: ibis.BaseBackend, table: ir.Table, q: float) -> float | None:
    values = table.filter(table.v.notnull())
    values = values.mutate(cd=ibis.cume_dist().over(order_by=values.v))
    found = con.to_pyarrow(values.filter(values.cd >= q).v.min().cast("float64"))
    return found.as_py()


def cume_dist_quantile(values: np.ndarray, q: float) -> float | None:
    """The definition, in numpy: the smallest value whose share of values up to it
    (``cume_dist``, in float64) reaches ``q``."""
    ordered = np.sort(values)
    shares = np.searchsorted(ordered, ordered, side="right") / float(len(ordered))
    reached = ordered[shares >= q]
    return float(reached.min()) if len(reached) else None


def test_quantile_disc_equals_the_cume_dist_definition() -> None:
    con = ibis.duckdb.connect()
    rng = np.random.default_rng(11)
    compared = 0
    for trial in range(60):
        n = int(rng.integers(1, 41)) if trial < 50 else int(rng.integers(1000, 5000))
        if trial % 3 == 0:
            values = rng.integers(0, 6, n).astype("float64")  # many ties
        elif trial % 3 == 1:
            values = np.round(rng.random(n) * 100, 2)
        else:
            values = rng.integers(-3, 1000, n).astype("float64")
        mask = rng.random(n) < 0.1
        table = con.create_table(
            f"q{trial}", ibis.memtable(pa.table({"v": pa.array(values, mask=mask)}))
        )
        # every q in one query, as the thresholds are read (a cross join of one-row tables)
        row = None
        for i, q in enumerate(QS):
            one = discrete_quantile(table, "v", q).name(f"q{i}").as_table()
            row = one if row is None else row.cross_join(one)
        assert row is not None
        found = con.to_pyarrow(row).to_pylist()[0]
        for i, q in enumerate(QS):
            assert found[f"q{i}"] == cume_dist_quantile(values[~mask], q), (trial, n, q)
            compared += 1
        if trial % 10 == 0:  # and the window itself, on DuckDB, now and then
            assert found["q5"] == by_definition(con, table, QS[5])
    assert compared == 60 * len(QS)


def test_whole_number_ranks_and_other_qs() -> None:
    """n * q whole (10 rows, q = 0.3: the third value), an empty table, and a q with more
    than six places, which keeps the window (compared in floating point as before)."""
    con = ibis.duckdb.connect()
    ten = con.create_table("ten", ibis.memtable({"v": [float(i) for i in range(1, 11)]}))
    assert con.to_pyarrow(discrete_quantile(ten, "v", 0.3)).as_py() == 3.0
    assert con.to_pyarrow(discrete_quantile(ten, "v", 0.0)).as_py() == 1.0
    assert con.to_pyarrow(discrete_quantile(ten, "v", 1.0)).as_py() == 10.0
    empty = ten.filter(ten.v > 100)
    assert con.to_pyarrow(discrete_quantile(empty, "v", 0.5)).as_py() is None
    assert ranks._exact_q(0.95) is not None
    assert ranks._exact_q(1 / 3) is None
    assert ranks._exact_q(1.5) is None
    third = con.to_pyarrow(discrete_quantile(ten, "v", 1 / 3)).as_py()
    assert third == by_definition(con, ten, 1 / 3) == 4.0


@pytest.mark.parametrize("q", [0.8, 1 / 3])
def test_sql_names_the_path(q: float) -> None:
    t = ibis.table({"v": "float64"}, name="t")
    sql = ibis.to_sql(discrete_quantile(t, "v", q).name("x").as_table(), dialect="duckdb")
    assert ("QUANTILE_DISC" in sql.upper()) == (q == 0.8)
