"""A member list's member known by the member number alone (姓名, 手机, 城市 still blank:
a card handed out, nothing filled in yet) is a customer, not a footnote: a row of one
filled cell in a sheet of four columns or more was left out as a note such as
制表人：王五, and the member with it (listed as skipped, not quarantined: nothing to
retry). A footnote is still one, and an order row of an id alone is quarantined for what
it lacks rather than skipped."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def test_a_member_with_an_id_alone_is_imported(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "会员.csv"
    path.write_text(
        "会员卡号,姓名,手机,城市\n"
        "VIP-0001,张三,13800138000,杭州\n"
        "VIP-0002,,,\n"
        "10003,,,\n"
        "制表人：王五,,,\n"
        "数据截止 2024-03-01,,,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", path)
    assert report.accepted == 3
    assert [s["row"] for s in report.skipped] == [5, 6]
    with ws.read() as con:
        ids = con.execute("SELECT customer_id FROM customers ORDER BY 1").fetchall()
    assert ids == [("10003",), ("VIP-0001",), ("VIP-0002",)]


def test_an_order_id_alone_is_quarantined_not_skipped(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "订单编号,客户编号,下单时间,实付金额,订单状态\nA1,C1,2025-01-03,100,已完成\nA2,,,,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path)
    assert (report.accepted, report.rejected, report.skipped) == (1, 1, [])
