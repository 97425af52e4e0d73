"""A sheet of no known platform whose only buyer column is a masked phone (138****6688, as
most platforms print a receiver's phone): a masked value is no one's id, so those orders
are quarantined with a reason saying so, instead of every buyer behind the same mask
becoming one customer. A real phone, or another key on the row, is still used."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace


def _buyers(ws: Workspace) -> dict[str, str]:
    with ws.read() as con:
        return dict(con.execute("SELECT order_id, customer_id FROM orders").fetchall())


def test_a_masked_phone_alone_is_no_buyer(ws: Workspace, tmp_path: Path) -> None:
    sheet = tmp_path / "orders.csv"
    sheet.write_text(
        "订单编号,收货人手机,下单时间,实付金额,订单状态\n"
        "A1,138****6688,2026-01-05 10:00,10.00,交易成功\n"
        "A2,138****6688,2026-01-06 10:00,12.00,交易成功\n"
        "A3,13812345678,2026-01-07 10:00,8.00,交易成功\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", sheet)
    assert (report.accepted, report.rejected) == (1, 2)
    buyers = _buyers(ws)
    assert list(buyers) == ["A3"]
    assert buyers["A3"].startswith("p-")  # the real phone, hashed
    problems = {(q["row"], q["reason"], q["value"]) for q in quarantine_rows(ws)}
    assert problems == {(2, "masked_buyer", "138****6688"), (3, "masked_buyer", "138****6688")}
    zh = quarantine_rows(ws, lang="zh")[0]["message"]
    en = quarantine_rows(ws, lang="en")[0]["message"]
    assert "打码" in zh
    assert "masked" in en


def test_a_masked_id_gives_way_to_a_real_phone(ws: Workspace, tmp_path: Path) -> None:
    sheet = tmp_path / "orders.csv"
    sheet.write_text(
        "订单编号,客户编号,手机,下单时间,实付金额,订单状态\n"
        "B1,t**1,13812345678,2026-01-05 10:00,10.00,交易成功\n"
        "B2,t**1,13900001111,2026-01-06 10:00,12.00,交易成功\n"
        "B3,C-7,,2026-01-07 10:00,8.00,交易成功\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", sheet)
    assert (report.accepted, report.rejected) == (3, 0)
    buyers = _buyers(ws)
    assert buyers["B1"] != buyers["B2"]  # two phones behind one mask: two buyers
    assert buyers["B1"].startswith("p-")
    assert buyers["B3"] == "C-7"


def test_an_empty_id_beside_a_masked_phone_is_named_as_masked(
    ws: Workspace, tmp_path: Path
) -> None:
    """A row of an empty 买家会员名 and a masked 联系手机 was quarantined as "required
    field customer_id is empty", naming neither the column the user sees nor the cause;
    a member list whose ids come from the e-mail, with the e-mail empty and the phone
    masked, likewise. A customers file with its own id column still says the id is
    empty: a contact never stands in for a written id."""
    sheet = tmp_path / "orders.csv"
    sheet.write_text(
        "订单编号,买家会员名,联系手机,订单创建时间,买家实际支付金额,订单状态\n"
        "A1,,138****8000,2024-01-05,100,交易成功\n"
        "A2,u2,,2024-01-05,50,交易成功\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", sheet, create_customers=True)
    assert (report.accepted, report.rejected) == (1, 1)
    problems = {(q["row"], q["reason"], q["value"]) for q in quarantine_rows(ws)}
    assert problems == {(2, "masked_buyer", "138****8000")}

    members = tmp_path / "members.csv"
    members.write_text(
        "客户姓名,手机号,邮箱\n张三,138****8001,\n李四,13900139000,b@c.cn\n", encoding="utf-8"
    )
    report = import_file(ws, "customers", members)
    assert (report.accepted, report.rejected_by_reason) == (1, {"masked_buyer": 1})

    own = tmp_path / "own_ids.csv"
    own.write_text("客户编号,手机号\n,138****8002\nK2,13700137000\n", encoding="utf-8")
    report = import_file(ws, "customers", own)
    assert (report.accepted, report.rejected_by_reason) == (1, {"missing_required": 1})
