"""The few cells of an .xlsx sheet that calamine (:mod:`kequn.ingest.xlsx_book`) cannot
give as openpyxl gave them, read from the sheet's XML as written.

- An error cell (``<c t="e"><v>#N/A</v></c>``, a formula's cached #N/A, #DIV/0!, #REF!):
  openpyxl gave its text, '#N/A', which a column then refused or kept as written;
  python-calamine gives an empty string, so an order with #N/A for its amount would have
  been read as one without an amount.
- A whole number of more than 15 digits written as such (``<v>6953489890610190242</v>``,
  as a program writing the file may, where Excel keeps 15 significant digits and writes
  6.9534898906101903E+18): openpyxl gave the integer with every digit; calamine gives the
  nearest float, which kequn writes as Excel shows it (6.95348989061019E+18) and an id
  column refuses. Looked up only when calamine gave such a float.

The sheet's XML is read in pieces (a sheet of 200,000 rows is some 300 MB of it) and
searched with ``bytes.find`` for the error cells, which costs the decompression, about
a second there; a regular expression looks at the cells found.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from xml.sax.saxutils import unescape

#: a sheet's cell position, 0-based (row, column), as calamine numbers its cells
Cell = tuple[int, int]

_CHUNK = 16 << 20
#: a cell's open tag, with or without a namespace prefix (<c ...> or <x:c ...>)
_CELL = re.compile(rb"<(?:[\w.-]+:)?c\s([^>]*?)(/?)>")
_REF = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
_ERROR_TYPE = re.compile(rb"""(?:^|\s)t\s*=\s*["']e["']""")
_NUMBER_TYPE = re.compile(rb"""(?:^|\s)t\s*=\s*["'](?!n["'])""")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</")
_CLOSE = re.compile(rb"</(?:[\w.-]+:)?c>")
#: a value written as a whole number of 16 digits or more (1e15 and up)
_LONG = re.compile(rb"v>(-?[0-9]{16,})</")
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook_part(archive: zipfile.ZipFile) -> str:
    """The workbook part's path in the zip (xl/workbook.xml as Excel names it), from the
    package's relationships; KeyError, StopIteration or a parse error when there is none."""
    from defusedxml import ElementTree

    top = ElementTree.fromstring(archive.read("_rels/.rels"))
    return next(
        rel.get("Target", "").lstrip("/")
        for rel in top.iter(f"{{{_REL}}}Relationship")
        if rel.get("Type", "").endswith("/officeDocument")
    )


def relations(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """``part``'s relationships: each one's id, type and target (a path in the zip);
    KeyError or a parse error when it has no relationships part."""
    from defusedxml import ElementTree

    folder, name = posixpath.split(part)
    found = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels", name + ".rels")))
    out = []
    for rel in found.iter(f"{{{_REL}}}Relationship"):
        target = rel.get("Target", "")
        where = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out.append((rel.get("Id", ""), rel.get("Type", ""), posixpath.normpath(where)))
    return out


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the part (path in the zip) holding its cells; empty when the
    workbook's relationships cannot be followed (then nothing is looked up)."""
    from defusedxml import ElementTree

    try:
        book = workbook_part(archive)
        targets = {rid: where for rid, _, where in relations(archive, book)}
        parts = {}
        for element in ElementTree.fromstring(archive.read(book)).iter():
            if element.tag.rsplit("}", 1)[-1] != "sheet":
                continue
            rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), "")
            if rid in targets:
                parts[element.get("name", "")] = targets[rid]
        return parts
    except (KeyError, StopIteration, ValueError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}


def _position(attributes: bytes) -> Cell | None:
    found = _REF.search(attributes)
    if not found:
        return None  # a cell without its r="B2" (allowed, rare): left as calamine gives it
    column = 0
    for letter in found.group(1):
        column = column * 26 + letter - 64
    return int(found.group(2)) - 1, column - 1


def _cell_open(buffer: bytes, before: int) -> re.Match[bytes] | None:
    """The open tag of the cell holding the text at ``before`` (a few tags back at most:
    <c ...><f>...</f><v>...</v></c>)."""
    at = before
    for _ in range(8):
        at = buffer.rfind(b"<", 0, at)
        if at < 0:
            return None
        opened = _CELL.match(buffer, at)
        if opened:
            return opened
    return None


def _pieces(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's XML in pieces, each ending before the last cell that may be cut short
    (it starts the next piece)."""
    carry = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buffer = carry + chunk
            if not chunk:
                if buffer:
                    yield buffer
                return
            cut = buffer.rfind(b"<")
            opened = _cell_open(buffer, len(buffer))
            if opened:
                cut = opened.start()
            cut = max(cut, 0)
            yield buffer[:cut]
            carry = buffer[cut:]


def _scan(
    archive: zipfile.ZipFile, part: str, find: Callable[[bytes], Iterator[tuple[Cell, object]]]
) -> dict[Cell, object]:
    found: dict[Cell, object] = {}
    try:
        for piece in _pieces(archive, part):
            found.update(find(piece))
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return found
    return found


def _errors_in(piece: bytes) -> Iterator[tuple[Cell, object]]:
    for quote in (b'"e"', b"'e'"):
        at = piece.find(quote)
        while at >= 0:
            opened = _cell_open(piece, at)
            if opened and opened.end() > at and not opened.group(2):
                attributes = b" " + opened.group(1)
                close = _CLOSE.search(piece, opened.end())
                value = _VALUE.search(piece, opened.end(), close.start() if close else len(piece))
                where = _position(attributes)
                if _ERROR_TYPE.search(attributes) and value and where:
                    yield where, unescape(value.group(1).decode("utf-8", "replace"))
            at = piece.find(quote, at + 1)


def _long_numbers_in(piece: bytes) -> Iterator[tuple[Cell, object]]:
    for found in _LONG.finditer(piece):
        opened = _cell_open(piece, found.start())
        if not opened or _NUMBER_TYPE.search(b" " + opened.group(1)):
            continue  # a text cell (t="s", "str", "inlineStr"): calamine gave its text
        where = _position(b" " + opened.group(1))
        if where:
            yield where, int(found.group(1))


def error_cells(archive: zipfile.ZipFile, part: str) -> dict[Cell, object]:
    """The sheet's error cells that hold a value, as openpyxl read them: {(row, column):
    '#N/A'}."""
    return _scan(archive, part, _errors_in)


def long_numbers(archive: zipfile.ZipFile, part: str) -> dict[Cell, object]:
    """The sheet's number cells written as whole numbers of 16 digits or more, as
    openpyxl read them: {(row, column): the int}."""
    return _scan(archive, part, _long_numbers_in)
