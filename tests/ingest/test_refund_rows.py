"""A refund written as a row of its own under its order's id (kequn.ingest.refunds): added
to the order's refunded amount, in the same file or in a later import; a plain repeat of
the id stays a quarantined duplicate.

The sheets use the headers of the public order-sheet templates generic.yaml cites
(订单号, 下单时间, 客户姓名, 联系电话, 实付金额, 状态; 会员卡号 of the member sheets) and its
status words (已完成, 已退款, 待付款); the English file is a shop's sales CSV of amounts
(Order ID, Customer ID, Date, Amount), where a return is a negative row, as Amazon's
Date Range Report writes a Refund under the order's Order ID with a negative total.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kequn.core.i18n import t
from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace

HEAD = "订单号,会员卡号,客户姓名,联系电话,下单时间,实付金额,状态\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _orders(ws: Workspace) -> dict[str, tuple[Decimal, Decimal | None, str]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, amount, refunded, status FROM orders").fetchall()
    return {str(o): (a, r, s) for o, a, r, s in rows}


def _quarantined(ws: Workspace) -> set[tuple[int, str, str]]:
    return {(q["row"], q["column"], q["reason"]) for q in quarantine_rows(ws)}


def test_refund_rows_in_the_file_fold_into_their_orders(ws: Workspace, tmp_path: Path) -> None:
    text = HEAD + (
        "A1,M1,张伟,13812345678,2025-03-01,100,已完成\n"
        "A1,M1,张伟,13812345678,2025-03-05,-30,已退款\n"  # part of A1 back
        "A2,M2,李娜,13912345678,2025-03-02,-50,已退款\n"  # the refund first, its sale after
        "A2,M2,李娜,13912345678,2025-03-02,50,已完成\n"
        "A3,M3,王芳,13712345678,2025-03-03,80,已完成\n"
        "A3,M3,王芳,13712345678,2025-03-03,80,已完成\n"  # the same order twice: a duplicate
        "A4,M4,赵强,13612345678,2025-03-03,60,已完成\n"
        "A4,M5,刘洋,13512345678,2025-03-04,-60,已退款\n"  # another buyer's: no refund of A4
        "A5,M6,陈静,13412345678,2025-03-04,40,待付款\n"
        "A5,M6,陈静,13412345678,2025-03-05,-40,已退款\n"  # an unpaid order refunded: unclear
    )
    report = import_file(ws, "orders", _write(tmp_path, "订单.csv", text), format="generic")
    assert report.refund_rows == 2
    assert "import.refund_rows" in report.notes
    assert report.accepted == 5
    assert report.rejected_by_reason == {"duplicate_id": 3}
    orders = _orders(ws)
    assert orders["A1"] == (Decimal("100.00"), Decimal("30.00"), "partially_refunded")
    assert orders["A2"] == (Decimal("50.00"), Decimal("50.00"), "refunded")
    assert orders["A3"] == (Decimal("80.00"), Decimal("0.00"), "paid")
    assert orders["A4"] == (Decimal("60.00"), Decimal("0.00"), "paid")
    assert orders["A5"][2] == "pending"
    # the plain repeat and the refunds that are not clearly this order's, with file row
    # and column; the two refund rows are neither stored as orders nor quarantined
    assert _quarantined(ws) == {
        (7, "order_id", "duplicate_id"),
        (9, "order_id", "duplicate_id"),
        (11, "order_id", "duplicate_id"),
    }


def test_a_sales_csv_without_statuses_reads_negative_rows_as_returns(
    ws: Workspace, tmp_path: Path
) -> None:
    text = (
        "Order ID,Customer ID,Date,Amount\n"
        "S1,C1,2025-04-01,120.00\n"
        "S1,C1,2025-04-09,-120.00\n"
        "S2,C2,2025-04-02,75.50\n"
        "S2,C2,2025-04-03,-20.00\n"
        "S2,C2,2025-04-04,-5.50\n"
        "S3,C3,2025-04-05,-9.00\n"  # no sale of S3 anywhere: a negative amount, as before
    )
    report = import_file(ws, "orders", _write(tmp_path, "sales.csv", text))
    assert report.refund_rows == 3
    assert report.rejected_by_reason == {"negative_amount": 1}
    orders = _orders(ws)
    assert orders == {
        "S1": (Decimal("120.00"), Decimal("120.00"), "refunded"),
        "S2": (Decimal("75.50"), Decimal("25.50"), "partially_refunded"),
    }
    assert _quarantined(ws) == {(7, "amount", "negative_amount")}


def test_refunds_of_a_quarantined_order_are_quarantined_with_it(
    ws: Workspace, tmp_path: Path
) -> None:
    text = HEAD + (
        "B1,M1,张伟,13812345678,明天,100,已完成\n"  # the order's date is no date
        "B1,M1,张伟,13812345678,2025-03-05,-30,已退款\n"
        "B2,M2,李娜,13912345678,2025-03-02,20,已完成\n"
        "B2,M2,李娜,13912345678,2025-03-03,-50,已退款\n"  # more back than was paid
    )
    report = import_file(ws, "orders", _write(tmp_path, "订单.csv", text), format="generic")
    assert report.rejected_by_reason == {"bad_date": 1, "refund_order_rejected": 1}
    assert report.warnings_by_reason == {"refund_over_amount": 1}
    assert _orders(ws) == {"B2": (Decimal("20.00"), Decimal("20.00"), "refunded")}
    assert _quarantined(ws) == {
        (2, "ordered_at", "bad_date"),
        (3, "order_id", "refund_order_rejected"),
        (4, "refunded", "refund_over_amount"),
    }
    with ws.read() as con:  # no buyer derived from a row that was then quarantined
        buyers = {r[0] for r in con.execute("SELECT customer_id FROM customers").fetchall()}
    assert buyers == {"M2"}
    said = {q["reason"]: q["message"] for q in quarantine_rows(ws, lang="zh")}
    assert "B1" in said["refund_order_rejected"]
    assert "第 2 行" in said["refund_order_rejected"]
    said_en = t("reason.refund_order_rejected", "en", value="B1", detail="2")
    assert "refund of order B1" in said_en
    assert "(2)" in said_en


def test_a_refund_in_a_later_import_reaches_the_stored_order(ws: Workspace, tmp_path: Path) -> None:
    sales = HEAD + (
        "C1,M1,张伟,13812345678,2025-03-01,100,已完成\nC2,M2,李娜,13912345678,2025-03-02,50,已完成\n"
    )
    import_file(ws, "orders", _write(tmp_path, "三月订单.csv", sales), format="generic")
    refunds = HEAD + (
        "C1,M1,张伟,13812345678,2025-03-05,-30,已退款\n"
        "C1,M1,张伟,13812345678,2025-03-08,-10,已退款\n"
        "C2,M2,李娜,13912345678,2025-03-06,-50,已退款\n"
    )
    path = _write(tmp_path, "三月退款.csv", refunds)
    first = import_file(ws, "orders", path, format="generic")
    assert (first.refund_rows, first.refunds_applied, first.accepted) == (3, 2, 0)
    expected = {
        "C1": (Decimal("100.00"), Decimal("40.00"), "partially_refunded"),
        "C2": (Decimal("50.00"), Decimal("50.00"), "refunded"),
    }
    assert _orders(ws) == expected
    # the same refunds again change nothing (never counted twice)
    again = import_file(ws, "orders", path, format="generic")
    assert (again.refund_rows, again.refunds_applied) == (3, 0)
    assert _orders(ws) == expected
    assert _quarantined(ws) == set()


def test_a_later_refund_never_writes_over_an_order_it_does_not_fit(
    ws: Workspace, tmp_path: Path
) -> None:
    sales = HEAD + (
        "D1,M1,张伟,13812345678,2025-03-01,100,已完成\nD2,M2,李娜,13912345678,2025-03-02,50,待付款\n"
    )
    import_file(ws, "orders", _write(tmp_path, "订单.csv", sales), format="generic")
    refunds = HEAD + (
        "D1,M9,孙丽,13312345678,2025-03-05,-30,已退款\n"  # another buyer under D1's number
        "D2,M2,李娜,13912345678,2025-03-06,-50,已退款\n"  # a refund of an unpaid order
    )
    report = import_file(ws, "orders", _write(tmp_path, "退款.csv", refunds), format="generic")
    assert report.rejected_by_reason == {"refund_not_this_order": 2}
    assert _orders(ws) == {
        "D1": (Decimal("100.00"), Decimal("0.00"), "paid"),
        "D2": (Decimal("50.00"), Decimal("0.00"), "pending"),
    }
    assert _quarantined(ws) == {
        (2, "order_id", "refund_not_this_order"),
        (3, "order_id", "refund_not_this_order"),
    }
    said = {q["reason"]: q["message"] for q in quarantine_rows(ws, lang="en")}
    assert "another buyer's or unpaid" in said["refund_not_this_order"]


def test_a_later_sales_csv_return_row_reaches_the_stored_order(
    ws: Workspace, tmp_path: Path
) -> None:
    head = "Order ID,Customer ID,Date,Amount\n"
    import_file(ws, "orders", _write(tmp_path, "april.csv", head + "S1,C1,2025-04-01,120.00\n"))
    report = import_file(
        ws, "orders", _write(tmp_path, "may.csv", head + "S1,C1,2025-05-02,-45.00\n")
    )
    assert (report.refund_rows, report.refunds_applied, report.rejected) == (1, 1, 0)
    assert _orders(ws) == {"S1": (Decimal("120.00"), Decimal("45.00"), "partially_refunded")}
