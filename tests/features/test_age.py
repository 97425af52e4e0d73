"""The age from a birth date (kequn.features.attributes.finish_attributes): calendar
years, one more on each birthday, on DuckDB and Spark alike."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import duckdb
import ibis
import pytest

from kequn.engines.duckdb import DuckDBEngine
from kequn.features.attributes import finish_attributes

D = dt.date
CASES = [
    # (born, as of, age)
    (D(2000, 3, 1), D(2026, 3, 1), 26.0),  # the birthday itself (days / 365.25 said 25)
    (D(2000, 3, 1), D(2026, 2, 28), 25.0),
    (D(2000, 12, 31), D(2026, 12, 30), 25.0),
    (D(2000, 12, 31), D(2026, 12, 31), 26.0),
    (D(2004, 2, 29), D(2026, 2, 28), 21.0),  # born on 29 February: older on 1 March
    (D(2004, 2, 29), D(2026, 3, 1), 22.0),
    (D(2004, 2, 29), D(2028, 2, 29), 24.0),
    # not a customer's age: unknown rather than a youth or a senior
    (D(1990, 1, 1), D(1990, 1, 1), None),  # born on the day itself
    (D(2030, 1, 1), D(2026, 3, 1), None),  # born after the as-of date (was -4)
    (D(1900, 1, 1), D(2026, 3, 1), None),  # a placeholder birth date (was 126)
    (D(1906, 3, 1), D(2026, 3, 1), 120.0),
]


@pytest.mark.parametrize("written", ["literal", "duckdb variable"])
@pytest.mark.parametrize(("born", "as_of", "age"), CASES)
def test_age_in_calendar_years(
    born: dt.date, as_of: dt.date, age: float | None, written: str, tmp_path: Path
) -> None:
    columns = ibis.memtable(
        {
            "customer_id": ["a", "b"],
            "age": [None, 40.0],
            "birth_date": [born, born],
        },
        schema={"customer_id": "string", "age": "float64", "birth_date": "date"},
    )
    if written == "literal":
        out = finish_attributes(columns, as_of).to_pyarrow().to_pylist()
    else:
        # as a run writes it on DuckDB: the date is a variable set on the connection
        with DuckDBEngine(
            contextlib.nullcontext(duckdb.connect()), tmp_dir=tmp_path, memory_limit="200MB"
        ) as engine:
            expr = finish_attributes(columns, engine.date_value(as_of))
            assert "GETVARIABLE" in engine.con.compile(expr)
            out = engine.con.to_pyarrow(expr).to_pylist()
    assert out == [
        {"customer_id": "a", "age": age},
        {"customer_id": "b", "age": 40.0},  # a stated age wins
    ]


@pytest.mark.parametrize(
    ("stated", "age"), [(0.0, 26.0), (150.0, 26.0), (-3.0, 26.0), (1.0, 1.0), (120.0, 120.0)]
)
def test_a_stated_age_out_of_range_is_not_an_age(stated: float, age: float) -> None:
    # 0 as an export leaves an unset age, 150 a typing slip: the birth date's age instead,
    # and unknown without one
    columns = ibis.memtable(
        {"customer_id": ["a", "b"], "age": [stated, stated], "birth_date": [D(2000, 3, 1), None]},
        schema={"customer_id": "string", "age": "float64", "birth_date": "date"},
    )
    out = finish_attributes(columns, D(2026, 3, 1)).to_pyarrow().to_pylist()
    unset = 1.0 <= stated <= 120.0
    assert out == [
        {"customer_id": "a", "age": age},
        {"customer_id": "b", "age": stated if unset else None},
    ]
