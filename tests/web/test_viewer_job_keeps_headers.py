"""An import's report read by a viewer (``/api/jobs/{id}``) named the file's customer id
column by a token: its column mapping (``customer_id`` → the header ``客户编号``) was
taken for a customer id, and the header sealed there and in the list of headers, while
the report's sentences named it. A header is no one's id; the customers' ids are still
never shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kequn.store.access import add_user
from kequn.store.workspace import Workspace


def test_a_viewer_reads_the_import_s_headers_as_they_are(tmp_path: Path, serve: Any) -> None:
    ws = Workspace.init(tmp_path / "ws")
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("admin", "viewer")}
    upload = tmp_path / "orders.csv"
    upload.write_text(
        "订单编号,客户编号,下单时间,实付金额\nH-1,C-HEAD-1,2026-09-01,120\n"
        "H-2,C-HEAD-2,not a date,80\n",
        encoding="utf-8",
    )
    with serve(ws, tokens) as srv:
        with srv.client("admin") as admin:
            job = admin.post(
                "/api/imports/orders?wait=true",
                files={"file": (upload.name, upload.read_bytes(), "text/csv")},
            ).json()
        assert job["state"] == "done", job
        with srv.client("viewer") as viewer:
            shown = viewer.get(f"/api/jobs/{job['id']}", params={"lang": "zh"}).json()
    result = shown["result"]
    assert result["mapping"]["customer_id"] == "客户编号"
    assert "客户编号" in result["headers"]
    text = str(shown)
    assert "C-HEAD-1" not in text
    assert "C-HEAD-2" not in text
