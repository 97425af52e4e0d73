"""An id holding a tab, a line break or a NUL inside ("C0<tab>01", as a copy from a web
page or a chat leaves one) is a copy-paste error, not another customer: the row is
quarantined by file, row and column with the reason, in customers, orders and events
alike, and the file's good rows are imported. It was kept: a customer of its own that an
order naming C001 did not find, and a NUL stored in an id."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


CASES = [
    {"description": "tab", "cell": "C0\t01", "shown": "C0\\t01"},
    {"description": "line feed", "cell": "C0\n01", "shown": "C0\\n01"},
    {"description": "carriage return", "cell": "C0\r01", "shown": "C0\\r01"},
    {"description": "NUL", "cell": "C0\x0001", "shown": "C0\\x0001"},
]


@pytest.mark.parametrize("case", CASES, ids=[c["description"] for c in CASES])
def test_an_id_with_a_control_character_is_quarantined_everywhere(
    ws: Workspace, tmp_path: Path, case: dict[str, str]
) -> None:
    cell = case["cell"]
    customers = [["客户编号", "姓名"], [cell, "甲"], ["C002", "乙"]]
    report = import_file(ws, "customers", _csv(tmp_path / "c.csv", customers))
    assert (report.accepted, report.rejected) == (1, 1)
    orders = [["订单号", "客户编号", "下单时间", "实付金额"],
              ["O1", cell, "2025-01-02", "10"], [f"O{cell}", "C002", "2025-01-02", "10"],
              ["O3", "C002", "2025-01-02", "10"]]  # fmt: skip
    report = import_file(ws, "orders", _csv(tmp_path / "o.csv", orders))
    assert (report.accepted, report.rejected) == (1, 2)
    events = [["客户编号", "事件类型", "发生时间"],
              [cell, "page_view", "2025-01-02 10:00"], ["C002", "page_view", "2025-01-02 11:00"]]  # fmt: skip
    report = import_file(ws, "events", _csv(tmp_path / "e.csv", events))
    assert (report.accepted, report.rejected) == (1, 1)
    found = {
        (q["table"], q["file"], q["column"], q["value"])
        for q in quarantine_rows(ws, lang="en")
        if q["reason"] == "id_control_char"
    }
    assert found == {
        ("customers", "c.csv", "customer_id", case["shown"]),
        ("orders", "o.csv", "customer_id", case["shown"]),
        ("orders", "o.csv", "order_id", "O" + case["shown"]),
        ("events", "e.csv", "customer_id", case["shown"]),
    }
    with ws.read() as con:
        assert con.execute("SELECT list(customer_id) FROM customers").fetchone() == (["C002"],)
        assert con.execute("SELECT list(order_id) FROM orders").fetchone() == (["O3"],)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_reason_names_the_row_and_column(ws: Workspace, tmp_path: Path, lang: str) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", [["客户编号"], ["C0\t01"]]))
    (row,) = quarantine_rows(ws, lang=lang)
    assert (row["file"], row["row"], row["column"]) == ("c.csv", 2, "customer_id")
    # the file's header and the field's name (the same in 中文: said once), not customer_id
    named = "客户编号 (customer id)" if lang == "en" else "客户编号"
    assert row["message"].startswith(f"{named} C0\\t01 ")
    assert ("制表符" if lang == "zh" else "holds a tab") in row["message"]
