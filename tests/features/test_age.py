"""The age from a birth date (kequn.features.attributes.finish_attributes): calendar
years, one more on each birthday, on DuckDB and Spark alike."""

from __future__ import annotations

import datetime as dt

import ibis
import pytest

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
    (D(1990, 1, 1), D(1990, 1, 1), 0.0),
]


@pytest.mark.parametrize(("born", "as_of", "age"), CASES)
def test_age_in_calendar_years(born: dt.date, as_of: dt.date, age: float) -> None:
    columns = ibis.memtable(
        {
            "customer_id": ["a", "b"],
            "age": [None, 40.0],
            "birth_date": [born, born],
        },
        schema={"customer_id": "string", "age": "float64", "birth_date": "date"},
    )
    out = finish_attributes(columns, as_of).to_pyarrow().to_pylist()
    assert out == [
        {"customer_id": "a", "age": age},
        {"customer_id": "b", "age": 40.0},  # a stated age wins
    ]
