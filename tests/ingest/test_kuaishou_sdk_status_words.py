"""快手小店's order and refund states as kuaishou.yaml's public SDK source names them
(https://github.com/AndersonBY/kwaixiaodian-python-sdk/blob/main/src/kwaixiaodian/models/
common.py: OrderStatus 待付款, 待发货, 待收货, 已完成, 已关闭; RefundStatus 等待商家同意,
等待买家退货, 等待商家确认收货, 退款成功, 退款关闭). The profile cited 待收货 but did not
map it: a shipped order waiting for its buyer was refused as an unknown status; and the
three refunds under way were named unknown and read as no refund at all."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

# the first columns of the 批量导出 xlsx as a review of 213,351 rows of it lists them
# (github-code-index:61522271937, cited in kuaishou.yaml), 实付款 written with ¥ and
# thousands separators there
KUAISHOU = [
    "订单号", "赠品订单号", "活动订单编号", "订单创建时间", "订单支付时间", "预售定金支付时间",
    "订单状态", "实付款", "快递费", "店铺优惠", "平台补贴", "主播补贴", "混资活动优惠", "支付优惠",
    "支付方式", "成交数量", "买家留言", "账号类型", "账号明细", "订单备注", "旗帜颜色", "售后状态",
    "商品名称", "商品ID", "商品规格", "SKU编码", "商品单价", "收货人姓名", "收货人电话",
    "收货地址-省", "收货地址-市", "收货地址",
]  # fmt: skip


def test_sdk_order_and_refund_states(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        # (订单号, 订单状态, 实付款, 售后状态)
        ("2512010000001", "待收货", "¥1,299.90", ""),
        ("2512010000002", "已发货", "¥59.00", "等待商家同意"),
        ("2512010000003", "已收货", "¥88.00", "等待买家退货"),
        ("2512010000004", "已收货", "¥45.00", "等待商家确认收货"),
        ("2512010000005", "交易成功", "¥30.00", "退款关闭"),
    ]
    path = tmp_path / "快手订单导出.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(KUAISHOU)
    for n, (order, status, paid, after_sale) in enumerate(rows):
        row = dict.fromkeys(KUAISHOU, "")
        row.update({
            "订单号": order, "订单创建时间": "2025-12-01 10:00:00",
            "订单支付时间": "2025-12-01 10:01:00", "订单状态": status, "实付款": paid,
            "支付方式": "微信", "成交数量": "1", "售后状态": after_sale, "商品名称": "手工皂",
            "商品ID": "22334455", "SKU编码": f"SKU-{n}", "商品单价": paid,
            "收货人姓名": "王芳", "收货人电话": f"1380013800{n}", "收货地址-省": "浙江省",
            "收货地址-市": "杭州市", "收货地址": "浙江省杭州市西湖区文三路1号",
        })  # fmt: skip
        sheet.append([row[h] for h in KUAISHOU])
    book.save(path)
    result = import_file(ws, "orders", path)
    assert result.format == "kuaishou"
    assert result.rejected == 0, result.examples
    assert result.unknown_refund_words == {}
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    got = {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}
    assert got == {
        "2512010000001": ("paid", Decimal("1299.90"), Decimal("0.00")),
        "2512010000002": ("refunding", Decimal("59.00"), Decimal("0.00")),
        "2512010000003": ("refunding", Decimal("88.00"), Decimal("0.00")),
        "2512010000004": ("refunding", Decimal("45.00"), Decimal("0.00")),
        "2512010000005": ("paid", Decimal("30.00"), Decimal("0.00")),
    }
