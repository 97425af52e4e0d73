"""A header written with 账 where the platform's own export writes 帐 (京东's 下单帐号): both are
the simplified spellings people type (账号 is the standard form, 帐号 the older one), so the
export is still recognised as 京东's and its buyer read."""

from __future__ import annotations

import csv
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.mapping import normalise_header
from kequn.store.workspace import Workspace


def test_zhang_written_either_way_is_one_header() -> None:
    assert (
        normalise_header("下单帐号") == normalise_header("下单账号") == normalise_header("下單帳號")
    )


def test_a_jd_export_with_xia_dan_zhang_hao_in_the_standard_spelling(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "jd.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["订单号", "商品ID", "商品名称", "订购数量", "下单时间", "京东价", "订单金额",
                      "应付金额", "订单状态", "下单账号", "客户姓名", "联系电话"])  # fmt: skip
        out.writerow(["290012345679", "100012345678", "保温杯", "1", "2024-01-06 13:05:00",
                      "129.00", "129.00", "119.50", "(删除)等待出库", "jd_buyer2", "李*",
                      "139****0000"])  # fmt: skip
    result = import_file(ws, "orders", path)
    assert result.format == "jd"
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = con.execute("SELECT customer_id, status, refunded FROM orders").fetchall()
    assert [(c, s, str(r)) for c, s, r in got] == [("jd:jd_buyer2", "refunded", "119.50")]
