"""淘宝's older ExportOrderList (2016: 44 columns, ending 是否是O2O交易) has no 退款金额.
Its 订单状态 prints 交易关闭 both for an order closed before payment (the trade API's
TRADE_CLOSED_BY_TAOBAO) and for one closed after its money was refunded (TRADE_CLOSED,
"付款以后用户退款成功，交易自动关闭"; sources in src/kequn/ingest/formats/taobao.yaml). The
order's 订单付款时间 tells them apart: every closed order was stored as cancelled, so a
buyer's refunds were not counted as refunds."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

# the 2018 header list (tests/ingest/corpus/taobao.py) without what 2018 added: 支付单号 and
# 支付详情 after 买家支付宝账号, and everything after 是否是O2O交易 (退款金额 among it)
HEADERS_2016 = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分",
    "总金额", "返点积分", "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言",
    "收货人姓名", "收货地址 ", "运送方式", "联系电话 ", "联系手机", "订单创建时间",
    "订单付款时间 ", "宝贝标题 ", "宝贝种类 ", "物流单号 ", "物流公司", "订单备注", "宝贝总数量",
    "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费", "买家服务费", "发票抬头", "是否手机订单",
    "分阶段订单信息", "特权订金订单id", "是否上传合同照片", "是否上传小票", "是否代付", "定金排名",
    "修改后的sku", "修改后的收货地址", "异常信息", "天猫卡券抵扣", "集分宝抵扣", "是否是O2O交易",
]  # fmt: skip


def _write(path: Path, headers: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(headers)
    for row in rows:
        out.writerow([row.get(h, "") for h in headers])
    path.write_bytes(buffer.getvalue().encode("gbk"))


def _row(order: str, status: str, paid: str, paid_at: str, reason: str) -> dict[str, str]:
    return {
        "订单编号": order,
        "买家会员名": "快乐的猫" + order[-2:],
        "买家应付货款": "100.00",
        "总金额": "100.00",
        "买家实际支付金额": paid,
        "订单状态": status,
        "收货人姓名": "张伟",
        "收货地址 ": "浙江省 杭州市 西湖区 文三路1号(310000)",
        "联系手机": "'13800138000",
        "订单创建时间": "2016-05-20 10:00:00",
        "订单付款时间 ": paid_at,
        "宝贝标题 ": "保温杯316不锈钢大容量",
        "宝贝总数量": "1",
        "订单关闭原因": reason,
        "买家服务费": "0元",
    }


ROWS = [
    _row("1930679858170601", "交易成功", "100.00", "2016-05-20 10:05:00", "订单未关闭"),
    # paid, then closed: the money went back
    _row("1930679858170602", "交易关闭", "100.00", "2016-05-20 10:06:00", "退款"),
    # closed before payment: no payment time (empty, or the export's null)
    _row("1930679858170603", "交易关闭", "0.00", "", "买家未付款"),
    _row("1930679858170604", "交易关闭", "0.00", "null", "买家未付款"),
    _row("1930679858170605", "等待买家付款", "0.00", "", "订单未关闭"),
]


def _stored(ws: Workspace) -> dict[str, tuple[str, Decimal, Decimal]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}


def test_a_closed_order_with_a_payment_time_is_a_refund(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "ExportOrderList201605231502.csv"
    _write(path, HEADERS_2016, ROWS)
    report = import_file(ws, "orders", path)
    assert report.format == "taobao"
    assert report.rejected == 0, report.examples
    assert _stored(ws) == {
        "1930679858170601": ("paid", Decimal("100.00"), Decimal("0.00")),
        "1930679858170602": ("refunded", Decimal("100.00"), Decimal("100.00")),
        "1930679858170603": ("cancelled", Decimal("0.00"), Decimal("0.00")),
        "1930679858170604": ("cancelled", Decimal("0.00"), Decimal("0.00")),
        "1930679858170605": ("pending", Decimal("0.00"), Decimal("0.00")),
    }


def test_where_the_export_gives_the_refund_amount_it_decides(ws: Workspace, tmp_path: Path) -> None:
    """The 2018 export's 退款金额: 0 on a closed order leaves it cancelled, whatever its
    payment time says; an amount makes it a refund of that amount."""
    headers = [*HEADERS_2016, "退款金额"]
    rows = [
        {**ROWS[1], "退款金额": "0.00"},
        {**_row("1930679858170606", "交易关闭", "80.00", "2016-05-21 09:00:00", ""), "退款金额": "80.00"},
    ]  # fmt: skip
    path = tmp_path / "ExportOrderList201805231502.csv"
    _write(path, headers, rows)
    report = import_file(ws, "orders", path)
    assert report.rejected == 0, report.examples
    stored = _stored(ws)
    assert stored["1930679858170602"][0] == "cancelled"
    assert stored["1930679858170606"] == ("refunded", Decimal("80.00"), Decimal("80.00"))
