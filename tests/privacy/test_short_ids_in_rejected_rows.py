"""A rejected row is a customer's when one of its cells is their id (or holds their name,
phone or e-mail). The id was matched as a word anywhere in the row, so a short id, as
small shops number their customers (1, 2, 3 …), matched every rejected row with a "1"
in it: customer 1's privacy export carried customer 2's rejected order (its quantity
was 1), handed to customer 1 with it, and erasing customer 1 deleted it. A short id now
has to be the whole cell of the file's customer id column (any cell, where the import
did not say which); a long one is still found as a word anywhere (in a message, say)."""

from __future__ import annotations

from pathlib import Path

from kequn import privacy
from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.privacy.mentions import Identity


def _workspace(tmp_path: Path) -> object:
    ws = demo_workspace(tmp_path / "demo", 10)
    customers, orders = tmp_path / "customers.csv", tmp_path / "orders.csv"
    customers.write_text(
        "customer_id,name,phone\n1,甲一,13900000001\n2,乙二,13900000002\n", encoding="utf-8"
    )
    # customer 2's order is rejected (its date), and its quantity is 1
    orders.write_text(
        "order_id,customer_id,ordered_at,amount,quantity\n"
        "O-1,1,2026-09-01,100,2\n"
        "O-2,2,not a date,50,1\n",
        encoding="utf-8",
    )
    import_file(ws, "customers", customers)
    import_file(ws, "orders", orders)
    return ws


def _rejected_orders(data: dict | None) -> list[str]:
    return [r["record"] for r in (data or {}).get("quarantine", []) if r["table"] == "orders"]


def test_customer_1_s_export_and_erasure_leave_customer_2_s_rejected_row(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    assert len(_rejected_orders(privacy.export_person(ws, "2"))) == 1  # it is 2's
    assert _rejected_orders(privacy.export_person(ws, "1")) == []
    privacy.erase_person(ws, "1")
    assert len(_rejected_orders(privacy.export_person(ws, "2"))) == 1


def test_a_long_id_is_still_found_as_a_word_and_a_short_one_as_a_cell() -> None:
    long = Identity("C00000042", frozenset({"C00000042"}), frozenset())
    assert long.in_cell("see C00000042, merged")
    assert long.in_cell("C00000042")
    assert long.in_cell("C00000042", id_here=False)
    short = Identity("1", frozenset({"1", "甲一"}), frozenset({"13900000001"}))
    assert short.in_cell("1")
    assert not short.in_cell("1", id_here=False)  # a quantity of 1, say
    assert short.in_cell(' ="1" ')  # as platform exports write ids for Excel
    assert not short.in_cell("1号楼")
    assert not short.in_cell("2026-1-5")
    assert short.in_cell("收件人 甲一")  # the name, anywhere
    assert short.in_cell("139-0000-0001")  # the phone, however written
