"""A no-break space (U+00A0: a cell copied from a web page, or set with Excel's CHAR(160);
U+202F and U+2007 alike) around an id is trimmed as a space is (NFKC has it as one):
"C1" with one after it, or before it, was a customer of its own, printing exactly like
C1, and a customers file's "C1 " left its orders' C1 unknown."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

NBSP, NNBSP = "\u00a0", "\u202f"


def _ids(ws: Workspace) -> list[tuple[str, str]]:
    with ws.read() as con:
        return con.execute("SELECT order_id, customer_id FROM orders ORDER BY 1").fetchall()


def test_no_break_spaces_around_ids_are_trimmed(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "订单编号,客户编号,下单时间,实付金额,订单状态\n"
        "A1,C1,2025-01-03,100,已完成\n"
        f"A2,C1{NBSP},2025-01-04,{NBSP}60{NBSP},{NBSP}已完成\n"
        f"A3{NNBSP},{NBSP}C1,2025-01-05,70,已完成\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path)
    assert (report.accepted, report.derived_customers) == (3, 1)
    assert _ids(ws) == [("A1", "C1"), ("A2", "C1"), ("A3", "C1")]


def test_a_customers_sheet_s_id_with_a_no_break_space_meets_its_orders(
    ws: Workspace, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["客户编号", "姓名", "手机"])
    sheet.append([f"C1{NBSP}", f"张{NBSP}三", "13800138000"])
    customers = tmp_path / "客户.xlsx"
    book.save(customers)
    import_file(ws, "customers", customers)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单编号,客户编号,下单时间,实付金额,订单状态\nA1,C1,2025-01-03,100,已完成\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", orders)
    assert (report.accepted, report.rejected) == (1, 0)
    with ws.read() as con:
        assert con.execute("SELECT customer_id, name FROM customers").fetchall() == [
            ("C1", "张 三")
        ]
