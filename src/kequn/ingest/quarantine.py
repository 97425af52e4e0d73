"""The quarantine: rejected rows and emptied values of every import, read back with the
reason in plain words and the row as the file had it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kequn.core import display
from kequn.core.i18n import MESSAGES, t
from kequn.core.schema import TABLES
from kequn.core.sheet_rows import sheet_row
from kequn.ingest.importer import (
    ImportReport,
    claim_stage,
    import_origins,
    import_staged,
    sweep_stages,
)
from kequn.ingest.mapping import MappingFile
from kequn.ingest.readers import StagedSource, check_table
from kequn.ingest.reasons import (
    BAD_ROW,
    CUSTOMER_OF_SOURCE,
    UNCLOSED_QUOTE,
    quoted,
    reason_name,
)
from kequn.store.workspace import Workspace


def quarantine_rows(
    ws: Workspace,
    *,
    table: str | None = None,
    limit: int = 1000,
    lang: str | None = None,
    masked: bool = False,
) -> list[dict[str, Any]]:
    """Rejected rows and emptied values, newest import first, with reasons in plain words
    and each row's column as a person knows it (``column_label``: :func:`column_label`).
    ``masked``: as one who may not see personal data reads them, each value ``***`` in
    the message as it is written (not masked in the message after: a value such as "not
    a date" took the reason's own words with it, "下单时间 is ***: ***"), the column by
    its field's name, and no record."""
    query = (
        'SELECT q."table", q.file, q."row", q."column", q.reason, q.severity, q.value, q.detail, '
        "q.record, i.headers, i.mapping, i.sheets "
        "FROM quarantine q LEFT JOIN imports i USING (import_id) "
    )
    params: list[Any] = []
    if table:
        check_table(table)
        query += 'WHERE q."table" = ? '
        params.append(table)
    query += 'ORDER BY q.import_id DESC, q."row" LIMIT ?'
    params.append(limit)
    with ws.read() as con:
        rows = con.execute(query, params).fetchall()
    out = []
    for tbl, file, number, column, reason, severity, held, detail, record, *rest in rows:
        headers, mapping, sheets = rest
        shown = column_label(column, _header_of(column, mapping), tbl, lang, masked=masked)
        value = "***" if masked and held not in (None, "") else held
        # the row as the workbook shows it: its sheet's own number, and the sheet
        parts = json.loads(sheets or "[]")
        sheet, row = (None, number) if number is None else sheet_row(number, parts)
        out.append(
            {
                "table": tbl,
                "file": file,
                "sheet": sheet,
                "row": row,
                "column": column,  # the field's id, for machines
                "column_label": shown,
                "reason": reason,  # the code, for machines
                "reason_name": reason_name(reason, lang),  # the code in a few words
                "severity": severity,
                "value": value,
                "message": explain_reason(reason, shown, value, detail, lang, parts),
                "record": None if masked else _record(record, headers),
            }
        )
    return out


def _header_of(column: str | None, mapping: str | None) -> str | None:
    """The file's header a field was read from (the import's mapping: field -> header)."""
    try:
        header = json.loads(mapping).get(column) if mapping and column else None
    except (ValueError, AttributeError):
        header = None
    return header if isinstance(header, str) and header.strip() else None


def column_label(
    column: str | None,
    header: str | None,
    table: str,
    lang: str | None = None,
    *,
    masked: bool = False,
) -> str:
    """A field as a person knows it: the file's ``header`` it was read from, with the
    field's name in the language after it (订单创建时间 (下单时间); it was "订单创建时间
    (ordered_at)", kequn's internal id); the field's name alone where the header is that
    name, or where ``masked`` (one who may not see personal data is told the field). An
    id that has no name is shown as the file's header where there is one: kequn's id
    is never shown beside it, only where it is the file's own header or all there is."""
    if not column:
        return ""
    name = display.field(column, lang, table)
    named = any(c.name == column for spec in TABLES.values() for c in spec.columns)
    if header is None or (masked and named) or header == name:
        return name
    return f"{header} ({name})" if named else header


def explain_reason(
    reason: str,
    column: str | None,
    value: str | None,
    detail: str | None,
    lang: str | None = None,
    sheets: list[dict[str, Any]] | None = None,
) -> str:
    """A quarantine reason in full, with its column, value and detail; a code this
    kequn no longer knows (an older one's, kept in the quarantine) told as such. A detail
    that is another row of the file (the first row of a repeated id) is told as the
    workbook of ``sheets`` shows it: its sheet and that sheet's row."""
    key = f"reason.{reason}" if f"reason.{reason}" in MESSAGES else "reason.unknown"
    sheet = None
    if sheets and detail and detail.isdigit() and f"{key}_sheet" in MESSAGES:
        sheet, row = sheet_row(int(detail), sheets)
        key, detail = f"{key}_sheet", str(row)
    value = quoted(value)  # the row itself keeps it whole
    return t(
        key,
        lang,
        code=reason,
        column=column or "",
        value=value if value is not None else "",
        detail=detail or "",
        sheet=sheet or "",
    ).strip()


def _record(record: str | None, headers: str | None) -> dict[str, Any] | None:
    """The quarantined row as the file had it: header -> cell text."""
    if not record:
        return None
    values = json.loads(record)
    names = json.loads(headers) if headers else [f"column {i + 1}" for i in range(len(values))]
    return {
        name or f"column {i + 1}": v for i, (name, v) in enumerate(zip(names, values, strict=False))
    }


def retry(
    ws: Workspace,
    table: str = "orders",
    *,
    mapping: MappingFile | None = None,
    format: str | None = None,
    create_customers: bool | None = None,
) -> list[ImportReport]:
    """Read the rejected rows of ``table`` again, file by file, as their files had them,
    with ``mapping`` (new status words, columns) and ``format``: no re-upload. Rows that
    now pass are imported and leave the quarantine; the others stay, with today's reason.
    ``create_customers``: as the import's (orders of customers the workspace does not
    know make them, which the unknown-customer reason suggests).

    Each row keeps its source and lineage: it is read as the source its import was
    (``NAME:ID`` ids, ``origin``; an import whose ids were kept as given, or one made
    before imports recorded their source, stays without one), and as its file's row."""
    check_table(table)
    with ws.read() as con:
        rows = con.execute(
            """SELECT q.file, q."row", any_value(q.record), arg_max(i.headers, i.finished_at),
                max(q.import_id), bool_or(q.reason = ?), arg_max(i.sheets, i.finished_at)
            FROM quarantine q LEFT JOIN imports i ON i.file = q.file AND i."table" = q."table"
            WHERE q."table" = ? AND q.severity = 'rejected' AND q.record IS NOT NULL
                -- lines never read into fields: their records (in workspaces that stored
                -- them) are NULLs only; the line must be mended in its file
                AND q.reason NOT IN (?, ?)
            GROUP BY q.file, q."row" ORDER BY 1, 2""",
            [CUSTOMER_OF_SOURCE, table, BAD_ROW, UNCLOSED_QUOTE],
        ).fetchall()
        origins = import_origins(con)
        derived = {
            str(f)
            for (f,) in con.execute(
                "SELECT DISTINCT source_file FROM customers WHERE source_file IS NOT NULL"
            ).fetchall()
        }
    # one retry per file and source: a file imported as two sources is read as each
    by_file: dict[tuple[str, str | None], tuple[list[str], list[tuple[int, list[Any]]]]] = {}
    sheets: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    # files whose rows were held as naming a source's customer with no source named: their
    # import was no --no-source, so the rows are held again (taken as given, each made the
    # second, empty customer the check is there to prevent)
    held: set[tuple[str, str | None]] = set()
    for file, row, record, headers, import_id, of_source, parts in rows:
        names = json.loads(headers) if headers else []
        values = json.loads(record)
        key = (file, origins.get(str(import_id)))
        # the rows keep the workbook's numbering, and so their sheets
        sheets.setdefault(key, json.loads(parts) if parts else [])
        found = by_file.setdefault(key, (names or [f"c{i}" for i in range(len(values))], []))
        found[1].append((int(row), values))
        if of_source:
            held.add(key)
    reports = []
    sweep_stages(ws.tmp_dir)
    for (file, origin), (headers, records) in by_file.items():
        import_id = dt.datetime.now().strftime("%Y%m%d%H%M%S-") + uuid.uuid4().hex[:6]
        workdir = ws.tmp_dir / f"retry-{import_id}"
        workdir.mkdir(parents=True, exist_ok=True)
        claim = claim_stage(workdir)
        try:
            path = workdir / "rows.parquet"
            columns = {
                f"c{i}": pa.array(
                    [None if v is None else str(v) for v in _cells(values, i)], pa.string()
                )
                for i, values in enumerate([[r[1] for r in records]] * len(headers))
            }
            columns["_row"] = pa.array([r[0] for r in records], pa.int64())
            pq.write_table(pa.table(columns), path)
            staged = StagedSource(
                path,
                headers,
                None,
                len(records),
                True,
                sheets=sheets[(file, origin)],
                retried=[r[0] for r in records],
            )
            reports.append(
                import_staged(
                    ws,
                    table,
                    staged,
                    file,
                    import_id=import_id,
                    mapping=mapping,
                    format=format,
                    origin=origin,
                    default_origin=False,  # the import it came from decided its source
                    sourced_check=(file, origin) in held,
                    # buyers of an order export were derived from it: so are the new ones,
                    # unless the caller says
                    create_customers=(
                        create_customers
                        if create_customers is not None
                        else (True if table == "orders" and file in derived else None)
                    ),
                )
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            claim.close()
    return reports


def _cells(records: list[list[Any]], index: int) -> list[Any]:
    return [r[index] if index < len(r) else None for r in records]
