"""The sheets of a workbook that continue its data sheet.

A platform's export of many orders may come as one workbook of several sheets, each
with the same header and the next rows: 快手小店's order export does (one loader of the
real files read 10 workbooks of 185 sheets, each sheet headed by the same 64 columns:
github-code-index:61522271937). Only the first sheet was read, and the orders of the
others were lost without a word. A sheet whose header is the data sheet's is read after
it; a sheet with another header (a 说明 or a summary) is not data of this table.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from kequn.ingest.header_rows import find_header, is_known, second_header

#: one sheet's data rows: (the sheet's own row number, the row's values)
Rows = Iterator[tuple[int, tuple[object, ...]]]


def header_cells(values: tuple[object, ...]) -> list[str]:
    return ["" if v is None else str(v).strip() for v in values]


def same_header_sheets(
    book: Any,
    first: Any,
    header: list[str],
    scan: int,
) -> Iterator[tuple[str, int, Rows]]:
    """Each visible sheet after ``first`` whose header row (found as the first sheet's
    was) holds ``header``: its title, its header's row number and its data rows."""
    sheets = list(book.worksheets)
    titles = [s.title for s in sheets]
    start = titles.index(first.title) + 1 if first.title in titles else len(sheets)
    for sheet in sheets[start:]:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        rows = iter(sheet.iter_rows(values_only=True))
        top = [tuple(values) for values in itertools.islice(rows, scan)]
        head = [header_cells(values) for values in top]
        if not head:
            continue
        at = find_header(head)
        merged = second_header(head, at)
        found = merged or list(head[at])
        while found and found[-1] == "":
            found.pop()
        if found != header:
            continue
        below = at + 1 + (1 if merged else 0)  # the first row after the header rows
        data = itertools.chain(
            ((below + 1 + i, values) for i, values in enumerate(top[below:])),
            ((len(top) + 1 + i, tuple(values)) for i, values in enumerate(rows)),
        )
        yield sheet.title, at + 1, data


def data_sheet(book: Any, scan: int) -> Any:
    """The first sheet whose first rows hold a recognisable header (a workbook may open
    with a 说明 or cover sheet), else the first sheet. Visible sheets come first: a
    hidden one is what a person does not see in the file (a lookup list behind a
    dropdown, 客户ID | 姓名), and was read instead of the orders sheet after it."""
    sheets = book.worksheets
    shown = [s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]
    for sheet in [*shown, *(s for s in sheets if s not in shown)]:
        for values in itertools.islice(sheet.iter_rows(values_only=True), scan):
            cells = ["" if v is None else str(v) for v in values]
            if sum(is_known(c) for c in cells) >= 2:
                return sheet
    return (shown or sheets)[0]


def header_candidates(
    book: Any, sheet: str | None, header_row: int | None, scan: int
) -> list[tuple[str, list[str]]] | None:
    """Each sheet's header (its title and names) as the import would find it, read from
    the sheets' first rows alone (``book.head``: :mod:`kequn.ingest.xlsx_head`), the one
    :func:`data_sheet` would read first; the named sheet's alone. None where they cannot
    be read so (a workbook with no ``head``, a part not found, a header row asked for
    below the rows): the import then reads the sheets as it did."""
    head_of = getattr(book, "head", None)
    if head_of is None:
        return None
    sheets = [book[sheet]] if sheet else list(book.worksheets)
    shown = [s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]
    found: list[tuple[str, list[str]]] = []
    pick: int | None = None
    for s in [*shown, *(s for s in sheets if s not in shown)]:
        rows = head_of(s.title, scan)
        if rows is None:
            return None
        head = [header_cells(values) for values in rows]
        if not head:
            found.append((s.title, []))
            continue
        at = header_row - 1 if header_row else find_header(head)
        if at >= len(head):
            return None
        if pick is None and any(sum(is_known(c) for c in row) >= 2 for row in head):
            pick = len(found)
        header = (None if header_row else second_header(head, at)) or list(head[at])
        while header and header[-1] == "":
            header.pop()
        found.append((s.title, header))
    if pick:
        found.insert(0, found.pop(pick))
    return found or None
