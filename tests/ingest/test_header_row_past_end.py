"""A header row asked for past the end of the file (``--header-row 99999`` of a file of
9 rows) is told as that: the file has only N rows, naming the file and the row asked
for. It was "no header by row 99999. Name the header row with --header-row", to a user
who just had. A header row asked for below the rows first scanned (row 40 of a long
file) is read: it was refused as if the file ended there."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kequn.core import i18n
from kequn.ingest.readers import SourceError, stage

# RFC 4180 CSV (https://www.rfc-editor.org/rfc/rfc4180): a header line, then records
HEADER = "order_id,customer_id,ordered_at,amount,status"
ROW = "T{n},C1,2026-01-02,30.00,paid"


def _csv(path: Path, above: int, rows: int) -> Path:
    lines = [f"note {i}" for i in range(above)] + [HEADER]
    lines += [ROW.format(n=n) for n in range(rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


def _xlsx(path: Path, above: int, rows: int) -> Path:
    # an .xlsx (ECMA-376 Office Open XML, https://ecma-international.org/publications-
    # and-standards/standards/ecma-376/) written by openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    for i in range(above):
        sheet.append([f"note {i}"])
    sheet.append(HEADER.split(","))
    for n in range(rows):
        sheet.append(ROW.format(n=n).split(","))
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "orders.{kind} has only 9 rows: the header row asked for (row 99999)"),
        ("zh", "orders.{kind} 只有 9 行：指定的表头行（第 99999 行）超出了文件末尾"),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_header_row_past_the_end_says_how_many_rows(
    tmp_path: Path, lang: str, words: str, kind: str
) -> None:
    make = _csv if kind == "csv" else _xlsx
    source = make(tmp_path / f"orders.{kind}", 0, 8)  # 9 rows: the header and 8
    i18n.set_lang(lang)
    try:
        with pytest.raises(SourceError) as caught:
            stage(source, tmp_path, header_row=99999)
    finally:
        i18n.set_lang(None)
    said = str(caught.value)
    assert words.format(kind=kind) in said
    assert "--header-row" not in said


@pytest.mark.parametrize("rows", [20, 3000])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_header_row_below_the_first_rows_scanned_is_read(
    tmp_path: Path, kind: str, rows: int
) -> None:
    # 39 note rows above the header (below the 30 rows scanned for it), and a few rows
    # after it, or enough that the text file is longer than the part read first
    make = _csv if kind == "csv" else _xlsx
    source = make(tmp_path / f"orders.{kind}", 39, rows)
    staged = stage(source, tmp_path, header_row=40)
    assert staged.headers == HEADER.split(",")
    assert staged.rows == rows
    assert staged.header_row == 40
