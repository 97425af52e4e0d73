"""The error of a file that cannot be read (kequn.ingest.readers, kequn.ingest.workbook)."""

from __future__ import annotations

from typing import Any


class SourceError(ValueError):
    """The file cannot be read as a table; the message names the file and what to do.

    ``wanted``: for a file whose required columns were not found, what a form can ask the
    user instead of a mapping file: ``{"table", "missing": [column names], "headers":
    [the file's headers]}`` (the dashboard's upload page asks which header holds each)."""

    def __init__(self, message: str, *, wanted: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.wanted = wanted
