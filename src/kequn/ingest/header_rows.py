"""Where a file's header is: the row of column names below any title rows, and a second
header row under it when the names are spread over two rows.

A sheet made by hand often groups its columns under a merged label and names them in the
row below: ``订单号 | 下单时间 | 金额 (over two columns) | 买家`` above ``| | 商品金额 | 运费
|``. Excel writes a merged label in its first column and leaves the others blank, in an
``.xlsx`` and in the CSV it saves alike, so the two rows are read as one header from the
cells alone. A column takes its name from the second row where the first row is blank
above it, or where the first row's name is not one kequn knows (收货信息 over 收货人 |
电话); else from the first row (金额 over 商品金额 | 运费 stays the amount). The second
row is then skipped, and said so in the import's summary; it used to be quarantined as
an order with no buyer and an amount that is not a number.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from pathlib import Path

from kequn.core.i18n import t
from kequn.ingest.encoding import undecodable_line
from kequn.ingest.mapping import normalise_header, strip_unit
from kequn.ingest.source_error import SourceError

#: rows scanned for the header: title rows and blank rows may come before it
HEADER_SCAN = 30

#: a cell that is a value, not a label: a number (with a currency sign, thousands
#: separators or a sign) or a date; such a row is data whatever else it holds
_VALUE = re.compile(
    r"^[-+−]?[¥￥$€£]?\s*[-+−]?[\d,，]*\d(\.\d+)?%?$|^\d{4}\s*[-/.年]\s*\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
)


@functools.cache
def known_headers() -> frozenset[str]:
    """Every column name kequn recognises (headers.yaml and the platforms' profiles),
    normalised."""
    from kequn.ingest import formats
    from kequn.ingest.mapping import known_headers as synonyms

    names = set(synonyms())
    for profile in formats.profiles().values():
        for headers in profile.columns.values():
            names.update(normalise_header(h) for h in headers)
    return frozenset(names)


def is_known(cell: str) -> bool:
    return normalise_header(strip_unit(cell)[0]) in known_headers()


def find_header(rows: list[list[str]]) -> int:
    """Index of the header among the first rows: the row with the most cells that are
    known column names (in 中文 or English, or a platform's), at least two, the first of
    equals (a report's parameter row above it, 日期 … 状态 …, has two or three; the header
    has more); else the first row with at least two filled cells, else the first
    non-empty row."""
    scores = [sum(1 for cell in row if is_known(cell)) for row in rows[:HEADER_SCAN]]
    if scores and max(scores) >= 2:
        return scores.index(max(scores))
    for i, row in enumerate(rows[:HEADER_SCAN]):
        if sum(1 for cell in row if str(cell).strip()) >= 2:
            return i
    return next((i for i, row in enumerate(rows) if any(str(c).strip() for c in row)), 0)


def second_header(rows: list[list[str]], at: int) -> list[str] | None:
    """The header's names read with the row under it, when that row is a second header
    row (see the module's text); else None.

    The row below is a second header row when it names at least two columns, holds no
    value (a number or a date), and each name it has sits under a blank header cell (a
    merged label's other columns) or under the first column of such a span, at least one
    of them under a blank and one a column name kequn knows: a data row fills the
    columns the header names."""
    if at + 1 >= len(rows):
        return None
    header = [str(c).strip() for c in rows[at]]
    below = [str(c).strip() for c in rows[at + 1]]
    filled = [i for i, cell in enumerate(below) if cell]
    if len(filled) < 2 or any(_VALUE.search(below[i]) for i in filled):
        return None

    def blank_above(i: int) -> bool:
        return i >= len(header) or not header[i]

    def starts_span(i: int) -> bool:
        return not blank_above(i) and i + 1 < len(header) and not header[i + 1]

    if not all(blank_above(i) or starts_span(i) for i in filled):
        return None
    if not any(blank_above(i) for i in filled):
        return None
    # and a column name kequn knows among them: a row that only fills a note column
    # and the blank one beside it (备注 | VIP客户 | 重要) is a row of data
    if not any(is_known(below[i]) for i in filled):
        return None
    width = max(len(header), filled[-1] + 1)
    names = []
    for i in range(width):
        parent = header[i] if i < len(header) else ""
        sub = below[i] if i < len(below) else ""
        # a label kequn knows keeps its column (金额 over 商品金额 | 运费: the first is the
        # amount, as it was read before); a group's name kequn does not know (收货信息)
        # gives way to its columns' names
        names.append(sub if sub and (not parent or not is_known(parent)) else parent)
    return names


@functools.cache
def id_headers() -> frozenset[str]:
    """Every column name kequn reads as a customer's id (headers.yaml's, for customers,
    orders and events alike, and the platforms' profiles'), normalised: where a file
    says whose each row is (:mod:`kequn.privacy.mentions` for a short id)."""
    from kequn.ingest import formats
    from kequn.ingest.mapping import synonyms_of

    names = {normalise_header(h) for h in synonyms_of("customer_id")}
    for profile in formats.profiles().values():
        names.update(normalise_header(h) for h in profile.columns.get("customer_id", ()))
    return frozenset(names)


def id_columns(rows: list[list[str]]) -> frozenset[int]:
    """The positions of the customer id columns (:func:`id_headers`) in the header among
    ``rows`` (:func:`find_header`); none where it names no such column."""
    at = find_header(rows)
    header = rows[at] if at < len(rows) else []
    ids = id_headers()
    return frozenset(
        i for i, cell in enumerate(header) if normalise_header(strip_unit(str(cell))[0]) in ids
    )


def first_records(source: Path, enc: str, delimiter: str, count: int) -> list[list[str]]:
    """The first ``count`` records of a text file (fewer where it has fewer), for a
    header asked for at row ``count``: the last one's fields, the ones above it empty
    (one shared list: ``--header-row 99999999`` of a large file holds no more than a
    pointer a row)."""
    above: list[str] = []
    try:
        with source.open("r", encoding=enc, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            found = [above for _ in itertools.islice(reader, count - 1)]
            found.extend(list(r) for r in itertools.islice(reader, 1))
            return found
    except csv.Error as exc:
        raise SourceError(t("import.bad_csv", file=source.name, detail=exc)) from exc
    except UnicodeError as exc:
        line = undecodable_line(source, enc) or "?"
        raise SourceError(
            t("import.bad_encoding", file=source.name, encoding=enc, line=line)
        ) from exc


def header_at(rows: list[list[str]], header_row: int | None, file: str) -> int:
    """Where the header is among a file's first ``rows`` (0-based): the row asked for
    (``header_row``, 1-based), else the one found; a file that ends before it is an
    error naming the file and its rows ("name the header row with --header-row"
    answered a user who just had)."""
    at = header_row - 1 if header_row else find_header(rows)
    if at < len(rows):
        return at
    if header_row:
        said = t("import.header_row_past_end", file=file, row=header_row, rows=len(rows))
        raise SourceError(said)
    raise SourceError(t("import.no_header_row", file=file, row=at + 1))
