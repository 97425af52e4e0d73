"""京东's 等待境内发货. The JD order API's WAIT_SELLER_DELIVERY is 等待发货, and for a
海外购 shop the orders under the label 等待境内发货 (github-code-index:20684409627, cited in
jd.yaml; ShopeX's JD order download maps it to its paid, waiting-to-ship state:
github-code-index:41835729575, "等待发货（只适用于海外购商家，含义为“等待境内发货”标签下的
订单）"). Such an order was refused as an unknown status, its money lost to the shop's
sales."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

# 京东 商家后台 order export, in the column order a public importer's dumped sample row
# shows (github-code-index:44332149538); read as gb18030 CSV by the importers in jd.yaml
JD = [
    "订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额",
    "结算金额", "余额支付", "应付金额", "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址",
    "联系电话", "订单备注", "发票类型", "发票抬头", "发票内容", "商家备注",
    "商家备注等级（等级1-5为由高到低）", "运费金额", "付款确认时间", "增值税发票", "货号",
    "订单完成时间", "订单来源", "订单渠道",
]  # fmt: skip


def test_an_overseas_shops_order_waiting_to_ship_at_home(ws: Workspace, tmp_path: Path) -> None:
    """Each order has two SKU rows, the order's 应付金额 (with a thousands separator, as
    the cleaners in jd.yaml strip it) and status repeated on both: one order, its
    payable amount once."""
    path = tmp_path / "京东订单.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(JD)
        for order, status in (("31725500001", "等待境内发货"), ("31725500002", "等待出库")):
            for sku, name, qty, price in (
                ("100012043978", "进口奶粉", "2", "658.00"),
                ("100087654321", "奶瓶", "1", "89.00"),
            ):
                row = dict.fromkeys(JD, "")
                row.update({
                    "订单号": order, "商品ID": sku, "商品名称": name, "订购数量": qty,
                    "支付方式": "在线支付", "下单时间": "2025-03-01 10:00:00", "京东价": price,
                    "订单金额": "1,405.00", "结算金额": "1,305.00", "余额支付": "0.00",
                    "应付金额": "1,305.00", "订单状态": status, "订单类型": "销售订单",
                    "下单帐号": f"jd_{order[-1]}", "付款确认时间": "2025-03-01 10:01:00",
                    "订单来源": "移动端订单", "订单渠道": "暂无来源",
                })  # fmt: skip
                out.writerow([row[h] for h in JD])
    result = import_file(ws, "orders", path)
    assert result.format == "jd"
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, quantity FROM orders").fetchall()
    got = {str(o).rsplit(":", 1)[-1]: (s, a, q) for o, s, a, q in rows}
    assert got == {
        "31725500001": ("paid", Decimal("1305.00"), 3),
        "31725500002": ("paid", Decimal("1305.00"), 3),
    }
