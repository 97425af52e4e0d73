"""Read CSV, Excel and Parquet files into a staging Parquet file of positional columns.

Every source becomes columns ``c0 .. cN`` plus ``_row`` (the row number a person sees
in a spreadsheet: the header is row 1). Headers are kept aside in Python, so a file's
own column names never reach SQL text. CSV and Excel cells stay text (parsing is the
validator's job, where a failure can be reported per row); Parquet keeps its types.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kequn.core.i18n import t
from kequn.core.schema import TABLES
from kequn.ingest.csv_lines import Unclosed, file_lines
from kequn.ingest.csv_lines import records as records_of
from kequn.ingest.encoding import detect_encoding, undecodable_line
from kequn.ingest.file_kind import sniff_xls, workbook_kind
from kequn.ingest.header_rows import (
    HEADER_SCAN,
    first_records,
    header_at,
    second_header,
)
from kequn.ingest.sheets import data_sheet, header_candidates, same_header_sheets
from kequn.ingest.source_error import SourceError

BATCH_ROWS = 200_000
#: a sheet's rows are written in smaller batches: its cells are held by calamine while
#: they are read (about 300 MiB for 200,000 rows of 48 columns), and each batch's text
#: as Python strings beside them (about as much again for 50,000 rows)
SHEET_BATCH_ROWS = 50_000


def check_table(table: str) -> str:
    """``table`` if kequn has it (customers, orders or events), else a :class:`SourceError`
    naming the tables: an import, the quarantine and its retry are told, not run on
    nothing (``kequn quarantine --table order`` said the quarantine was empty)."""
    if table not in TABLES:
        raise SourceError(t("import.bad_table", table=table, known=", ".join(TABLES)))
    return table


@dataclass
class StagedSource:
    path: Path  # the staging parquet (or the original parquet)
    headers: list[str]
    encoding: str | None
    rows: int
    positional: bool  # True: columns are c0..cN and _row; False: original parquet names
    ragged: list[tuple[int | None, str]] = field(default_factory=list)  # (line, text)
    #: the line (and its text) where a quote opens that nothing closes, if one does
    unclosed: tuple[int, str] | None = None
    header_row: int = 1  # the row (1-based, as a spreadsheet numbers it) holding the headers
    skipped: list[dict[str, object]] = field(default_factory=list)  # rows that are not data
    sheet: str | None = None
    #: the sheets read, of a workbook of more than one: {"sheet", "first", "last" (rows
    #: as numbered in this import), "own" (the sheet's own number of its first data row)}
    sheets: list[dict[str, object]] = field(default_factory=list)
    retried: list[int] | None = None  # rows read again from the quarantine
    #: only some of the source's rows (a sync from its watermark): entries of the rows not
    #: read again stay in the quarantine
    incremental: bool = False
    integers: frozenset[int] = frozenset()  # columns a database holds as integers


def stage(
    source: Path,
    workdir: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    progress: Callable[[int], None] | None = None,
    header_row: int | None = None,
    check: Callable[[list[tuple[str, list[str]]]], None] | None = None,
) -> StagedSource:
    """Stage ``source`` for validation. ``progress`` is called with rows read so far;
    ``header_row`` (1-based) overrides where the headers are found; ``check`` is given a
    workbook's sheets' headers read from their first rows, or a text file's header read
    from its first 64 KiB, before any is read whole, to refuse it early
    (:func:`kequn.ingest.columns.refuse_unusable`)."""
    suffix = source.suffix.lower()
    if not source.is_file():
        said = "import.is_folder" if source.is_dir() else "import.no_file"
        raise SourceError(t(said, file=source))
    if suffix in {".csv", ".txt", ".tsv"}:
        # a workbook renamed .csv is read as the workbook it is (it was said to be text
        # "that cannot be read as utf-8 near line 1")
        kind = workbook_kind(source)
        if kind:
            biff = kind == "biff"
            return _stage_excel(source, workdir, sheet, progress, header_row, check, biff=biff)
        return _stage_csv(source, workdir, encoding, progress, header_row, check)
    if suffix in {".xlsx", ".xlsm"}:
        return _stage_excel(source, workdir, sheet, progress, header_row, check)
    if suffix in {".xls", ".et"}:
        return _stage_xls(source, workdir, encoding, sheet, progress, header_row, check)
    if suffix in {".parquet", ".pq"}:
        try:
            meta = pq.ParquetFile(source).metadata
            names = pq.read_schema(source).names
        except (pa.ArrowException, OSError) as exc:  # not Parquet, or damaged
            detail = str(exc).splitlines()[0][:200]
            raise SourceError(t("import.bad_parquet", file=source.name, detail=detail)) from exc
        return StagedSource(source, names, None, meta.num_rows, False)
    raise SourceError(t("import.unsupported", file=source))


def _stage_xls(
    source: Path,
    workdir: Path,
    encoding: str | None,
    sheet: str | None,
    progress: Callable[[int], None] | None,
    header_row: int | None,
    check: Callable[[list[tuple[str, list[str]]]], None] | None = None,
) -> StagedSource:
    """A file named .xls or .et, read as what it holds: what platforms and ERPs export as
    "Excel" is often not (an .xlsx, a web page or tab-separated text under an .xls
    name); only a real BIFF workbook (or WPS .et) is read as one."""
    kind = sniff_xls(source)
    if kind == "zip":
        return _stage_excel(source, workdir, sheet, progress, header_row, check)
    if kind == "text":
        return _stage_csv(source, workdir, encoding, progress, header_row, check)
    if kind == "html":
        raise SourceError(t("import.xls_html", file=source.name))
    if kind == "biff":
        return _stage_excel(source, workdir, sheet, progress, header_row, check, biff=True)
    # anything else under an .xls name was "unsupported file type (supported: ...
    # .xls)", which said nothing of what is wrong with it
    said = "import.empty_file" if not source.stat().st_size else "import.not_a_workbook"
    raise SourceError(t(said, file=source.name))


def _stage_csv(
    source: Path,
    workdir: Path,
    encoding: str | None,
    progress: Callable[[int], None] | None,
    header_row: int | None = None,
    check: Callable[[list[tuple[str, list[str]]]], None] | None = None,
) -> StagedSource:
    """A text file (CSV, TSV, ...) staged; its header, found in its first 64 KiB, is given
    to ``check`` before the file is read whole: a 2 GB file of other columns was read to
    its end (twice where Arrow's reading was not exact) before "no usable column"."""
    enc = encoding or detect_encoding(source)
    try:
        codecs.lookup(enc)
    except LookupError:
        raise SourceError(t("import.unknown_encoding", encoding=enc)) from None
    try:
        with source.open("r", encoding=enc, newline="") as fh:
            sample = fh.read(_SAMPLE)
    except (UnicodeError, LookupError) as exc:
        # (UnicodeError: utf-16 asked of a file without its byte-order mark is no decode
        # error but that, raised as it was, in English and with a traceback)
        raise SourceError(t("import.bad_encoding", file=source.name, encoding=enc, line=1)) from exc
    if not sample.strip():
        raise SourceError(t("import.empty_file", file=source.name))
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = "\t" if source.suffix.lower() == ".tsv" else ","
    # newline="": a line may end in \r alone (Excel for Mac's "CSV (Macintosh)"), which
    # the default (lines end at \n) made one line the csv module refused, a traceback
    try:
        lines = list(
            itertools.islice(
                csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), HEADER_SCAN
            )
        )
    except csv.Error as exc:
        raise SourceError(t("import.bad_csv", file=source.name, detail=exc)) from exc
    if header_row and header_row > len(lines):
        # a header row asked for below the rows scanned (or the sample): the file's
        # first rows down to it
        lines = first_records(source, enc, delimiter, header_row)
    skip = header_at([list(r) for r in lines], header_row, source.name)
    header = [h.strip().lstrip("\ufeff") for h in lines[skip]]
    found = [list(r) for r in lines]
    merged = None if header_row else second_header(found, skip)
    header = merged or header
    # the rows above the data: the header's and a second header row's
    above = skip + (1 if merged else 0)
    if check:
        check([(source.name, header)])
    out = workdir / f"stage-{source.stem[:40]}.parquet"
    unclosed = None
    try:
        rows, ragged, breaks = _csv_fast(source, out, enc, delimiter, len(header), progress, above)
        # Arrow skips rows with the wrong number of fields and blank lines and, when
        # values may hold line breaks, cannot say where they were; a quote opened and
        # never closed swallows the rest of the file into one value. Then the file's
        # lines are not the rows read (and the line breaks in them): read it again
        # exactly, so every row keeps its line number and a bad row is quarantined
        # rather than lost.
        exact = bool(above or ragged or file_lines(source, enc) != above + 1 + rows + breaks)
    except (pa.ArrowInvalid, UnicodeError):
        # Arrow also refuses a file whose header is its last line, without a line end
        # ("could not skip initial 1 rows": a header-only export was said to be in the
        # wrong encoding), and one that does not decode, without saying where: the exact
        # reader reads the first, and finds the line of the second
        exact = True
    if exact:
        try:
            rows, ragged, unclosed = _csv_exact(
                source, out, enc, delimiter, len(header), progress, above
            )
        except UnicodeError as exc:
            line = undecodable_line(source, enc) or "?"
            raise SourceError(
                t("import.bad_encoding", file=source.name, encoding=enc, line=line)
            ) from exc
    staged = StagedSource(out, header, enc, rows, True, ragged, header_row=skip + 1)
    staged.unclosed = unclosed
    if merged:
        staged.skipped.append(_second_row(skip + 2, found[skip + 1]))
    return staged


#: the characters of a text file read first, to find its delimiter and header
_SAMPLE = 64 * 1024


def _second_row(number: int, cells: list[str]) -> dict[str, object]:
    """A second header row, as the summary's skipped rows list it."""
    text = " | ".join(str(c).strip() for c in cells if str(c).strip())
    return {"row": number, "text": text, "header": True}


def _csv_fast(
    source: Path,
    out: Path,
    enc: str,
    delimiter: str,
    width: int,
    progress: Callable[[int], None] | None,
    skip: int = 0,
) -> tuple[int, list[tuple[int | None, str]], int]:
    """Arrow's reader: the rows, the rows with the wrong number of fields, and how many
    line breaks the values hold (the file's lines are the header's, the rows' and those)."""
    names = [f"c{i}" for i in range(width)]
    ragged: list[tuple[int | None, str]] = []

    def note_ragged(row: pacsv.InvalidRow) -> str:
        ragged.append((row.number, row.text))
        return "skip"

    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(
            encoding=enc, skip_rows=skip + 1, column_names=names, block_size=8 << 20
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=note_ragged
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    schema = _positional_schema(width)
    rows = breaks = 0
    line = skip + 2  # where the next row starts
    with pq.ParquetWriter(out, schema) as writer:
        for batch in reader:
            # each row starts on the line after the previous row's last: a value's line
            # breaks move the rows after it down
            inside = np.zeros(batch.num_rows, dtype=np.int64)
            for column in batch.columns:
                inside += pc.count_substring(column, "\n").to_numpy(zero_copy_only=False)
            taken = 1 + inside
            starts = line + np.cumsum(taken) - taken
            writer.write_table(
                pa.Table.from_batches([batch]).append_column("_row", pa.array(starts))
            )
            line += int(taken.sum())
            breaks += int(inside.sum())
            rows += batch.num_rows
            if progress:
                progress(rows)
    return rows, ragged, breaks


def _csv_exact(
    source: Path,
    out: Path,
    enc: str,
    delimiter: str,
    width: int,
    progress: Callable[[int], None] | None,
    skip: int = 0,
) -> tuple[int, list[tuple[int | None, str]], tuple[int, str] | None]:
    schema = _positional_schema(width)
    ragged: list[tuple[int | None, str]] = []
    unclosed: tuple[int, str] | None = None
    columns: list[list[str | None]] = [[] for _ in range(width)]
    numbers: list[int] = []
    rows = 0
    with source.open("r", encoding=enc, newline="") as fh, pq.ParquetWriter(out, schema) as writer:
        records = records_of(fh, delimiter)
        for _ in range(skip + 1):
            next(records, None)
        for record_number, record in records:
            if isinstance(record, Unclosed):
                unclosed = (record_number, record.text)
                continue
            if len(record) != width:
                # Ctrl-Z (0x1A), the end-of-file mark DOS-era tools still append, is no row
                if any(field.replace("\x1a", "").strip() for field in record):
                    ragged.append((record_number, delimiter.join(record)))
                continue
            for i, value in enumerate(record):
                columns[i].append(value)
            numbers.append(record_number)
            if len(numbers) >= BATCH_ROWS:
                rows += _flush(writer, schema, columns, numbers, progress, rows)
        rows += _flush(writer, schema, columns, numbers, progress, rows)
    return rows, ragged, unclosed


def _positional_schema(width: int) -> pa.Schema:
    return pa.schema(
        [*(pa.field(f"c{i}", pa.string()) for i in range(width)), pa.field("_row", pa.int64())]
    )


def _stage_excel(
    source: Path,
    workdir: Path,
    sheet: str | None,
    progress: Callable[[int], None] | None,
    header_row: int | None = None,
    check: Callable[[list[tuple[str, list[str]]]], None] | None = None,
    *,
    biff: bool = False,
) -> StagedSource:
    from kequn.ingest.workbook import open_xls, open_xlsx

    book = open_xls(source) if biff else open_xlsx(source)
    try:
        if sheet and sheet not in book.sheetnames:
            raise SourceError(
                t(
                    "import.no_sheet",
                    file=source.name,
                    sheet=sheet,
                    sheets=", ".join(book.sheetnames),
                )
            )
        ws = _first_sheet(book, sheet, header_row, check)
        rows_iter: Iterator[tuple[object, ...]] = ws.iter_rows(values_only=True)
        # the first rows as found (the data among them read as every other row), and
        # as text for finding the header
        scan = max(HEADER_SCAN, header_row or 0)  # a header row asked for lower down
        first = [tuple(values) for values in itertools.islice(rows_iter, scan)]
        head = [["" if v is None else str(v).strip() for v in values] for values in first]
        at = header_at(head, header_row, source.name)
        merged = None if header_row else second_header(head, at)
        header = merged or list(head[at])
        while header and header[-1] == "":
            header.pop()
        below = at + 1 + (1 if merged else 0)  # the first row after the header rows
        names = [f"c{i}" for i in range(len(header))]
        width = len(names)
        schema = _positional_schema(len(header))
        out = workdir / f"stage-{source.stem[:40]}.parquet"
        rows = 0
        rest = itertools.chain(
            ((below + 1 + i, r) for i, r in enumerate(first[below:])),
            ((len(head) + 1 + i, v) for i, v in enumerate(rows_iter)),
        )
        # sheets that continue this one (same header) when no sheet was named: their
        # rows are numbered on after the previous sheet's, so each row's number is one
        more = [] if sheet else same_header_sheets(book, ws, header, HEADER_SCAN)
        parts = itertools.chain([(ws.title, at + 1, rest)], more)
        read: list[dict[str, object]] = []
        last = 0
        with pq.ParquetWriter(out, schema) as writer:
            columns: list[list[str | None]] = [[] for _ in names]
            row_numbers: list[int] = []
            for title, own_header, part in parts:
                base = last - own_header if read else 0
                first_row = base + own_header + 1
                read.append({"sheet": title, "first": first_row, "own": own_header + 1})
                for own, values in part:
                    last = base + own
                    if all(v in (None, "") for v in values):
                        continue
                    _append_texts(columns, values, width)
                    row_numbers.append(last)
                    if len(row_numbers) >= SHEET_BATCH_ROWS:
                        rows += _flush(writer, schema, columns, row_numbers, progress, rows)
                read[-1]["last"] = max(last, first_row - 1)
            rows += _flush(writer, schema, columns, row_numbers, progress, rows)
        title = ws.title
        # a row is told by its sheet where the workbook has several (row 3 of 订单2, not
        # row 6, which no sheet of the file shows)
        sheets = read if len(book.sheetnames) > 1 else []
    finally:
        book.close()
    staged = StagedSource(
        out, header, None, rows, True, header_row=at + 1, sheet=title, sheets=sheets
    )
    if merged:
        staged.skipped.append(_second_row(at + 2, head[at + 1]))
    return staged


def _first_sheet(
    book: Any,
    sheet: str | None,
    header_row: int | None,
    check: Callable[[list[tuple[str, list[str]]]], None] | None,
) -> Any:
    """The sheet read first: the one named, else the data sheet; ``check`` given the
    sheets' headers from their first rows before (see :func:`stage`)."""
    found = header_candidates(book, sheet, header_row, HEADER_SCAN) if check else None
    if check and found:
        check(found)
    return book[sheet] if sheet else data_sheet(book, HEADER_SCAN)


def _append_texts(columns: list[list[str | None]], values: tuple[object, ...], width: int) -> None:
    """A sheet row's cells as text, onto ``columns``: text as it is and a whole number's
    str() (most cells: no isinstance chain), the others by :func:`_cell_text`; cells past
    the header's last column are not data, a short row's missing ones None."""
    for i, value in enumerate(values[:width]):
        columns[i].append(
            value if type(value) is str else str(value) if type(value) is int else _cell_text(value)
        )
    for i in range(len(values), width):
        columns[i].append(None)


def _flush(
    writer: pq.ParquetWriter,
    schema: pa.Schema,
    columns: list[list[str | None]],
    row_numbers: list[int],
    progress: Callable[[int], None] | None,
    done: int,
) -> int:
    count = len(row_numbers)
    if count:
        arrays = [pa.array(col, pa.string()) for col in columns]
        arrays.append(pa.array(row_numbers, pa.int64()))
        writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        for col in columns:
            col.clear()
        row_numbers.clear()
        if progress:
            progress(done + count)
    return count


#: a number read from a workbook this large has more digits than Excel keeps
LOST_DIGITS = 1e15


def _float_text(value: float) -> str:
    """A number cell: a whole number without ``.0``. Excel keeps 15 significant digits:
    a longer whole number (an order id of 16-19 digits) has lost its last ones, and is
    written as Excel shows it, 6.95348989061019E+18, which an id column refuses
    (``id_lost_digits``) instead of storing wrong digits."""
    if not value.is_integer():
        return repr(value)
    return format(value, ".15G") if abs(value) >= LOST_DIGITS else str(int(value))


def _cell_text(value: object) -> str | None:
    """Excel cells as the text a person would type, so one parser serves every format."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)
