"""A run's data laid out for fast lookups by the server: ``runs/<id>/index.duckdb``.

A run keeps its labels as Parquet (written by either engine). Answering "this customer"
or "page 3 of this segment" from Parquet, or a customer's orders from the workspace's
tables, means scanning millions of rows per request. Instead the first reader of a run
copies into one DuckDB file, each sorted by customer id and stored in small row groups
(so a lookup by id reads one group of 8k rows, found by DuckDB's min/max zone maps):

- ``labels``: every feature and label of the run;
- ``customers``, ``orders``, ``events``: the workspace's rows as of the run's date, for
  the customer page's profile and timeline (consistent with the labels they explain);
- ``top_members``: the first :data:`TOP_MEMBERS` members of every segment in the default
  order (spend, highest first), so the pages people open most need no sort of a million
  rows; other orders and filters query ``labels``.

The file is built under a lock, written to a temporary name and renamed into place, so
concurrent readers either find the finished file or wait for it; runs are immutable, so
it never goes stale. Connections are opened once per process and shared through cursors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb

from kequn.engines.base import parquet_glob
from kequn.store.runs import RunInfo
from kequn.store.workspace import Workspace

INDEX_NAME = "lookup.duckdb"
#: rows of each segment kept ready in the default order (spend, highest first): 20 pages
TOP_MEMBERS = 1000

_open: dict[Path, duckdb.DuckDBPyConnection] = {}
_guard = threading.Lock()


def index_path(run: RunInfo) -> Path:
    return run.labels_path.parent / INDEX_NAME


ROW_GROUP_SIZE = 8192


def build_index(run: RunInfo) -> Path:
    """Create the run's index file if it does not exist yet; return its path."""
    from kequn.store.workspace import Workspace

    path = index_path(run)
    if path.exists():
        return path
    lock = path.with_suffix(".lock")
    with lock.open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        if path.exists():
            return path
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        ws = Workspace.open(run.labels_path.parent.parent.parent)
        # the day after the run's date, as a bound: rows up to the end of the as-of day
        until = dt.date.fromisoformat(run.as_of) + dt.timedelta(days=1)
        with ws.read() as published:
            # hold the published generation (and its reader lock) while copying from it
            row = published.execute(
                "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
            ).fetchone()
            assert row is not None
            con = duckdb.connect()
            try:
                con.execute("SET enable_progress_bar = false")
                # our own paths, not user text (ATTACH takes no parameters)
                con.execute(f"ATTACH {_quoted(partial)} AS idx (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
                con.execute(f"ATTACH {_quoted(row[0])} AS src (READ_ONLY)")
                _copy(con, run, until)
            finally:
                con.close()
        partial.rename(path)
    return path


def _quoted(path: object) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _copy(con: duckdb.DuckDBPyConnection, run: RunInfo, until: dt.date) -> None:
    con.execute(
        "CREATE TABLE idx.labels AS SELECT * FROM read_parquet(?) ORDER BY customer_id",
        [parquet_glob(run.labels_path)],
    )
    con.execute("CREATE TABLE idx.customers AS SELECT * FROM src.customers ORDER BY customer_id")
    con.execute(
        "CREATE TABLE idx.orders AS SELECT * FROM src.orders WHERE ordered_at < ? "
        "ORDER BY customer_id, ordered_at",
        [until],
    )
    con.execute(
        "CREATE TABLE idx.events AS SELECT * FROM src.events WHERE occurred_at < ? "
        "ORDER BY customer_id, occurred_at",
        [until],
    )
    con.execute("CREATE UNIQUE INDEX labels_customer ON idx.labels (customer_id)")
    _top_members(con, run)
    con.execute("DETACH src")
    con.execute("CHECKPOINT idx")
    con.execute("DETACH idx")


def _top_members(con: duckdb.DuckDBPyConnection, run: RunInfo) -> None:
    from kequn.browse import MEMBER_COLUMNS
    from kequn.taxonomy.model import load_taxonomy

    taxonomy = load_taxonomy(run.taxonomy_path)
    exclusive = [d.id for d in taxonomy.dimensions if d.type == "exclusive"]
    # ids are checked against ^[a-z][a-z0-9_]*$ when the taxonomy loads; quoted anyway
    shown = ", ".join(f'"{c}"' for c in (*MEMBER_COLUMNS, *exclusive))
    order = "ORDER BY spend DESC NULLS LAST, customer_id"
    parts = []
    for dim in taxonomy.dimensions:
        if dim.type == "exclusive":
            parts.append(
                f"SELECT '{dim.id}' AS dimension, \"{dim.id}\" AS label, "
                f'row_number() OVER (PARTITION BY "{dim.id}" {order}) AS rank, {shown} '
                f"FROM idx.labels QUALIFY rank <= {TOP_MEMBERS}"
            )
        else:
            for label in dim.labels:
                column = dim.tag_column(label.id)
                parts.append(
                    f"SELECT '{dim.id}' AS dimension, '{label.id}' AS label, "
                    f"row_number() OVER ({order}) AS rank, {shown} "
                    f'FROM idx.labels WHERE "{column}" QUALIFY rank <= {TOP_MEMBERS}'
                )
    con.execute(
        "CREATE TABLE idx.top_members AS "
        + " UNION ALL ".join(parts)
        + " ORDER BY dimension, label, rank"
    )


@contextlib.contextmanager
def cursor(run: RunInfo) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the run's index (built on first use), shared per process."""
    path = build_index(run)
    with _guard:
        con = _open.get(path)
        if con is None:
            # point lookups gain nothing from parallel scans; one thread per query keeps
            # concurrent requests from competing for the same cores
            # point lookups gain nothing from parallel scans; one thread per query keeps
            # concurrent requests from oversubscribing the cores
            con = duckdb.connect(str(path), read_only=True, config={"threads": 1})
            _open[path] = con
        cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()


_building: set[Path] = set()


def ready_run(ws: Workspace, run_id: str | None = None) -> RunInfo | None:
    """The run to show: the one asked for, else the newest whose lookup file is ready.

    A run just finished elsewhere (the CLI, another server process) has no lookup file
    yet, and building one takes about a minute at a million customers. Rather than make
    every page wait, its lookup is built in a background thread and the previous run is
    shown until it is ready. With no ready run at all, the newest is built right away.
    """
    from kequn.store.runs import get_run, list_runs

    if run_id is not None:
        return get_run(ws, run_id)
    runs = list_runs(ws)
    if not runs:
        return None
    newest = runs[0]
    if index_path(newest).exists():
        return newest
    ready = next((r for r in runs[1:] if index_path(r).exists()), None)
    if ready is None:
        build_index(newest)
        return newest
    with _guard:
        start = newest.labels_path not in _building
        _building.add(newest.labels_path)
    if start:
        threading.Thread(
            target=build_index, args=(newest,), name="kequn-lookup", daemon=True
        ).start()
    return ready


def close_all() -> None:
    with _guard:
        for con in _open.values():
            con.close()
        _open.clear()
