"""Real-format files a stranger brings: a 有赞 export with the order-list headers (下单时间,
实付金额, 维权状态) and the words of its status columns, and amounts written ``US$12.00``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _orders(ws: Workspace) -> dict[str, tuple[str, Decimal, str, Decimal | None]]:
    with ws.read() as con:
        rows = con.execute(
            "SELECT order_id, status, amount, customer_id, refunded FROM orders"
        ).fetchall()
    return {str(o).rsplit(":", 1)[-1]: (s, a, c, r) for o, s, a, c, r in rows}


def test_an_amount_written_us_dollar_is_read(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "订单号,手机号,下单时间,实付金额,订单状态\n"
        "A1,13800000001,2024-03-05 10:00:00,US$5.00,已付款\n"
        'A2,13800000002,2024-03-05 10:00:00,"US$1,234.50",已付款\n',
        encoding="utf-8",
    )
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    got = _orders(ws)
    assert got["A1"][1] == Decimal("5.00")
    assert got["A2"][1] == Decimal("1234.50")


# 有赞 order list as the brief describes it; the status words are the API's TradeDetail.status
# and refund_state descriptions (github-code-index:41615572716: WAIT_BUYER_CONFIRM_GOODS
# 等待买家确认收货 = 待收货, TRADE_SUCCESS 交易成功/交易完成, TRADE_CLOSED 交易关闭)
YOUZAN = "订单号,订单状态,买家昵称,买家手机号,下单时间,实付金额,商品名称,商品数量,维权状态"

YOUZAN_ROWS = [
    # (status, 维权状态, want)
    ("待付款", "", "pending"),
    ("待发货", "", "paid"),
    ("待收货", "", "paid"),
    ("已发货", "", "paid"),
    ("交易完成", "", "paid"),
    ("交易成功", "无维权", "paid"),
    ("交易关闭", "", "cancelled"),
    ("交易完成", "退款成功", "refunded"),
    ("交易完成", "退款中", "refunding"),
    ("交易完成", "退款关闭", "paid"),
]


def test_a_youzan_order_list_is_read_as_youzan(ws: Workspace, tmp_path: Path) -> None:
    lines = [YOUZAN]
    for n, (status, rights, _) in enumerate(YOUZAN_ROWS):
        lines.append(
            f"E2024030514221{n:04d},{status},昵称{n % 2},1380000{n:04d},"
            f"2024-03-05 14:2{n}:10,99.00,面膜,1,{rights}"
        )
    path = tmp_path / "有赞订单.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    got = _orders(ws)
    want = {f"E2024030514221{n:04d}": w for n, (_, _, w) in enumerate(YOUZAN_ROWS)}
    assert {k: v[0] for k, v in got.items()} == want
    # the buyer is the phone, never the (shared) nickname
    assert len({v[2] for v in got.values()}) == len(YOUZAN_ROWS)
    assert got["E20240305142210007"][3] == Decimal("99.00")
