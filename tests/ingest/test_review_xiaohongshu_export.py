"""A 小红书 order export with the header row a public processor of the real file expects
(XIAOHONGSHU_ORDER_HEADERS, github-code-index:55396819094), cut to the columns that matter."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = [
    "订单号",
    "订单状态",
    "售后状态",
    "收件人姓名",
    "收件人电话",
    "收件人地址",
    "省",
    "市",
    "SKU名称",
    "SKU件数",
    "商品总价(元)",
    "用户应付金额(元)",
    "店铺优惠(元)",
    "商家应收金额(元)（支付金额）",
    "支付时间",
    "订单创建时间",
    "店铺名称",
    "用户编号",
    "商家编码",
    "商品名称",
]


def test_a_real_xiaohongshu_header_is_read_as_xiaohongshu(ws: Workspace, tmp_path: Path) -> None:
    rows = [  # order, status, after-sale, buyer (用户编号)
        ("P781234567890123401", "已完成", "无售后", "5f0a1b2c3d4e5f6a7b8c9d01"),
        ("P781234567890123402", "待发货", "无售后", "5f0a1b2c3d4e5f6a7b8c9d02"),
        ("P781234567890123403", "已关闭", "售后完成", "5f0a1b2c3d4e5f6a7b8c9d01"),
        ("P781234567890123404", "已取消", "", "5f0a1b2c3d4e5f6a7b8c9d03"),
    ]
    path = tmp_path / "xhs.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for order, status, after_sale, buyer in rows:
            out.writerow([
                order, status, after_sale, "陈**", "138****6688", "广东省深圳市南山区****",
                "广东省", "深圳市", "面霜 50ml", "2", "1,299.00", "1,199.00", "100.00",
                "1,199.00", "2025-03-04 10:16:00", "2025-03-04 10:15:22", "某某旗舰店",
                buyer, "SKU-1", "面霜",
            ])  # fmt: skip
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    assert result.format == "xiaohongshu"
    with ws.read() as con:
        got = {
            str(o).rsplit(":", 1)[-1]: (s, a, r, str(c).rsplit(":", 1)[-1])
            for o, s, a, r, c in con.execute(
                "SELECT order_id, status, amount, refunded, customer_id FROM orders"
            ).fetchall()
        }
    # the buyer is 用户编号, never the masked receiver phone every order shares
    assert {k: v[3] for k, v in got.items()} == {r[0]: r[3] for r in rows}
    # what the buyer paid, not the list price 商品总价
    assert {v[1] for v in got.values()} == {Decimal("1199.00")}
    assert {k: v[0] for k, v in got.items()} == {
        "P781234567890123401": "paid",
        "P781234567890123402": "paid",
        "P781234567890123403": "refunded",  # closed after an after-sale: money back
        "P781234567890123404": "cancelled",
    }
