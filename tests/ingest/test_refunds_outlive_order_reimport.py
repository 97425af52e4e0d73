"""An order export imported again after the 退款管理 export keeps the refunds that export
applied: the order file taken on the 5th (退款金额 0) imported once more on the 20th,
after the refunds, put a partly refunded order back to paid with nothing refunded and a
full refund back to a purchase, both told as "updated". Now the refunds kept by their
退款编号 (refund_ledger) stay; a later order export that says the same refund counts it
once, and the 2016 export without a 退款金额 column keeps them too.

The files are built as tests/ingest/test_aftersale_refunds.py builds them: the order file
from the ExportOrderList headers formats/taobao.yaml cites (GBK, 订单编号 as ="…"), the
refunds file from the 退款管理 columns formats/taobao_refunds.yaml cites
(github-code-index:42548244805: 订单编号, 退款编号, 买家退款金额, 退款状态 …)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

ORDER_HEADERS = [
    "订单编号", "买家会员名", "买家应付货款", "买家实际支付金额", "订单状态", "收货人姓名",
    "收货地址 ", "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝总数量",
    "订单关闭原因", "退款金额",
]  # fmt: skip
REFUND_HEADERS = [
    "订单编号", "退款编号", "支付宝交易号", "订单付款时间", "买家实际支付金额", "宝贝标题",
    "买家退款金额", "退款的申请时间", "退款状态", "部分退款/全部退款",
]  # fmt: skip
#: order id -> (buyer, paid)
ORDERS = {"3120000000000000001": ("tb_zhang", "100.00"), "3120000000000000002": ("tb_li", "50.00")}


def _orders(tmp_path: Path, refunded: dict[str, str], *, old: bool = False) -> Path:
    """The order export, each order's 退款金额 as ``refunded`` says (the 2016 export,
    ``old``, has no such column)."""
    headers = ORDER_HEADERS[:-1] if old else ORDER_HEADERS
    lines = [",".join(headers)]
    for n, (oid, (buyer, paid)) in enumerate(ORDERS.items()):
        row = [
            f'="{oid}"', buyer, paid, paid, "交易成功", "张伟", "浙江省 杭州市 西湖区 文三路1号",
            f"'1381234567{n}", f"2025-03-0{n + 1} 10:00:00", f"2025-03-0{n + 1} 10:01:00",
            "纯棉T恤", "1", "订单未关闭", refunded.get(oid, "0.00"),
        ]  # fmt: skip
        lines.append(",".join(row[: len(headers)]))
    path = tmp_path / f"ExportOrderList20250305{'old' if old else ''}{len(refunded)}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="gbk")
    return path


def _refunds(tmp_path: Path) -> Path:
    rows = [
        ("3120000000000000001", "170001", "100.00", "40.00", "部分退款"),
        ("3120000000000000002", "170002", "50.00", "50.00", "全部退款"),
    ]
    lines = [",".join(REFUND_HEADERS)]
    for oid, rid, paid, money, part in rows:
        lines.append(
            ",".join(
                [f'="{oid}"', f'="{rid}"', "2025030122001400000000", "2025-03-01 10:01:00",
                 paid, "纯棉T恤", money, "2025-03-10 12:00:00", "退款成功", part]
            )
        )  # fmt: skip
    path = tmp_path / "退款管理20250320.csv"
    path.write_text("\n".join(lines) + "\n", encoding="gbk")
    return path


def _state(ws: Workspace) -> dict[str, tuple[Decimal, str]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, refunded, status FROM orders").fetchall()
    return {oid.split(":")[-1]: (refunded, status) for oid, refunded, status in rows}


REFUNDED = {
    "3120000000000000001": (Decimal("40.00"), "partially_refunded"),
    "3120000000000000002": (Decimal("50.00"), "refunded"),
}


@pytest.mark.parametrize("old", [False, True])
def test_the_order_export_again_keeps_the_refunds_applied(
    ws: Workspace, tmp_path: Path, old: bool
) -> None:
    before = _orders(tmp_path, {}, old=old)
    import_file(ws, "orders", before)
    import_file(ws, "orders", _refunds(tmp_path))
    assert _state(ws) == REFUNDED
    again = import_file(ws, "orders", before)
    assert (again.accepted, again.updated, again.unchanged) == (2, 0, 2)
    assert _state(ws) == REFUNDED


def test_a_later_order_export_saying_the_refund_counts_it_once(
    ws: Workspace, tmp_path: Path
) -> None:
    import_file(ws, "orders", _orders(tmp_path, {}))
    import_file(ws, "orders", _refunds(tmp_path))
    later = {"3120000000000000001": "40.00", "3120000000000000002": "50.00"}
    report = import_file(ws, "orders", _orders(tmp_path, later))
    assert report.rejected == 0
    assert _state(ws) == REFUNDED


def test_a_sales_sheet_again_keeps_the_refund_rows_of_another_file(
    ws: Workspace, tmp_path: Path
) -> None:
    """A hand sheet's sale rows imported again after a file of its refund rows (``A1,
    -30, 已退款``: kequn.ingest.refunds) keep the refund: the order was set back to paid
    with its 30 still refunded."""
    sales = tmp_path / "销售.csv"
    sales.write_text(
        "订单编号,客户编号,下单时间,实付金额,订单状态\n"
        "A1,C1,2025-01-03,100,已完成\nA2,C2,2025-01-04,60,已完成\nA3,C3,2025-01-05,20,已完成\n",
        encoding="utf-8",
    )
    returns = tmp_path / "退货.csv"
    returns.write_text(
        "订单编号,客户编号,下单时间,实付金额,订单状态\n"
        "A1,C1,2025-01-10,-30,已退款\nA3,C3,2025-01-11,-20,已退款\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", sales)
    import_file(ws, "orders", returns)
    kept = {
        "A1": (Decimal("30.00"), "partially_refunded"),
        "A2": (None, "paid"),
        "A3": (Decimal("20.00"), "refunded"),
    }
    assert _state(ws) == kept
    again = import_file(ws, "orders", sales)
    assert (again.updated, again.unchanged) == (0, 3)
    assert _state(ws) == kept
