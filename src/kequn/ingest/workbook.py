"""Opening a workbook a user gave: an .xlsx checked before it is unzipped (a zip bomb is
refused; an encrypted one is told as such) and read with calamine where its cells are,
an .xls through kequn's own reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kequn.core.i18n import t
from kequn.ingest.source_error import SourceError

#: an .xlsx is a zip of XML: refuse one that would unzip to more than this, or whose
#: parts are compressed more than any spreadsheet is (a zip bomb: 3.7 MB -> 1.1 GB)
MAX_XLSX_BYTES = 1 << 30
MAX_XLSX_RATIO = 100
MAX_XLSX_PARTS = 10_000


#: an encrypted .xlsx (a password to open it) is no zip but an OLE2 compound file holding
#: the encrypted package beside a stream of this name ([MS-OFFCRYPTO] 2.3.4.4)
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def encrypted(source: Path) -> bool:
    """Whether ``source`` is an Office file encrypted with a password to open it: an OLE2
    file naming an EncryptionInfo stream (an .xlsx, under whatever name)."""
    try:
        with source.open("rb") as fh:
            if fh.read(8) != _OLE2:
                return False
            tail = b""
            while chunk := fh.read(1 << 20):
                if _ENCRYPTION_INFO in tail + chunk:
                    return True
                tail = chunk[-len(_ENCRYPTION_INFO) :]
    except OSError:
        return False
    return False


def check_xlsx(source: Path, max_bytes: int = MAX_XLSX_BYTES) -> None:
    """Refuse an .xlsx before reading it if it is not a zip, unzips to more than
    ``max_bytes``, has implausibly many parts, or is compressed like a zip bomb."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        said = "import.xlsx_encrypted" if encrypted(source) else "import.bad_xlsx"
        raise SourceError(t(said, file=source.name)) from exc
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
    a name in column B. An import reads with calamine now (:func:`open_xlsx`), which
    ends a sheet at its last value; an erasure's search (kequn.privacy) still reads
    with openpyxl, through this."""
    for sheet in book.worksheets:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
    return book


def open_xlsx(source: Path) -> Any:
    """An .xlsx (or an .xlsx named otherwise) opened with calamine
    (:mod:`kequn.ingest.xlsx_book`), its sheets read where their cells are; refused in
    words if it is no workbook, is encrypted or is too large to read."""
    from kequn.ingest.xlsx_book import XlsxBook

    check_xlsx(source)
    return XlsxBook(source)


def open_xls(source: Path) -> Any:
    """An Excel 97-2003 .xls opened (kequn.ingest.xls)."""
    from kequn.ingest.xls import XlsBook, XlsError

    try:
        return XlsBook(source)
    except XlsError as exc:
        if encrypted(source):  # an encrypted .xlsx named .xls: xlrd said it was no BIFF file
            raise SourceError(t("import.xlsx_encrypted", file=source.name)) from exc
        raise SourceError(t("import.bad_xls", file=source.name, detail=exc)) from exc
