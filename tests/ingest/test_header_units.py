"""A money column's unit in its header multiplies its values: 金额(千元) was not known
as a unit, and the column was not found at all (the import refused the file for want of
an amount); 金额（单位：元） neither. And the reason a row had the wrong number of
fields follows the language in force."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.core import i18n
from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import explain_reason
from kequn.store.workspace import Workspace


@pytest.mark.parametrize(
    ("header", "factor"),
    [
        ("金额(千元)", 1_000),
        ("实付金额（单位：元）", 1),
        ("金额（万元）", 10_000),
        ("金额【单位: 百万元】", 1_000_000),
    ],
)
def test_a_money_unit_in_the_header(
    ws: Workspace, tmp_path: Path, header: str, factor: int
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        f"订单号,客户ID,下单时间,{header}\nA1,C1,2024-01-05,1.5\nA2,C2,2024-01-06,2\n", "utf-8"
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert report.accepted == 2
    with ws.read() as con:
        amounts = dict(con.execute("SELECT order_id, amount FROM orders").fetchall())
    assert amounts == {"A1": pytest.approx(1.5 * factor), "A2": pytest.approx(2 * factor)}


def test_the_wrong_number_of_fields_is_told_in_the_language_in_force() -> None:
    i18n.set_lang("zh")
    try:
        assert explain_reason("bad_row", None, "3 ≠ 4", None) == "字段数与表头不一致：3 ≠ 4"
    finally:
        i18n.set_lang(None)
    assert explain_reason("bad_row", None, "3 ≠ 4", None, "en") == "wrong number of fields: 3 ≠ 4"
