"""The upload's ``columns`` field (JSON: which header holds each column) sent by a client
that is not the upload page: half of a UTF-16 surrogate pair (``"\\ud800"``) in a header
or a column's name failed the job as an internal error (500, UnicodeEncodeError) or could
not be answered at all. Every such field is a 400 in the JSON error shape, in the
request's language, and nothing is imported."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

ORDERS = "票据,顾客代码,成交日,款项\nP-1,K1,2026-09-01,100.00\n"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    "columns",
    [
        '{"order_id": "\\ud800"}',  # half a pair in a header
        '{"order_id": "票据\\udfff"}',
        '{"\\ud800": "票据"}',  # half a pair in a column's name
    ],
)
def test_half_a_pair_in_columns_is_a_400(ws: Workspace, serve: Any, columns: str) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang in ("zh", "en"):
            answer = client.post(
                "/api/imports/orders",
                params={"wait": "true", "lang": lang, "create_customers": "true"},
                files={"file": ("台账.csv", ORDERS.encode("utf-8"), "text/csv")},
                data={"columns": columns},
            )
            assert answer.status_code == 400, answer.text
            assert answer.headers["content-type"].startswith("application/json")
            error = answer.json()["error"]
            assert error["code"] == "invalid_text"
            assert bool(HAN.search(error["message"])) == (lang == "zh"), error
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)


def test_a_long_header_offered_can_be_chosen(ws: Workspace, serve: Any) -> None:
    """A header of 10,000 characters was offered by the failed job (its ``wanted``) and
    refused when chosen (a 400 saying columns must name the file's headers)."""
    long = "款项说明" * 2500
    data = f"票据,顾客代码,成交日,{long}\nP-1,K1,2026-09-01,100.00\n".encode()
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        params = {"wait": "true", "lang": "en", "create_customers": "true"}
        failed = client.post(
            "/api/imports/orders", params=params, files={"file": ("a.csv", data, "text/csv")}
        )
        assert failed.status_code == 422, failed.text
        headers = failed.json()["job"]["wanted"]["headers"]
        assert long in headers
        chosen = {"order_id": "票据", "customer_id": "顾客代码", "ordered_at": "成交日"}
        done = client.post(
            "/api/imports/orders",
            params=params,
            files={"file": ("a.csv", data, "text/csv")},
            data={"columns": json.dumps({**chosen, "amount": long})},
        )
    assert done.status_code == 200, done.text[:300]
    assert done.json()["result"]["accepted"] == 1


def test_a_source_and_no_source_is_a_422(ws: Workspace, serve: Any) -> None:
    """As the command refuses them: the source won without a word, storing crm:K1 for a
    client that asked for the ids as given."""
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        for lang in ("zh", "en"):
            params = {"wait": "true", "lang": lang, "create_customers": "true"}
            answer = client.post(
                "/api/imports/orders",
                params={**params, "source": "crm", "no_source": "true"},
                files={"file": ("台账.csv", ORDERS.encode("utf-8"), "text/csv")},
            )
            assert answer.status_code == 422, answer.text
            error = answer.json()["error"]
            assert error["code"] == "source_and_no_source"
            assert "no_source" in error["message"]
            assert "--" not in error["message"]  # the upload's parameters, not the command's
            assert bool(HAN.search(error["message"])) == (lang == "zh"), error
    with ws.read() as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
