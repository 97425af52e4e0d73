"""A file where many rows have the wrong number of fields (a note column with an extra
comma in every other row): each of those rows is quarantined with its line and text,
the totals row among them is left out as a totals row, the others are kept."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def test_every_ragged_row_is_quarantined_with_its_line(ws: Workspace, tmp_path: Path) -> None:
    lines = ["订单号,会员卡号,下单时间,实付金额,备注"]
    for i in range(600):
        note = "发顺丰,谢谢" if i % 2 else "无"  # an unquoted comma: one field too many
        lines.append(f"A{i},M{i % 9},2025-03-01 10:00,{10 + i},{note}")
    lines.append("合计,,,1000")  # a totals row, one field short
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(ws, "orders", path)
    assert (report.rows, report.accepted, report.rejected) == (601, 300, 300)
    assert [s["row"] for s in report.skipped] == [602]
    with ws.read() as con:
        kept = con.execute("SELECT list(order_id ORDER BY order_id) FROM orders").fetchone()
        quarantined = con.execute(
            'SELECT "row", reason, severity, value, record FROM quarantine ORDER BY "row"'
        ).fetchall()
    assert kept is not None
    assert kept[0] == sorted(f"A{i}" for i in range(0, 600, 2))
    assert [q[0] for q in quarantined] == list(range(3, 602, 2))
    assert {(q[1], q[2], q[4]) for q in quarantined} == {("bad_row", "rejected", None)}
    assert quarantined[0][3] == "A1,M1,2025-03-01 10:00,11,发顺丰,谢谢"


def test_a_file_without_ragged_rows_quarantines_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("订单号,会员卡号,下单时间,实付金额\nA1,M1,2025-03-01,10\n", encoding="utf-8")
    report = import_file(ws, "orders", path)
    assert (report.accepted, report.rejected) == (1, 0)
