"""What a file holds whatever its name says: a workbook (.xlsx's zip, Excel 97-2003's
OLE2 file), a web page, text, or none of these. Split from :mod:`kequn.ingest.readers`,
which reads each as what it is."""

from __future__ import annotations

import re
from pathlib import Path

from kequn.ingest.encoding import decode_sample, detect_encoding

#: how a workbook's file starts: a zip (.xlsx), or an OLE2 compound file (Excel 97-2003)
_WORKBOOK_MAGIC = {b"PK\x03\x04": "zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "biff"}


def workbook_kind(source: Path, head: bytes | None = None) -> str | None:
    """ "zip" or "biff" when the file starts as a workbook does, else None."""
    if head is None:
        with source.open("rb") as fh:
            head = fh.read(8)
    return next((kind for start, kind in _WORKBOOK_MAGIC.items() if head.startswith(start)), None)


def sniff_xls(source: Path) -> str:
    """What a file named .xls / .et holds: "zip" (an .xlsx), "biff" (an Excel 97-2003
    workbook), "html", "text", or "binary" (anything else)."""
    with source.open("rb") as fh:
        head = fh.read(8192)
    found = workbook_kind(source, head)
    if found or not head.strip():
        return found or "binary"
    try:
        text = decode_sample(head, detect_encoding(source)).lstrip("\ufeff \t\r\n")
    except (UnicodeDecodeError, LookupError):
        return "binary"
    if re.match(r"(?i)<(!doctype|html|table|meta|head|\?xml|style|body)", text):
        return "html"
    first = text.split("\n", 1)[0]
    if "\x00" not in text and ("\t" in first or "," in first):
        return "text"
    return "binary"


def has_sheets(source: Path) -> bool | None:
    """Whether ``source`` is read as a workbook, whose sheets ``--sheet`` names: True for
    one (an .xlsx, an Excel 97-2003 file, a workbook renamed .csv), False for text and
    Parquet, None where the reader is left to say what the file is (missing, a web page,
    an unknown kind). As :func:`kequn.ingest.readers.stage` reads it."""
    if not source.is_file():
        return None
    suffix = source.suffix.lower()
    if suffix in {".csv", ".txt", ".tsv"}:
        return workbook_kind(source) is not None
    if suffix in {".xlsx", ".xlsm"}:
        return True
    if suffix in {".xls", ".et"}:
        kind = sniff_xls(source)
        return True if kind in ("zip", "biff") else False if kind == "text" else None
    if suffix in {".parquet", ".pq"}:
        return False
    return None
