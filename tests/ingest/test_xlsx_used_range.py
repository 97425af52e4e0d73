"""An .xlsx whose <dimension> (the used range Excel keeps) is not where its cells are:
rows are read as the cells are. Excel keeps a used range as far as any cell was ever
formatted (up to XFD1048576), and some writers leave it at A1."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = ["订单号", "会员卡号", "下单时间", "实付金额", "订单状态", "备注"]


def _workbook(path: Path, dimension: str, tail: str = "") -> Path:
    """100 orders in A1:F101, the sheet's dimension set to ``dimension`` and ``tail``
    (rows of XML) after the data."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(100):
        sheet.append(
            [f"A{i}", f"M{i % 7}", f"2025-03-{1 + i % 28:02d} 10:00", 10 + i, "已完成", "x"]
        )
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = re.sub(
                    r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', data.decode()
                )
                data = text.replace("</sheetData>", tail + "</sheetData>").encode()
            out.writestr(item, data)
    return path


@pytest.mark.parametrize(
    ("dimension", "tail"),
    [
        # a formatted empty cell in the sheet's last cell: 1,048,576 rows of 16,384
        # cells were read (killed after 300 s)
        ("A1:XFD1048576", '<row r="1048576"><c r="XFD1048576" s="0"/></row>'),
        # formatted empty rows below the data
        (
            "A1:XFD1048576",
            "".join(f'<row r="{r}" s="0" customFormat="1"/>' for r in range(102, 2102)),
        ),
        # a dimension of one cell: every row was cut to its first column
        ("A1", ""),
    ],
    ids=["far-cell", "formatted-rows", "too-small"],
)
def test_rows_are_read_where_the_cells_are(
    ws: Workspace, tmp_path: Path, dimension: str, tail: str
) -> None:
    path = _workbook(tmp_path / "订单.xlsx", dimension, tail)
    report = import_file(ws, "orders", path)
    assert (report.rows, report.accepted, report.rejected) == (100, 100, 0)
    with ws.read() as con:
        got = con.execute(
            "SELECT count(*), sum(amount), count(DISTINCT customer_id) FROM orders"
        ).fetchone()
    assert got is not None
    assert (got[0], float(got[1]), got[2]) == (100, float(sum(10 + i for i in range(100))), 7)
