"""An upload's name as long as a browser sends it: a file system takes 255 bytes of a
name, and 汉字 take three bytes each in UTF-8, so a name short enough in characters can
still be too long to keep. The upload is imported under a shortened name, not a 500."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "全部门店会员订单导出" * 10 + ".csv",  # 100 汉字: under 120 characters, 300 bytes
        "订单" * 200 + ".csv",
    ],
)
def test_a_long_upload_name_is_shortened_not_a_server_error(server: Any, name: str) -> None:
    content = "订单编号,客户编号,下单时间,实付金额\nLONGNAME-1,C00000001,2026-09-01,12.50\n"
    with server.client("admin") as client:
        response = client.post(
            "/api/imports/orders?wait=true",
            files={"file": (name, content.encode("utf-8"), "text/csv")},
        )
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["accepted"] == 1
    kept = result["file"]
    assert kept.endswith(".csv")
    assert len(kept.encode("utf-8")) <= 255
