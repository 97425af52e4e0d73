"""A run's data laid out for fast lookups by the server, built once per run.

A run keeps its labels as Parquet (written by either engine). Answering "this customer"
or "page 3 of this segment" from Parquet, or a customer's orders from the workspace's
tables, means scanning millions of rows per request. Instead the first reader of a run
builds two files next to it:

- ``lookup.duckdb`` (columnar, for questions over many rows): ``labels``, every feature
  and label of the run sorted by customer id, for segment pages in any order or filter,
  the RFM grid and rule previews;
- ``lookup.sqlite`` (row store with B-tree keys, for questions about one key):
  ``labels`` and ``customers`` by customer id, the customer's ``orders`` and ``events``
  as of the run's date (consistent with the labels they explain), and ``top_members``,
  the first :data:`TOP_MEMBERS` members of every segment in the default order (spend,
  highest first), so the pages people open most need no sort of a million rows.

Why two engines: a point lookup in DuckDB decompresses a whole vector of every column
it returns, ~2.5 ms for one customer's 100-column labels row at 1M customers and ~11 ms
for a customer page's four lookups; SQLite answers each from its B-tree in 0.02-0.15 ms.
SQLite (the standard library's ``sqlite3``) stores values as given, so each column's
DuckDB type is kept in ``_columns`` and values are turned back into the same Python
types DuckDB returns (dates, timestamps, decimals, booleans, maps).

Both files are built under a lock, written to temporary names and renamed into place
(the DuckDB file last: its presence means the run is ready), so concurrent readers
either find finished files or wait for them; runs are immutable, so they never go stale.
DuckDB connections are opened once per process and shared through cursors; SQLite
connections are opened read-only, once per thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import fcntl
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from kequn.engines.base import parquet_glob
from kequn.store.runs import RunInfo
from kequn.store.workspace import Workspace

INDEX_NAME = "lookup.duckdb"
POINTS_NAME = "lookup.sqlite"
#: rows of each segment kept ready in the default order (spend, highest first): 20 pages
TOP_MEMBERS = 1000
ROW_GROUP_SIZE = 8192
#: rows per batch copied from DuckDB into SQLite
BATCH = 20_000

_open: dict[Path, duckdb.DuckDBPyConnection] = {}
_guard = threading.Lock()
_local = threading.local()


def index_path(run: RunInfo) -> Path:
    return run.labels_path.parent / INDEX_NAME


def points_path(run: RunInfo) -> Path:
    return run.labels_path.parent / POINTS_NAME


_ready: set[Path] = set()


def is_ready(run: RunInfo) -> bool:
    """Whether the run's lookup files are built (once they are, they stay: runs are
    immutable), asked a few times per page, so remembered instead of stat'ed again."""
    path = index_path(run)
    if path in _ready:
        return True
    if path.exists() and points_path(run).exists():
        _ready.add(path)
        return True
    return False


def build_index(run: RunInfo) -> Path:
    """Create the run's lookup files if they do not exist yet; return the DuckDB one."""
    from kequn.store.workspace import Workspace

    path = index_path(run)
    if is_ready(run):
        return path
    lock = path.with_suffix(".lock")
    with lock.open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        if is_ready(run):
            return path
        partial = path.with_suffix(".partial")
        partial_points = points_path(run).with_suffix(".partial-sqlite")
        for stale in (partial, partial_points):
            stale.unlink(missing_ok=True)
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
                # within the workspace's memory budget, like a run (sorts spill to .tmp)
                ws.tmp_dir.mkdir(exist_ok=True)
                con.execute("SET temp_directory = ?", [str(ws.tmp_dir)])
                con.execute("SET memory_limit = ?", [ws.settings.memory_limit])
                # our own paths, not user text (ATTACH takes no parameters)
                con.execute(f"ATTACH {_quoted(partial)} AS idx (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
                con.execute(f"ATTACH {_quoted(row[0])} AS src (READ_ONLY)")
                _copy(con, run, until, partial_points)
            finally:
                con.close()
        partial_points.rename(points_path(run))
        partial.rename(path)
    return path


def _quoted(path: object) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _copy(con: duckdb.DuckDBPyConnection, run: RunInfo, until: dt.date, points: Path) -> None:
    con.execute(
        "CREATE TABLE idx.labels AS SELECT * FROM read_parquet(?) ORDER BY customer_id",
        [parquet_glob(run.labels_path)],
    )
    _top_members(con, run)
    sq = sqlite3.connect(points)
    try:
        # a scratch file written once, renamed into place when complete: no journal
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -131072"):
            sq.execute(f"PRAGMA {pragma}")
        sq.execute("CREATE TABLE _columns (tbl TEXT, pos INTEGER, name TEXT, type TEXT)")
        _to_sqlite(sq, "labels", con.sql("SELECT * FROM idx.labels"))
        sq.execute("CREATE UNIQUE INDEX labels_customer ON labels (customer_id)")
        customers = con.sql("SELECT * FROM src.customers ORDER BY customer_id")
        _to_sqlite(sq, "customers", customers)
        sq.execute("CREATE INDEX customers_customer ON customers (customer_id)")
        # a customer's rows are contiguous and in time order; the key (customer_id, n),
        # n the row's place in that order, clusters them without a separate index
        orders = con.sql(
            "SELECT customer_id, order_id, ordered_at, amount, quantity, discount, channel, "
            "status FROM src.orders WHERE ordered_at < $until "
            "ORDER BY customer_id, ordered_at, order_id",
            params={"until": until},
        )
        _to_sqlite(sq, "orders", orders, key=("customer_id", "n"))
        events = con.sql(
            "SELECT customer_id, occurred_at, type, channel FROM src.events "
            "WHERE occurred_at < $until ORDER BY customer_id, occurred_at",
            params={"until": until},
        )
        _to_sqlite(sq, "events", events, key=("customer_id", "n"))
        top = con.sql("SELECT * FROM top_members ORDER BY dimension, label, rank")
        _to_sqlite(sq, "top_members", top, key=("dimension", "label", "rank"))
        sq.commit()
    finally:
        sq.close()
    con.execute("DETACH src")
    con.execute("CHECKPOINT idx")
    con.execute("DETACH idx")


def _stored(name: str, kind: str) -> str:
    """How a column of DuckDB type ``kind`` is written to SQLite (see :func:`_decoder`)."""
    column = '"' + name.replace('"', '""') + '"'
    if kind == "TIMESTAMP":
        return f"epoch_us({column})"
    if _nested(kind):
        return f"CAST(to_json({column}) AS VARCHAR)"
    if kind in _NATIVE:
        return column
    return f"CAST({column} AS VARCHAR)"  # dates, decimals, 128-bit and other types


_NATIVE = frozenset(
    {"BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT"}
    | {"UINTEGER", "FLOAT", "DOUBLE", "VARCHAR", "BLOB"}
)
_EPOCH = dt.datetime(1970, 1, 1)
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "TIMESTAMP": lambda us: _EPOCH + dt.timedelta(microseconds=us),
    "DATE": dt.date.fromisoformat,
    "BOOLEAN": bool,
    "HUGEINT": int,
    "UBIGINT": int,
}


def _nested(kind: str) -> bool:
    return kind.startswith(("MAP", "STRUCT")) or kind.endswith("]")


def _decoder(kind: str) -> Callable[[Any], Any] | None:
    """The inverse of :func:`_stored`: back to the Python value DuckDB would return
    (other types come back as their text)."""
    if kind.startswith("DECIMAL"):
        return decimal.Decimal
    if _nested(kind):
        return json.loads
    return _DECODERS.get(kind)


def _to_sqlite(
    sq: sqlite3.Connection,
    table: str,
    rel: duckdb.DuckDBPyRelation,
    key: tuple[str, ...] | None = None,
) -> None:
    """Copy a relation into a new SQLite table, recording its columns' DuckDB types.

    With ``key`` the table is clustered on it (``WITHOUT ROWID``); a key column ``n``
    not in the relation is the row's place in the relation's order."""
    names, kinds = list(rel.columns), [str(t) for t in rel.types]
    numbered = key is not None and "n" in key and "n" not in names
    sq.executemany(
        "INSERT INTO _columns VALUES (?, ?, ?, ?)",
        [(table, i, n, k) for i, (n, k) in enumerate(zip(names, kinds, strict=True))],
    )
    stored = [*(["n"] if numbered else []), *names]
    columns = ", ".join('"' + n.replace('"', '""') + '"' for n in stored)
    clustered = f", PRIMARY KEY ({', '.join(key)})) WITHOUT ROWID" if key else ")"
    sq.execute(f"CREATE TABLE {table} ({columns}{clustered}")
    insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(stored))})"
    reader = rel.project(", ".join(_stored(n, k) for n, k in zip(names, kinds, strict=True)))
    done = 0
    for batch in reader.to_arrow_reader(BATCH):
        values = [column.to_pylist() for column in batch.columns]
        if numbered:
            values.insert(0, range(done, done + batch.num_rows))
        sq.executemany(insert, zip(*values, strict=True))
        done += batch.num_rows


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
    con.execute("CREATE TEMP TABLE top_members AS " + " UNION ALL ".join(parts))


@contextlib.contextmanager
def cursor(run: RunInfo) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the run's DuckDB lookup file (built on first use), shared per process."""
    path = build_index(run)
    with _guard:
        con = _open.get(path)
        if con is None:
            # lookups gain little from parallel scans; one thread per query keeps
            # concurrent requests from oversubscribing the cores
            con = duckdb.connect(str(path), read_only=True, config={"threads": 1})
            _open[path] = con
        cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()


class Points:
    """Read-only point lookups in a run's SQLite file, values decoded to DuckDB's types."""

    def __init__(self, path: Path) -> None:
        # immutable: the file never changes once renamed into place, so no locking
        self.con = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        self.decoders: dict[str, dict[str, Callable[[Any], Any] | None]] = {}
        for table, name, kind in self.con.execute(
            "SELECT tbl, name, type FROM _columns ORDER BY tbl, pos"
        ):
            self.decoders.setdefault(table, {})[name] = _decoder(kind)

    def query(
        self, table: str, sql: str, params: Sequence[Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and decoded rows of ``sql``, a query of ``table``'s columns."""
        result = self.con.execute(sql, params)
        names = [d[0] for d in result.description]
        known = self.decoders[table]
        decoders = [known.get(n) for n in names]
        rows = [
            tuple(v if f is None or v is None else f(v) for f, v in zip(decoders, row, strict=True))
            for row in result.fetchall()
        ]
        return names, rows


#: readers kept open per thread, the most recently used runs' (each holds a file open)
READERS_PER_THREAD = 4


def points(run: RunInfo) -> Points:
    """This thread's reader of the run's SQLite lookup file (built on first use)."""
    path = points_path(run)
    readers: dict[Path, Points] = _local.__dict__.setdefault("readers", {})
    found = readers.pop(path, None)
    if found is None:
        build_index(run)
        found = Points(path)
        while len(readers) >= READERS_PER_THREAD:
            readers.pop(next(iter(readers))).con.close()  # the least recently used
    readers[path] = found  # (re)inserted last: dicts keep insertion order
    return found


_building: set[Path] = set()


def ready_run(ws: Workspace, run_id: str | None = None, *, wait: bool = True) -> RunInfo | None:
    """The run to show: the one asked for, else the newest whose lookup files are ready.

    A run just finished elsewhere (the CLI, another server process) has no lookup files
    yet, and building them takes minutes at a million customers. Rather than make every
    page wait, they are built in a background thread and the previous run is shown until
    they are ready. With no ready run at all, the newest is built right away, or, with
    ``wait=False`` (a caller on the event loop), None is returned instead.
    """
    from kequn.store.runs import get_run, list_runs

    if run_id is not None:
        return get_run(ws, run_id)
    runs = list_runs(ws)
    if not runs:
        return None
    newest = runs[0]
    if is_ready(newest):
        return newest
    ready = next((r for r in runs[1:] if is_ready(r)), None)
    if ready is None:
        if not wait:
            return None
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
