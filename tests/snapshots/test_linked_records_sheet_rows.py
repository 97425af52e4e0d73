"""A customer's linked records name the sheet and the sheet's own row (as Excel shows it)
for a record read from a workbook of several sheets. The import numbers its rows on from
sheet to sheet (imports.sheets records where each sheet's rows start), and the records'
view showed that running number: M4, on row 4 of the second sheet 会员2 (a title row
above its header), was shown as "row 5", a row that sheet's M4 is not on. The quarantine
and the import's summary already named sheet and row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cli_helpers import kequn_words
from kequn.ingest.importer import import_file
from kequn.snapshots.linked import linked_records
from kequn.store.workspace import Workspace

HEADER = ["会员号", "姓名", "城市"]


def _book(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "会员"
    first.append(HEADER)
    first.append(["M1", "张三", "杭州"])  # 会员 row 2
    first.append(["M2", "李四", "上海"])
    second = book.create_sheet("会员2")
    second.append(["会员名单（续）"])  # a title row above the header
    second.append(HEADER)
    second.append(["M3", "王五", "北京"])
    second.append(["M4", "赵六", "广州"])  # 会员2 row 4 (the import's row 5)
    book.save(path)
    return path


def test_a_record_names_its_sheet_and_own_row(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_file(ws, "customers", _book(tmp_path / "会员.xlsx"))
    got = {
        cid: [(r["file"], r["sheet"], r["row"]) for r in linked_records(ws, cid)["records"]]
        for cid in ("M1", "M4")
    }
    assert got == {"M1": [("会员.xlsx", "会员", 2)], "M4": [("会员.xlsx", "会员2", 4)]}
    code, _ = kequn_words(capsys, "run", "-w", ws.root)
    assert code == 0
    code, said = kequn_words(capsys, "show", "M4", "-w", ws.root)
    assert code == 0
    assert "M4 (会员.xlsx, sheet 会员2, row 4)" in said
    code, said = kequn_words(capsys, "--lang", "zh", "show", "M4", "-w", ws.root)
    assert "M4（会员.xlsx 工作表「会员2」第 4 行）" in said


def test_a_csv_record_is_told_by_its_row(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "会员.csv"
    path.write_text("会员号,姓名\nM1,张三\nM2,李四\n", encoding="utf-8")
    import_file(ws, "customers", path)
    [record] = linked_records(ws, "M2")["records"]
    assert (record["file"], record["sheet"], record["row"]) == ("会员.csv", None, 3)
