"""Segment events: who entered and who left each label between a run and the run before.

For an exclusive dimension a customer whose label went from A to B yields two events,
``left A`` and ``entered B`` (a customer new to the run only enters, one gone from it
only leaves), so ``entered dormant`` counts exactly the customers :func:`history` shows
moving into dormant from any other label or from absent. A tag dimension yields
``entered`` when a tag turns on and ``left`` when it turns off.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from kequn.automation import db
from kequn.core.compute import parquet_glob
from kequn.snapshots.runs import RunInfo
from kequn.snapshots.runs import previous_run as runs_previous
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import Taxonomy

CHANGES = ("entered", "left")
EVENT_COLUMNS = ("customer_id", "dimension", "label", "change", "from_label", "to_label")


def previous_run(run: RunInfo) -> RunInfo | None:
    """The run ``run`` is compared with (:func:`kequn.snapshots.runs.previous_run`: the
    latest run with an earlier as-of date), as ``kequn history`` compares."""
    return runs_previous(run)


def redefined(before: RunInfo, taxonomy: Taxonomy, run: RunInfo | None = None) -> set[str]:
    """The dimensions of ``taxonomy`` whose rules differ from those ``before`` was
    classified by (:func:`kequn.taxonomy.changes.changed_dimensions`), or, given ``run``,
    whose rules read a setting of kequn.toml (the home city...) that changed between the
    two runs (:func:`kequn.taxonomy.changes.settings_changed`): their movements between
    the two runs are partly the rules' or the settings' doing. A run whose taxonomy
    cannot be read counts all of them changed."""
    from kequn.taxonomy.changes import changed_dimensions, settings_changed
    from kequn.taxonomy.model import TaxonomyError

    by_settings = settings_changed(taxonomy, before.params, run.params) if run else set()
    try:
        if before.taxonomy_path.read_text(encoding="utf-8") == taxonomy.source_text:
            return by_settings  # the same file: nothing to parse (most runs)
        return changed_dimensions(before.taxonomy(), taxonomy) | by_settings
    except (OSError, UnicodeDecodeError, TaxonomyError):
        return {dim.id for dim in taxonomy.dimensions}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def compute_events(
    con: duckdb.DuckDBPyConnection, run: RunInfo, before: RunInfo, taxonomy: Taxonomy
) -> pa.Table:
    """Every enter/exit event of ``run`` against ``before``, as an Arrow table, computed by
    ``con`` (an in-memory DuckDB) from the two runs' label files: one full join of the
    two runs on the customer id, keeping the customers with any label changed, then one
    pass per label column. In no particular order (readers sort).

    At 1M customers with 916k events (a benchmark's day): 2.4 s before the customers
    without a change were left out of the join and the sort was dropped, 1.6 s after."""
    return con.execute(_events_query(con, run, before, taxonomy)).to_arrow_table()


def stage_events(
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    before: RunInfo | None,
    taxonomy: Taxonomy,
    path: Path,
) -> int:
    """:func:`compute_events` written by ``con`` to the Parquet file ``path`` in the
    columns the run's events are kept in (:data:`kequn.automation.db.EVENT_TABLE_COLUMNS`:
    the run, the one before, the as-of date, then the events'; none without ``before``),
    and how many there are. The journeys read them from there and :func:`keep_events`
    keeps the file as it is: DuckDB writes it on both cores, where fetching Arrow and
    inserting it took one (at 1M customers and 914k events: fetching 0.5 s and inserting
    1.2 s, against writing 0.25 s)."""
    query = _NO_EVENTS if before is None else _events_query(con, run, before, taxonomy)
    # our own run ids, date and scratch file (COPY takes no parameters)
    previous = "NULL::VARCHAR" if before is None else f"'{_lit(before.run_id)}'"
    kept = (
        f"SELECT '{_lit(run.run_id)}' AS run_id, {previous} AS previous_run_id, "
        f"DATE '{run.as_of_date.isoformat()}' AS as_of, {', '.join(EVENT_COLUMNS)} "
        f"FROM ({query})"
    )
    target = "'" + _lit(str(path)) + "'"
    found = con.execute(f"COPY ({kept}) TO {target} (FORMAT parquet)").fetchone()
    return int(found[0]) if found else 0


def keep_events(ws: Workspace, run: RunInfo, staged: Path) -> Path:
    """Keep the file :func:`stage_events` wrote as ``run``'s events
    (:func:`kequn.automation.db.event_file`), whole and on disk
    (:func:`kequn.automation.db.replace_file`), replacing any kept before (a run processed
    again after a crash); the caller holds the automation database's lock."""
    target = db.event_file(ws, run.run_id)
    db.replace_file(staged, target)
    return target


#: the events' columns with no rows (a first run, or no label column in common)
_NO_EVENTS = "SELECT " + ", ".join(f"NULL::VARCHAR AS {c}" for c in EVENT_COLUMNS) + " LIMIT 0"


def _events_query(
    con: duckdb.DuckDBPyConnection, run: RunInfo, before: RunInfo, taxonomy: Taxonomy
) -> str:
    """The events' query: the customers with a change (``pair``), then each label
    column's entries and exits among them. It reads the views ``prev`` and ``cur`` it
    creates on ``con``."""
    cur, prev = parquet_glob(run.labels_path), parquet_glob(before.labels_path)
    con.execute(f"CREATE OR REPLACE TEMP VIEW prev AS SELECT * FROM read_parquet('{_lit(prev)}')")
    con.execute(f"CREATE OR REPLACE TEMP VIEW cur AS SELECT * FROM read_parquet('{_lit(cur)}')")
    cur_cols = {r[0] for r in con.execute("DESCRIBE cur").fetchall()}
    prev_cols = {r[0] for r in con.execute("DESCRIBE prev").fetchall()}
    # (dimension, label or None for an exclusive dimension, column)
    columns: list[tuple[str, str | None, str]] = []
    for dim in taxonomy.dimensions:
        if dim.type == "exclusive":
            columns.append((dim.id, None, dim.id))
        else:
            columns += [(dim.id, label.id, dim.tag_column(label.id)) for label in dim.labels]
    columns = [c for c in columns if c[2] in cur_cols and c[2] in prev_cols]
    if not columns:
        return _NO_EVENTS
    picked = ", ".join(
        f"a.{_q(col)} AS {_q('p' + str(i))}, b.{_q(col)} AS {_q('c' + str(i))}"
        for i, (_, _, col) in enumerate(columns)
    )
    # only the customers with a change: on a day's run most have none, and the pair of
    # ~40 label columns a side is what took the memory
    changed = " OR ".join(f"a.{_q(col)} IS DISTINCT FROM b.{_q(col)}" for _, _, col in columns)
    # held once for every part below, as a materialised CTE: a temp table took 0.1 s
    # more of a daily run at 1M (87k customers changed), compressing what is read once
    pair = (
        "WITH pair AS MATERIALIZED (SELECT "
        f"coalesce(a.customer_id, b.customer_id) AS customer_id, {picked} "
        f"FROM prev a FULL JOIN cur b ON a.customer_id = b.customer_id WHERE {changed}) "
    )
    parts: list[str] = []
    for i, (dim_id, label_id, _) in enumerate(columns):
        p, c = _q(f"p{i}"), _q(f"c{i}")
        d = f"'{_lit(dim_id)}'"
        if label_id is None:
            moved = f"FROM pair WHERE {p} IS DISTINCT FROM {c}"
            parts.append(
                f"SELECT customer_id, {d} AS dimension, {c} AS label, 'entered' AS change, "
                f"{p} AS from_label, {c} AS to_label {moved} AND {c} IS NOT NULL"
            )
            parts.append(
                f"SELECT customer_id, {d} AS dimension, {p} AS label, 'left' AS change, "
                f"{p} AS from_label, {c} AS to_label {moved} AND {p} IS NOT NULL"
            )
        else:
            lab = f"'{_lit(label_id)}'"
            parts.append(
                f"SELECT customer_id, {d} AS dimension, {lab} AS label, "
                f"CASE WHEN coalesce({c}, false) THEN 'entered' ELSE 'left' END AS change, "
                f"CASE WHEN coalesce({p}, false) THEN {lab} END AS from_label, "
                f"CASE WHEN coalesce({c}, false) THEN {lab} END AS to_label "
                f"FROM pair WHERE coalesce({p}, false) != coalesce({c}, false)"
            )
    # no ORDER BY (a tenth of the time at 1M): every reader sorts, and the parts come out
    # grouped by dimension and label all the same
    return pair + " UNION ALL ".join(parts)


def _lit(text: str) -> str:
    return text.replace("'", "''")


def query_events(
    ws: Workspace,
    *,
    dimension: str | None = None,
    entered: str | None = None,
    left: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    run_id: str | None = None,
    customer_id: str | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """Stored events matching every filter given: their counts per (run, dimension,
    label, change) and the first ``limit`` of them. ``since``/``until`` bound the runs'
    as-of dates (inclusive)."""
    where: list[str] = ["true"]
    params: list[Any] = []
    for column, value in (("dimension", dimension), ("customer_id", customer_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if entered is not None:
        where.append("change = 'entered' AND label = ?")
        params.append(entered)
    if left is not None:
        where.append("change = 'left' AND label = ?")
        params.append(left)
    if since is not None:
        where.append("as_of >= ?")
        params.append(since)
    if until is not None:
        where.append("as_of <= ?")
        params.append(until)
    if run_id is not None:
        where.append("(run_id = ? OR starts_with(run_id, ?))")
        params += [run_id, run_id]
    clause = " AND ".join(where)
    if not db.exists(ws):
        return {"counts": [], "events": [], "total": 0}
    with db.connect(ws) as con:
        events = db.with_events(con, ws, run_id, prefix=True)
        counts = con.execute(
            "SELECT run_id, previous_run_id, as_of, dimension, label, change, count(*) "
            f"FROM {events} WHERE {clause} GROUP BY ALL ORDER BY as_of, run_id, "
            "dimension, label, change",
            params,
        ).fetchall()
        rows = con.execute(
            "SELECT run_id, as_of, customer_id, dimension, label, change, from_label, to_label "
            f"FROM {events} WHERE {clause} "
            "ORDER BY as_of, run_id, dimension, label, change, customer_id LIMIT ?",
            [*params, limit],
        ).fetchall()
    keys = ("run_id", "as_of", "customer_id", "dimension", "label", "change", "from", "to")
    return {
        "counts": [
            {
                "run_id": r[0],
                "previous_run_id": r[1],
                "as_of": r[2].isoformat(),
                "dimension": r[3],
                "label": r[4],
                "change": r[5],
                "customers": int(r[6]),
            }
            for r in counts
        ],
        "total": sum(int(r[6]) for r in counts),
        "events": [
            {
                k: (v.isoformat() if isinstance(v, dt.date) else v)
                for k, v in zip(keys, r, strict=True)
            }
            for r in rows
        ],
    }
