"""Where a run's customer comes from: their sources and linked source records, and a
run's segments counted over the members having records from one source.

A customer of a run is a record of one source, or (``[identity] enabled = true``) a
person whose records identity resolution linked. Both questions are answered from the
workspace's published generation as it is now: the records (``customers``: ``origin``,
``source_file``, ``source_row``) and, once ``kequn identity run`` has stored them,
``identity_map`` (record -> person), ``identity_links`` (each candidate link's rule,
probability and evidence) and ``identity_decisions`` (people's confirm / reject / split).
Table and column names are fixed here; ids and source names are bound parameters.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import duckdb
import pyarrow as pa

import kequn.snapshots.linked_text  # noqa: F401 - registers the words its readers print
from kequn.core.i18n import quoted, t
from kequn.core.sheet_rows import sheet_row
from kequn.snapshots import lookup
from kequn.snapshots.packed import quoted_name
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import Workspace

#: what a linked record shows of itself: nothing personal (the profile's own fields are
#: masked for viewers where they are shown; a record's name or phone would not be)
RECORD_COLUMNS = ("city",)


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary", [table]
    ).fetchone()
    return bool(row and row[0])


def source_id(record_id: str, origin: str | None) -> str:
    """The id a record has in its own source: ``tmall:C001`` of source ``tmall`` is C001."""
    prefix = f"{origin}:" if origin else ""
    return record_id[len(prefix) :] if prefix and record_id.startswith(prefix) else record_id


def linked_records(ws: Workspace, customer_id: str) -> dict[str, Any]:
    """The sources and source records behind ``customer_id`` (a record id or a person id).

    ``records``: each record of the person (or the record alone when identity resolution
    has not linked it) with its source, its id in that source, its lineage (file or
    query, row, import; a workbook of several sheets' ``sheet`` and the sheet's own
    ``row``, as Excel shows it) and city; ``links``: the candidate
    links between those records with rule, probability, evidence, whether the model
    accepted it and a person's decision; ``person_id``: the person, when resolved.
    """
    with ws.read() as con:
        person = None
        ids = [customer_id]
        if _exists(con, "identity_map"):
            row = con.execute(
                "SELECT person_id FROM identity_map WHERE person_id = ? OR customer_id = ? LIMIT 1",
                [customer_id, customer_id],
            ).fetchone()
            if row is not None:
                person = str(row[0])
                ids = [
                    str(r[0])
                    for r in con.execute(
                        "SELECT customer_id FROM identity_map WHERE person_id = ? ORDER BY 1",
                        [person],
                    ).fetchall()
                ]
        columns = ", ".join(f"c.{quoted_name(c)}" for c in RECORD_COLUMNS)
        # the import's sheets: a workbook of several numbers its rows on from sheet to sheet
        rows = con.execute(
            f"SELECT c.customer_id, c.origin, c.source_file, c.source_row, c.import_id, "
            f"i.sheets, {columns} "
            "FROM customers c LEFT JOIN imports i USING (import_id) "
            "WHERE list_contains(?, c.customer_id) ORDER BY c.origin NULLS LAST, 1",
            [ids],
        ).fetchall()
        links = _links(con, ids) if person is not None else []
    records = []
    for record_id, origin, file, line, import_id, sheets, *values in rows:
        # the row as the workbook shows it: its sheet and the sheet's own row number
        sheet, shown = (None, line) if line is None else sheet_row(line, json.loads(sheets or "[]"))
        records.append(
            {
                "record_id": record_id,
                "source": origin,
                "source_id": source_id(record_id, origin),
                "file": _file_name(file),
                "sheet": sheet,
                "row": shown,
                "import_id": import_id,
                **dict(zip(RECORD_COLUMNS, values, strict=True)),
            }
        )
    sources = sorted({r["source"] for r in records if r["source"]})
    return {"person_id": person, "sources": sources, "records": records, "links": links}


def _links(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[dict[str, Any]]:
    if len(ids) < 2 or not _exists(con, "identity_links"):
        return []
    decided = _exists(con, "identity_decisions")
    decision = (
        "(SELECT arg_max(d.decision, d.decided_at) FROM identity_decisions d "
        "WHERE d.a = l.a AND d.b = l.b AND d.decision IN ('confirm', 'reject'))"
        if decided
        else "CAST(NULL AS VARCHAR)"
    )
    rows = con.execute(
        f"""SELECT l.a, l.b, l.rule, l.probability, l.accepted, l.evidence, {decision}
        FROM identity_links l
        WHERE list_contains(?, l.a) AND list_contains(?, l.b)
        ORDER BY l.probability DESC NULLS LAST, l.a, l.b""",
        [ids, ids],
    ).fetchall()
    names = ("a", "b", "rule", "probability", "accepted", "evidence", "decision")
    out = [dict(zip(names, r, strict=True)) for r in rows]
    if decided:  # a confirmed pair the model never proposed is a link too
        seen = {(r["a"], r["b"]) for r in out}
        for a, b in con.execute(
            """SELECT DISTINCT a, b FROM identity_decisions
            WHERE decision = 'confirm' AND list_contains(?, a) AND list_contains(?, b)""",
            [ids, ids],
        ).fetchall():
            if (a, b) not in seen:
                out.append(dict.fromkeys(names) | {"a": a, "b": b, "decision": "confirm"})
    return out


def _file_name(path: Any) -> Any:
    """A file's name without the folders it was read from (server paths stay private)."""
    if not isinstance(path, str) or not path:
        return path
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def workspace_sources(ws: Workspace) -> list[str]:
    """Every source the workspace's records come from."""
    with ws.read() as con:
        rows = con.execute(
            "SELECT DISTINCT origin FROM customers WHERE origin IS NOT NULL ORDER BY 1"
        ).fetchall()
    return [str(r[0]) for r in rows]


class UnknownSourceError(ValueError):
    """A source no record of the workspace comes from (the message names the known ones)."""


def require_source(ws: Workspace, source: str, lang: str | None = None) -> None:
    """A clear error when no record comes from ``source``."""
    known = workspace_sources(ws)
    if source not in known:
        shown = quoted(source)  # (a name of 3,000 characters came back whole)
        if not known:  # "Known: -"
            raise UnknownSourceError(t("segments.no_sources", lang, source=shown))
        raise UnknownSourceError(
            t("segments.unknown_source", lang, source=shown, known=", ".join(known))
        )


def decision_text(link: dict[str, Any], lang: str | None = None) -> str:
    """A link's state in words: a person's decision, else the model's."""
    if link.get("decision") in ("confirm", "reject"):
        return t(f"linked.decision.{link['decision']}", lang)
    return t("linked.decision.accepted" if link.get("accepted") else "linked.decision.open", lang)


def members_from_source(ws: Workspace, source: str) -> pa.Table:
    """The ids a run may know a source's customers by: each record of the source, and
    the person each of them belongs to once identity resolution has run."""
    with ws.read() as con:
        query = "SELECT customer_id FROM customers WHERE origin = $source"
        if _exists(con, "identity_map"):
            query += (
                " UNION SELECT m.person_id FROM identity_map m JOIN customers c "
                "ON c.customer_id = m.customer_id WHERE c.origin = $source"
            )
        return con.execute(query, {"source": source}).to_arrow_table()


def counts_from_source(
    run: RunInfo, source: str, lang: str | None = None
) -> tuple[int, dict[str, dict[str, int]]]:
    """The run's members having records from ``source``, and their count per label of
    every dimension (the shape of :attr:`RunInfo.counts`); an unknown source is an error."""
    require_source(run.workspace, source, lang)
    ids = members_from_source(run.workspace, source)
    taxonomy = run.taxonomy()
    counts: dict[str, dict[str, int]] = {}
    # names of this call's own (a cursor's registrations and temp tables are its own too)
    tag = uuid.uuid4().hex[:12]
    view, table = f"kq_ids_{tag}", f"kq_members_{tag}"
    with lookup.cursor(run) as cur:
        cur.register(view, ids)
        try:
            cur.execute(
                f"CREATE TEMP TABLE {table} AS SELECT l.* FROM labels l "
                f"SEMI JOIN {view} s ON s.customer_id = l.customer_id"
            )
            found = cur.execute(f"SELECT count(*) FROM {table}").fetchone()
            total = int(found[0]) if found else 0
            for dim in taxonomy.dimensions:
                if dim.type == "exclusive":
                    column = quoted_name(dim.id)
                    rows = cur.execute(
                        f"SELECT {column}, count(*) FROM {table} "
                        f"WHERE {column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"
                    ).fetchall()
                    counts[dim.id] = {str(label): int(n) for label, n in rows}
                else:
                    tags = [quoted_name(dim.tag_column(label.id)) for label in dim.labels]
                    sums = ", ".join(f"count(*) FILTER (WHERE {c})" for c in tags) or "0"
                    row = cur.execute(f"SELECT {sums} FROM {table}").fetchone() or ()
                    counts[dim.id] = {
                        label.id: int(n)
                        for label, n in zip(dim.labels, row, strict=False)
                        if int(n or 0) > 0
                    }
            cur.execute(f"DROP TABLE {table}")
        finally:
            cur.unregister(view)
    return total, counts
