"""``POST /api/quarantine/retry`` with one status word given two meanings (" 妥投完结" and
"妥投完结 " are the same word once trimmed): the last one given was taken silently, so
the quarantined orders were read as whichever came last in the JSON. It is a 400 naming
the word, in the request's language, and the rows stay quarantined."""

from __future__ import annotations

import json
from typing import Any

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

ORDERS = "订单编号,客户编号,下单时间,实付金额,订单状态\nW-1,K1,2026-09-01,100.00,妥投完结\n"


def test_a_word_given_two_meanings_is_refused(ws: Workspace, serve: Any) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        job = client.post(
            "/api/imports/orders",
            params={"wait": "true", "create_customers": "true"},
            files={"file": ("orders.csv", ORDERS.encode("utf-8"), "text/csv")},
        ).json()
        assert job["result"]["unknown_statuses"] == {"妥投完结": 1}
        body = '{"table": "orders", "statuses": {" 妥投完结": "paid", "妥投完结 ": "cancelled"}}'
        for lang, words in (("zh", "两个不同的含义"), ("en", "two different meanings")):
            answer = client.post(
                "/api/quarantine/retry",
                params={"wait": "true", "lang": lang},
                content=body.encode("utf-8"),
                headers={"content-type": "application/json"},
            )
            assert answer.status_code == 400, answer.text
            error = answer.json()["error"]
            assert error["code"] == "bad_statuses"
            assert words in error["message"]
            assert "妥投完结" in error["message"]
        # the same meaning twice is one meaning
        same = {"table": "orders", "statuses": {" 妥投完结": "paid", "妥投完结": "paid"}}
        done = client.post(
            "/api/quarantine/retry",
            params={"wait": "true"},
            content=json.dumps(same).encode("utf-8"),
            headers={"content-type": "application/json"},
        )
        assert done.status_code == 200, done.text
        assert done.json()["result"]["accepted"] == 1
