"""淘宝/天猫 sub-order status words. The 千牛 sub-order export writes each 子订单's own
订单状态; the sub-order's status in the trade API (opentaobao's Order model,
https://github.com/bububa/opentaobao/blob/master/model/trade/Order.go) takes the same
values as the whole order's, described there in words of its own, and the order-level
export's importers read cash-on-delivery words from the same column
(github-code-index:37191218626). The sub-order profile knew only part of them: a sub-order
in any other word was refused as an unknown status, and its order's money with it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

# columns A-W of the 千牛 sub-order export, as a public report over the 天猫 xlsx reads
# them (github-code-index:40310396030)
QIANNIU_LINES = [
    "子订单编号", "主订单编号", "商品标题", "商品价格", "购买数量", "外部系统编号", "商品属性",
    "套餐信息", "联系方式备注", "订单状态", "商家编码", "买家应付货款", "买家实付金额", "退款状态",
    "退款金额", "订单创建时间", "订单付款时间", "商品ID", "商家备注", "主订单买家留言", "发货时间",
    "物流单号", "物流公司",
]  # fmt: skip


def _orders(ws: Workspace) -> dict[str, tuple[str, Decimal, Decimal]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}


def test_sub_order_words_of_the_trade_api_and_cash_on_delivery(
    ws: Workspace, tmp_path: Path
) -> None:
    """Order.go's descriptions (TRADE_NO_CREATE_PAY, WAIT_SELLER_SEND_GOODS,
    WAIT_BUYER_CONFIRM_GOODS, TRADE_BUYER_SIGNED, TRADE_CLOSED, TRADE_CLOSED_BY_TAOBAO and
    PAY_PENDING, "国际信用卡支付付款确认中") and the export's cash-on-delivery words: paid,
    shipped or signed for is a sale; no payment yet, or one still being confirmed, is
    not; closed after the refund is refunded, closed before payment cancelled."""
    rows = [
        # (主订单, 订单状态, 买家实付金额, 退款状态, 退款金额, 付款时间)
        ("6101", "没有创建支付宝交易", "30.00", "没有申请退款", "0", "--"),
        ("6102", "等待卖家发货,即:买家已付款", "1,299.00", "没有申请退款", "0", "2024-05-01 10:01:00"),
        ("6103", "等待买家确认收货,即:卖家已发货", "59.00", "没有申请退款", "0", "2024-05-01 10:01:00"),
        ("6104", "买家已签收,货到付款专用", "88.00", "没有申请退款", "0", "--"),
        ("6105", "付款以后用户退款成功，交易自动关闭", "45.00", "退款成功", "45.00",
         "2024-05-01 10:01:00"),
        ("6106", "付款以前，卖家或买家主动关闭交易", "20.00", "没有申请退款", "0", "--"),
        ("6107", "国际信用卡支付付款确认中", "66.00", "没有申请退款", "0", "--"),
        ("6108", "买家已确认，等待卖家发货", "77.00", "没有申请退款", "0", "--"),
        ("6109", "卖家已发货，等待买家确认收货并付款", "99.00", "没有申请退款", "0", "--"),
        ("6110", "买家已签收，回款至卖家", "120.00", "没有申请退款", "0", "--"),
        ("6111", "等待买家确认货到付款订单信息", "35.00", "没有申请退款", "0", "--"),
    ]  # fmt: skip
    path = tmp_path / "ExportOrderList202405011200.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(QIANNIU_LINES)
    for main, status, paid, refund_word, refund, paid_at in rows:
        sheet.append([
            f"{main}01", main, "手工皂", paid, "1", "--", "--", "--", "--", status,
            f"SKU-{main}", paid, paid, refund_word, refund, "2024-05-01 10:00:00", paid_at,
            "712345678901", "--", "--", "--", "--", "--",
        ])  # fmt: skip
    book.save(path)
    result = import_file(ws, "orders", path)
    assert result.format == "taobao_lines"
    assert result.rejected == 0, result.examples
    assert _orders(ws) == {
        "6101": ("pending", Decimal("30.00"), Decimal("0.00")),
        "6102": ("paid", Decimal("1299.00"), Decimal("0.00")),
        "6103": ("paid", Decimal("59.00"), Decimal("0.00")),
        "6104": ("paid", Decimal("88.00"), Decimal("0.00")),
        "6105": ("refunded", Decimal("45.00"), Decimal("45.00")),
        "6106": ("cancelled", Decimal("20.00"), Decimal("0.00")),
        "6107": ("pending", Decimal("66.00"), Decimal("0.00")),
        "6108": ("paid", Decimal("77.00"), Decimal("0.00")),
        "6109": ("paid", Decimal("99.00"), Decimal("0.00")),
        "6110": ("paid", Decimal("120.00"), Decimal("0.00")),
        "6111": ("pending", Decimal("35.00"), Decimal("0.00")),
    }


# the ExportOrderList header as a public importer's comment lists it, 37 columns
# (github-code-index:22250544063); the file is GBK (taobao.yaml's sources)
EXPORT_ORDER_LIST = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额",
    "返点积分", "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址",
    "运送方式", "联系电话", "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类",
    "物流单号", "物流公司", "订单备注", "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因",
    "卖家服务费", "买家服务费", "发票抬头", "是否手机订单", "分阶段订单信息", "定金排名",
    "修改后的sku", "修改后的收货地址", "异常信息",
]  # fmt: skip


def test_an_order_whose_card_payment_is_being_confirmed(ws: Workspace, tmp_path: Path) -> None:
    """PAY_PENDING in the Order model's words, 国际信用卡支付付款确认中, beside a paid
    order: no sale yet, and no longer an unknown status that refuses the order."""
    rows = [("7101", "国际信用卡支付付款确认中", ""), ("7102", "交易成功", "2024-05-01 10:01:00")]
    path = tmp_path / "ExportOrderList202405011200.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        handle.write(",".join(EXPORT_ORDER_LIST) + "\r\n")
        for order, status, paid_at in rows:
            cells = [""] * len(EXPORT_ORDER_LIST)
            values = {
                "订单编号": f'="{order}"', "买家会员名": f"buyer{order}", "买家应付货款": "1,299.00",
                "买家应付邮费": "0.00", "总金额": "1,299.00", "买家实际支付金额": "1,299.00",
                "订单状态": status, "订单创建时间": "2024-05-01 10:00:00",
                "订单付款时间": paid_at, "宝贝标题": "手工皂", "宝贝总数量": "1",
                "订单关闭原因": "订单未关闭",
            }  # fmt: skip
            for name, value in values.items():
                cells[EXPORT_ORDER_LIST.index(name)] = f'"{value}"' if "," in value else value
            handle.write(",".join(cells) + "\r\n")
    result = import_file(ws, "orders", path)
    assert result.format == "taobao"
    assert result.rejected == 0, result.examples
    assert _orders(ws) == {
        "7101": ("pending", Decimal("1299.00"), Decimal("0.00")),
        "7102": ("paid", Decimal("1299.00"), Decimal("0.00")),
    }
