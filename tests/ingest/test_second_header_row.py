"""A sheet whose column names are spread over two rows, under merged labels: the second
row is read with the header, not quarantined as an order (the review of files made by
hand); a data row under a header with blanks is never taken for one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kequn.ingest.header_rows import second_header
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _orders(ws: Workspace) -> dict[str, tuple[object, ...]]:
    with ws.read() as con:
        rows = con.execute(
            "SELECT order_id, customer_id, ordered_at, amount FROM orders"
        ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_an_xlsx_with_a_merged_label_over_two_columns(ws: Workspace, tmp_path: Path) -> None:
    """金额 merged over 商品金额 | 运费: row 2 was quarantined (no buyer, 金额 not an
    amount: 商品金额) and 运费 showed as "column 4 (no header)"."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["订单号", "下单时间", "金额", None, "买家"])
    sheet.merge_cells("C1:D1")
    sheet.merge_cells("A1:A2")
    sheet.append([None, None, "商品金额", "运费", None])
    sheet.append(["B1", "2024-10-01 10:00", 100, 10, "U1"])
    sheet.append(["B2", "2024-10-02 11:00", 200, 0, "U2"])
    path = tmp_path / "两行表头.xlsx"
    book.save(path)
    report = import_file(ws, "orders", path, create_customers=True)
    assert (report.accepted, report.rejected) == (2, 0)
    assert report.skipped == [{"row": 2, "text": "商品金额 | 运费", "header": True}]
    assert report.headers == ["订单号", "下单时间", "金额", "运费", "买家"]
    assert report.mapping["amount"] == "金额"
    assert _orders(ws)["B2"] == ("U2", dt.datetime(2024, 10, 2, 11), 200)


def test_a_csv_whose_group_label_gives_way_to_its_columns(ws: Workspace, tmp_path: Path) -> None:
    """As Excel saves such a sheet as CSV: the group's name (收货信息, not a column kequn
    knows) in its first column, blanks after; the names below are the columns'. Row
    numbers stay the file's: a bad row is row 4."""
    path = tmp_path / "orders.csv"
    path.write_text(
        "订单编号,下单时间,实付金额,收货信息,\n"
        ",,,收货人,手机号\n"
        "A1,2024-01-05 10:00,88,张三,13800138000\n"
        "A2,not a date,99,李四,13900139000\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert (report.accepted, report.rejected) == (1, 1)
    assert report.skipped[0]["row"] == 2
    assert report.headers == ["订单编号", "下单时间", "实付金额", "收货人", "手机号"]
    with ws.read() as con:
        bad = con.execute('SELECT "row" FROM quarantine').fetchall()
    assert [r for (r,) in bad] == [4]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a data row fills the columns the header names
        ([["客户编号", "姓名", "备注", ""], ["C1", "张三", "VIP", "x"]], None),
        # values (a number, a date) make a row data
        ([["订单号", "金额", ""], ["", "商品金额", "100"]], None),
        ([["订单号", "日期", ""], ["", "2024-01-05", "运费"]], None),
        # one name alone is too little to say
        ([["订单号", "金额", ""], ["", "", "运费"]], None),
        # no name kequn knows: a row of notes beside a note column
        ([["客户编号", "姓名", "备注", ""], ["", "", "VIP客户", "重要"]], None),
        # a name under a header cell that starts no span
        ([["订单号", "金额", "买家"], ["", "商品金额", "运费"]], None),
        (
            [["订单号", "金额", "", "买家"], ["", "商品金额", "运费", ""]],
            ["订单号", "金额", "运费", "买家"],
        ),
        (
            [["订单号", "收货信息", "", ""], ["", "收货人", "电话", "地址"]],
            ["订单号", "收货人", "电话", "地址"],
        ),
        # nothing below the header
        ([["订单号", "金额", ""]], None),
    ],
)
def test_what_counts_as_a_second_header_row(
    rows: list[list[str]], expected: list[str] | None
) -> None:
    assert second_header(rows, 0) == expected
