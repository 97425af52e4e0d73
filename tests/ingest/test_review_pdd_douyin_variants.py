"""拼多多 and 抖店 exports as other versions of them are written: headers without their
unit, the backend's after-sale words, an 抖店 export without 子订单编号. Each file is built
from the public source named next to it (the profiles cite them too)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kequn.ingest.formats import header_key
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

# 拼多多 orders_export.csv as a public report script reads it (utf-8-sig, cells padded
# with tabs; github-code-index:40189267514): no 支付时间 and no buyer column
PDD = (
    "商品,订单号,订单状态,商品总价(元),店铺优惠折扣(元),平台优惠折扣(元),用户实付金额(元),"
    "商家实收金额(元),商品数量(件),发货时间,确认收货时间,商品id,样式ID,商品规格,售后状态,"
    "快递单号,快递公司,订单成交时间"
)


def _pdd(path: Path, header: str, rows: list[tuple[str, str, str]]) -> Path:
    lines = [header]
    for n, (status, after_sale, paid) in enumerate(rows):
        lines.append(
            f'某商品,"\t250108-{123456789012345 + n}",{status},"50.00\t","5.00\t","0\t",'
            f'"{paid}\t","{paid}\t","1\t",,,"\t6000{n}","\t1000{n}",红色,{after_sale},,,'
            f"2025-01-08 12:0{n}:00"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def _orders(ws: Workspace) -> dict[str, tuple[str, Decimal, Decimal]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}


def test_a_pdd_export_whose_headers_drop_the_unit_is_still_pdd(
    ws: Workspace, tmp_path: Path
) -> None:
    """用户实付金额 / 商品数量 / 成交时间 without (元) / (件): a public reader of these files
    takes both spellings as one column (github-code-index:66588805740). The file was not
    recognised as 拼多多 and was refused whole for want of a buyer column."""
    header = (
        PDD.replace("用户实付金额(元)", "用户实付金额")
        .replace("商品数量(件)", "商品数量")
        .replace("订单成交时间", "成交时间")
    )
    rows = [("待发货", "无售后或售后取消", "45.00"), ("已签收", "无售后或售后取消", "1,299.00")]
    path = _pdd(tmp_path / "orders_export.csv", header, rows)
    result = import_file(ws, "orders", path)
    assert result.format == "pdd"
    assert result.rejected == 0, result.examples
    assert result.mapping["amount"] == "用户实付金额"
    # each order is its own guest, said once, not contradicted by 'name a buyer column'
    assert "import.key_guest" in result.notes
    assert "import.key_missing" not in result.notes
    got = _orders(ws)
    assert got["250108-123456789012345"][:2] == ("paid", Decimal("45.00"))
    assert got["250108-123456789012346"][:2] == ("paid", Decimal("1299.00"))


def test_a_scaling_unit_stays_part_of_the_header() -> None:
    assert (
        header_key("用户实付金额(元)")
        == header_key("用户实付金额")
        == header_key("用户实付金额（元）")
    )
    assert header_key("商品数量(件)") == header_key("商品数量")
    # 万元 multiplies the value: such a column is not the profile's amount in 元
    assert header_key("用户实付金额(万元)") != header_key("用户实付金额")


def test_pdd_after_sale_and_status_words(ws: Workspace, tmp_path: Path) -> None:
    """The merchant backend's after-sale texts (github-code-index:53514601405), a refund
    analysis's words (github-code-index:66588805740) and 待付款 (github-code-index:17631029504).
    An unknown after-sale word was read as no after-sale, so a refund under way or done
    counted as an untouched sale; a refused or withdrawn request keeps the sale."""
    rows = [
        ("已发货，待签收", "买家申请退款，待商家处理", "45.00"),  # refund asked: under way
        ("已签收", "已发货，退款成功", "45.00"),  # refunded in full
        ("已签收", "退货退款成功", "30.00"),
        ("已签收", "商家拒绝退款，退款关闭", "45.00"),  # refused: the sale stands
        ("已签收", "换货补寄成功", "45.00"),  # an exchange: the money is kept
        ("已签收", "买家撤销", "45.00"),
        ("待付款", "无售后", "45.00"),
        ("待成团", "无售后", "45.00"),  # unknown: quarantined, never counted as paid
    ]
    path = _pdd(tmp_path / "orders_export.csv", PDD, rows)
    result = import_file(ws, "orders", path)
    assert result.format == "pdd"
    assert (result.accepted, result.rejected) == (7, 1)
    assert result.rejected_by_reason == {"bad_choice": 1}
    got = _orders(ws)
    want = [
        ("refunding", Decimal("45.00"), Decimal("0.00")),
        ("refunded", Decimal("45.00"), Decimal("45.00")),
        ("refunded", Decimal("30.00"), Decimal("30.00")),
        ("paid", Decimal("45.00"), Decimal("0.00")),
        ("paid", Decimal("45.00"), Decimal("0.00")),
        ("paid", Decimal("45.00"), Decimal("0.00")),
        ("pending", Decimal("45.00"), Decimal("0.00")),
    ]
    assert [got[f"250108-{123456789012345 + n}"] for n in range(7)] == want
    assert f"250108-{123456789012345 + 7}" not in got
    assert result.unknown_refund_words == {}
    assert result.unknown_statuses == {"待成团": 1}


# 抖店 orders CSV exactly as the public report script's three copies read it
# (github-code-index:40487092626, 40149919627, 40203864399): 主订单编号 and no 子订单编号,
# 商品金额 the unit price, no 订单应付金额; tabs before the long ids, '-' for empty cells
DOUYIN = (
    "主订单编号,选购商品,商品ID,商品数量,商品金额,订单提交时间,支付完成时间,订单完成时间,"
    "订单状态,取消原因,售后状态,货号,订单类型"
)


def test_a_douyin_export_without_sub_order_numbers_is_douyin(ws: Workspace, tmp_path: Path) -> None:
    """It was refused whole: customer, order time and amount 'not found'."""
    rows = [
        ("6953489890610190242", "苹果", "1", 2, "49.90", "2025-05-01 10:00:00", "2025-05-01 10:01:00",
         "2025-05-05 10:00:00", "已完成", "-", "-"),
        ("6953489890610190243", "梨", "2", 1, "29.90", "2025-05-02 10:00:00", "2025-05-02 10:01:00",
         "-", "待发货", "-", "-"),
        ("6953489890610190244", "梨", "2", 1, "29.90", "2025-05-03 10:00:00", "-",
         "-", "已关闭", "超时未支付", "-"),
        ("6953489890610190245", "梨", "2", 1, "29.90", "2025-05-03 11:00:00", "2025-05-03 11:00:30",
         "-", "已关闭", "-", "退款成功"),
    ]  # fmt: skip
    lines = [DOUYIN] + [
        f'"\t{oid}",{title},"\t360000000000{sku}",{n},{price},{at},{paid},{done},{status},'
        f"{why},{after},A{sku},普通订单"
        for oid, title, sku, n, price, at, paid, done, status, why, after in rows
    ]
    path = tmp_path / "抖店订单.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    result = import_file(ws, "orders", path)
    assert result.format == "douyin"
    assert (result.accepted, result.rejected) == (4, 0), result.examples
    got = _orders(ws)
    assert got["6953489890610190242"] == ("paid", Decimal("99.80"), Decimal("0.00"))
    assert got["6953489890610190243"] == ("paid", Decimal("29.90"), Decimal("0.00"))
    assert got["6953489890610190244"][0] == "cancelled"
    assert got["6953489890610190245"] == ("refunded", Decimal("29.90"), Decimal("29.90"))
