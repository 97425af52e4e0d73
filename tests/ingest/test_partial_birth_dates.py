"""A birth date as member files give one: a year and month (1985年7月) or a year alone
(1975) was "not a date" and left empty, so the customer's age group was unknown; an age
needs no more. A month and day without a year is still no birth date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _births(ws: Workspace) -> dict[str, dt.date | None]:
    with ws.read() as con:
        return dict(con.execute("SELECT customer_id, birth_date FROM customers").fetchall())


def test_a_year_and_month_or_a_year_is_a_birth_date(ws: Workspace, tmp_path: Path) -> None:
    cells = {
        "A": ("1990-05-01", dt.date(1990, 5, 1)),
        "B": ("1985年7月", dt.date(1985, 7, 1)),
        "C": ("1985-07", dt.date(1985, 7, 1)),
        "D": ("1985.7", dt.date(1985, 7, 1)),
        "E": ("1975", dt.date(1975, 1, 1)),
        "F": ("1975年", dt.date(1975, 1, 1)),
        "G": ("2001/12", dt.date(2001, 12, 1)),
        "H": ("05-01", None),  # no year: no age
        "I": ("1985-13", None),
        "J": ("保密", None),
    }
    path = tmp_path / "members.csv"
    path.write_text(
        "会员编号,出生年月\n" + "".join(f"{k},{v}\n" for k, (v, _) in cells.items()),
        encoding="utf-8",
    )
    report = import_file(ws, "customers", path)
    assert report.accepted == len(cells)
    assert _births(ws) == {k: want for k, (_, want) in cells.items()}
    # 1985-13 and 保密 are no date; 05-01 a birthday without its year: each told
    assert report.warnings_by_reason == {"bad_date": 2, "birthday_no_year": 1}


def test_a_column_of_birth_years_as_numbers(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "members.parquet"
    pq.write_table(pa.table({"会员编号": ["A", "B"], "出生年份": [1975, 19900501]}), path)
    import_file(ws, "customers", path)
    assert _births(ws) == {"A": dt.date(1975, 1, 1), "B": dt.date(1990, 5, 1)}
