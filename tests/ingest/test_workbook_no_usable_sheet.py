"""A workbook none of whose sheets has a header of the table is refused from its sheets'
first rows (kequn.ingest.xlsx_head, kequn.ingest.columns.refuse_unusable), naming the
file and its sheets, before any sheet is read whole: an 8-sheet, 770 MB workbook of
other columns was read to its end (calamine reads a sheet whole to give its first row,
and each sheet was read so, twice) before "no usable column".

What is past a sheet's first rows is made unreadable here (a cell left open, as a
workbook cut short by a failed download leaves one): read whole, the workbook was told
as damaged; read by its first rows, it is told for what it is, a workbook of no usable
column. A sheet that has such a header, or a mapping file naming a sheet's columns,
still reads the workbook whole."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kequn.core.i18n import set_lang
from kequn.ingest.importer import import_file
from kequn.ingest.mapping import MappingFile
from kequn.ingest.readers import SourceError
from kequn.store.workspace import Workspace

#: rows written before the damage: more than the 30 the header is looked for in
ROWS = 60


def _workbook(path: Path, headers: list[list[str]], damaged: bool = True) -> Path:
    """One sheet per header list, each of ROWS rows, its XML past row 50 left unclosed
    (ECMA-376 Part 1, 18.3.1.4: a <c> in a <row>) where ``damaged``."""
    book = Workbook()
    book.remove(book.active)
    for number, names in enumerate(headers, start=1):
        sheet = book.create_sheet(f"Sheet{number}")
        sheet.append(names)
        for i in range(ROWS):
            if names[0] == "订单编号":
                sheet.append([f"A{i}", f"C{i % 7}", f"2024-03-{i % 28 + 1:02d}", 10 + i])
            else:
                sheet.append([f"v{i}" if j % 2 else i for j in range(len(names))])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if damaged and item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(
                    b'<row r="51"', b'<row r="51"><c r="A51"><v>1</v></row><row r="52"'
                )
            out.writestr(item, data)
    return path


JUNK = [[f"col_{s}{j}" for j in range(6)] for s in "ABC"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "no sheet has a usable column (sheets: Sheet1, Sheet2, Sheet3)"),
        ("zh", "工作表 Sheet1, Sheet2, Sheet3 都没有可用的列"),
    ],
)
def test_a_workbook_of_no_usable_sheet_is_refused_from_its_first_rows(
    ws: Workspace, tmp_path: Path, lang: str, said: str
) -> None:
    path = _workbook(tmp_path / "杂项.xlsx", JUNK)
    set_lang(lang)
    try:
        with pytest.raises(SourceError) as raised:
            import_file(ws, "orders", path)
    finally:
        set_lang(None)
    message = str(raised.value)
    assert message.startswith("杂项.xlsx: "), message
    assert said in message, message
    assert "col_A0" in message, message
    assert "order_id" in message, message
    # what the dashboard offers to map instead: the first sheet's headers
    assert raised.value.wanted
    assert raised.value.wanted["headers"][0] == "col_A0"


def test_a_named_sheet_alone_is_looked_at(ws: Workspace, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "杂项.xlsx", JUNK)
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", path, sheet="Sheet2")
    assert "no usable column" in str(raised.value) or "没有可用的列" in str(raised.value)
    assert "col_B0" in str(raised.value)


def test_a_usable_sheet_or_a_mapping_still_reads_the_workbook(
    ws: Workspace, tmp_path: Path
) -> None:
    orders = ["订单编号", "客户编号", "下单时间", "金额"]
    good = _workbook(tmp_path / "orders.xlsx", [JUNK[0], orders], damaged=False)
    report = import_file(ws, "orders", good)
    assert report.accepted == ROWS  # the second sheet's: the first is a 说明 of sorts
    mapped = _workbook(tmp_path / "mapped.xlsx", JUNK[:2], damaged=False)
    mapping = MappingFile(
        columns={"customer_id": "col_A1", "order_id": "col_A3", "amount": "col_A0"}
    )
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", mapped, mapping=mapping)
    # past the early check: the file's own required column is what is missing
    assert "ordered_at" in str(raised.value)
    assert "usable" not in str(raised.value)


def test_a_header_of_rich_text_is_read_from_the_first_rows(ws: Workspace, tmp_path: Path) -> None:
    """A header cell in runs of several fonts (a shared string's <r> runs, ECMA-376 Part
    1, 18.4.4) is one name: read as its runs apart, the sheet was refused."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    book = Workbook()
    sheet = book.active
    bold = InlineFont(b=True)
    sheet.append(
        [
            CellRichText(TextBlock(bold, "订单"), "编号"),
            CellRichText("客户", TextBlock(bold, "编号")),
            "下单时间",
            "金额",
        ]
    )
    sheet.append(["A1", "C1", "2024-03-01", 10])
    path = tmp_path / "rich.xlsx"
    book.save(path)
    assert import_file(ws, "orders", path).accepted == 1
    # as Excel and WPS write text: in the shared strings part (18.4.9), with a run of
    # the name's reading (<rPh>, 18.4.6) beside it
    reading = '<t>金额</t><rPh sb="0" eb="2"><t>jin e</t></rPh>'
    shared = _shared(path, tmp_path / "shared.xlsx", {"金额": reading})
    assert import_file(ws, "orders", shared).accepted == 1
    junk = _shared(_workbook(tmp_path / "junk.xlsx", JUNK), tmp_path / "junk-shared.xlsx", {})
    with pytest.raises(SourceError) as raised:
        import_file(ws, "orders", junk)
    assert "Sheet1, Sheet2, Sheet3" in str(raised.value)


def _shared(path: Path, out: Path, extra: dict[str, str]) -> Path:
    """``path`` (openpyxl writes its text inline, <is>) with its text in a shared strings
    part instead, as Excel writes it; ``extra``: the <si> of a text written otherwise."""
    import re

    strings: list[str] = []

    def to_shared(found: re.Match[bytes]) -> bytes:
        inner = found.group(2).decode()
        plain = re.sub(r"<[^>]+>", "", inner)
        strings.append(extra.get(plain, inner))
        index = str(len(strings) - 1).encode()
        return b'<c r="' + found.group(1) + b'" t="s"><v>' + index + b"</v></c>"

    cell = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*t="inlineStr"[^>]*><is>(.*?)</is></c>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = cell.sub(to_shared, data)
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                    b"</Relationships>",
                )
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            dst.writestr(item, data)
        sst = "".join(f"<si>{s}</si>" for s in strings)
        dst.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>',
        )
    return out


@pytest.mark.parametrize("table", ["customers", "events"])
def test_an_order_export_workbook_is_still_told_as_one(
    ws: Workspace, tmp_path: Path, table: str
) -> None:
    """A platform's order export in a workbook (千牛's ExportOrderList headers, as
    formats/taobao.yaml names them), given as customers, has no customers' column: told as
    the order export it is, not as a file of no usable column."""
    header = [
        "订单编号",
        "买家会员名",
        "订单状态",
        "订单创建时间",
        "订单付款时间 ",
        "买家实际支付金额",
    ]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    sheet.append(["1930679858170647", "amy", "交易成功", "2024-03-05 14:03", "", "88.00"])
    path = tmp_path / "ExportOrderList.xlsx"
    book.save(path)
    with pytest.raises(SourceError) as raised:
        import_file(ws, table, path)
    assert "kequn import orders" in str(raised.value)
