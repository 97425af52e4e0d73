"""Order status words no profile knows quarantine their orders, and `kequn quarantine retry
--mapping` with `statuses:` reads them again; the dashboard had no way to do either, so
an owner who imported from the page lost those orders. ``POST /api/quarantine/retry``
takes the words' meanings (only an importer may), checks them (400 naming the statuses
allowed), and reads the quarantined rows again."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

ORDERS = (
    "订单编号,客户编号,下单时间,实付金额,订单状态\n"
    "W-1,K1,2026-09-01,100.00,已付款\n"
    "W-2,K1,2026-09-03,80.00,妥投完结\n"
    "W-3,K2,2026-09-04,60.00,妥投完结\n"
    "W-4,K2,2026-09-05,40.00,拒收退回\n"
)


def _statuses(ws: Workspace) -> dict[str, str]:
    with ws.read() as con:
        return dict(con.execute("SELECT order_id, status FROM orders").fetchall())


def test_unknown_status_words_are_given_a_meaning_and_read_again(ws: Workspace, serve: Any) -> None:
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("admin", "analyst", "viewer")}
    with serve(ws, tokens) as srv:
        with srv.client("admin") as client:
            job = client.post(
                "/api/imports/orders",
                params={"wait": "true", "create_customers": "true", "lang": "zh"},
                files={"file": ("orders.csv", ORDERS.encode("utf-8"), "text/csv")},
            ).json()
        assert job["state"] == "done", job
        assert job["result"]["unknown_statuses"] == {"妥投完结": 2, "拒收退回": 1}
        assert _statuses(ws) == {"W-1": "paid"}
        meanings = {
            "statuses": {"妥投完结": "paid", "拒收退回": "refunded"},
            "create_customers": True,
        }
        for role in ("analyst", "viewer"):
            with srv.client(role) as client:
                refused = client.post(
                    "/api/quarantine/retry", params={"wait": "true"}, json=meanings
                )
            assert refused.status_code == 403, refused.text
        with srv.client("admin") as client:
            for bad in (
                {"statuses": {"妥投完结": "delivered"}},
                {"statuses": {" ": "paid"}},
                {"statuses": {"x" * 201: "paid"}},
            ):
                answer = client.post("/api/quarantine/retry", params={"lang": "en"}, json=bad)
                assert answer.status_code == 400, answer.text
                assert "partially_refunded" in answer.json()["error"]["message"]
            unknown = client.post("/api/quarantine/retry", json={"table": "nope"})
            assert unknown.status_code == 404, unknown.text
            assert _statuses(ws) == {"W-1": "paid"}
            done = client.post("/api/quarantine/retry", params={"wait": "true"}, json=meanings)
            assert done.status_code == 200, done.text
            result = done.json()["result"]
            quarantine = client.get("/api/quarantine", params={"table": "orders"}).json()
    assert (result["accepted"], result["rejected"]) == (3, 0), result
    assert json.dumps(result, ensure_ascii=False).count("K1") == 0  # no row's values kept
    assert _statuses(ws) == {"W-1": "paid", "W-2": "paid", "W-3": "paid", "W-4": "refunded"}
    with ws.read() as con:
        assert con.execute("SELECT sum(amount) FROM orders").fetchone() == (Decimal("280.00"),)
    assert [q for q in quarantine if q.get("severity") == "rejected"] == []
