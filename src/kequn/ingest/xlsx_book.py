"""An .xlsx read with calamine (python-calamine, Rust), given to the staging of
:mod:`kequn.ingest.readers` as openpyxl's read-only workbook was: sheet names, sheets by
name, each sheet's state and rows of the values openpyxl gave.

openpyxl took about 0.75 ms a row of a 48-column order export (156 s for 200,000 rows);
calamine reads the same sheet in a few seconds (benchmarks/RESULTS.md). Its values are
made the ones openpyxl gave, so every later step reads a cell as before:

- an empty cell is None (calamine: ''); so is a cell holding an empty string, which
  openpyxl gave as '' and every later step reads as blank alike;
- a whole number is an int (calamine: a float; 2024 in a header stays "2024"), and one
  of more than 15 digits written as such keeps them all (:mod:`kequn.ingest.xlsx_raw`);
- a date cell is a datetime, midnight for a date alone (calamine: a date);
- an error cell is its text, '#N/A' (calamine: ''; :mod:`kequn.ingest.xlsx_raw`).

Times of day, durations, booleans, text, formulas' cached values, the 1904 date system
and a sheet's rows numbered from its first row (calamine's iterator starts at the first
row but at the first column holding a cell: the columns before it are given back) are
as openpyxl gave them. Cells are read where they are: a formatted empty cell far away
(XFD1048576) holds no value and calamine ends the sheet at its last value.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kequn.core.i18n import t
from kequn.ingest import xlsx_raw
from kequn.ingest.source_error import SourceError

#: whole numbers from here on may have more digits than a float keeps (Excel keeps 15)
LONG = 1e15


def _row(values: list[Any], pad: int) -> tuple[list[Any], bool]:
    """A row of calamine's values as openpyxl gave them, and whether it holds a whole
    number of 16 digits or more (its digits are looked up)."""
    out: list[Any] = [None] * pad
    append = out.append
    long = False
    for value in values:
        kind = value.__class__
        if kind is str:
            append(value or None)
        elif kind is float:
            if not value.is_integer():
                append(value)
            elif -LONG < value < LONG:
                append(int(value))
            else:
                long = True
                append(value)
        elif kind is dt.date:
            append(dt.datetime(value.year, value.month, value.day))
        else:
            append(value)
    return out, long


class XlsxSheet:
    """One sheet, read when its rows are asked for."""

    def __init__(self, book: XlsxBook, title: str, state: str) -> None:
        self._book = book
        self.title = title
        #: as openpyxl names it: "visible", "hidden" or "veryHidden"
        self.sheet_state = state

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[object, ...]]:
        """Each row's values, as openpyxl gives them with ``values_only``, from row 1."""
        sheet = self._book.sheet(self.title)
        start = sheet.start
        if start is None:
            return
        errors: dict[int, list[tuple[int, object]]] = {}
        for (row, column), text in self._book.cells(self.title, xlsx_raw.error_cells).items():
            errors.setdefault(row, []).append((column, text))
        for number, values in enumerate(self._book.rows(sheet)):
            out, long = _row(values, start[1])
            if long:
                digits = self._book.cells(self.title, xlsx_raw.long_numbers)
                for column, value in enumerate(out):
                    if isinstance(value, float) and (number, column) in digits:
                        out[column] = digits[number, column]
            for column, text in errors.get(number, ()):
                if column < len(out) and out[column] is None:
                    out[column] = text
            yield tuple(out)


class XlsxBook:
    """An ``.xlsx`` (or ``.xlsm``) workbook with the part of openpyxl's read-only workbook
    the staging uses. One sheet's cells are held at a time (the last one read)."""

    def __init__(self, source: Path) -> None:
        import python_calamine

        self._source = source
        try:
            if source.suffix.lower() in {".xlsx", ".xlsm"}:
                self._book = python_calamine.CalamineWorkbook.from_path(str(source))
            else:  # an .xlsx saved under another name: calamine goes by the name
                with source.open("rb") as fh:
                    self._book = python_calamine.CalamineWorkbook.from_filelike(fh)
            metadata = self._book.sheets_metadata
        except python_calamine.PasswordError as exc:
            raise SourceError(t("import.xlsx_encrypted", file=source.name)) from exc
        except (python_calamine.CalamineError, OSError, ValueError) as exc:
            raise SourceError(t("import.bad_xlsx", file=source.name)) from exc
        shown = python_calamine.SheetVisibleEnum

        def state(visible: Any) -> str:  # calamine's enum cannot be hashed
            hidden = visible == shown.Hidden
            return (
                "hidden" if hidden else "veryHidden" if visible == shown.VeryHidden else "visible"
            )

        self.sheetnames = [str(m.name) for m in metadata]
        #: worksheets only, as openpyxl's ``worksheets`` (a chart sheet has no cells)
        self._sheets = {
            str(m.name): XlsxSheet(self, str(m.name), state(m.visible))
            for m in metadata
            if m.typ == python_calamine.SheetTypeEnum.WorkSheet
        }
        self._held: tuple[str, Any] | None = None
        self._found: dict[tuple[str, str], dict[xlsx_raw.Cell, object]] = {}
        self._parts: dict[str, str] | None = None

    @property
    def worksheets(self) -> list[XlsxSheet]:
        return list(self._sheets.values())

    def __getitem__(self, name: str) -> XlsxSheet:
        return self._sheets.get(name) or XlsxSheet(self, name, "visible")

    def sheet(self, name: str) -> Any:
        """calamine's sheet ``name``, its cells read (once while it is the last asked)."""
        import python_calamine

        if self._held is None or self._held[0] != name:
            self._held = None  # the previous sheet's cells are let go first
            try:
                self._held = (name, self._book.get_sheet_by_name(name))
            except python_calamine.CalamineError as exc:
                raise SourceError(t("import.bad_xlsx", file=self._source.name)) from exc
        return self._held[1]

    def rows(self, sheet: Any) -> Iterator[list[Any]]:
        """The sheet's rows from row 1 (a damaged cell stops them with words)."""
        import python_calamine

        try:
            yield from sheet.iter_rows()
        except (python_calamine.CalamineError, ValueError) as exc:
            raise SourceError(t("import.bad_xlsx", file=self._source.name)) from exc

    def cells(self, name: str, find: Any) -> dict[xlsx_raw.Cell, object]:
        """The cells of sheet ``name`` that ``find`` looks up in its XML (once a sheet)."""
        key = (name, find.__name__)
        if key not in self._found:
            self._found[key] = {}
            try:
                with zipfile.ZipFile(self._source) as archive:
                    if self._parts is None:
                        self._parts = xlsx_raw.sheet_parts(archive)
                    part = self._parts.get(name)
                    if part:
                        self._found[key] = find(archive, part)
            except (zipfile.BadZipFile, OSError):
                pass  # calamine read it; nothing more is looked up
        return self._found[key]

    def head(self, name: str, count: int) -> list[tuple[object, ...]] | None:
        """The first ``count`` rows of sheet ``name``, read without reading the sheet
        whole (:mod:`kequn.ingest.xlsx_head`); None where its part cannot be found."""
        from kequn.ingest import xlsx_head

        try:
            with zipfile.ZipFile(self._source) as archive:
                if self._parts is None:
                    self._parts = xlsx_raw.sheet_parts(archive)
                part = self._parts.get(name)
                if not part:
                    return None
                shared = xlsx_head.shared_strings_part(archive)
                return xlsx_head.first_rows(archive, part, count, shared)
        except (zipfile.BadZipFile, OSError):
            return None

    def close(self) -> None:
        self._held = None
        self._book.close()
