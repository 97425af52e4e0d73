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
