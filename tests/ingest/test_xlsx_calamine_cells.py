"""An .xlsx is read with calamine (kequn.ingest.xlsx_book), not openpyxl: each cell must
come out as the text openpyxl's reading gave, where calamine gives something else (a
float for a whole number, a date for a midnight date, '' for an empty or error cell, a
float for a 19-digit whole number written as such), and the rows from row 1 though
calamine's rows start at the first column holding a cell. The workbooks are written
with openpyxl, some cells then rewritten in the XML as Excel writes them."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from kequn.core.i18n import t
from kequn.ingest.importer import import_file
from kequn.ingest.readers import SourceError, _cell_text, stage
from kequn.ingest.workbook import open_xlsx
from kequn.store.workspace import Workspace

#: the header (one of its cells a number, as a year column is) and the values below it,
#: from column B of row 3 (a title in B1, row 2 and column A empty)
CELLS: list[tuple[object, object, str | None]] = [
    # (header, value written, the text staged)
    ("订单号", "A001", "A001"),
    ("手机", 13800138000, "13800138000"),
    ("手机2", 13800138000.0, "13800138000"),
    ("金额", 12.5, "12.5"),
    ("数量", 3, "3"),
    ("零", -0.0, "0"),
    ("小", 1e-7, "1e-07"),
    ("Excel的19位", 6953489890610190242.0, "6.95348989061019E+18"),
    ("写全的19位", "19", "6953489890610190242"),  # rewritten: <v>6953489890610190242</v>
    ("下单时间", dt.datetime(2025, 3, 1, 14, 5, 6), "2025-03-01 14:05:06"),
    ("日期", dt.date(2025, 3, 1), "2025-03-01 00:00:00"),
    ("午夜", dt.datetime(2025, 3, 2), "2025-03-02 00:00:00"),
    ("毫秒", dt.datetime(2025, 3, 1, 14, 5, 6, 500000), "2025-03-01 14:05:06.500000"),
    ("时刻", dt.time(12, 30), "12:30:00"),
    ("时长", dt.timedelta(hours=30), "1 day, 6:00:00"),
    ("是", True, "True"),
    ("否", False, "False"),
    ("备注", "  有空格  ", "  有空格  "),
    ("编号", "000123", "000123"),
    ("公式", "=1+1", "2"),  # rewritten: <f>1+1</f><v>2</v>, its cached value
    ("错误", "=NA()", "#N/A"),  # rewritten: t="e", <v>#N/A</v>
    ("除零", "#DIV", "#DIV/0!"),  # rewritten: t="e", no formula
    ("空串", "", None),  # rewritten: an inline empty string
    ("空", None, None),
    (2024, "x", "x"),  # a number as a header: "2024", not "2024.0"
]

#: cells rewritten in the XML as Excel writes them: header -> the cell's inner XML and type
REWRITTEN = {
    # as a program may write a whole number (openpyxl itself writes 15 digits)
    "写全的19位": ("", "<v>6953489890610190242</v>"),
    "公式": ("", "<f>1+1</f><v>2</v>"),
    "错误": (' t="e"', "<f>NA()</f><v>#N/A</v>"),
    "除零": (' t="e"', "<v>#DIV/0!</v>"),
    "空串": (' t="inlineStr"', "<is><t></t></is>"),
}


def _rewrite(path: Path, cells: dict[str, tuple[str, str]]) -> None:
    """Replace the XML of the cells at ``cells``' references (B4 ...) in the first sheet."""
    with zipfile.ZipFile(path) as src:
        parts = {item.filename: src.read(item.filename) for item in src.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, (kind, inner) in cells.items():
        cell = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)')
        assert cell.search(xml), ref
        xml = cell.sub(f'<c r="{ref}"{kind}>{inner}</c>', xml, count=1)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def _workbook(path: Path, *, epoch_1904: bool = False) -> Path:
    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet["B1"] = "订单导出"
    rewritten = {}
    for i, (header, value, _) in enumerate(CELLS):
        column = openpyxl.utils.get_column_letter(i + 2)
        sheet[f"{column}3"] = header
        sheet[f"{column}4"] = None if header in REWRITTEN else value
        if header in REWRITTEN:
            sheet[f"{column}4"] = "placeholder"
            rewritten[f"{column}4"] = REWRITTEN[str(header)]
    sheet["B5"] = "A002"  # a second row, so the header is found among data rows
    sheet["C5"] = 13900139000
    book.save(path)
    _rewrite(path, rewritten)
    return path


def _openpyxl_rows(path: Path) -> list[list[str | None]]:
    """The sheet as kequn read it with openpyxl (read-only, where the cells are)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _calamine_rows(path: Path) -> list[list[str | None]]:
    book = open_xlsx(path)
    try:
        return [[_cell_text(v) for v in row] for row in book.worksheets[0].iter_rows()]
    finally:
        book.close()


def _trimmed(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Rows without their trailing empty cells (openpyxl ends a row at its last cell,
    calamine pads every row to the sheet's width)."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    return out


@pytest.mark.parametrize("epoch_1904", [False, True], ids=["1900", "1904"])
def test_each_cell_is_the_text_openpyxl_gave(tmp_path: Path, epoch_1904: bool) -> None:
    path = _workbook(tmp_path / "订单.xlsx", epoch_1904=epoch_1904)
    staged = stage(path, tmp_path)
    assert staged.header_row == 3
    assert staged.headers == ["", *(str(h) for h, _, _ in CELLS)]
    table = pq.read_table(staged.path).to_pylist()
    assert [row["_row"] for row in table] == [4, 5]
    got = {str(h): table[0][f"c{i + 1}"] for i, (h, _, _) in enumerate(CELLS)}
    assert got == {str(h): text for h, _, text in CELLS}
    assert table[0]["c0"] is None  # column A, before the first cell
    # and cell for cell what kequn's openpyxl reading gave, the empty string aside
    # (openpyxl '', calamine None: both blank to every later step)
    oracle = _trimmed(_openpyxl_rows(path))
    oracle[3] = [None if v == "" else v for v in oracle[3]]
    assert _trimmed(_calamine_rows(path)) == oracle


def test_a_sheet_s_rows_count_from_row_1_and_its_columns_from_a(tmp_path: Path) -> None:
    # calamine's rows begin at row 1 but at the first column holding a cell
    path = tmp_path / "偏移.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["D6"] = "x"
    sheet["E8"] = 1
    book.save(path)
    rows = _calamine_rows(path)
    assert rows[:5] == [[None] * 5] * 5
    assert rows[5:] == [[None, None, None, "x", None], [None] * 5, [None, None, None, None, "1"]]
    assert _trimmed(rows) == _trimmed(_openpyxl_rows(path))


def test_an_empty_sheet_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(path)
    assert _calamine_rows(path) == []


def test_an_error_for_an_amount_is_refused_as_before_not_read_as_empty(
    ws: Workspace, tmp_path: Path
) -> None:
    # #N/A in 实付金额 (a VLOOKUP that found nothing) was the text '#N/A', not a number:
    # the row is quarantined as a bad amount, as it was, not taken as one without an amount
    path = tmp_path / "订单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["订单号", "会员卡号", "下单时间", "实付金额", "订单状态"])
    sheet.append(["A1", "M1", "2025-03-01 10:00", 10, "已完成"])
    sheet.append(["A2", "M2", "2025-03-01 11:00", "placeholder", "已完成"])
    book.save(path)
    _rewrite(path, {"D3": (' t="e"', "<f>VLOOKUP(A3,X:Y,2,0)</f><v>#N/A</v>")})
    report = import_file(ws, "orders", path)
    assert (report.accepted, report.rejected) == (1, 1)
    assert list(report.rejected_by_reason) == ["bad_money"]


def _encrypted(path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = path.with_name("plain.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["订单号", "实付金额"])
    book.save(plain)
    with plain.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt("密码123", out)
    return path


@pytest.mark.parametrize("name", ["订单.xlsx", "订单.xls"])
def test_a_workbook_with_a_password_to_open_it_is_told_as_such(
    ws: Workspace, tmp_path: Path, name: str
) -> None:
    path = _encrypted(tmp_path / name)
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", path)
    assert str(raised.value) == t("import.xlsx_encrypted", file=name)
    assert "密码" in t("import.xlsx_encrypted", "zh", file=name)
    assert "password" in t("import.xlsx_encrypted", "en", file=name)


def test_a_damaged_sheet_is_refused_in_words_naming_the_file(ws: Workspace, tmp_path: Path) -> None:
    # a sheet's XML cut short (a download that stopped inside the zip's last part is
    # refused by the zip check; this one unzips, its XML does not parse)
    path = tmp_path / "坏表.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["订单号", "实付金额"])
    sheet.append(["A1", 10])
    book.save(path)
    with zipfile.ZipFile(path) as src:
        parts = {item.filename: src.read(item.filename) for item in src.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = xml[: xml.index(b"<sheetData>") + 40]
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", path)
    assert str(raised.value) == t("import.bad_xlsx", file="坏表.xlsx")


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_the_xml_s_error_cells_and_long_numbers_are_found_across_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # the sheet's XML is searched in pieces: a cell cut by a piece's end is found whole,
    # with a namespace prefix (<x:c>, as .NET's Open XML SDK writes) or single quotes
    from kequn.ingest import xlsx_raw

    rows = []
    for r in range(1, 41):
        rows.append(
            f'<x:row r="{r}"><x:c r="A{r}" t="e"><x:f>NA()</x:f><x:v>#N/A</x:v></x:c>'
            f"<x:c r='B{r}' s='1'><x:v>{6953489890610190000 + r}</x:v></x:c>"
            f'<x:c r="C{r}" t="str"><x:v>12345678901234567890</x:v></x:c>'
            f'<x:c r="D{r}" t="inlineStr"><x:is><x:t>t="e"</x:t></x:is></x:c>'
            f"<x:c r='AB{r}' t='e'><x:v>#DIV/0!</x:v></x:c><x:c r=\"E{r}\" t=\"e\"/></x:row>"
        )
    xml = (
        '<x:worksheet xmlns:x="main"><x:sheetData>' + "".join(rows) + "</x:sheetData></x:worksheet>"
    )
    path = tmp_path / "sheet.zip"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("sheet.xml", xml)
    monkeypatch.setattr(xlsx_raw, "_CHUNK", chunk)
    with zipfile.ZipFile(path) as archive:
        errors = xlsx_raw.error_cells(archive, "sheet.xml")
        numbers = xlsx_raw.long_numbers(archive, "sheet.xml")
    assert errors == {
        **{(r - 1, 0): "#N/A" for r in range(1, 41)},
        **{(r - 1, 27): "#DIV/0!" for r in range(1, 41)},
    }
    assert numbers == {(r - 1, 1): 6953489890610190000 + r for r in range(1, 41)}
