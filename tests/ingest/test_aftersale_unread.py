"""After-sale exports kequn has no profile for (抖店, 拼多多, 京东: their columns are not
publicly defined) are refused in words: read as orders by the general headers, each refund
became a new sale, paid in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.core.i18n import speaking
from kequn.ingest.importer import import_file
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace


def _orders(ws: Workspace) -> int:
    with ws.read() as con:
        row = con.execute("SELECT count(*) FROM orders").fetchone()
    return int(row[0]) if row else 0


@pytest.mark.parametrize(
    ("case_id", "header"),
    [
        ("售后编号", "售后编号"),
        ("服务单号", "服务单号"),
        ("Refund ID", "Refund ID"),
        # the spellings of the id an exact list missed: each file was read as new orders
        ("售后单号（子单）", "售后单号（子单）"),
        ("退款单ID", "退款单ID"),
        ("售后服务单号", "售后服务单号"),
        ("维权编号", "维权编号"),
        ("Amazon RMA ID", "Amazon RMA ID"),
    ],
)
def test_an_after_sale_file_is_refused_not_stored_as_orders(
    ws: Workspace, tmp_path: Path, case_id: str, header: str
) -> None:
    path = tmp_path / "售后单导出.csv"
    path.write_text(
        f"{header},订单号,下单时间,买家昵称,实付金额,退款金额,售后状态\n"
        "AS1,A1001,2025-01-02 10:00:00,小王,100.00,30.00,退款成功\n"
        "AS2,A1002,2025-01-03 11:00:00,小李,80.00,80.00,退款成功\n",
        encoding="utf-8",
    )
    with speaking("zh"), pytest.raises(SourceError) as zh:
        import_file(ws, "orders", path, create_customers=True)
    assert "售后单导出.csv" in str(zh.value)
    assert f"「{case_id}」" in str(zh.value)
    assert "taobao_refunds" in str(zh.value)
    with speaking("en"), pytest.raises(SourceError, match="after-sale"):
        import_file(ws, "orders", path, create_customers=True)
    assert _orders(ws) == 0


def test_an_order_sheet_with_a_refund_number_and_a_status_is_orders(
    ws: Workspace, tmp_path: Path
) -> None:
    """A shop's own sheet may note a refund's number beside the order's status."""
    path = tmp_path / "orders.csv"
    path.write_text(
        "订单号,下单时间,会员卡号,实付金额,订单状态,退款金额,退款单号\n"
        "A1001,2025-01-02 10:00:00,M1,100.00,已完成,0,\n"
        "A1002,2025-01-03 11:00:00,M2,80.00,已退款,80.00,R9\n",
        encoding="utf-8",
    )
    assert import_file(ws, "orders", path, create_customers=True).accepted == 2
    assert _orders(ws) == 2


@pytest.mark.parametrize(
    ("header", "status"), [("退款单号", ""), ("退款单号", ",退款状态"), ("Refund ID", "")]
)
def test_an_order_sheet_noting_refund_numbers_without_a_status_is_orders(
    ws: Workspace, tmp_path: Path, header: str, status: str
) -> None:
    """Without an order status either: the orders not refunded have no refund number and
    no refund money, which no row of an after-sale export lacks (each is a refund)."""
    said = ",退款成功" if status else ""
    path = tmp_path / "orders.csv"
    path.write_text(
        f"订单号,下单时间,会员卡号,实付金额,退款金额,{header}{status}\n"
        f"A1001,2025-01-02 10:00:00,M1,100.00,0.00,{',' if status else ''}\n"
        f"A1002,2025-01-03 11:00:00,M2,80.00,30.00,R9{said}\n",
        encoding="utf-8",
    )
    assert import_file(ws, "orders", path, create_customers=True).accepted == 2
    with ws.read() as con:
        rows = con.execute("SELECT order_id, refunded FROM orders ORDER BY 1").fetchall()
    assert [(o, str(r)) for o, r in rows] == [("A1001", "0.00"), ("A1002", "30.00")]
