"""A cell holding the text ``null`` or the zero date ``0000-00-00`` holds no value: 淘宝's
order export writes null in its empty cells (github-code-index:32213070838), database
dumps do too, and a MySQL table keeps 0000-00-00 for a date never set. Each was a warning
of a bad amount or a bad date on a row that had only left the cell empty."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _table(ws: Workspace, query: str) -> list[tuple]:
    with ws.read() as con:
        return con.execute(query).fetchall()


def test_null_and_zero_dates_are_empty_cells_not_warnings(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    customers = tmp_path / "members.csv"
    customers.write_text(
        "会员编号,姓名,出生日期,城市\n"
        "M1,甲,0000-00-00,null\n"
        "M2,乙,1990-05-03,杭州\n"
        "M3,丙,0000-00-00 00:00:00,NULL\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", customers)
    assert report.rejected == 0
    assert report.warnings == 0, report.warnings_by_reason
    assert _table(ws, "SELECT customer_id, birth_date IS NULL, city FROM customers ORDER BY 1") == [
        ("M1", True, None),
        ("M2", False, "杭州"),
        ("M3", True, None),
    ]
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "订单编号,会员编号,下单时间,实付金额,退款金额,买家留言\n"
        "O1,M1,2026-09-01 10:00:00,100.00,null,null\n"
        "O2,M2,2026-09-02 10:00:00,80.00,30.00,快点\n",
        encoding="utf-8",
    )
    report = import_file(ws, "orders", orders)
    assert report.rejected == 0
    assert report.warnings == 0, report.warnings_by_reason
    rows = _table(ws, "SELECT order_id, amount, coalesce(refunded, 0) FROM orders ORDER BY 1")
    assert [(o, float(a), float(r)) for o, a, r in rows] == [("O1", 100.0, 0.0), ("O2", 80.0, 30.0)]


def test_a_word_holding_null_is_still_a_value(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    customers = tmp_path / "members.csv"
    customers.write_text("会员编号,姓名\nM1,Nullah\nM2,null island\n", encoding="utf-8")
    import_file(ws, "customers", customers)
    assert _table(ws, "SELECT name FROM customers ORDER BY customer_id") == [
        ("Nullah",),
        ("null island",),
    ]
