"""The newer 千牛 export of a 天猫 shop: one row per 子订单 under its 主订单编号, no buyer column,
status and money per sub-order (header from a public report over the real xlsx,
github-code-index:40310396030; refund words from opentaobao's Refund model)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = [
    "子订单编号", "主订单编号", "商品标题", "商品价格", "购买数量", "外部系统编号", "商品属性",
    "套餐信息", "联系方式备注", "订单状态", "商家编码", "买家应付货款", "买家实付金额", "退款状态",
    "退款金额", "订单创建时间", "订单付款时间", "商品ID", "商家备注", "主订单买家留言", "发货时间",
    "物流单号", "物流公司",
]  # fmt: skip


ASKED = "买家已经申请退款，等待卖家同意"


def _row(
    sub: str,
    main: str,
    status: str,
    qty: int,
    paid: str,
    refund_word: str,
    refund: str,
    paid_at: str = "2024-01-05 13:05:30",
) -> list[object]:
    cells: list[object] = [sub, main, "纯棉T恤", "59.00", qty, "--", "颜色分类:白色", "--", "--"]
    cells += [status, "TS-W", paid, paid, refund_word, refund, "2024-01-05 13:05:11", paid_at]
    return [*cells, "712345678901", "--", "--", "--", "--", "--"]


def _orders(ws: Workspace) -> dict[str, tuple[str, Decimal, Decimal, int]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded, quantity FROM orders")
        return {str(o).rsplit(":", 1)[-1]: (s, a, r, q) for o, s, a, r, q in rows.fetchall()}


def test_a_tmall_sub_order_export_is_one_order_per_main_order(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        # two lines of one kept order: its money is both lines'
        _row("3801", "380", "交易成功", 2, "108.00", "没有申请退款", "0.00"),
        _row("3802", "380", "交易成功", 1, "54.00", "没有申请退款", "0.00"),
        # one line refunded and closed, the other kept: partly refunded, not closed
        _row("3811", "381", "交易关闭", 1, "189.00", "退款成功", "189.00"),
        _row("3812", "381", "交易成功", 1, "54.00", "没有申请退款", "0.00"),
        # every line closed after its refund
        _row("3821", "382", "交易关闭", 1, "20.00", "退款成功", "20.00"),
        _row("3822", "382", "交易关闭", 1, "30.00", "退款成功", "30.00"),
        _row("3831", "383", "买家已付款，等待卖家发货", 1, "39.00", "没有申请退款", "0.00"),
        _row("3841", "384", "等待买家付款", 3, "29.70", "没有申请退款", "0.00", "--"),
        # a refund asked for and not yet agreed: still the buyer's money kept
        _row("3851", "385", "卖家已发货，等待买家确认", 1, "66.00", ASKED, "66.00"),
    ]
    path = tmp_path / "ExportOrderList202401100000.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    result = import_file(ws, "orders", path)
    assert result.format == "taobao_lines"
    assert result.rejected == 0, result.examples
    assert _orders(ws) == {
        "380": ("paid", Decimal("162.00"), Decimal("0.00"), 3),
        "381": ("partially_refunded", Decimal("243.00"), Decimal("189.00"), 2),
        "382": ("refunded", Decimal("50.00"), Decimal("50.00"), 2),
        "383": ("paid", Decimal("39.00"), Decimal("0.00"), 1),
        "384": ("pending", Decimal("29.70"), Decimal("0.00"), 3),
        "385": ("refunding", Decimal("66.00"), Decimal("0.00"), 1),
    }
