"""State descriptions the profiles cite but did not map. Each profile lists a public source
for its platform's order states; some of the words those sources give were left out of
the profile's statuses while their neighbours were mapped, so an order in one of them was
refused as an unknown status and its money left out of the shop's sales:

- 抖店's main_status (github-code-index:41384052242): 3 已发货（全部发货）, 5 已完成（已收货）,
  and order_status 1 待确认/待支付;
- 有赞's youzan.trades.sold.get field docs (github-code-index:30894754203): 等待成团，即：
  买家已付款，等待成团, 等待卖家发货，即：买家已付款, 等待买家确认收货，即：卖家已发货;
- 京东 VOP's jdOrderState (github-code-index:30598031628): 2 等待支付, 3 等待支付确认, both
  before the payment succeeded."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _orders(ws: Workspace) -> dict[str, tuple[str, Decimal, Decimal]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}


def _write(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


# 抖店 订单表 columns a 2022 cleaner of it reads (github-code-index:34074784961); the file
# is UTF-8 with a BOM, ids behind a tab (douyin.yaml)
DOUYIN = [
    "主订单编号", "子订单编号", "选购商品", "商品数量", "订单应付金额", "订单提交时间",
    "支付完成时间", "订单状态", "售后状态", "商家编码", "商品ID", "达人昵称", "达人ID", "商品单价",
]  # fmt: skip


def test_douyin_main_status_descriptions(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        [
            f"\t69283746501234{order}", f"\t69283746501234{order}1", "纯棉睡衣", "1", amount,
            "2025-05-01 10:00:00", paid_at, status, "-", "PJ-01", "\t3698271045123456789",
            "-", "-", amount,
        ]
        for order, status, amount, paid_at in (
            ("5301", "已发货（全部发货）", "1,280.00", "2025-05-01 10:00:30"),
            ("5302", "已完成（已收货）", "128.00", "2025-05-01 10:00:30"),
            ("5303", "待确认/待支付", "64.00", "-"),
        )
    ]  # fmt: skip
    path = _write(tmp_path / "抖店订单导出.csv", DOUYIN, rows, "utf-8-sig")
    result = import_file(ws, "orders", path)
    assert result.format == "douyin"
    assert result.rejected == 0, result.examples
    got = {order[-4:]: value for order, value in _orders(ws).items()}
    assert got == {
        "5301": ("paid", Decimal("1280.00"), Decimal("0.00")),
        "5302": ("paid", Decimal("128.00"), Decimal("0.00")),
        "5303": ("pending", Decimal("64.00"), Decimal("0.00")),
    }


# 有赞: the 23 columns of a shop's order export as a public design note lists them
# (github-code-index:61587040008), one row per item, the order's columns on each
YOUZAN = [
    "订单号", "商品名称", "销售渠道", "订单类型", "订单来源", "交易成功时间", "订单实付金额",
    "分销推广补差", "分销推广佣金", "商品规格", "商品规格ID", "规格编码", "商品编码", "商品单价",
    "商品数量", "商品ID", "分销商商品推广补差", "商品推广佣金", "商品退款状态", "商品已退款金额",
    "订单状态", "订单创建时间", "买家昵称",
]  # fmt: skip


def test_youzan_trade_field_doc_descriptions(ws: Workspace, tmp_path: Path) -> None:
    """Two items an order: the order's 订单实付金额 repeats on both rows and counts once."""
    rows = []
    for n, word in enumerate((
        "等待成团，即：买家已付款，等待成团",
        "等待卖家发货，即：买家已付款",
        "等待买家确认收货，即：卖家已发货",
    )):  # fmt: skip
        for item, price in (("婴儿湿巾", "39.90"), ("湿巾盖", "9.90")):
            row = dict.fromkeys(YOUZAN, "")
            row.update({
                "订单号": f"E2025070110000000{n}", "商品名称": item, "销售渠道": "网店",
                "订单类型": "普通订单", "订单来源": "微信小程序", "订单实付金额": "49.80",
                "规格编码": f"SKU-{item}", "商品单价": price, "商品数量": "1",
                "商品已退款金额": "0", "订单状态": word, "订单创建时间": "2025-07-01 10:00:00",
                "买家昵称": f"宝妈{n}",
            })  # fmt: skip
            rows.append([row[h] for h in YOUZAN])
    path = _write(tmp_path / "有赞订单.csv", YOUZAN, rows, "utf-8-sig")
    result = import_file(ws, "orders", path)
    assert result.format == "youzan"
    assert result.rejected == 0, result.examples
    got = {order[-1:]: value for order, value in _orders(ws).items()}
    paid = ("paid", Decimal("49.80"), Decimal("0.00"))
    assert got == {"0": paid, "1": paid, "2": paid}


# 京东 商家后台 order export, in the column order a public importer's dumped sample row
# shows (github-code-index:44332149538); gb18030 CSV (jd.yaml)
JD = [
    "订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额",
    "结算金额", "余额支付", "应付金额", "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址",
    "联系电话", "订单备注", "发票类型", "发票抬头", "发票内容", "商家备注",
    "商家备注等级（等级1-5为由高到低）", "运费金额", "付款确认时间", "增值税发票", "货号",
    "订单完成时间", "订单来源", "订单渠道",
]  # fmt: skip


def test_jd_states_before_payment(ws: Workspace, tmp_path: Path) -> None:
    rows = []
    for n, status in enumerate(("等待支付", "等待支付确认", "完成")):
        row = dict.fromkeys(JD, "")
        row.update({
            "订单号": f"3190123456{n}", "商品ID": "100012043978", "商品名称": "保温杯",
            "订购数量": "1", "支付方式": "在线支付", "下单时间": "2025-03-01 10:00:00",
            "京东价": "129.00", "订单金额": "129.00", "结算金额": "119.00", "余额支付": "0.00",
            "应付金额": "119.00", "订单状态": status, "订单类型": "销售订单",
            "下单帐号": f"jd_pin_{n}", "订单来源": "移动端订单", "订单渠道": "暂无来源",
        })  # fmt: skip
        rows.append([row[h] for h in JD])
    path = _write(tmp_path / "京东订单.csv", JD, rows, "gb18030")
    result = import_file(ws, "orders", path)
    assert result.format == "jd"
    assert result.rejected == 0, result.examples
    got = {order[-1:]: value[0] for order, value in _orders(ws).items()}
    assert got == {"0": "pending", "1": "pending", "2": "paid"}
