"""An upload naming a ``sheet=`` of a file that has no sheets (a CSV) is a 422 with a
code and a message naming the parameter and the file, no job: the sheet was ignored
without a word, as ``kequn import --sheet`` of a CSV is a usage error."""

from __future__ import annotations

from typing import Any

import pytest

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

# RFC 4180 CSV (https://www.rfc-editor.org/rfc/rfc4180): a header line, then records
ORDERS = "order_id,customer_id,ordered_at,amount,status\r\nO1,C001,2026-01-02,100,paid\r\n"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "is a CSV or Parquet file, which has no sheets"), ("zh", "没有工作表")],
)
def test_a_sheet_of_a_csv_upload_is_refused(
    ws: Workspace, serve: Any, lang: str, words: str
) -> None:
    tokens = {"admin": add_user(ws, "owner", "admin")}
    with serve(ws, tokens) as srv, srv.client("admin") as client:
        bad = client.post(
            "/api/imports/orders",
            params={"wait": "true", "sheet": "Foo", "lang": lang, "create_customers": "true"},
            files={"file": ("orders.csv", ORDERS.encode("utf-8"), "text/csv")},
        )
        assert bad.status_code == 422, bad.text
        error = bad.json()["error"]
        assert error["code"] == "sheet_without_sheets"
        assert words in error["message"]
        assert "sheet" in error["message"]
        assert "orders.csv" in error["message"]
        # without the sheet the same upload is imported
        done = client.post(
            "/api/imports/orders",
            params={"wait": "true", "create_customers": "true"},
            files={"file": ("orders.csv", ORDERS.encode("utf-8"), "text/csv")},
        )
        assert done.status_code == 200, done.text
        assert done.json()["result"]["inserted"] == 1
