"""The quarantine as the upload page shows it: each row's column as the person knows it,
the file's header and the field's name in the page's language (订单创建时间 (下单时间)),
not kequn's internal id (its Column column read ``ordered_at``, its message "订单创建时间
(ordered_at) is not a date"); for a viewer, the field's name and the value masked in a
message written so ("下单时间 is not a date: ***": the value "not a date", masked in the
message after it was written, took the reason's own words with it: "订单创建时间
(ordered_at) is ***: ***").

The file is 淘宝/天猫's ExportOrderList (the columns as the importers cited in
formats/taobao.yaml read them), one order's 订单创建时间 not a date."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

HEADER = [
    "订单编号", "买家会员名", "买家应付货款", "买家应付邮费", "总金额", "买家实际支付金额",
    "订单状态", "收货人姓名", "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ",
    "宝贝总数量", "退款金额", "店铺名称",
]  # fmt: skip


def _export(tmp_path: Path, lang: str) -> Path:
    out = io.StringIO()
    rows = [
        HEADER,
        ["1930679858170641", "amy", "88.00", "0.00", "88.00", "88.00", "交易成功", "张*",
         "138****5678", "2024-03-05 14:03:00", "2024-03-05 14:05:00", "连衣裙", "1", "0.00",
         "标签小店"],
        ["1930679858170642", "ben", "66.00", "0.00", "66.00", "66.00", "交易成功", "李*",
         "139****1234", "not a date", "2024-03-06 09:00:00", "T恤", "1", "0.00", "标签小店"],
    ]  # fmt: skip
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path = tmp_path / f"ExportOrderList-labels-{lang}.csv"
    path.write_bytes(out.getvalue().encode("gbk"))
    return path


@pytest.mark.parametrize(
    ("lang", "admin", "viewer"),
    [
        ("zh", "订单创建时间 (下单时间)", "下单时间"),
        ("en", "订单创建时间 (order time)", "order time"),
    ],
)
def test_the_quarantine_names_the_column_as_known(
    server: Any, tmp_path: Path, lang: str, admin: str, viewer: str
) -> None:
    path = _export(tmp_path, lang)
    with server.client("admin") as client, path.open("rb") as fh:
        job = client.post(
            "/api/imports/orders?wait=true", files={"file": (path.name, fh, "text/csv")}
        ).json()
        assert job["state"] == "done", job
        seen = client.get("/api/quarantine", params={"table": "orders", "lang": lang}).json()
    with server.client("viewer") as client:
        masked = client.get("/api/quarantine", params={"table": "orders", "lang": lang}).json()
    [mine] = [q for q in seen if q["file"] == path.name and q["reason"] == "bad_date"]
    assert mine["column"] == "ordered_at"  # the id, for machines
    assert mine["column_label"] == admin
    assert mine["message"].startswith(f"{admin} "), mine["message"]
    assert mine["message"].endswith(": not a date"), mine["message"]
    # a viewer sees the files' names masked: the newest import's rows come first
    theirs = next(q for q in masked if q["reason"] == "bad_date")
    assert (theirs["file"], theirs["row"]) == ("***.csv", mine["row"])
    assert theirs["column_label"] == viewer
    # the reason's words whole (not a date: the value's own words), the value masked
    said = mine["message"].removesuffix("not a date").replace(admin, viewer, 1)
    assert theirs["message"] == said + "***", theirs["message"]
    assert "ordered_at" not in theirs["message"]
    assert theirs["record"] is None
