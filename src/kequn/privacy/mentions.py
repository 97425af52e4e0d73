"""What mentions a person, and files cleaned of them (for :func:`kequn.privacy.erase_person`).

What is matched as "mentioning" a person: their customer id (as a whole word), and each
name, phone (also with its digits written apart) and e-mail address stored for them. An
id shorter than :data:`SHORT_ID` ("1", "C1") is a word of anyone's quantities, row
numbers and addresses: it counts only as the whole cell of a column that holds ids (the
file's customer id column, found by its header), and a job report's numbers are no ids.
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kequn.ingest.header_rows import HEADER_SCAN, id_columns
from kequn.store.workspace import Workspace, _atomic_write

_TEXT = frozenset({".csv", ".tsv", ".txt", ".json", ".jsonl", ".log"})


#: an id shorter than this is the person's in a cell only as the whole cell: "1" or "C1"
#: as a word is in anyone's quantities, dates and addresses (:meth:`Identity.in_cell`)
SHORT_ID = 6


@dataclass(frozen=True)
class Identity:
    """One person as the workspace may mention them, and a pattern matching any of it."""

    customer_id: str
    values: frozenset[str]
    phones: frozenset[str]

    @property
    def pattern(self) -> str:
        """One regular expression (RE2 and Python alike): the id as a whole word, any
        other value anywhere."""
        others = self.others
        return self._whole if others is None else f"{self._whole}|{others}"

    def in_cell(self, text: object, id_here: bool = True) -> bool:
        """Whether one cell (a rejected row's value, or a cell of its source record) is
        the person's: their id as a word in it, or, for an id shorter than
        :data:`SHORT_ID`, as the whole cell of a column that may hold it (``id_here``);
        or their name, phone or e-mail anywhere in it."""
        if text is None:
            return False
        value = str(text)
        if len(self.customer_id) >= SHORT_ID:
            if re.search(self._whole, value):
                return True
        elif id_here and value.strip().strip("='\"").strip() == self.customer_id:
            return True
        if any(v in value for v in self.values - {self.customer_id}):
            return True
        digits = re.sub(r"\D", "", value)
        return any(p in digits for p in self.phones)

    @property
    def short(self) -> bool:
        """Whether the id is too short to be looked for as a word (:data:`SHORT_ID`)."""
        return len(self.customer_id) < SHORT_ID

    @property
    def others(self) -> str | None:
        """A pattern of the person's values but their id (None: they have none)."""
        others = [re.escape(v) for v in sorted(self.values - {self.customer_id})]
        return "|".join(others) or None

    @property
    def _whole(self) -> str:
        return "(^|[^0-9A-Za-z_])" + re.escape(self.customer_id) + "([^0-9A-Za-z_]|$)"

    def mentioned_in(self, text: object) -> bool:
        if text is None:
            return False
        value = str(text)
        if re.search(self.pattern, value):
            return True
        digits = re.sub(r"\D", "", value)
        return any(p in digits for p in self.phones)


def identity(con: duckdb.DuckDBPyConnection, customer_id: str) -> Identity:
    rows = con.execute(
        "SELECT name, phone, email FROM customers WHERE customer_id = ?", [customer_id]
    ).fetchall()
    values = {customer_id} | {str(v).strip() for row in rows for v in row if v and str(v).strip()}
    phones = {re.sub(r"\D", "", str(r[1])) for r in rows if r[1]}
    return Identity(customer_id, frozenset(values), frozenset(p for p in phones if len(p) >= 7))


def _replace_parquet(path: Path, table: pa.Table) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _scrub_job(path: Path, person: Identity) -> int:
    """A background job's report without anything mentioning the person."""
    if path.suffix != ".json":
        return 0
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    cleaned = _scrub_value(data, person)
    if cleaned == data:
        return 0
    _atomic_write(path, json.dumps(cleaned, default=str))
    return 1


def _scrub_value(value: Any, person: Identity) -> Any:
    """Lists lose the items that mention the person; other text mentioning them is erased."""
    if isinstance(value, list):
        return [_scrub_value(v, person) for v in value if not _in_report(v, person)]
    if isinstance(value, dict):
        return {k: _scrub_value(v, person) for k, v in value.items()}
    if isinstance(value, str) and _in_report(value, person):
        return "[erased]"
    return value


def _in_report(value: Any, person: Identity) -> bool:
    """Whether a job report's item mentions the person. A short id only as a whole text
    value: the reports keep row numbers, columns and reasons (never a row's values,
    :func:`kequn.web.jobs.without_personal`), and customer 1's erasure took every
    quarantined row numbered 1 out of them."""
    if not person.short:
        return person.mentioned_in(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, dict):
        return any(_in_report(v, person) for v in value.values())
    if isinstance(value, list):
        return any(_in_report(v, person) for v in value)
    return isinstance(value, str) and person.in_cell(value)


def _scrub_staged(ws: Workspace, person: Identity) -> int:
    """Files under ``.tmp`` (uploads being imported, staged runs) lose the rows that
    mention the person (a file that cannot be read row by row is removed if it mentions
    them), but for the compiled SQL; the Spark engine's copies of old generations under
    ``.cache`` are removed."""
    changed = 0
    spark = ws.root / ".cache" / "spark"
    if spark.is_dir():
        changed += len(_files(spark))
        shutil.rmtree(spark, ignore_errors=True)
    # the engine's compiled SQL is made from the taxonomy and the settings, never from a
    # customer's data (kequn.engines.sqlcache): read as bytes, any id whose text it holds
    # ("_", "t0") removed it, and the erasure of nobody counted those files as done
    sql_cache = ws.tmp_dir / "sql"
    for path in _files(ws.tmp_dir):
        if path.is_relative_to(sql_cache):
            continue
        try:
            changed += _scrub_file(path, person)
        except (OSError, ValueError, pa.ArrowException):
            path.unlink(missing_ok=True)  # unreadable: it may mention them
            changed += 1
    return changed


def _scrub_file(path: Path, person: Identity) -> int:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = pq.read_table(path)
        hit: Any = None
        for name in table.column_names:
            column = table[name].combine_chunks()
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                found = _parquet_hits(column, name, person)
                if found is not None:
                    hit = found if hit is None else pc.or_(hit, found)
        if hit is None or not pc.any(hit).as_py():
            return 0
        _replace_parquet(path, table.filter(pc.invert(hit)))
        return 1
    raw = path.read_bytes()
    if suffix in _TEXT:
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            encoding, text = "gb18030", raw.decode("gb18030", errors="replace")
        lines = text.splitlines(keepends=True)
        theirs = _line_test(lines, person, suffix)
        kept = [line for line in lines if not theirs(line)]
        if len(kept) == len(lines):
            return 0
        path.write_bytes("".join(kept).encode(encoding))
        return 1
    found = _xlsx_mentions(path, person) if suffix == ".xlsx" else _mentions_bytes(raw, person)
    if found:
        path.unlink()
    return int(found)


def _parquet_hits(column: pa.Array, name: str, person: Identity) -> pa.Array | None:
    """The rows of a staged Parquet file's text column that mention the person (None:
    none can); a short id only as the whole cell of a column of ids (``customer_id``,
    ``person_id``, ...)."""
    if not person.short:
        return pc.match_substring_regex(column, person.pattern).fill_null(False)
    found = []
    if name.endswith("_id"):
        found.append(pc.equal(column, pa.scalar(person.customer_id, column.type)).fill_null(False))
    if person.others:
        found.append(pc.match_substring_regex(column, person.others).fill_null(False))
    return functools.reduce(pc.or_, found) if found else None


def _line_test(lines: list[str], person: Identity, suffix: str) -> Callable[[str], bool]:
    """Whether a line of a staged text file mentions the person. A short id only as the
    whole cell of the file's customer id column(s), found by their header among its
    first rows (none found: by their name, phone or e-mail alone): as a word it took
    every row with a quantity of 1 out of an upload being imported."""
    if not person.short:
        return person.mentioned_in
    delimiter = "\t" if suffix == ".tsv" else ","
    head = lines[:HEADER_SCAN]
    if suffix != ".tsv" and sum(x.count("\t") for x in head) > sum(x.count(",") for x in head):
        delimiter = "\t"
    rows = [next(csv.reader([line], delimiter=delimiter), []) for line in head]
    ids = id_columns(rows) if suffix in (".csv", ".tsv", ".txt") else frozenset()

    def theirs(line: str) -> bool:
        if person.in_cell(line, id_here=False):
            return True
        cells = next(csv.reader([line], delimiter=delimiter), []) if ids else []
        return any(person.in_cell(cells[i]) for i in ids if i < len(cells))

    return theirs


def _mentions_bytes(raw: bytes, person: Identity) -> bool:
    """Whether a file read as bytes holds the person's values (a short id is no value
    here: the byte "1" is in any file)."""
    values = person.values - {person.customer_id} if person.short else person.values
    return any(
        v.encode(enc, errors="ignore") in raw
        for v in values
        for enc in ("utf-8", "gb18030", "utf-16-le")
    )


def _xlsx_mentions(path: Path, person: Identity) -> bool:
    import openpyxl

    from kequn.ingest.workbook import where_cells_are

    book = where_cells_are(openpyxl.load_workbook(path, read_only=True))
    try:
        return any(
            _sheet_mentions(sheet.iter_rows(values_only=True), person) for sheet in book.worksheets
        )
    finally:
        book.close()


def _sheet_mentions(rows: Iterator[tuple[Any, ...]], person: Identity) -> bool:
    """Whether a sheet's rows mention the person; a short id only in the sheet's customer
    id column, found by its header among the first rows (:func:`_line_test`)."""
    if not person.short:
        return any(person.mentioned_in(c) for row in rows for c in row if c is not None)
    head = [
        ["" if c is None else str(c) for c in row] for row in itertools.islice(rows, HEADER_SCAN)
    ]
    ids = id_columns(head)
    for row in itertools.chain(head, rows):
        if any(person.in_cell(c, id_here=False) for c in row if c not in (None, "")):
            return True
        if any(person.in_cell(row[i]) for i in ids if i < len(row) and row[i] is not None):
            return True
    return False


def rejected_rows_of(
    con: duckdb.DuckDBPyConnection, person: Identity, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rejected rows (``quarantine``, with their ``import_id``) that are the person's
    (:meth:`Identity.in_cell`): where the import's file named its customer id column, a
    short id counts only in that column (as the rejected value or the record's cell)."""
    where = _id_cells(con, sorted({str(r["import_id"]) for r in rows if r.get("import_id")}))
    return [r for r in rows if _theirs(person, r, where.get(str(r.get("import_id"))))]


def _id_cells(con: duckdb.DuckDBPyConnection, import_ids: list[str]) -> dict[str, int]:
    """Import -> the position of the customer id among its file's headers, where known."""
    if not import_ids:
        return {}
    found: dict[str, int] = {}
    for import_id, mapping, headers in con.execute(
        "SELECT import_id, mapping, headers FROM imports WHERE list_contains(?, import_id)",
        [import_ids],
    ).fetchall():
        try:
            header, names = json.loads(mapping).get("customer_id"), json.loads(headers)
        except (TypeError, ValueError, AttributeError):
            continue
        if isinstance(names, list) and header in names:
            found[str(import_id)] = names.index(header)
    return found


def _theirs(person: Identity, row: dict[str, Any], id_cell: int | None) -> bool:
    try:
        cells = json.loads(row["record"]) if row.get("record") else []
    except ValueError:
        cells = [row["record"]]
    cells = cells if isinstance(cells, list) else [cells]
    known = id_cell is not None and id_cell < len(cells)
    if person.in_cell(row.get("value"), not known or row.get("column") == "customer_id"):
        return True
    if person.in_cell(row.get("detail"), not known):
        return True
    return any(
        person.in_cell(cell, not known or i == id_cell)
        for i, cell in enumerate(cells)
        if cell not in (None, "")
    )
