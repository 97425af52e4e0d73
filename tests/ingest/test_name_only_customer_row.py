"""A customers-file row holding a name only (its id, phone and e-mail blank, as a member
list's newest entries are) is a customer lacking her id, not a footnote: it was left out
as "not data: Bob", with nothing in the quarantine to fix and retry. It is quarantined
now for its empty id, by file, row and column; a note in the first column (制表人：王五)
is still left out as no record."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def test_a_row_of_a_name_only_is_quarantined_for_its_missing_id(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    path = tmp_path / "会员.csv"
    path.write_text(
        "会员编号,姓名,手机,邮箱\nC001,张三,13800138000,a@example.com\n,李四,,\n"
        "C003,王五,,\n制表人：赵六,,,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected) == (2, 1)
    assert [s["row"] for s in report.skipped] == [5]
    with ws.read() as con:
        held = con.execute('SELECT file, "row", "column", reason FROM quarantine').fetchall()
    assert held == [("会员.csv", 3, "customer_id", "missing_required")]
