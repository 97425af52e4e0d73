"""微信小店 (WeChat Shop) order exports, built from the header row public readers of the real file
hold (github-code-index:55097518545 and others, cited in src/kequn/ingest/formats/weixin_shop.yaml)
and the status and after-sale words the profile cites: detected as 微信小店 and nothing else, every
cited word read as its meaning, items of one order made one order, a masked receiver no buyer, and a
GBK CSV copy read as the .xlsx is."""

from __future__ import annotations

import csv
import importlib
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from kequn.core.schema import KEPT_STATUSES
from kequn.ingest import formats
from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.ingest.readers import stage
from kequn.store.workspace import Workspace

HEADER = [
    "订单号", "订单下单时间", "订单发货时间", "订单确认收货时间", "订单完成结算时间", "订单状态", "发货方式", "收件人姓名", "收件人地址", "省", "市",
    "区", "收件人手机", "买家备注", "商家备注", "打标颜色", "商品总价", "订单实际支付金额", "订单实际收款金额", "订单运费", "商品优惠", "跨店优惠",
    "商品改价", "积分抵扣", "支付方式", "支付时间", "交易单号", "物流公司", "快递单号", "技术服务费", "技术服务费（将以人气卡形式返还）",
    "运费险预计投保费用", "带货方式", "带货账号类型", "带货账号昵称", "带货费用渠道", "带货费用类型", "带货费用", "带货佣金率", "礼物单号", "商品名称",
    "商品编码(平台)", "商品编码(自定义)", "SKU编码(自定义)", "商品属性", "商品价格(单件)", "商品实际价格(单件)", "商品实际价格(总共)", "是否预售",
    "商品数量", "商品平台券优惠", "商品平均运费", "定制信息", "定制预览图", "商品发货", "商品售后", "商品已退款金额",
]  # fmt: skip
# the later export version (github-code-index:61615976275) adds these
LATER = ["带货ID", "企微企业ID", "企微工号", "导购最近分享时间", "企业微信加密id", "企微备注"]
LATER_ITEM = ["活动商家补贴"]  # after 商品平均运费
# a receiver as the platform hides it (decode_order_sensitive_info and its public sample)
MASKED = {"收件人姓名": "林**", "收件人手机": "183****2807", "收件人地址": "福建省福州市罗源县****"}


def item(order: str, **cells: str) -> list[str]:
    """One item row of an order: a paid one-item order of 99.00 unless told otherwise."""
    row = {
        "订单号": order,
        "订单下单时间": "2025-06-03 10:15:22",
        "订单状态": "已完成",
        "收件人姓名": "陈伟",
        "收件人地址": "广东省广州市天河区中山路8号",
        "省": "广东省",
        "市": "广州市",
        "区": "天河区",
        "收件人手机": "13800138000",
        "商品总价": "99.00",
        "订单实际支付金额": "99.00",
        "订单实际收款金额": "99.00",
        "订单运费": "0.00",
        "支付时间": "2025-06-03 10:15:40",
        "商品名称": "手工红糖 500g",
        "商品编码(平台)": "10000123456790",
        "SKU编码(自定义)": "HT-500",
        "商品价格(单件)": "99.00",
        "商品实际价格(单件)": "99.00",
        "商品实际价格(总共)": "99.00",
        "商品数量": "1",
        "商品发货": "已发货",
        "商品售后": "",
        "商品已退款金额": "0.00",
    }
    row.update(cells)
    assert set(row) <= set(HEADER), set(row) - set(HEADER)
    return [row.get(name, "") for name in HEADER]


def write_xlsx(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    sheet = wb.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)  # every cell a text cell, as a 19-digit 订单号 must be
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(rows)
    return path


def orders(ws: Workspace) -> dict[str, tuple]:
    """order id as the file has it -> (status, amount, refunded, quantity, customer_id)."""
    with ws.read() as con:
        found = con.execute(
            "SELECT order_id, status, amount, refunded, quantity, customer_id FROM orders"
        ).fetchall()
    return {str(o).rsplit(":", 1)[-1]: tuple(rest) for o, *rest in found}


# ---------------------------------------------------------------- detection


def test_the_export_and_its_later_version_are_read_as_weixin_shop() -> None:
    assert formats.detect(HEADER).id == "weixin_shop"
    later = HEADER[:39] + LATER + HEADER[39:52] + LATER_ITEM + HEADER[52:]
    assert formats.detect(later).id == "weixin_shop"
    # 订单下单时间 is required: without it the file is not taken for 微信小店
    without = [h for h in HEADER if h != "订单下单时间"]
    found = formats.detect(without)
    assert found is None or found.id != "weixin_shop"


CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.parametrize(
    "name", sorted(p.stem for p in CORPUS.glob("*.py") if not p.stem.startswith("_")), ids=str
)
def test_each_platform_s_export_is_read_as_its_own(name: str, tmp_path: Path) -> None:
    """The header row of every platform export the corpus builds (tests/ingest/corpus) is
    detected as that platform's, none as 微信小店 but 微信小店's own."""
    sys.path.insert(0, str(CORPUS))
    try:
        module = importlib.import_module(name)
    finally:
        sys.path.remove(str(CORPUS))
    (tmp_path / "files").mkdir()
    truth = module.build(tmp_path / "files")
    for n, file in enumerate(truth["files"]):
        staged = stage(file, tmp_path)
        found = formats.detect(staged.headers)
        if truth["format"] == "generic":
            assert found is None, (file.name, found)
        elif n == 0:
            assert found is not None, file.name
            assert found.id == truth["format"], (file.name, found.id)
        else:  # a platform's second file (淘宝's item list) is no 微信小店 export either
            assert found is None or found.id != "weixin_shop", (file.name, found)


@pytest.mark.parametrize(
    "name", sorted(set(formats.profiles()) - {"weixin_shop", "generic"}), ids=str
)
def test_each_profile_s_signature_is_still_its_own(name: str) -> None:
    other = formats.get(name)
    found = formats.detect([*other.detect_all, *other.detect_any])
    assert found is not None
    assert found.id == name


# ---------------------------------------------------------------- status words

# every 订单状态 word the profile cites: (商品售后, 商品已退款金额, 支付时间) of its one item, and
# what the order is
STATUS_CASES = {
    "待发货": ("", "0.00", "2025-06-03 10:15:40", "paid"),
    "已发货": ("", "0.00", "2025-06-03 10:15:40", "paid"),
    "已完成": ("", "0.00", "2025-06-03 10:15:40", "paid"),
    "已取消": ("", "0.00", "", "cancelled"),  # closed unpaid
    "待付款": ("", "0.00", "", "pending"),
    "礼物待收下": ("", "0.00", "2025-06-03 10:15:40", "paid"),
    "凑单买凑团中": ("", "0.00", "2025-06-03 10:15:40", "paid"),
    "部分发货": ("", "0.00", "2025-06-03 10:15:40", "paid"),
    "待收货": ("", "0.00", "2025-06-03 10:15:40", "paid"),
    "完成": ("", "0.00", "2025-06-03 10:15:40", "paid"),
    "全部商品售后之后，订单取消": ("退款完成", "99.00", "2025-06-03 10:15:40", "refunded"),
    "未付款用户主动取消或超时未付款订单自动取消": ("", "0.00", "", "cancelled"),
}


def test_every_cited_status_word_is_tested() -> None:
    assert set(STATUS_CASES) == set(formats.get("weixin_shop").statuses)


def test_each_status_word_is_read_as_its_meaning(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        item(
            f"37200000000000000{n:02d}",
            订单状态=word,
            商品售后=after,
            商品已退款金额=refund,
            支付时间=paid,
        )
        for n, (word, (after, refund, paid, _)) in enumerate(STATUS_CASES.items())
    ]
    result = import_file(ws, "orders", write_xlsx(tmp_path / "订单导出.xlsx", rows))
    assert (result.format, result.rejected) == ("weixin_shop", 0), result.examples
    got = orders(ws)
    want = {f"37200000000000000{n:02d}": case[3] for n, case in enumerate(STATUS_CASES.values())}
    assert {k: v[0] for k, v in got.items()} == want
    for order, status in want.items():
        counted = got[order][0] in KEPT_STATUSES
        assert counted == (status == "paid"), order  # a sale counts; unpaid, cancelled do not
        if status == "refunded":
            assert got[order][2] == Decimal("99.00")


def test_a_cancelled_order_with_its_money_refunded_is_refunded(
    ws: Workspace, tmp_path: Path
) -> None:
    """已取消 is written both for an order closed unpaid and for one whose items were all
    refunded (the API's 200; public tools: '已取消但退款成功'): the refund tells them apart."""
    rows = [
        item("3720000000000000101", 订单状态="已取消", 商品发货="未发货", 商品售后="退款完成",
             商品已退款金额="99.00"),
        item("3720000000000000102", 订单状态="已取消", 商品发货="未发货", 支付时间=""),
    ]  # fmt: skip
    import_file(ws, "orders", write_xlsx(tmp_path / "cancelled.xlsx", rows))
    got = orders(ws)
    assert got["3720000000000000101"][:3] == ("refunded", Decimal("99.00"), Decimal("99.00"))
    assert got["3720000000000000102"][0] == "cancelled"


# every 商品售后 word the profile cites, and what a completed one-item order with it is
AFTER_SALE_CASES = {
    "退款完成": "refunded",
    "退货退款完成": "refunded",
    "用户取消申请": "paid",
    "商家受理中": "refunding",
    "商家拒绝退款": "paid",
    "商家拒绝退货退款": "paid",
    "待买家退货": "refunding",
    "退货退款关闭": "paid",
    "待商家收货": "refunding",
    "商家逾期未退款": "refunding",
    "平台退款中": "refunding",
    "平台退款失败": "refunding",
    "待用户确认": "refunding",
    "商家打款失败，客服关闭售后": "paid",
    "售后关闭": "paid",
}


def test_every_cited_after_sale_word_is_tested() -> None:
    assert set(AFTER_SALE_CASES) == set(formats.get("weixin_shop").refund_statuses)


def test_each_after_sale_word_is_read_as_its_meaning(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        item(
            f"37200000000000002{n:02d}",
            商品售后=word,
            商品已退款金额="99.00" if want == "refunded" else "0.00",
        )
        for n, (word, want) in enumerate(AFTER_SALE_CASES.items())
    ]
    result = import_file(ws, "orders", write_xlsx(tmp_path / "售后.xlsx", rows))
    assert (result.rejected, result.unknown_refund_words) == (0, {}), result.examples
    got = orders(ws)
    assert {k: v[0] for k, v in got.items()} == {
        f"37200000000000002{n:02d}": want for n, want in enumerate(AFTER_SALE_CASES.values())
    }
    # a refund under way or refused keeps the sale and its money
    for n, want in enumerate(AFTER_SALE_CASES.values()):
        refunded = got[f"37200000000000002{n:02d}"][2]
        assert refunded == (Decimal("99.00") if want == "refunded" else Decimal("0.00"))


def test_an_unknown_after_sale_word_is_named_and_the_refunded_money_still_counts(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = [item("3720000000000000301", 商品售后="极速退款成功", 商品已退款金额="99.00")]
    result = import_file(ws, "orders", write_xlsx(tmp_path / "new_word.xlsx", rows))
    assert result.unknown_refund_words == {"极速退款成功": 1}
    assert orders(ws)["3720000000000000301"][:3] == ("refunded", Decimal("99.00"), Decimal("99.00"))


# ---------------------------------------------------------------- items of one order


def test_the_items_of_an_order_are_one_order_refunded_in_part(
    ws: Workspace, tmp_path: Path
) -> None:
    """One row per item: 订单实际支付金额 is the order's on each row (taken once, not
    summed), 商品数量 and 商品已退款金额 are the item's (summed)."""
    order = {"订单实际支付金额": "137.00", "商品总价": "137.00", "订单运费": "8.00"}
    pot = {"商品实际价格(单件)": "99.00", "商品实际价格(总共)": "99.00"}
    cups = {"商品实际价格(单件)": "15.00", "商品实际价格(总共)": "30.00"}
    rows = [  # the refunded item second: the order's refund is not its first row's
        item("3720000000000000401", 商品名称="玻璃公道杯", 商品数量="2", **order, **cups),
        item("3720000000000000401", 商品名称="紫砂壶", 商品数量="1", 商品售后="退款完成",
             商品已退款金额="99.00", **order, **pot),
    ]  # fmt: skip
    result = import_file(ws, "orders", write_xlsx(tmp_path / "two_items.xlsx", rows))
    assert (result.accepted, result.rejected) == (1, 0), result.examples
    status, amount, refunded, quantity, _ = orders(ws)["3720000000000000401"]
    assert (status, amount, refunded, quantity) == (
        "partially_refunded",
        Decimal("137.00"),
        Decimal("99.00"),
        3,
    )
    with ws.read() as con:
        lines = con.execute("SELECT count(*) FROM order_lines").fetchone()
    assert lines == (2,)


# ---------------------------------------------------------------- buyers


def test_one_buyer_per_receiver_phone(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        item("3720000000000000501"),
        item("3720000000000000502", 收件人手机="13800138000"),  # the same buyer again
        item("3720000000000000503", 收件人手机="13900139000"),  # same name, another person
    ]
    import_file(ws, "orders", write_xlsx(tmp_path / "buyers.xlsx", rows))
    got = orders(ws)
    buyer = {k: v[4] for k, v in got.items()}
    assert buyer["3720000000000000501"] == buyer["3720000000000000502"]
    assert buyer["3720000000000000503"] != buyer["3720000000000000501"]
    assert "13800138000" not in buyer["3720000000000000501"]  # a keyed pseudonym


def test_masked_receivers_are_no_buyer(ws: Workspace, tmp_path: Path) -> None:
    """The platform hides the receiver (林**, 183****2807, ****) unless the shop decrypts
    it: two people can look the same, so a masked phone never makes a buyer. Among
    buyers a file names, a masked one is quarantined as masked, as other exports' are."""
    rows = [
        item("3720000000000000601"),
        item("3720000000000000602", **MASKED),
        item("3720000000000000603", **MASKED),
    ]
    result = import_file(ws, "orders", write_xlsx(tmp_path / "mixed.xlsx", rows))
    assert (result.accepted, result.rejected_by_reason) == (1, {"masked_buyer": 2})
    problems = {(q["row"], q["reason"], q["value"]) for q in quarantine_rows(ws)}
    assert problems == {(3, "masked_buyer", "183****2807"), (4, "masked_buyer", "183****2807")}


def test_an_export_masked_throughout_keeps_each_order_as_its_own_guest(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = [item(f"372000000000000070{n}", **MASKED) for n in range(3)]
    result = import_file(ws, "orders", write_xlsx(tmp_path / "masked.xlsx", rows))
    assert (result.accepted, result.rejected, result.guest_orders) == (3, 0, 3)
    buyers = {v[4] for v in orders(ws).values()}
    assert len(buyers) == 3  # the same mask, three orders: nobody merged


# ---------------------------------------------------------------- file kinds


def test_a_gbk_csv_copy_reads_as_the_xlsx(tmp_path: Path) -> None:
    rows = [
        item("3720000000000000801", 订单状态="已完成"),
        item("3720000000000000802", 订单状态="已取消", 商品售后="退款完成", 商品已退款金额="99.00"),
        item("3720000000000000803", 订单状态="待付款", 支付时间=""),
        item("3720000000000000804", 订单状态="待发货", 收件人手机="13900139000"),
    ]
    results = {}
    for kind, path in (
        ("xlsx", write_xlsx(tmp_path / "订单导出.xlsx", rows)),
        ("gbk", write_csv(tmp_path / "订单导出.csv", rows, "gbk")),
    ):
        ws = Workspace.init(tmp_path / f"ws_{kind}")
        result = import_file(ws, "orders", path)
        assert (result.format, result.accepted, result.rejected) == ("weixin_shop", 4, 0)
        if kind == "gbk":
            assert result.encoding == "gb18030"
        results[kind] = orders(ws)
    # the same orders; buyers are keyed per workspace, so the same grouping of them
    assert {k: v[:4] for k, v in results["gbk"].items()} == {
        k: v[:4] for k, v in results["xlsx"].items()
    }
    for got in results.values():
        assert len({v[4] for v in got.values()}) == 2  # 13800138000 thrice, 13900139000 once
    assert {k: v[0] for k, v in results["xlsx"].items()} == {
        "3720000000000000801": "paid",
        "3720000000000000802": "refunded",
        "3720000000000000803": "pending",
        "3720000000000000804": "paid",
    }
