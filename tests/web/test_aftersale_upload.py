"""A 天猫/淘宝 退款管理 export uploaded through the API (POST /api/imports/orders) is read
as refunds of the stored orders, as the command reads it; only an admin may import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from kequn.ingest.importer import import_file
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

ORDERS = (
    "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间,宝贝标题,宝贝总数量\n"
    '="3120000000000000001",tb_zhang,100.00,交易成功,2025-03-01 10:00:00,2025-03-01 10:01:00,T恤,1\n'
    '="3120000000000000002",tb_li,50.00,交易成功,2025-03-02 10:00:00,2025-03-02 10:01:00,T恤,1\n'
)
REFUNDS = (
    "订单编号,退款编号,订单付款时间,买家实际支付金额,买家退款金额,退款状态\n"
    '="3120000000000000001",="R1",2025-03-01 10:01:00,100.00,30.00,退款成功\n'
    '="3120000000000000002",="R2",2025-03-02 10:01:00,50.00,50.00,退款关闭\n'
    '="3129999999999999999",="R3",2025-03-02 10:01:00,40.00,40.00,退款成功\n'
)


def _orders(ws: Workspace) -> dict[str, tuple[Decimal, str]]:
    with ws.read() as con:
        rows = con.execute("SELECT order_id, refunded, status FROM orders").fetchall()
    return {str(o): (r, str(s)) for o, r, s in rows}


def test_a_refunds_export_uploaded_refunds_the_stored_orders(
    ws: Workspace, tmp_path: Path, serve: Any
) -> None:
    path = tmp_path / "ExportOrderList202503.csv"
    path.write_text(ORDERS, encoding="gbk")
    assert import_file(ws, "orders", path).accepted == 2
    before = _orders(ws)
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("admin", "analyst", "viewer")}
    body = REFUNDS.encode("gbk")
    with serve(ws, tokens) as srv:
        for role in ("analyst", "viewer"):
            with srv.client(role) as client:
                refused = client.post(
                    "/api/imports/orders",
                    params={"wait": "true"},
                    files={"file": ("退款管理.csv", body, "text/csv")},
                )
            assert refused.status_code == 403, refused.text
        assert _orders(ws) == before
        with srv.client("admin") as client:
            job = client.post(
                "/api/imports/orders",
                params={"wait": "true", "lang": "en"},
                files={"file": ("退款管理.csv", body, "text/csv")},
            ).json()
    assert job["state"] == "done", job
    report = job["result"]
    assert report["format"] == "taobao_refunds"
    assert (report["refund_rows"], report["refunds_applied"], report["inserted"]) == (1, 1, 0)
    assert report["refunds_not_applied"] == {"closed": 1}
    (held,) = [q for q in report["quarantine"] if q["file"] == "退款管理.csv"]
    assert (held["row"], held["reason"]) == (4, "aftersale_order_unknown")
    assert held["reason_name"] == "refund of an order not imported"
    after = _orders(ws)
    assert after["taobao:3120000000000000001"] == (Decimal("30.00"), "partially_refunded")
    assert after["taobao:3120000000000000002"] == before["taobao:3120000000000000002"]
    assert len(after) == 2
