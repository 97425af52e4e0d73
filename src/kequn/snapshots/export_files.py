"""A segment's export written to the user's file (``kequn export``, the dashboard's export
buttons): CSV or Excel, safe to open, and put in place whole.

- Written to a temporary file in the same folder and renamed over the name asked for,
  once complete: a crash or a full disk mid-write leaves the user's old file as it was,
  never a cut one where it stood. Without ``replace`` an existing file is refused
  (:class:`FileExistsError`), also one made while the export was being written. A new
  export is readable by its owner only (it holds names, phones and e-mails); one
  written over a file keeps that file's permissions.
- Text a spreadsheet would run as a formula is quoted (OWASP's rule against CSV
  injection: :func:`safe_text`).
- Excel holds at most 32,767 characters in a cell ("Excel specifications and limits",
  https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3:
  "Total number of characters that a cell can contain: 32,767 characters"); a longer
  text made a workbook Excel calls damaged and repairs by emptying. It is cut to the
  limit, ending with ``…``, and each cut cell is told (row and column) to ``on_cut``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

#: what makes a spreadsheet read a cell as a formula (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = "^[=+\\-@\t\r]"
#: the most characters an Excel cell holds (see the module's docstring)
XLSX_CELL_MAX = 32_767
#: what ends a text cut to fit a cell
CUT_MARK = "…"
#: the bytes of the target's name the temporary file's name begins with: the rest
#: (``.``, ``.``, mkstemp's 8 letters, ``.part``) keeps it well under the 255 bytes a
#: name may have (NAME_MAX, https://pubs.opengroup.org/onlinepubs/9699919799/basedefs/limits.h.html),
#: so a name the file system takes is never refused for its temporary file's
_PART_NAME_BYTES = 100


def safe_text(value: Any) -> Any:
    """Text a spreadsheet would evaluate, quoted with a leading ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_table(table: pa.Table) -> pa.Table:
    """:func:`safe_text` on every text column (and the header) of an Arrow table."""
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.match_substring_regex(column, _FORMULA_RE).fill_null(False)
            quoted = pc.binary_join_element_wise("'", column, "")
            columns.append(pc.if_else(risky, quoted, column))
        else:
            columns.append(column)
    return pa.table(columns, names=[safe_text(n) for n in table.column_names])


@contextlib.contextmanager
def written_whole(out: Path, *, replace: bool) -> Iterator[Path]:
    """A temporary path beside ``out`` to write; when the block ends without an error, it
    is flushed to disk and renamed to ``out`` (``replace`` False: unless ``out`` exists
    by then, :class:`FileExistsError`). On an error it is removed and ``out`` is as it
    was. A folder that refuses the temporary file is told as refusing ``out``."""
    start = os.fsencode(out.name)[:_PART_NAME_BYTES].decode("utf-8", "ignore")
    try:
        fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{start}.", suffix=".part")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(out)) from None
    os.close(fd)
    part = Path(name)
    try:
        yield part
        with part.open("rb+") as fh:
            os.fsync(fh.fileno())
        _put_in_place(part, out, replace=replace)
    finally:
        part.unlink(missing_ok=True)


def _put_in_place(part: Path, out: Path, *, replace: bool) -> None:
    """``part`` renamed to ``out``: over it when ``replace`` (keeping its permissions),
    else only if no file has the name (a hard link fails if one does, so a file made
    meanwhile is not replaced; where links are not allowed, a look just before)."""
    if replace:
        with contextlib.suppress(OSError):
            shutil.copymode(out, part)  # the user's own file's permissions, if there was one
        part.replace(out)
        return
    try:
        os.link(part, out)
    except FileExistsError:
        raise FileExistsError(17, os.strerror(17), str(out)) from None
    except OSError:  # a file system without hard links (FAT, some network shares)
        if out.exists():
            raise FileExistsError(17, os.strerror(17), str(out)) from None
        part.replace(out)


def write_csv(table: pa.Table, out: Path, *, replace: bool = True) -> None:
    """``table`` as CSV (its text made :func:`safe_table`), put in place whole."""
    import pyarrow.csv as pacsv

    with written_whole(out, replace=replace) as part, part.open("wb") as fh:
        pacsv.write_csv(safe_table(table), fh)


def write_xlsx(
    header: list[str],
    rows: list[dict[str, Any]],
    out: Path,
    sheet_name: str,
    *,
    replace: bool = True,
    on_cut: Callable[[int, str], None] | None = None,
) -> None:
    """``header`` and ``rows`` as an Excel workbook of one sheet, put in place whole.
    Text that would be a formula is a text cell with Excel's own quote prefix (the
    style a typed ``'`` gives: shown as written, kept text when edited); text longer
    than a cell holds is cut, and ``on_cut`` told its sheet row (the header is row 1)
    and column header."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name[:31])

    def cell(value: Any, row: int, column: str) -> Any:
        value = _cell(value)
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > XLSX_CELL_MAX:
            value = value[: XLSX_CELL_MAX - len(CUT_MARK)] + CUT_MARK
            if on_cut is not None:
                on_cut(row, column)
        if not value.startswith(FORMULA_START):
            return value
        text = WriteOnlyCell(sheet, value=value)
        text.data_type, text.quotePrefix = "s", True  # never a formula, as written
        return text

    sheet.append([cell(c, 1, c) for c in header])
    for number, record in enumerate(rows, start=2):
        sheet.append(
            [cell(v, number, column) for v, column in zip(record.values(), header, strict=True)]
        )
    with written_whole(out, replace=replace) as part:
        book.save(part)


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return (
            ", ".join(f"{k}={v}" for k, v in value)
            if value and isinstance(value[0], tuple)
            else str(value)
        )
    return value
