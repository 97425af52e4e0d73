"""A CSV file read line by line: each record with the line it starts on, a quote that is
never closed told apart, and the file's lines counted (to check a quicker reader's rows
against). Used by :mod:`kequn.ingest.readers`."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def file_lines(source: Path, enc: str) -> int:
    """The file's lines, blank lines at its end left out (as a reader ignores them)."""
    count, last = 0, ""
    with source.open("r", encoding=enc, newline="") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), ""):
            count += chunk.count("\n")
            if chunk.strip():
                last = chunk
                count_at_last = count
    if not last:
        return 0
    # the lines up to the last one with text, that one included
    tail = last.rstrip()
    return count_at_last - last.count("\n") + tail.count("\n") + 1


class _Counted:
    """A file's lines, counted, the current record's kept (csv reads a line at a time,
    only as many as the record it is parsing needs)."""

    def __init__(self, fh: Iterator[str]) -> None:
        self.fh, self.number, self.pending, self.done = fh, 0, list[str](), False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        try:
            line = next(self.fh)
        except StopIteration:
            self.done = True
            raise
        self.number += 1
        self.pending.append(line)
        return line


@dataclass(frozen=True)
class Unclosed:
    """The line where a quote opens that nothing closes (its text)."""

    text: str


def records(fh: Iterator[str], delimiter: str) -> Iterator[tuple[int, list[str] | Unclosed]]:
    """Each record with the number of the line it starts on (a value may hold line
    breaks). Quotes are read strictly: a quote opened and never closed (the file ends
    inside it) made the rest of the file one value, silently. Then that record's first
    line is given as :class:`Unclosed` (to quarantine: the quote cannot be read) and its other
    lines are read one by one, as the rows they are. Any other quoting error is read
    leniently, as Python's csv does."""
    # the csv module refuses a value over 128 K characters (a long 备注 or a product
    # list), with a traceback; Arrow's quick reader takes any, so must this one
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    lines = _Counted(fh)
    while True:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            for record in reader:
                start = lines.number - len(lines.pending) + 1
                lines.pending.clear()
                yield start, record
            return
        except csv.Error:
            pending, start = lines.pending[:], lines.number - len(lines.pending) + 1
            lines.pending.clear()
            if lines.done:  # the file ended inside a quote
                yield start, Unclosed(pending[0].rstrip("\r\n"))
                for offset, line in enumerate(pending[1:], start=1):
                    for record in csv.reader([line], delimiter=delimiter):
                        yield start + offset, record
                return
            for record in csv.reader(pending, delimiter=delimiter):
                yield start, record
