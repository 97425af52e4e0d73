"""京东 and 快手小店 order exports with the words and columns public importers of the real
files read (each source is named next to its test and in the profile's YAML)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _orders(ws: Workspace) -> dict[str, tuple[str, Decimal, Decimal, str]]:
    with ws.read() as con:
        rows = con.execute(
            "SELECT order_id, status, amount, refunded, customer_id FROM orders"
        ).fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, r, str(c)) for o, s, a, r, c in rows}


# 京东 商家后台 订单导出 header (github-code-index:44332149538), gb18030 CSV, one row per SKU
JD = [
    "订单号",
    "商品ID",
    "商品名称",
    "订购数量",
    "支付方式",
    "下单时间",
    "京东价",
    "订单金额",
    "结算金额",
    "余额支付",
    "应付金额",
    "订单状态",
    "订单类型",
    "下单帐号",
    "客户姓名",
    "客户地址",
    "联系电话",
    "付款确认时间",
]

# words of the export that further importers of it read (sources in jd.yaml)
JD_WORDS = {
    "等待发货": "paid",  # github-code-index:7479954621: as 等待出库
    "延迟付款确认": "pending",  # 7479954621, 30598031628: before payment
    "(删除)等待付款确认": "cancelled",  # 34074784961: dropped as never paid
    "(删除)延迟付款确认": "cancelled",  # 34074784961
    "(删除)新订单": "cancelled",  # 30598031628: 新单 precedes payment
    "暂停": "refunding",  # 7479954621: LOCKED, as 锁定
    "(删除)暂停": "refunded",  # 34151702518: a refund of 订单应付金额
    "(锁定)等待确认收货": "refunding",  # 34151702518: a return under way
    "(暂停)等待确认收货": "refunding",  # 67183000233: shipped, paused
}


def test_every_jd_status_word_importers_read_is_known(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "jd.csv"
    with path.open("w", encoding="gb18030", newline="") as f:
        out = csv.writer(f)
        out.writerow(JD)
        for n, word in enumerate(JD_WORDS):
            # two SKUs per order: the order's money and status repeat on both rows
            for sku, name, qty, price in (
                ("100012345678", "保温杯", 2, "￥129.00"),
                ("100087654321", "杯刷", 1, "￥9.90"),
            ):
                out.writerow(
                    [
                        str(290000000000 + n),
                        sku,
                        name,
                        qty,
                        "在线支付",
                        "2025-03-04 10:15:22",
                        price,
                        "1,368.00",
                        "1,168.00",
                        "0.00",
                        "1,168.00",
                        word,
                        "销售订单",
                        f"jd_{n}pin",
                        "张**",
                        "广东深圳市南山区****",
                        "138****1234",
                        "2025-03-04 10:16:00",
                    ]
                )
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    got = _orders(ws)
    want = {str(290000000000 + n): s for n, s in enumerate(JD_WORDS.values())}
    assert {k: v[0] for k, v in got.items()} == want
    assert {v[1] for v in got.values()} == {Decimal("1168.00")}
    assert got["290000000006"][2] == Decimal("1168.00")  # (删除)暂停: all of it back
    assert got["290000000000"][3] == "jd:jd_0pin"  # the 下单帐号, not the masked phone


# 快手小店 批量导出 header as a loader of 2025-2026 exports keeps it (github-code-index:61522271937),
# cut to the columns that matter here; refunds are only in 售后状态
KUAISHOU = [
    "订单号",
    "订单创建时间",
    "订单支付时间",
    "订单状态",
    "实付款",
    "店铺优惠",
    "成交数量",
    "订单备注",
    "售后状态",
    "商品名称",
    "商品ID",
    "SKU编码",
    "商品单价",
    "渠道",
    "CPS达人ID",
    "收货人姓名",
    "收货人电话",
    "收货地址-省",
    "收货地址-市",
    "收货地址",
]

KUAISHOU_ROWS = [
    ("待发货", "", "paid"),
    ("已收货", "", "paid"),
    ("交易成功", "", "paid"),
    ("交易关闭", "", "cancelled"),  # closed before payment (34074784961)
    ("交易关闭", "退款成功", "refunded"),  # 61522271937: closed by a full refund
    ("交易成功", "退款成功", "refunded"),
    ("已发货", "售后处理中", "refunding"),  # 61522271937
    ("交易成功", "售后关闭", "paid"),  # 34074784961: nothing returned
]


def test_kuaishou_after_sale_column_is_read(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "ks.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(KUAISHOU)
        for n, (status, after_sale, _) in enumerate(KUAISHOU_ROWS):
            out.writerow([
                str(2512345678901234500 + n), "2025-03-04 10:15:22", "2025-03-04 10:16:00",
                status, "¥1,299.90", "¥10.00", "1", "", after_sale, "T恤", "23456789012",
                "SKU-1", "¥1,309.90", "自营", "", "张三", f"1380000{1000 + n}", "广东省",
                "深圳市", "广东省深圳市南山区科技园1号",
            ])  # fmt: skip
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    assert result.format == "kuaishou"
    got = _orders(ws)
    want = {str(2512345678901234500 + n): r[2] for n, r in enumerate(KUAISHOU_ROWS)}
    assert {k: v[0] for k, v in got.items()} == want
    assert got["2512345678901234504"][2] == Decimal("1299.90")  # all of it back
    assert got["2512345678901234506"][2] == Decimal("0")  # not returned yet
    assert {v[1] for v in got.values()} == {Decimal("1299.90")}
