"""A run's labels as an indexed DuckDB table, for fast lookups by the server.

A run keeps its labels as Parquet (written by either engine). Answering "this customer"
or "page 3 of this segment" from Parquet means scanning a million rows per request;
instead the first reader of a run copies the labels, sorted by customer id, into
``runs/<id>/index.duckdb`` with an index on ``customer_id``, and every later lookup is
an index probe. The file is built under a lock, written to a temporary name and renamed
into place, so concurrent readers either find the finished file or wait for it; runs are
immutable, so it never goes stale.
"""

from __future__ import annotations

import contextlib
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


def build_index(run: RunInfo) -> Path:
    """Create the run's index file if it does not exist yet; return its path."""
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
        con = duckdb.connect(str(partial))
        try:
            con.execute(
                "CREATE TABLE labels AS SELECT * FROM read_parquet(?) ORDER BY customer_id",
                [parquet_glob(run.labels_path)],
            )
            con.execute("CREATE UNIQUE INDEX labels_customer ON labels (customer_id)")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        partial.rename(path)
    return path


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
