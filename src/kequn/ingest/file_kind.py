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
