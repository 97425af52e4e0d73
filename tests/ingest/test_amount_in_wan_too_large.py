"""An amount column whose header carries its unit (实付金额(万元), multiplied by 10,000)
holding an amount too large once in 元 (99999999999999 万元): the row is quarantined as
a bad amount with its file, row and column, as one too large written in 元 is, and the
file's other rows are imported. Before, the multiplication overflowed DECIMAL(18, 2) and
the whole import stopped with "A value went out of range ... Check the arithmetic in the
taxonomy's rules": no row kept, and neither file nor column named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace


def test_an_amount_too_large_for_its_unit_is_the_row_s(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "订单.csv"
    path.write_text(
        "订单号,客户编号,下单时间,实付金额(万元)\n"
        "O1,C1,2025-01-02,1.5\nO2,C2,2025-01-03,99999999999999\nO3,C3,2025-01-04,0.02\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", path, create_customers=True)
    assert (report.accepted, report.rejected) == (2, 1)
    with ws.read() as con:
        got = dict(con.execute("SELECT order_id, amount FROM orders").fetchall())
    assert got == {"O1": Decimal("15000.00"), "O3": Decimal("200.00")}
    [entry] = quarantine_rows(ws, lang="en")
    assert (entry["file"], entry["row"], entry["column"]) == ("订单.csv", 3, "amount")
    assert entry["reason"] == "bad_money"
    assert entry["message"] == "实付金额(万元) (amount) is not an amount: 99999999999999"
