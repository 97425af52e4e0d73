"""The first rows of an .xlsx sheet, read from the start of its XML without reading the
rest: what the import looks at to tell whether any sheet of a workbook has a header it
can use, before it reads one whole (:func:`kequn.ingest.sheets.header_candidates`).

calamine (:mod:`kequn.ingest.xlsx_book`) reads a sheet whole to give even its first row
(2.4 s and some 400 MB for 200,000 rows of 10 columns), and choosing the data sheet read
each sheet so: a workbook of 8 sheets of junk columns was read to its end, 8 times over,
before "no usable column". Here the sheet's XML (ECMA-376 Part 1, 18.3.1: <sheetData>
of <row r="1"> of <c r="A1" t="s"><v>0</v></c>) is parsed as a stream and left after the
rows asked for; a shared string (t="s", the index of an <si> of xl/sharedStrings.xml,
18.4) is read from that part's start up to the highest index those rows use. A cell's
text is as calamine and openpyxl give it: an <si>'s <t> runs joined, its phonetic
<rPh> runs left out, _x000D_ escapes read (18.4.12 ST_Xstring). Numbers are given as
numbers and dates as the numbers they are stored as: a header's names are what is
looked at.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import Any

from kequn.ingest.xlsx_raw import relations, workbook_part

#: the relationship type of a workbook's shared strings part (ECMA-376 Part 1, 18.4)
_SHARED = "/sharedStrings"
#: a column's letters in a cell reference (B in B3)
_COLUMN = re.compile(r"[A-Z]{1,3}")
#: a character escaped in a shared string (_x000D_ for a carriage return)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Any) -> str:
    """An <si>'s or <is>'s text: its <t>, or the <t> of each rich-text run <r>; a
    phonetic run (<rPh>) is no part of it."""
    parts: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), "".join(parts))


def shared_strings_part(archive: zipfile.ZipFile) -> str | None:
    """The workbook's shared strings part (xl/sharedStrings.xml as Excel names it)."""
    from defusedxml import ElementTree

    try:
        found = relations(archive, workbook_part(archive))
    except (KeyError, StopIteration, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    return next((where for _, kind, where in found if kind.endswith(_SHARED)), None)


def _strings(archive: zipfile.ZipFile, part: str | None, wanted: set[int]) -> dict[int, str]:
    """The shared strings of the indices ``wanted``, read up to the highest of them."""
    from defusedxml import ElementTree

    found: dict[int, str] = {}
    if not wanted or part is None:
        return found
    last = max(wanted)
    index = 0
    try:
        with archive.open(part) as stream:
            for _event, element in ElementTree.iterparse(stream, events=("end",)):
                if _local(element.tag) != "si":
                    continue
                if index in wanted:
                    found[index] = _text(element)
                element.clear()
                if index >= last:
                    break
                index += 1
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ElementTree.ParseError):
        pass
    return found


def _column(reference: str | None, after: int) -> int:
    """The 0-based column of a cell reference (C7: 2); without one, the next column."""
    found = _COLUMN.match(reference or "")
    if not found:
        return after + 1
    column = 0
    for letter in found.group(0):
        column = column * 26 + ord(letter) - 64
    return column - 1


def _raw_rows(archive: zipfile.ZipFile, part: str, count: int) -> Iterator[list[tuple[str, str]]]:
    """The first ``count`` rows of the sheet's XML as [(type, value)] by column ("" for
    a column without a cell), rows without a <row> element given empty."""
    from defusedxml import ElementTree

    number = 0
    with archive.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            if _local(element.tag) != "row":
                continue
            given = element.get("r")
            at = int(given) if given and given.isdigit() else number + 1
            while number + 1 < at and number < count:
                number += 1
                yield []
            if number >= count:
                return
            cells: list[tuple[str, str]] = []
            column = -1
            for cell in element:
                if _local(cell.tag) != "c":
                    continue
                column = _column(cell.get("r"), column)
                kind = cell.get("t", "n")
                value = ""
                for child in cell:
                    name = _local(child.tag)
                    if name == "v":
                        value = child.text or ""
                    elif name == "is":
                        value = _text(child)
                cells.extend([("", "")] * (column - len(cells)))
                cells.append((kind, value))
            element.clear()
            number = at
            yield cells
            if number >= count:
                return


def _value(kind: str, value: str, strings: dict[int, str]) -> object:
    if kind == "" or value == "":
        return None
    if kind == "s":
        return strings.get(int(value)) if value.isdigit() else None
    if kind in {"str", "inlineStr", "e"}:
        return value
    if kind == "b":
        return value == "1"
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def first_rows(
    archive: zipfile.ZipFile, part: str, count: int, strings_part: str | None
) -> list[tuple[object, ...]] | None:
    """The sheet's first ``count`` rows (fewer if it has fewer), each a tuple of values
    from column A; None where they cannot be read (a part damaged among them: the
    import reads the sheet as before, and tells it as damaged)."""
    from defusedxml import ElementTree

    try:
        raw = list(_raw_rows(archive, part, count))
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ElementTree.ParseError):
        return None
    wanted = {int(v) for row in raw for k, v in row if k == "s" and v.isdigit()}
    strings = _strings(archive, strings_part, wanted)
    if len(strings) < len(wanted):
        return None  # a shared string not found: not guessed as empty
    return [tuple(_value(k, v, strings) for k, v in row) for row in raw]
