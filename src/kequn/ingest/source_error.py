"""The error of a file that cannot be read (kequn.ingest.readers, kequn.ingest.workbook)."""

from __future__ import annotations


class SourceError(ValueError):
    """The file cannot be read as a table; the message names the file and what to do."""
