"""A file whose headers kequn does not know, uploaded through the API: the import used to
fail with "use --mapping", an option of the command that the dashboard had no way to give.
The failed job now says which columns are missing and the file's headers (to an
administrator or analyst; a viewer, who may not see personal data, is not shown the
headers: a file without its header row offers its first row instead), and the same file
uploaded again with ``columns`` is read with them, as a mapping file's ``columns:``."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

# headers of a hand-kept ledger that no synonym of kequn's matches
ORDERS = "票据,顾客代码,成交日,款项\nP-1,K1,2026-09-01,100.00\nP-2,K2,2026-09-02,50.50\n"


def _upload(client: Any, columns: dict[str, str] | str | None = None, lang: str = "zh") -> Any:
    data = (
        {}
        if columns is None
        else {"columns": columns if isinstance(columns, str) else json.dumps(columns)}
    )
    return client.post(
        "/api/imports/orders",
        params={"wait": "true", "lang": lang, "create_customers": "true"},
        files={"file": ("台账.csv", ORDERS.encode("utf-8"), "text/csv")},
        data=data,
    )


def test_the_failed_job_names_what_is_missing_and_the_columns_read_it(
    ws: Workspace, serve: Any
) -> None:
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("admin", "analyst", "viewer")}
    with serve(ws, tokens) as srv:
        with srv.client("admin") as client:
            failed = _upload(client)
            assert failed.status_code == 422, failed.text
            job = failed.json()["job"]
            wanted = job["wanted"]
            assert wanted["table"] == "orders"
            assert set(wanted["missing"]) >= {"order_id", "customer_id", "ordered_at", "amount"}
            assert wanted["headers"] == ["票据", "顾客代码", "成交日", "款项"]
            # as the page polls it: the missing columns' names in the reader's language
            polled = client.get(f"/api/jobs/{job['id']}", params={"lang": "zh"}).json()
            assert polled["wanted"]["labels"]["ordered_at"] == "下单时间"
        for role in ("analyst", "viewer"):
            with srv.client(role) as client:
                seen = client.get(f"/api/jobs/{job['id']}").json()
            assert (seen["wanted"] is None) == (role == "viewer"), (role, seen["wanted"])
        with srv.client("admin") as client:
            chosen = {
                "order_id": "票据",
                "customer_id": "顾客代码",
                "ordered_at": "成交日",
                "amount": "款项",
            }
            done = _upload(client, chosen)
    assert done.status_code == 200, done.text
    assert done.json()["result"]["accepted"] == 2
    with ws.read() as con:
        rows = con.execute("SELECT order_id, customer_id, amount FROM orders ORDER BY 1").fetchall()
    assert rows == [("P-1", "K1", Decimal("100.00")), ("P-2", "K2", Decimal("50.50"))]


def test_bad_columns_are_a_400_that_says_what_they_should_be(ws: Workspace, serve: Any) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for given, code in (
            ("not json", "bad_columns"),
            ("[]", "bad_columns"),
            (json.dumps({"amount": 5}), "bad_columns"),
            (json.dumps({"amount": " "}), "bad_columns"),
            (json.dumps({"price; DROP TABLE orders": "款项"}), "unknown_column"),
        ):
            answer = _upload(client, given, lang="en")
            assert answer.status_code == 400, (given, answer.text)
            error = answer.json()["error"]
            assert error["code"] == code
            assert "customer_id" in error["message"], error
        # a header the file does not have: the import says so (a 422 of the job)
        missing = _upload(
            client,
            {"order_id": "票据", "customer_id": "无此列", "ordered_at": "成交日", "amount": "款项"},
        )
        assert missing.status_code == 422, missing.text
        assert "无此列" in missing.json()["error"]["message"]
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
