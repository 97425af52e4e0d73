"""Status and after-sale words (and one header set) that real exports write and public
importers of them read, beyond the ones the profiles were first built from. Each file is
built from the public source named beside it (the profiles cite them too): an order whose
word nobody looked up is refused (a status) or kept as an untouched sale (an after-sale
word)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.source_error import SourceError
from kequn.store.workspace import Workspace


def _orders(ws: Workspace) -> dict[str, tuple[str, Decimal, Decimal]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}


# the 抖店 订单表 columns a 2022 cleaner of it reads (github-code-index:34074784961)
DOUYIN = [
    "主订单编号", "子订单编号", "选购商品", "商品数量", "订单应付金额", "订单提交时间",
    "支付完成时间", "订单状态", "售后状态", "商家编码", "商品ID", "达人昵称", "达人ID", "商品单价",
]  # fmt: skip


def test_douyin_after_sale_words_of_the_order_table(ws: Workspace, tmp_path: Path) -> None:
    """The cleaner reads 已全额退款 as money returned (with 退款成功 / 退款中), and meets
    待收退货 / 售后待处理 / 待退货 in the same column; its 售后表 writes 待买家退货,
    待商家处理, 待商家收货, 同意退款，退款成功 (34074784961). A resend, 补寄成功, leaves
    the sale whole (github-code-index:9883214081), as 补寄/换货 does in the newer export,
    beside 待买家退货处理 (47169101587). 已全额退款 was read as 'no after-sale': a refunded
    order stayed a paid one."""
    rows = [
        # (order, 订单状态, 售后状态, 订单应付金额)
        ("4901", "已完成", "已全额退款", "100.00"),
        ("4902", "已关闭", "已全额退款", "80.00"),
        ("4903", "已完成", "同意退款，退款成功", "1,260.00"),
        ("4904", "已发货", "待收退货", "60.00"),
        ("4905", "已发货", "售后待处理", "30.00"),
        ("4906", "已发货", "待退货", "20.00"),
        ("4907", "已完成", "待买家退货", "25.00"),
        ("4908", "已完成", "待商家处理", "35.00"),
        ("4909", "已完成", "待商家收货", "45.00"),
        ("4910", "已完成", "补寄成功", "55.00"),
        ("4911", "已完成", "-", "65.00"),
        # the newer export's spellings (github-code-index:47169101587)
        ("4912", "已发货", "待买家退货处理", "75.00"),
        ("4913", "已发货", "补寄/换货，待买家收货", "85.00"),
        ("4914", "已完成", "补寄/换货成功", "95.00"),
    ]
    path = tmp_path / "抖店订单导出.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(DOUYIN)
        for n, (order, status, after_sale, amount) in enumerate(rows):
            main = f"\t69283746501234{order}"
            out.writerow([
                main, f"{main}1", "云南古树普洱茶饼", "1", amount, "2022-03-01 10:00:00",
                "2022-03-01 10:00:30", status, after_sale, f"SKU-{n}", "\t3698271045123456789",
                "-", "-", amount,
            ])  # fmt: skip
    result = import_file(ws, "orders", path)
    assert result.format == "douyin"
    assert result.rejected == 0, result.examples
    assert result.unknown_refund_words == {}
    got = {order[-4:]: value for order, value in _orders(ws).items()}
    assert got == {
        "4901": ("refunded", Decimal("100.00"), Decimal("100.00")),
        "4902": ("refunded", Decimal("80.00"), Decimal("80.00")),
        "4903": ("refunded", Decimal("1260.00"), Decimal("1260.00")),
        "4904": ("refunding", Decimal("60.00"), Decimal("0.00")),
        "4905": ("refunding", Decimal("30.00"), Decimal("0.00")),
        "4906": ("refunding", Decimal("20.00"), Decimal("0.00")),
        "4907": ("refunding", Decimal("25.00"), Decimal("0.00")),
        "4908": ("refunding", Decimal("35.00"), Decimal("0.00")),
        "4909": ("refunding", Decimal("45.00"), Decimal("0.00")),
        "4910": ("paid", Decimal("55.00"), Decimal("0.00")),
        "4911": ("paid", Decimal("65.00"), Decimal("0.00")),
        "4912": ("refunding", Decimal("75.00"), Decimal("0.00")),
        "4913": ("paid", Decimal("85.00"), Decimal("0.00")),
        "4914": ("paid", Decimal("95.00"), Decimal("0.00")),
    }


# ExportOrderList as a shop CRM's importer reads it (github-code-index:49055536748)
TAOBAO = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "总金额",
    "买家实际支付金额", "订单状态", "收货人姓名", "收货地址 ", "联系手机", "订单创建时间",
    "订单付款时间 ", "宝贝标题 ", "宝贝总数量", "店铺名称", "订单关闭原因", "退款金额",
]  # fmt: skip


def test_taobao_statuses_of_the_trade_api_in_the_export(ws: Workspace, tmp_path: Path) -> None:
    """The importer maps 没有创建外部交易, 余额宝0元购合约中 and 外卡支付付款确认中 from the
    export's 订单状态 (49055536748); ERPs print TRADE_BUYER_SIGNED as 买家已签收（货到付款专用）
    (github-code-index:5692137477). Each order was refused as an unknown status."""
    rows = [
        ("01", "没有创建外部交易", "30.00", ""),
        ("02", "没有创建外部交易（支付宝交易）", "31.00", ""),
        ("03", "余额宝0元购合约中", "1,299.00", ""),
        ("04", "外卡支付付款确认中", "88.00", ""),
        ("05", "买家已签收（货到付款专用）", "45.00", "2016-05-23 22:02:00"),
        ("06", "交易成功", "￥59.50", "2016-05-23 22:02:00"),
    ]
    path = tmp_path / "ExportOrderList201605240900.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(TAOBAO)
        for order, status, amount, paid_at in rows:
            out.writerow([
                f'="19306798581706{order}"', f"tb_buyer{order}", "", amount, "0.00", amount,
                amount, status, "张三", "吉林省 通化市 柳河县 某路1号(135300)",
                f"'186184860{order}", "2016-05-23 22:00:00", paid_at, "宝贝", "1", "某店",
                "订单未关闭", "0.00",
            ])  # fmt: skip
    result = import_file(ws, "orders", path)
    assert result.format == "taobao"
    assert result.rejected == 0, result.examples
    assert result.unknown_statuses == {}
    got = {order[-2:]: value for order, value in _orders(ws).items()}
    assert got == {
        "01": ("pending", Decimal("30.00"), Decimal("0.00")),
        "02": ("pending", Decimal("31.00"), Decimal("0.00")),
        "03": ("pending", Decimal("1299.00"), Decimal("0.00")),
        "04": ("pending", Decimal("88.00"), Decimal("0.00")),
        "05": ("paid", Decimal("45.00"), Decimal("0.00")),
        "06": ("paid", Decimal("59.50"), Decimal("0.00")),
    }


# the 天猫 sub-order 订单表 as a 2022 cleaner reads it (github-code-index:34074784961):
# 标题 (not 商品标题), its money from 买家应付货款, 退款金额 '无退款申请' where none was asked
TMALL_LINES = [
    "主订单编号", "子订单编号", "买家应付货款", "标题", "订单状态", "订单创建时间", "物流单号",
    "物流公司", "购买数量", "退款状态", "退款金额", "发货时间",
]  # fmt: skip


def test_a_tmall_sub_order_export_without_paid_amount(ws: Workspace, tmp_path: Path) -> None:
    """Named as the sub-order export, such a file was still refused whole for want of a
    buyer column: the profile read no 标题, and its money only from 买家实付金额."""
    rows = [
        ("380", "3801", "59.00", "交易成功", "没有申请退款", "无退款申请", "2"),
        ("380", "3802", "30.00", "交易关闭", "退款成功", "30.00", "1"),
        ("381", "3811", "1,299.00", "买家已付款，等待卖家发货", "没有申请退款", "无退款申请", "1"),
        ("382", "3821", "20.00", "等待买家付款", "没有申请退款", "无退款申请", "1"),
    ]
    path = tmp_path / "天猫订单表.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(TMALL_LINES)
        for main, sub, paid, status, refund_word, refund, qty in rows:
            out.writerow([
                f'="{main}"', f'="{sub}"', paid, "纯棉T恤", status, "2022-03-01 10:00:00",
                "YT123", "圆通速递", qty, refund_word, refund, "2022-03-02 10:00:00",
            ])  # fmt: skip
    result = import_file(ws, "orders", path, format="taobao_lines")
    assert result.format == "taobao_lines"
    assert result.rejected == 0, result.examples
    assert result.mapping["amount"].startswith("买家应付货款")
    assert _orders(ws) == {
        "380": ("partially_refunded", Decimal("89.00"), Decimal("30.00")),
        "381": ("paid", Decimal("1299.00"), Decimal("0.00")),
        "382": ("pending", Decimal("20.00"), Decimal("0.00")),
    }


# the older 天猫 sub-order export as a shop's SKU loader reads it (github-code-index:
# 27333823660): 买家实际支付金额 (not 买家实付金额), 标题, 价格, 支付单号, ids as ="…"
TMALL_SKU = [
    "子订单编号", "主订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息",
    "备注", "订单状态", "商家编码", "支付单号", "买家应付货款", "买家实际支付金额", "退款状态",
    "退款金额", "订单创建时间", "订单付款时间",
]  # fmt: skip


# a 快手 order export whose after-sale column is 退货退款, as a shop's SKU loader reads the
# raw files (github-code-index:27333823660: 订单号, 订单创建时间, 订单支付时间, 订单状态, 实付款,
# 成交数量, 买家留言, 退货退款, 商品名称, 商品规格, 商品单价, 商品ID) and a cleaner names the
# newer 售后状态 after it (34074784961)
KUAISHOU = [
    "订单号", "订单创建时间", "订单支付时间", "订单状态", "实付款", "成交数量", "买家留言",
    "退货退款", "商品名称", "商品规格", "商品单价", "商品ID", "收货人电话",
]  # fmt: skip


def test_a_kuaishou_export_with_its_after_sale_column_named_return_refund(
    ws: Workspace, tmp_path: Path
) -> None:
    """退货退款 was not read: a refunded 交易成功 order stayed a paid one and a 交易关闭 one
    after its refund became an unpaid cancel."""
    rows = [
        ("2401", "交易成功", "¥1,299.90", "退款成功"),
        ("2402", "交易关闭", "¥88.00", "退款成功"),
        ("2403", "已发货", "¥66.00", "售后处理中"),
        ("2404", "交易成功", "¥55.00", "售后关闭"),
        ("2405", "交易关闭", "¥44.00", ""),
    ]
    path = tmp_path / "快手订单导出.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(KUAISHOU)
        for order, status, paid, after_sale in rows:
            out.writerow([
                f"\t2100000000{order}", "2022-03-01 10:00:00", "2022-03-01 10:00:30", status,
                paid, "1", "", after_sale, "蛋白粉", "1桶", paid, "\t15494940650775",
                f"1380013{order}",
            ])  # fmt: skip
    result = import_file(ws, "orders", path)
    assert result.format == "kuaishou"
    assert result.rejected == 0, result.examples
    got = {order[-4:]: value for order, value in _orders(ws).items()}
    assert got == {
        "2401": ("refunded", Decimal("1299.90"), Decimal("1299.90")),
        "2402": ("refunded", Decimal("88.00"), Decimal("88.00")),
        "2403": ("refunding", Decimal("66.00"), Decimal("0.00")),
        "2404": ("paid", Decimal("55.00"), Decimal("0.00")),
        "2405": ("cancelled", Decimal("44.00"), Decimal("0.00")),
    }


def test_the_item_file_of_an_order_export_leaves_its_orders_alone(
    ws: Workspace, tmp_path: Path
) -> None:
    """That older sub-order file is ExportOrderDetailList, exported with ExportOrderList
    (a shop's report reads the pair, github-code-index:32213070838). Read as orders after
    the order file, it replaced each order's buyer by a guest and its money by the items'
    (no postage): measured, taobao_moudian:1001 went from tb_alice and 120.00 to g-1001
    and 110.00. Refused, it says which file to import, and how to read it alone."""
    order_file = tmp_path / "ExportOrderList202203010900.csv"
    with order_file.open("w", encoding="gb18030", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(TAOBAO)
        out.writerow([
            '="1001"', "tb_alice", "", "110.00", "10.00", "120.00", "120.00", "交易成功", "张三",
            "浙江省 杭州市 西湖区 某路1号(310000)", "'13800138000", "2022-03-01 10:00:00",
            "2022-03-01 10:00:30", "纯棉T恤", "2", "某店", "订单未关闭", "0.00",
        ])  # fmt: skip
    item_file = tmp_path / "ExportOrderDetailList202203010900.csv"
    with item_file.open("w", encoding="gb18030", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(TMALL_SKU)
        for sub, title in (("10011", "纯棉T恤"), ("10012", "袜子")):
            out.writerow([
                f'="{sub}"', '="1001"', title, "55.00", "1", "", "", "", "", "交易成功", "TS-W",
                "", "55.00", "55.00", "没有申请退款", "0.00", "2022-03-01 10:00:00",
                "2022-03-01 10:00:30",
            ])  # fmt: skip
    assert import_file(ws, "orders", order_file).accepted == 1
    with pytest.raises(SourceError) as refused:
        import_file(ws, "orders", item_file)
    assert "ExportOrderList" in str(refused.value)
    assert "--format taobao_lines" in str(refused.value)
    with ws.read() as con:
        kept = con.execute("SELECT order_id, amount, customer_id FROM orders").fetchall()
    assert kept == [("taobao_moudian:1001", Decimal("120.00"), "taobao_moudian:tb_alice")]


# an 有赞 order list with the trade API's status descriptions, as the 有赞 SDKs document
# youzan.trades.sold.get (github-code-index:41615572716, 30894754203)
YOUZAN = [
    "订单号", "订单状态", "订单创建时间", "买家付款时间", "买家手机号", "订单实付金额", "商品名称",
    "商品数量", "商品实际成交金额",
]  # fmt: skip


def test_youzan_trade_status_descriptions(ws: Workspace, tmp_path: Path) -> None:
    """等待成团 (paid, waiting for the group), 买家已签收, 没有创建支付交易, 等待支付确认 and the
    two closes were refused as unknown statuses."""
    rows = [
        ("E01", "等待成团", "39.00", "2022-03-01 10:00:30"),
        ("E02", "买家已签收", "49.00", "2022-03-01 10:00:30"),
        ("E03", "没有创建支付交易", "59.00", ""),
        ("E04", "等待支付确认", "69.00", ""),
        ("E05", "付款以前，卖家或买家主动关闭交易", "79.00", ""),
        ("E06", "付款以后用户退款成功，交易自动关闭", "89.00", "2022-03-01 10:00:30"),
    ]
    path = tmp_path / "有赞订单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(YOUZAN)
    for n, (order, status, paid, paid_at) in enumerate(rows):
        sheet.append([
            f"E2022030110000{order}", status, "2022-03-01 10:00:00", paid_at, f"1390000000{n}",
            paid, "手工皂", 1, paid,
        ])  # fmt: skip
    book.save(path)
    result = import_file(ws, "orders", path)
    assert result.format == "youzan"
    assert result.rejected == 0, result.examples
    got = {order[-3:]: value[0] for order, value in _orders(ws).items()}
    assert got == {
        "E01": "paid",
        "E02": "paid",
        "E03": "pending",
        "E04": "pending",
        "E05": "cancelled",
        "E06": "refunded",
    }
