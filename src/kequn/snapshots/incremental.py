"""How a run's SQLite lookup file is written: whole, or from the previous run's file by
rewriting only the customers whose stored rows differ (the reasoning is in
:mod:`kequn.snapshots.lookup`, which builds the files and calls these).

Every function gets an open DuckDB connection with the run's labels (:data:`LABELS_VIEW`) and the
published workspace attached as ``src``; the SQL is ours (table names from
:data:`PACKED`, values bound as parameters).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import duckdb

from kequn.snapshots.packed import digest_sql, layout, pack, to_sqlite

#: a table with more than this share of its customers changed is written again whole
REWRITE_SHARE = 0.5
#: customer ids moved from DuckDB to SQLite per batch
BATCH_IDS = 50_000

Layout = list[tuple[str, str]]
#: the run's labels, a temporary view the caller made (see lookup._copy)
LABELS_VIEW = "run_labels"
#: the segments' first members, a temporary table the caller made (see lookup._top_members)
TOP = "top_members"

#: the packed tables: name, source query (of ours), whether it reads the rows up to
#: ``$until``, and the newest-first order of a timeline (None: one row per customer)
PACKED: tuple[tuple[str, str, bool, str | None], ...] = (
    ("labels", f"SELECT * FROM {LABELS_VIEW}", False, None),
    # one profile per customer (either, should an import have left two)
    (
        "customers",
        "SELECT * FROM src.customers QUALIFY row_number() OVER (PARTITION BY customer_id) = 1",
        False,
        None,
    ),
    (
        "orders",
        (
            "SELECT customer_id, order_id, ordered_at, amount, quantity, discount, channel, "
            "status FROM src.orders WHERE ordered_at < $until"
        ),
        True,
        # every column: rows that tie on time and id (imported twice) in one order
        (
            "ordered_at DESC, order_id DESC, amount DESC, quantity DESC, discount DESC, "
            "channel DESC, status DESC"
        ),
    ),
    (
        "events",
        "SELECT customer_id, occurred_at, type, channel FROM src.events WHERE occurred_at < $until",
        True,
        "occurred_at DESC, type DESC, channel DESC",
    ),
)


def digest(con: duckdb.DuckDBPyConnection, until: dt.date, digests: Path) -> dict[str, Layout]:
    """Write the digests of every packed table's customers (``_digests``, and the Parquet
    file ``digests`` for the next build); return each table's stored columns."""
    con.execute(
        "CREATE TEMP TABLE _digests (tbl VARCHAR, customer_id VARCHAR, n BIGINT, h HUGEINT)"
    )
    layouts: dict[str, Layout] = {}
    for table, source, dated, newest in PACKED:
        params = {"until": until} if dated else {}
        layouts[table], stored = layout(con, source, params, newest)
        con.execute(
            f"INSERT INTO _digests SELECT '{table}', * FROM ({digest_sql(source, stored)})", params
        )
    # the segments' first members (a temporary table of the caller's), as one digest
    layouts[TOP], stored = layout(con, f"SELECT * FROM {TOP}")
    con.execute(
        f"INSERT INTO _digests SELECT '{TOP}', '', count(*), "
        f"sum(hash(CAST(json_array({stored}) AS VARCHAR)))::HUGEINT FROM {TOP}"
    )
    # our own path (COPY takes no parameters)
    con.execute("COPY _digests TO '" + str(digests).replace("'", "''") + "' (FORMAT PARQUET)")
    return layouts


def bring_up_to_date(
    con: duckdb.DuckDBPyConnection,
    sq: sqlite3.Connection,
    until: dt.date,
    layouts: dict[str, Layout],
    previous: Path | None,
) -> dict[str, Any]:
    """Write every packed table and the segments' first members into ``sq``: an empty
    file, or a copy of the file whose digests are at ``previous``. Return, per table,
    "whole" or the customers written again."""
    how: dict[str, Any] = {}
    kept: dict[str, Layout] = {}
    if previous is not None:
        con.execute("CREATE TEMP TABLE _old AS SELECT * FROM read_parquet(?)", [str(previous)])
        kept = _layouts(sq)
    for table, source, dated, newest in PACKED:
        params = {"until": until} if dated else {}
        changed = _changed(con, table) if kept.get(table) == layouts[table] else None
        if changed is not None and changed <= REWRITE_SHARE * max(1, _count(con, table)):
            _update(con, sq, table, source, params, newest)
            how[table] = changed
        else:
            drop(sq, table)
            pack(con, sq, table, source, params, newest=newest)
            how[table] = "whole"
    if kept.get(TOP) == layouts[TOP] and _changed(con, TOP) == 0:
        how[TOP] = 0  # the same members in the same order: kept as they are
    else:
        drop(sq, TOP)
        top = con.sql(f"SELECT * FROM {TOP} ORDER BY dimension, label, rank")
        to_sqlite(sq, TOP, top, key=("dimension", "label", "rank"))
        how[TOP] = "whole"
    return how


def _layouts(sq: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """Each table's columns and types as an earlier build recorded them."""
    found: dict[str, list[tuple[str, str]]] = {}
    for table, name, kind in sq.execute("SELECT tbl, name, type FROM _columns ORDER BY tbl, pos"):
        found.setdefault(table, []).append((name, kind))
    return found


def _changed(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Put into ``_changed`` the customers of ``table`` whose digest differs from the
    previous build's, or who are new or gone; return how many."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _changed AS "
        "SELECT customer_id FROM (SELECT customer_id, n, h FROM _digests WHERE tbl = $t "
        "EXCEPT SELECT customer_id, n, h FROM _old WHERE tbl = $t) "
        "UNION SELECT customer_id FROM (SELECT customer_id FROM _old WHERE tbl = $t "
        "EXCEPT SELECT customer_id FROM _digests WHERE tbl = $t)",
        {"t": table},
    )
    row = con.execute("SELECT count(*) FROM _changed").fetchone()
    return int(row[0]) if row else 0


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute("SELECT count(*) FROM _digests WHERE tbl = ?", [table]).fetchone()
    return int(row[0]) if row else 0


def _update(
    con: duckdb.DuckDBPyConnection,
    sq: sqlite3.Connection,
    table: str,
    source: str,
    params: dict[str, Any],
    newest: str | None,
) -> None:
    """Replace the rows of the customers in ``_changed`` (deleted; packed again if they
    still have any)."""
    sq.execute("CREATE TEMP TABLE IF NOT EXISTS _changed (customer_id TEXT PRIMARY KEY)")
    sq.execute("DELETE FROM _changed")
    ids = con.execute("SELECT customer_id FROM _changed").to_arrow_reader(BATCH_IDS)
    for batch in ids:
        rows = [(i,) for i in batch.column(0).to_pylist()]
        sq.executemany("INSERT INTO _changed VALUES (?)", rows)
    sq.execute(f"DELETE FROM {table} WHERE customer_id IN (SELECT customer_id FROM _changed)")
    only = f"SELECT * FROM ({source}) WHERE customer_id IN (SELECT customer_id FROM _changed)"
    pack(con, sq, table, only, params, newest=newest, append=True)


def drop(sq: sqlite3.Connection, table: str) -> None:
    """Remove a table an earlier build wrote (and its recorded columns), if any."""
    sq.execute(f"DROP TABLE IF EXISTS {table}")
    sq.execute("CREATE TABLE IF NOT EXISTS _columns (tbl TEXT, pos INTEGER, name TEXT, type TEXT)")
    sq.execute("DELETE FROM _columns WHERE tbl = ?", [table])
