"""Excel 97-2003 workbooks (BIFF ``.xls``, as older 千牛, 京麦 and ERP exports still are,
and WPS ``.et`` saved in that format), read with xlrd (the reader pandas uses for them)
and given to the staging of :mod:`kequn.ingest.readers` as openpyxl's read-only workbook
is: sheet names, sheets by name, and each sheet's rows as Python values (text, numbers,
``datetime`` for cells formatted as dates, booleans, None for empty and error cells).

xlrd reads the strings of a BIFF8 file as UTF-16 and those of older BIFF5 files in the
file's code page (cp936 for a Chinese Excel 95 file). The format: Microsoft's [MS-XLS]
"Excel Binary File Format (.xls) Structure" (learn.microsoft.com/openspecs/office_file_formats/
ms-xls); a formula cell holds its last computed value, which is what is read, never the
formula; an encrypted workbook (FILEPASS) is refused by xlrd and told as such."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: an .xls is read whole into memory (xlrd has no streaming): bigger files are refused
MAX_BYTES = 256 * 1024 * 1024


class XlsError(Exception):
    """Not a workbook xlrd can read (damaged, encrypted, or another format); the message
    is xlrd's own words."""


class XlsSheet:
    def __init__(self, sheet: Any, datemode: int) -> None:
        self._sheet = sheet
        self._datemode = datemode
        self.title = str(sheet.name)
        #: as openpyxl names it: xlrd's visibility is 0 (visible), 1 (hidden), 2 (very)
        self.sheet_state = ("visible", "hidden", "veryHidden")[min(int(sheet.visibility), 2)]

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[object, ...]]:
        """Each row's values, as openpyxl gives them with ``values_only``."""
        for index in range(self._sheet.nrows):
            yield tuple(self._value(cell) for cell in self._sheet.row(index))

    def _value(self, cell: Any) -> object:
        import xlrd

        kind = cell.ctype
        if kind == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate.xldate_as_datetime(cell.value, self._datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value  # a date format on a number no date has: the number
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return None
        return cell.value  # text (str) or a number (float)


class XlsBook:
    """An ``.xls`` workbook with the part of openpyxl's read-only workbook the staging
    uses."""

    def __init__(self, path: Path) -> None:
        import xlrd

        if path.stat().st_size > MAX_BYTES:
            raise XlsError(f"larger than {MAX_BYTES >> 20} MB")
        try:
            self._book = xlrd.open_workbook(str(path), on_demand=True)
        except Exception as exc:  # xlrd raises many kinds on a damaged or foreign file
            raise XlsError(
                str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            ) from exc
        self.sheetnames = [str(name) for name in self._book.sheet_names()]

    @property
    def worksheets(self) -> list[XlsSheet]:
        return [self[name] for name in self.sheetnames]

    def __getitem__(self, name: str) -> XlsSheet:
        try:
            return XlsSheet(self._book.sheet_by_name(name), self._book.datemode)
        except Exception as exc:  # a damaged sheet record
            raise XlsError(
                str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            ) from exc

    def close(self) -> None:
        self._book.release_resources()
