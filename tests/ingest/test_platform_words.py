"""Status words and columns as the platforms' own exports print them, each from a public
source named next to the test (the profiles in src/kequn/ingest/formats cite them too)."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

# 淘宝 ExportOrderList (GBK): the header of a real 2018 export, read by a public Java ERP
# test (github-code-index:39988665824), cut to the columns that matter here.
TAOBAO = (
    "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间 ,退款金额,订单关闭原因"
)

# The words a public importer of this CSV maps to the trade API's statuses
# (org.harper.bookstore TaobaoImportController.STATUS_MAP, github-code-index:37191218626;
# the API's meaning of each status: github.com/bububa/opentaobao model/trade/Trade.go).
TAOBAO_WORDS = {
    "买家已签收": "paid",  # TRADE_BUYER_SIGNED (cash on delivery, signed for)
    "买家已签收，回款至卖家": "paid",  # TRADE_BUYER_SIGNED
    "买家已确认，等待卖家发货": "paid",  # WAIT_SELLER_SEND_GOODS
    "卖家已发货，等待买家确认收货并付款": "paid",  # WAIT_BUYER_CONFIRM_GOODS
    "等待买家确认货到付款订单信息": "pending",  # WAIT_BUYER_PAY
    "没有创建支付宝交易": "pending",  # TRADE_NO_CREATE_PAY
    "交易被淘宝关闭": "cancelled",  # TRADE_CLOSED_BY_TAOBAO: closed before payment
}


def _orders(ws: Workspace) -> dict[str, tuple[str, object]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, refunded FROM orders").fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, r) for o, s, r in rows}


def test_every_taobao_status_word_of_the_export_is_known(ws: Workspace, tmp_path: Path) -> None:
    lines = [TAOBAO]
    for n, word in enumerate(TAOBAO_WORDS):
        lines.append(
            f'="{1930679858170647 + n}",buyer{n},{100 + n}.00,"{word}",'
            f"2025-03-0{n + 1} 10:00:00,2025-03-0{n + 1} 10:05:00,0.00,订单未关闭"
        )
    path = tmp_path / "ExportOrderList202503011200.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    got = _orders(ws)
    want = {str(1930679858170647 + n): s for n, s in enumerate(TAOBAO_WORDS.values())}
    assert {k: v[0] for k, v in got.items()} == want


# 拼多多 商家后台 orders_export.csv as a public report script reads it (utf-8-sig, cells
# padded with tabs; github-code-index:40189267514): no buyer column at all, and where
# 用户购买手机号 is exported it is a bare tab (github-code-index:69392119951)
PDD = (
    "商品,订单号,订单状态,商品总价(元),店铺优惠折扣(元),平台优惠折扣(元),用户实付金额(元),"
    "商家实收金额(元),商品数量(件),发货时间,确认收货时间,商品id,样式ID,商品规格,售后状态,"
    "快递单号,快递公司,订单成交时间,用户购买手机号"
)


def test_an_export_that_names_no_buyer_keeps_every_order(ws: Workspace, tmp_path: Path) -> None:
    words = [
        ("待发货", "无售后或售后取消"),
        ("已发货，待签收", "无售后或售后取消"),
        ("已签收", "无售后或售后取消"),
        ("已取消", "无售后或售后取消"),
        ("未发货，退款成功", "退款成功"),
    ]
    lines = [PDD]
    for n, (status, after_sale) in enumerate(words):
        lines.append(
            f'某商品,"\t250108-{123456789012345 + n}",{status},"50.00\t","5.00\t","0\t",'
            f'"45.00\t","45.00\t","1\t",,,"\t6000{n}","\t1000{n}",红色,{after_sale},,,'
            f'2025-01-08 12:0{n}:00,"\t"'
        )
    path = tmp_path / "orders_export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    assert result.accepted == 5
    assert result.guest_orders == 5
    assert "import.key_guest" in result.notes
    got = _orders(ws)
    assert [got[f"250108-{123456789012345 + n}"][0] for n in range(5)] == [
        "paid",
        "paid",
        "paid",
        "cancelled",
        "refunded",
    ]
    with ws.read() as con:
        owners = con.execute("SELECT count(DISTINCT customer_id) FROM orders").fetchone()
    assert owners == (5,)  # nobody is merged with anybody: each order its own guest


def test_a_hand_made_sheet_without_a_buyer_is_still_quarantined(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("订单号,会员卡号,实付金额,下单时间\nA1,,10,2025-01-02\n", encoding="utf-8")
    result = import_file(ws, "orders", path, format="generic")
    assert (result.rejected, result.accepted) == (1, 0)


def test_a_file_that_names_some_buyers_quarantines_an_order_without_one(
    ws: Workspace, tmp_path: Path
) -> None:
    lines = [
        TAOBAO,
        '="1001",tb_ann,10.00,交易成功,2025-03-01 10:00:00,2025-03-01 10:00:05,0.00,订单未关闭',
        '="1002",,20.00,交易成功,2025-03-02 10:00:00,2025-03-02 10:00:05,0.00,订单未关闭',
    ]
    path = tmp_path / "ExportOrderList202503021200.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    result = import_file(ws, "orders", path)
    assert (result.accepted, result.rejected, result.guest_orders) == (1, 1, 0)
    assert result.rejected_by_reason == {"missing_required": 1}


# 抖店 orders CSV as a public report script reads it (github-code-index:40487092626):
# 商品金额 is the unit price ("这是单价"), there is no 订单应付金额, the payable is
# 商品金额 × 商品数量
DOUYIN = (
    "主订单编号,子订单编号,选购商品,商品ID,商家编码,商品数量,商品金额,订单提交时间,"
    "支付完成时间,订单完成时间,订单状态,取消原因,售后状态"
)


def test_a_douyin_export_priced_per_piece_is_read(ws: Workspace, tmp_path: Path) -> None:
    head = '"\t6920152002630001","\t6920152002630001'
    lines = [
        DOUYIN,
        f'{head}1",商品A,"\t1001",A01,2,69.00,2026-01-01 10:00:00,2026-01-01 10:01:00,-,已完成,,-',
        f'{head}2",商品B,"\t1002",B01,1,"1,299.00",2026-01-01 10:00:00,2026-01-01 10:01:00,-,已完成,,-',
        '"\t6920152002630002","\t69201520026300021",商品B,"\t1002",B01,1,30.00,2026-01-02 10:00:00,-,-,已关闭,超时未支付,-',
    ]
    path = tmp_path / "抖店订单.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    result = import_file(ws, "orders", path)
    assert result.format == "douyin"
    assert result.rejected == 0, result.examples
    assert result.mapping["amount"] == "商品金额 × 商品数量"
    with ws.read() as con:
        rows = con.execute("SELECT order_id, amount, status FROM orders ORDER BY 1").fetchall()
    assert [(str(a), s) for _, a, s in rows] == [("1437.00", "paid"), ("30.00", "cancelled")]
