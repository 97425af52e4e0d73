"""A file holding its header and no rows (an empty template, an export of a day without
orders) was answered on the upload page with a green "0 rows: 0 accepted, 0
quarantined" and nothing else. The import says, in the page's language, that the file
had no rows and nothing was imported; a file with rows says nothing of the kind."""

from __future__ import annotations

from typing import Any

import pytest

HEADER = "订单编号,客户编号,下单时间,实付金额\n"


@pytest.mark.parametrize(("lang", "words"), [("zh", "没有数据行"), ("en", "no rows")])
def test_a_header_alone_is_said(server: Any, lang: str, words: str) -> None:
    with server.client("admin") as client:
        for content in (HEADER, HEADER + "\n\n"):
            done = client.post(
                "/api/imports/orders",
                params={"wait": "true", "lang": lang},
                files={"file": ("模板.csv", content.encode("utf-8"), "text/csv")},
            )
            assert done.status_code == 200, done.text
            result = done.json()["result"]
            assert result["rows"] == 0
            warned = [line["text"] for line in result["said"] if line["warn"]]
            assert any(words in text and "模板.csv" in text for text in warned), result["said"]
        with_rows = client.post(
            "/api/imports/orders",
            params={"wait": "true", "lang": lang},
            files={"file": ("o.csv", (HEADER + "HO-1,C00000001,2026-09-01,9.90\n").encode())},
        )
    said = " ".join(line["text"] for line in with_rows.json()["result"]["said"])
    assert words not in said, said
