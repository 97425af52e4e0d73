"""A row of a workbook of several sheets is told as Excel shows it: its sheet and that
sheet's own row number (1-based, the header counted). Rows of the sheets after the first
were numbered on from the previous sheet's (row 6 of a book whose second sheet has three
rows), so a user looking for the bad row found none; a single data sheet behind a 说明
sheet was told by its row alone, the sheet unnamed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from cli_helpers import kequn_words
from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows, retry
from kequn.store.workspace import Workspace

HEADER = ["订单号", "客户编号", "下单时间", "实付金额"]


def _book(path: Path, *, notes_first: bool = False) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    if notes_first:  # a cover sheet, then the orders alone
        first.title = "说明"
        first.append(["本表为订单导出"])
        first = book.create_sheet("订单")
    else:
        first.title = "订单"
    first.append(HEADER)
    first.append(["O1", "C1", "2024-05-01", 100])
    first.append(["O2", "C2", "2024-05-02", "abc"])  # 订单 row 3
    first.append(["O3", "C3", "2024-05-03", 50])
    if not notes_first:
        second = book.create_sheet("订单2")
        second.append(["订单导出（续）"])  # a title row above the header
        second.append(HEADER)
        second.append(["O4", "C4", "2024-05-04", 30])
        second.append(["O5", "C5", "not a date", 30])  # 订单2 row 4 (the import's row 6)
    book.save(path)
    return path


def test_quarantine_names_the_sheet_and_its_own_row(ws: Workspace, tmp_path: Path) -> None:
    report = import_file(ws, "orders", _book(tmp_path / "orders.xlsx"), create_customers=True)
    assert report.rejected == 2
    got = {(q["sheet"], q["row"], q["column"]) for q in quarantine_rows(ws)}
    assert got == {("订单", 3, "amount"), ("订单2", 4, "ordered_at")}
    # a retry reads the rows again as the workbook's: still told by sheet and own row
    retry(ws, "orders")
    got = {(q["sheet"], q["row"], q["column"]) for q in quarantine_rows(ws)}
    assert got == {("订单", 3, "amount"), ("订单2", 4, "ordered_at")}


def test_a_data_sheet_behind_a_cover_sheet_is_named(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "orders", _book(tmp_path / "o.xlsx", notes_first=True), create_customers=True)
    assert [(q["sheet"], q["row"]) for q in quarantine_rows(ws)] == [("订单", 3)]


@pytest.mark.parametrize(
    ("lang", "example", "listed"),
    [
        ("en", "e.g. sheet 订单2, row 4: 下单时间", ["(sheet", "订单2)"]),
        ("zh", "如工作表「订单2」第 4 行：下单时间", ["（工作", "「订单2」）"]),
    ],
)
def test_the_cli_tells_the_sheet_and_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str, example: str, listed: list[str]
) -> None:
    path = _book(tmp_path / "orders.xlsx")
    Workspace.init(tmp_path / "ws")
    args = ("--lang", lang, "import", "orders", path, "-w", tmp_path / "ws", "--create-customers")
    code, said = kequn_words(capsys, *args)
    assert code == 0, said
    assert example in said
    code, said = kequn_words(capsys, "--lang", lang, "quarantine", "-w", tmp_path / "ws")
    assert code == 0, said
    # the file's cell, wrapped by the table: the file and the sheet
    assert all(word in said for word in listed), said


def test_the_first_row_of_a_repeated_id_is_told_by_its_sheet(ws: Workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "订单"
    first.append(HEADER)
    first.append(["O1", "C1", "2024-05-01", 100])
    second = book.create_sheet("订单2")
    second.append(HEADER)
    second.append(["O4", "C4", "2024-05-04", 30])  # the import's row 3
    second.append(["O4", "C5", "2024-05-05", 30])
    second.append(["O1", "C5", "2024-05-05", 30])
    book.save(tmp_path / "orders.xlsx")
    import_file(ws, "orders", tmp_path / "orders.xlsx", create_customers=True)
    said = {q["row"]: q["message"] for q in quarantine_rows(ws, lang="en")}
    assert said[3].endswith("appears twice in this file (first at sheet 订单2, row 2)")
    assert said[4].endswith("appears twice in this file (first at sheet 订单, row 2)")
    zh = {q["row"]: q["message"] for q in quarantine_rows(ws, lang="zh")}
    assert zh[3].endswith("在本文件中重复（首次出现在工作表「订单2」第 2 行）")
