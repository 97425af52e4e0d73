"""A number of 16 digits or more in a workbook's numeric cell, as Excel keeps one: 15
significant digits, shown 1.10101199003151E+17 (openpyxl writes every digit; kequn reads
such a cell as Excel shows it, :mod:`kequn.ingest.xlsx_raw`).

An id so cut (an order's 订单编号) was already refused with its row and header. A column
kept among a customer's attributes (a member list's 身份证号 or 银行卡号) was stored
without a word, a wrong number standing for the customer's; it is now left out, the
customer kept, and named by file, row and header in the import's summary and the
quarantine."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_long_number_among_a_customers_attributes_is_named(ws: Workspace, tmp_path: Path) -> None:
    path = _book(
        tmp_path / "会员.xlsx",
        [
            ["会员编号", "姓名", "身份证号", "积分"],
            ["V1", "张三", 110101199003151234, 100],  # 18 digits: Excel keeps 15
            ["V2", "李四", "110101199003151235", 123456789012345],  # as text; 15 digits
        ],
    )
    report = import_file(ws, "customers", path)
    assert report.rejected == 0, report.examples
    assert report.accepted == 2  # nobody dropped
    assert report.warnings_by_reason == {"number_lost_digits": 1}
    example = report.examples["number_lost_digits"]
    assert (example["row"], example["column"]) == (2, "身份证号")
    with ws.read() as con:
        got = dict(con.execute("SELECT customer_id, attributes FROM customers").fetchall())
    # the cut number is not kept as the customer's; whole ones are, as written
    assert got["V1"] == {"积分": "100"}
    assert got["V2"] == {"身份证号": "110101199003151235", "积分": "123456789012345"}
    [entry] = quarantine_rows(ws, lang="en")
    assert (entry["file"], entry["row"], entry["column"]) == ("会员.xlsx", 2, "身份证号")
    assert entry["message"].startswith("身份证号 1.10101199003151E+17 is in scientific notation")
    assert entry["record"]["身份证号"] == "1.10101199003151E+17"  # the row as read, kept


def test_a_long_order_number_is_refused_with_its_row_and_header(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _book(
        tmp_path / "orders.xlsx",
        [
            ["订单编号", "买家会员名", "下单时间", "实付金额", "订单状态"],
            ["A1", "amy", "2024-03-05 10:00:00", 10.5, "交易成功"],
            [6953489890610190123, "bob", "2024-03-05 10:00:00", 20, "交易成功"],
        ],
    )
    report = import_file(ws, "orders", path)
    assert report.accepted == 1
    assert report.rejected_by_reason == {"id_lost_digits": 1}
    [entry] = quarantine_rows(ws, lang="zh")
    assert (entry["file"], entry["row"], entry["column"]) == ("orders.xlsx", 3, "order_id")
    # the header is the field's name: said once (it was "订单编号 (order_id)", kequn's id)
    assert entry["message"].startswith("订单编号 6.95348989061019E+18 是科学计数法")


def test_a_cut_phone_keying_an_orders_buyer_is_told_once(ws: Workspace, tmp_path: Path) -> None:
    # no buyer id: the phone is the key (a 17-digit number, as an international
    # number with its prefix typed twice, kept by Excel as 1.38001380012346E+16)
    path = _book(
        tmp_path / "orders.xlsx",
        [
            ["订单号", "手机号", "下单时间", "实付金额", "订单状态"],
            ["A1", 13800138000, "2024-03-05 10:00:00", 10.5, "已付款"],
            ["A2", 13800138001234567, "2024-03-05 10:00:00", 20, "已付款"],
        ],
    )
    report = import_file(ws, "orders", path)
    assert report.accepted == 1
    # the cell is not empty: it was said to be ("required field 手机号 is empty") as well
    assert report.rejected_by_reason == {"id_lost_digits": 1}
    [entry] = quarantine_rows(ws, lang="en")
    assert (entry["file"], entry["row"], entry["column"]) == ("orders.xlsx", 3, "customer_id")
    assert entry["message"].startswith("手机号 (customer id) 1.38001380012346E+16 is in scientific")
