"""The quarantine: rejected rows and emptied values of every import, read back with the
reason in plain words and the row as the file had it."""

from __future__ import annotations

import json
from typing import Any

from kequn.core.i18n import t
from kequn.store.workspace import Workspace


def quarantine_rows(
    ws: Workspace, *, table: str | None = None, limit: int = 1000, lang: str | None = None
) -> list[dict[str, Any]]:
    """Rejected rows and emptied values, newest import first, with reasons in plain words."""
    query = (
        'SELECT q."table", q.file, q."row", q."column", q.reason, q.severity, q.value, q.detail, '
        "q.record, i.headers FROM quarantine q LEFT JOIN imports i USING (import_id) "
    )
    params: list[Any] = []
    if table:
        query += 'WHERE q."table" = ? '
        params.append(table)
    query += 'ORDER BY q.import_id DESC, q."row" LIMIT ?'
    params.append(limit)
    with ws.read() as con:
        rows = con.execute(query, params).fetchall()
    out = []
    for tbl, file, row, column, reason, severity, value, detail, record, headers in rows:
        out.append(
            {
                "table": tbl,
                "file": file,
                "row": row,
                "column": column,
                "reason": reason,
                "severity": severity,
                "value": value,
                "message": explain_reason(reason, column, value, detail, lang),
                "record": _record(record, headers),
            }
        )
    return out


def explain_reason(
    reason: str, column: str | None, value: str | None, detail: str | None, lang: str | None = None
) -> str:
    key = f"reason.{reason}"
    if reason == "bad_row":
        return (
            f"字段数与表头不一致: {value}"
            if (lang or "") == "zh"
            else f"wrong number of fields: {value}"
        )
    try:
        return t(
            key,
            lang,
            column=column or "",
            value=value if value is not None else "",
            detail=detail or "",
        )
    except KeyError:
        return reason


def _record(record: str | None, headers: str | None) -> dict[str, Any] | None:
    """The quarantined row as the file had it: header -> cell text."""
    if not record:
        return None
    values = json.loads(record)
    names = json.loads(headers) if headers else [f"column {i + 1}" for i in range(len(values))]
    return {
        name or f"column {i + 1}": v for i, (name, v) in enumerate(zip(names, values, strict=False))
    }
