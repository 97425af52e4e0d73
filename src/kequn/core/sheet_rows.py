"""A row of an import as its workbook shows it: the sheet, and that sheet's own row.

An import of a workbook of several sheets numbers its rows on from sheet to sheet (the
first sheet's row 2 is row 2, the second sheet's first data row follows the first's
last), so each row's number is one; the import records the sheets and where their rows
start (``imports.sheets``). What a person sees names the sheet and the row as Excel
shows it: the quarantine, an import's summary, a customer's linked records."""

from __future__ import annotations

from typing import Any


def sheet_row(row: int, sheets: list[dict[str, Any]]) -> tuple[str | None, int]:
    """A row as this import numbers it (the sheets after the first numbered on, so each
    row's number is one), as the workbook shows it: its sheet and that sheet's own row
    number (1-based, the header counted); a file of one sheet: no sheet, the row."""
    if not sheets:
        return None, row
    found = sheets[0]
    for part in sheets[1:]:
        if row >= int(part["first"]):
            found = part
    return str(found["sheet"]), row - int(found["first"]) + int(found["own"])
