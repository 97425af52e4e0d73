"""An order sheet with a refund amount and no status column (a shop's own sheet of sales
and what went back) is read: the refund amount was settled by the status words, a
column such a file does not have, and the import failed with DuckDB's Binder Error
(Referenced column "status" not found)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def test_a_refund_amount_without_a_status_column_is_read(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "销售记录.csv"
    path.write_text(
        "订单号,下单时间,买家昵称,实付金额,退款金额\n"
        "A1,2025-01-02 10:00:00,小王,100.00,30.00\n"
        "A2,2025-01-03 10:00:00,小李,80.00,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert (report.accepted, report.mapping.get("refunded")) == (2, "退款金额")
    with ws.read() as con:
        rows = con.execute("SELECT order_id, amount, refunded FROM orders ORDER BY 1").fetchall()
    assert rows == [
        ("A1", Decimal("100.00"), Decimal("30.00")),
        ("A2", Decimal("80.00"), Decimal("0.00")),
    ]


def test_the_refund_amount_settles_a_new_order_s_status(ws: Workspace, tmp_path: Path) -> None:
    """As a status column's paid is settled: all of it back, refunded (it was stored paid,
    a purchase of nothing counted among the buyer's orders); part of it, partially."""
    path = tmp_path / "销售记录.csv"
    path.write_text(
        "订单号,下单时间,买家昵称,实付金额,退款金额\n"
        "A1,2025-01-02 10:00:00,小王,100.00,30.00\n"
        "A2,2025-01-03 10:00:00,小李,80.00,80.00\n"
        "A3,2025-01-04 10:00:00,小李,50.00,0\n"
        "A4,2025-01-05 10:00:00,小张,0,0\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", path, create_customers=True)
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status FROM orders ORDER BY 1").fetchall()
    assert rows == [
        ("A1", "partially_refunded"),
        ("A2", "refunded"),
        ("A3", "paid"),
        ("A4", "paid"),
    ]


def test_a_later_sheet_s_refund_settles_a_stored_order(ws: Workspace, tmp_path: Path) -> None:
    """Orders stored paid from an export with a status column, then the shop's sheet of
    amounts and refunds without one: the refunded orders' status follows their refund as
    a new order's does. Kept paid, the buyer's fully refunded order still counted as a
    purchase (of nothing) and the partly refunded one as no refund at all."""
    first = tmp_path / "orders.csv"
    first.write_text(
        "订单号,下单时间,买家昵称,实付金额,订单状态\n"
        "A1,2025-01-02 10:00:00,小王,100.00,交易成功\n"
        "A2,2025-01-03 10:00:00,小李,80.00,交易成功\n"
        "A3,2025-01-04 10:00:00,小李,50.00,等待买家付款\n"
        "A4,2025-01-05 10:00:00,小张,60.00,交易成功\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", first, create_customers=True)
    later = tmp_path / "销售记录.csv"
    later.write_text(
        "订单号,下单时间,买家昵称,实付金额,退款金额\n"
        "A1,2025-01-02 10:00:00,小王,100.00,100.00\n"
        "A2,2025-01-03 10:00:00,小李,80.00,30.00\n"
        "A3,2025-01-04 10:00:00,小李,50.00,50.00\n"
        "A4,2025-01-05 10:00:00,小张,60.00,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", later)
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, refunded FROM orders ORDER BY 1").fetchall()
    assert [(r[0], r[1]) for r in rows] == [
        ("A1", "refunded"),
        ("A2", "partially_refunded"),
        ("A3", "pending"),  # never paid: a refund amount does not make it a sale
        ("A4", "paid"),
    ]
    assert report.updated == 4  # A4's refund, blank, is now 0
    again = import_file(ws, "orders", later)
    assert (again.updated, again.unchanged) == (0, 4)


def test_refund_rows_beside_a_refund_column_settle_it_too(ws: Workspace, tmp_path: Path) -> None:
    """A sheet with both a refund column and refund rows (negative amounts), no status:
    the order whose own row says it was refunded in full is refunded, as in a sheet
    without refund rows. The rows' path gave the file a status column of its own (the
    stored one, else paid) and the refund column was no longer read for it: A1 stayed
    paid."""
    path = tmp_path / "流水.csv"
    path.write_text(
        "订单号,下单时间,买家昵称,实付金额,退款金额\n"
        "A1,2025-01-02 10:00:00,小王,100.00,100.00\n"
        "A2,2025-01-03 10:00:00,小李,80.00,\n"
        "A2,2025-01-10 10:00:00,小李,-80.00,\n"
        "A3,2025-01-04 10:00:00,小张,60.00,20\n"
        "A3,2025-01-11 10:00:00,小张,-10.00,\n"
        "A4,2025-01-05 10:00:00,小张,30.00,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.refund_rows == 2
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, refunded FROM orders ORDER BY 1").fetchall()
    assert rows == [
        ("A1", "refunded", Decimal("100.00")),
        ("A2", "refunded", Decimal("80.00")),
        ("A3", "partially_refunded", Decimal("20.00")),  # the larger of 20 and the row's 10
        ("A4", "paid", Decimal("0.00")),
    ]


def test_next_week_s_full_refund_settles_a_partial_one(ws: Workspace, tmp_path: Path) -> None:
    """A week's sheet says A1 was partly refunded, the next week's that all of it came
    back: A1 stayed partly refunded (a kept purchase of nothing), where the second sheet
    alone made it refunded. A blank refund leaves the stored status as it is, and the
    stored refund with it: A2 was kept partly refunded of 0.00, a refund of nothing."""
    first = tmp_path / "第1周.csv"
    first.write_text(
        "订单号,下单时间,买家昵称,实付金额,退款金额\n"
        "A1,2025-01-02 10:00:00,小王,100.00,30.00\n"
        "A2,2025-01-03 10:00:00,小李,80.00,20.00\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", first, create_customers=True)
    later = tmp_path / "第2周.csv"
    later.write_text(
        "订单号,下单时间,买家昵称,实付金额,退款金额\n"
        "A1,2025-01-02 10:00:00,小王,100.00,100.00\n"
        "A2,2025-01-03 10:00:00,小李,80.00,\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", later)
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, refunded FROM orders ORDER BY 1").fetchall()
    assert rows == [
        ("A1", "refunded", Decimal("100.00")),
        ("A2", "partially_refunded", Decimal("20.00")),
    ]
    again = import_file(ws, "orders", later)
    assert (again.updated, again.unchanged) == (0, 2)
