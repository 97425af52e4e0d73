"""A run's data laid out for fast lookups by the server: ``runs/<id>/index.duckdb``.

A run keeps its labels as Parquet (written by either engine). Answering "this customer"
or "page 3 of this segment" from Parquet, or a customer's orders from the workspace's
tables, means scanning millions of rows per request. Instead the first reader of a run
copies into one DuckDB file, each sorted by customer id and stored in small row groups
(so a lookup by id reads one group of 8k rows, found by DuckDB's min/max zone maps):

- ``labels``: every feature and label of the run;
- ``customers``, ``orders``, ``events``: the workspace's rows as of the run's date, for
  the customer page's profile and timeline (consistent with the labels they explain).

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

INDEX_NAME = "index.duckdb"

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
    con.execute("DETACH src")
    con.execute("CHECKPOINT idx")
    con.execute("DETACH idx")


@contextlib.contextmanager
def cursor(run: RunInfo) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the run's index (built on first use), shared per process."""
    path = build_index(run)
    with _guard:
        con = _open.get(path)
        if con is None:
            con = duckdb.connect(str(path), read_only=True)
            _open[path] = con
        cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()


def close_all() -> None:
    with _guard:
        for con in _open.values():
            con.close()
        _open.clear()
