"""The newer 天猫/淘宝 refunds export (千牛 售后 / 退款 export), whose money columns are
退款总额, 退给买家金额 and 退给平台金额 instead of the older 买家退款金额. Public readers of
it name those headers beside 订单编号, 退款编号, 退款状态, 退款申请时间 (not 退款的申请时间),
退款完结时间, 售后类型 and 货物状态 (a financial document registry, github-code-index:
66117187921; a 天猫 售后退货表 parser, github-code-index:56014739149, whose required headers
are 退款编号, 退款申请时间, 退款状态, 商品id, 退款总额: github-code-index:55629146987; a
refund-detail reader, github-code-index:56159251466); no source gives their column order,
so the file below follows the registry's list. The profile required 买家退款金额, so such a
file was not told as the refunds export at all and its refunds were never applied.

The refund that returned money to the buyer is 退给买家金额 (退款总额 less what went back
to the platform): the order export's amount is what the buyer paid."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

# ExportOrderList headers (taobao.yaml's sources), GBK, 订单编号 as ="…"
ORDER_HEADERS = [
    "订单编号", "买家会员名", "买家应付货款", "买家实际支付金额", "订单状态", "收货人姓名",
    "收货地址 ", "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝总数量",
    "订单关闭原因", "退款金额",
]  # fmt: skip
ORDERS = {
    "3130000000000000001": ("tb_zhang", "100.00"),
    "3130000000000000002": ("tb_li", "1,280.00"),
    "3130000000000000003": ("tb_wang", "80.00"),
}
REFUND_HEADERS = [
    "订单编号", "退款编号", "支付宝交易号", "订单付款时间", "退款申请时间", "退款完结时间",
    "退款状态", "退款总额", "售后类型", "货物状态", "退给买家金额", "退给平台金额", "商品id",
    "宝贝标题", "买家退款原因",
]  # fmt: skip
#: (order, refund id, 退款状态, 退款总额, 退给买家金额, 退给平台金额)
REFUNDS = [
    ("3130000000000000001", "1801", "退款成功", "30.00", "25.00", "5.00"),
    ("3130000000000000002", "1802", "退款成功", "1,280.00", "1,280.00", "0.00"),
    ("3130000000000000003", "1803", "退款关闭", "80.00", "80.00", "0.00"),
    ("3130000000000000003", "1804", "买家已经申请退款，等待卖家同意", "20.00", "20.00", "0.00"),
]


def test_the_newer_refunds_export_refunds_the_stored_orders(ws: Workspace, tmp_path: Path) -> None:
    orders = tmp_path / "ExportOrderList202503201200.csv"
    lines = [",".join(ORDER_HEADERS)]
    for n, (oid, (buyer, paid)) in enumerate(ORDERS.items()):
        money = f'"{paid}"'
        lines.append(
            f'="{oid}",{buyer},{money},{money},交易成功,张伟,浙江省 杭州市 西湖区 文三路1号(310000),'
            f"'1381234567{n},2025-03-01 10:00:00,2025-03-01 10:01:00,纯棉T恤,1,订单未关闭,0"
        )
    orders.write_text("\n".join(lines) + "\n", encoding="gbk")
    assert import_file(ws, "orders", orders).accepted == 3

    path = tmp_path / "退款管理.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(REFUND_HEADERS)
    for oid, rid, word, total, buyer, platform in REFUNDS:
        row = dict.fromkeys(REFUND_HEADERS, "")
        row.update({
            "订单编号": oid, "退款编号": f"17000000000{rid}", "支付宝交易号": "2025030122001400000000",
            "订单付款时间": "2025-03-01 10:01:00", "退款申请时间": "2025-03-10 12:00:00",
            "退款完结时间": "2025-03-20 09:00:00" if word != "买家已经申请退款，等待卖家同意" else "",
            "退款状态": word, "退款总额": total, "售后类型": "仅退款", "货物状态": "买家未收到货",
            "退给买家金额": buyer, "退给平台金额": platform, "商品id": "712345678901",
            "宝贝标题": "纯棉T恤", "买家退款原因": "不想要了",
        })  # fmt: skip
        sheet.append([row[h] for h in REFUND_HEADERS])
    book.save(path)
    report = import_file(ws, "orders", path)
    assert report.format == "taobao_refunds"
    assert report.refunds_applied == 2
    assert report.refunds_not_applied == {"closed": 1, "in_progress": 1}
    with ws.read() as con:
        rows = con.execute("SELECT order_id, amount, refunded, status FROM orders").fetchall()
    got = {str(o).split(":", 1)[1]: (a, r, s) for o, a, r, s in rows}
    assert got == {
        "3130000000000000001": (Decimal("100.00"), Decimal("25.00"), "partially_refunded"),
        "3130000000000000002": (Decimal("1280.00"), Decimal("1280.00"), "refunded"),
        "3130000000000000003": (Decimal("80.00"), Decimal("0.00"), "paid"),
    }
