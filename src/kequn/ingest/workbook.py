"""Opening a workbook a user gave: an .xlsx checked before it is unzipped (a zip bomb is
refused) and read where its cells are, an .xls through kequn's own reader."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from kequn.core.i18n import t
from kequn.ingest.source_error import SourceError

#: an .xlsx is a zip of XML: refuse one that would unzip to more than this, or whose
#: parts are compressed more than any spreadsheet is (a zip bomb: 3.7 MB -> 1.1 GB)
MAX_XLSX_BYTES = 1 << 30
MAX_XLSX_RATIO = 100
MAX_XLSX_PARTS = 10_000


def check_xlsx(source: Path, max_bytes: int = MAX_XLSX_BYTES) -> None:
    """Refuse an .xlsx before reading it if it is not a zip, unzips to more than
    ``max_bytes``, has implausibly many parts, or is compressed like a zip bomb."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(t("import.bad_xlsx", file=source.name)) from exc
    total = sum(p.file_size for p in parts)
    too_dense = any(
        p.file_size > (1 << 24) and p.file_size > MAX_XLSX_RATIO * max(p.compress_size, 1)
        for p in parts
    )
    if len(parts) > MAX_XLSX_PARTS or total > max_bytes or too_dense:
        raise SourceError(
            t("import.xlsx_too_big", file=source.name, mb=total >> 20, limit=max_bytes >> 20)
        )


def where_cells_are(book: Any) -> Any:
    """``book`` (openpyxl, read-only) with each sheet read as its cells are, not as its
    <dimension> says.

    Read-only openpyxl pads every row to the dimension's last column and yields every
    missing row up to its last, and Excel keeps a used range as far as a cell was ever
    formatted (A1:XFD1048576). A 9 KB workbook of 100 orders with one formatted empty
    cell at XFD1048576 became 1,048,576 rows of 16,384 cells: killed after 300 s (at row
    8,000: 4.9 s); now 3.2 s. A dimension too small (A1, as some writers leave it) cut
    every row to its first column: "customer_id not found", and an erasure did not find
    a name in column B."""
    for sheet in book.worksheets:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
    return book


def open_xlsx(source: Path) -> Any:
    """An .xlsx (or an .xlsx named otherwise) opened read-only, its sheets read where
    their cells are; refused in words if it is no workbook or too large to read."""
    import openpyxl  # only Excel imports pay for it (with defusedxml installed, it parses safely)
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx(source)
    try:
        # openpyxl takes a file by its name only with an Excel extension: an .xlsx saved
        # as .xls is given as bytes (check_xlsx has bounded their size)
        opened: Path | io.BytesIO = source
        if source.suffix.lower() not in {".xlsx", ".xlsm"}:
            opened = io.BytesIO(source.read_bytes())
        book = openpyxl.load_workbook(opened, read_only=True, data_only=True)
    except (KeyError, ValueError, OSError, InvalidFileException) as exc:  # not a workbook
        raise SourceError(t("import.bad_xlsx", file=source.name)) from exc
    return where_cells_are(book)


def open_xls(source: Path) -> Any:
    """An Excel 97-2003 .xls opened (kequn.ingest.xls)."""
    from kequn.ingest.xls import XlsBook, XlsError

    try:
        return XlsBook(source)
    except XlsError as exc:
        raise SourceError(t("import.bad_xls", file=source.name, detail=exc)) from exc
