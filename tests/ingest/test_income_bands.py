"""A declared income as customer files and survey forms give it: a band (5000-10000,
10万-20万), an open band (30万以上), a unit (1.5万, 15k), per month (月入8千, or a column
headed 月收入) all were "not an amount" and left empty, so the income dimension put the
customer in "no income given"; a column headed 月收入 was read as a yearly income, twelve
times too small. Income is kept per year (the taxonomy's lines are yearly)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.workspace import Workspace

YEARLY = [  # (cell under 年收入, the yearly income kept)
    ("120000", 120_000),
    ("¥120,000", 120_000),
    ("1.5万", 15_000),
    ("15k", 15_000),
    ("5000-10000", 7_500),
    ("10万-20万", 150_000),
    ("10-20万", 150_000),  # the unit written once
    ("5000-1万", 7_500),  # 5000 is not 5000万
    ("20k～30k", 25_000),
    ("10万至20万", 150_000),
    ("100000 - 200000", 150_000),
    ("30万以上", 300_000),
    ("30w+", 300_000),
    ("≥50万", 500_000),
    ("超过50万", 500_000),
    ("5万以下", 25_000),
    ("<5万", 25_000),
    ("约20万", 200_000),
    ("20万左右", 200_000),
    ("月入8千", 96_000),  # per month in the cell: x 12
    ("8000/月", 96_000),
    ("税前月薪15k", 180_000),
    ("年收入30万以上", 300_000),
    ("50万-100万/年", 750_000),
]


def _customers(tmp_path: Path, header: str, cells: list[str]) -> Path:
    path = tmp_path / "customers.csv"
    rows = "".join(f'C{i},"{cell}"\n' for i, cell in enumerate(cells))
    path.write_text(f"客户编号,{header}\n{rows}", encoding="utf-8")
    return path


def _incomes(ws: Workspace) -> dict[str, float | None]:
    with ws.read() as con:
        rows = con.execute("SELECT customer_id, income FROM customers").fetchall()
    return {cid: None if v is None else float(v) for cid, v in rows}


def test_bands_units_and_months_are_read_as_a_yearly_income(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(ws, "customers", _customers(tmp_path, "年收入", [c for c, _ in YEARLY]))
    assert report.accepted == len(YEARLY)
    assert not report.warnings_by_reason, report.warnings_by_reason
    found = _incomes(ws)
    assert {cell: found[f"C{i}"] for i, (cell, _) in enumerate(YEARLY)} == {
        cell: pytest.approx(kept) for cell, kept in YEARLY
    }


@pytest.mark.parametrize("header", ["月收入", "家庭月收入", "月薪", "Monthly income"])
def test_a_column_headed_per_month_is_kept_per_year(
    ws: Workspace, tmp_path: Path, header: str
) -> None:
    cells = ["12000", "1-2万", "8000/月", "50万/年"]  # a cell's own period wins
    import_file(ws, "customers", _customers(tmp_path, header, cells))
    assert _incomes(ws) == {"C0": 144_000, "C1": 180_000, "C2": 96_000, "C3": 500_000}


def test_a_monthly_column_of_numbers_is_kept_per_year(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "customers.parquet"
    pq.write_table(pa.table({"客户编号": ["A", "B"], "月收入": [12000.0, 30000.5]}), path)
    import_file(ws, "customers", path)
    assert _incomes(ws) == {"A": 144_000, "B": pytest.approx(360_006)}


def test_no_income_given_is_empty_and_words_that_are_no_amount_are_told(
    ws: Workspace, tmp_path: Path
) -> None:
    cells = ["保密", "不详", "N/A", "prefer not to say", "-", "很多", "1.2.3", "5-"]
    report = import_file(ws, "customers", _customers(tmp_path, "收入区间", cells))
    assert report.accepted == len(cells)
    assert set(_incomes(ws).values()) == {None}
    assert report.warnings_by_reason == {"bad_money": 3}  # 很多, 1.2.3, 5-: told


def test_the_income_dimension_reads_the_bands(ws: Workspace, tmp_path: Path) -> None:
    cells = ["30万以上", "10-20万", "月入3千", "保密"]
    import_file(ws, "customers", _customers(tmp_path, "收入水平", cells))
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单号,客户编号,下单时间,实付金额\n"
        + "".join(f"O{i},C{i},2026-05-0{i + 1},100\n" for i in range(4)),
        encoding="utf-8",
    )
    import_file(ws, "orders", orders)
    run = run_taxonomy(ws, with_models=False)
    table = pq.read_table(run.labels_path, columns=["customer_id", "income_level"])
    levels = {row["customer_id"]: row["income_level"] for row in table.to_pylist()}
    assert levels == {"C0": "high", "C1": "middle", "C2": "low", "C3": "unknown"}


@pytest.mark.parametrize(
    ("header", "cell"),
    [
        ("年收入", "5" * 30),  # past DECIMAL(18, 2)
        ("年收入", "5" * 400),  # past a DOUBLE: inf
        ("年收入", "1" + "0" * 20 + "以上"),  # a band's bound past DECIMAL(18, 2)
        ("月收入", "9" * 16),  # fits, and twelve times it does not
    ],
)
def test_an_income_too_large_to_keep_is_emptied_and_told_not_the_import_stopped(
    ws: Workspace, tmp_path: Path, header: str, cell: str
) -> None:
    """It stopped the whole import: "Could not cast value inf to DECIMAL(18,2)"."""
    report = import_file(ws, "customers", _customers(tmp_path, header, [cell, "12000"]))
    assert (report.accepted, report.rejected) == (2, 0)
    assert report.warnings_by_reason == {"bad_money": 1}
    assert _incomes(ws) == {"C0": None, "C1": 12000 * (12 if header == "月收入" else 1)}


def test_a_monthly_column_of_numbers_too_large_to_keep_per_year_is_emptied(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "customers.parquet"
    pq.write_table(pa.table({"客户编号": ["A", "B"], "月收入": [9.9e15, 1000.0]}), path)
    report = import_file(ws, "customers", path)
    assert report.warnings_by_reason == {"bad_money": 1}
    assert _incomes(ws) == {"A": None, "B": 12_000}


def test_a_headcount_past_the_largest_integer_is_emptied_and_told(
    ws: Workspace, tmp_path: Path
) -> None:
    report = import_file(
        ws, "customers", _customers(tmp_path, "员工人数", ["9" * 25 + "人", "300人"])
    )
    assert (report.accepted, report.rejected) == (2, 0)
    assert report.warnings_by_reason == {"bad_number": 1}
