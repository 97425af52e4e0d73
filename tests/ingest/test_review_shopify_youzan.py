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
