"""How a run's SQLite lookup file stores rows, and reads them back as DuckDB would.

:func:`pack` writes one row per customer id, its values packed as one JSON array (or,
for a timeline such as orders, a JSON array of up to :data:`TIMELINE` such rows, newest
first); :func:`to_sqlite` copies a relation column for column; each column's DuckDB
type is kept in ``_columns``, and :class:`Points` turns values back into the Python types
DuckDB returns (dates, timestamps, decimals, booleans, maps). What goes into the file,
and when it is built: :mod:`kequn.snapshots.lookup`.

Why packed: DuckDB writes the JSON in its own threads, and Python moves one text per
customer (labels, profile) or per order and interaction instead of one value per column
(a million customers' labels: 1M values instead of ~170M). At 1M customers with 10M
orders the build took 180 s with a 3.8 GB peak in one column per SQLite column, and
64 s with 1.8 GB packed; 52 s since the top members are ranked once
(benchmarks/RESULTS.md). The file is larger (JSON spells
out what SQLite's record format stores in binary), and a page reads one customer's row
whole anyway.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

#: a customer's newest orders and interactions kept for the profile (each, at most)
TIMELINE = 200
#: rows per batch copied from DuckDB into SQLite
BATCH = 20_000


def quoted_name(name: str) -> str:
    """A column name as an SQL identifier (DuckDB and SQLite quote alike)."""
    return '"' + name.replace('"', '""') + '"'


def _stored(name: str, kind: str) -> str:
    """How a column of DuckDB type ``kind`` is written to SQLite (see :func:`_decoder`)."""
    column = quoted_name(name)
    if kind == "TIMESTAMP":
        return f"epoch_us({column})"
    if kind == "FLOAT":
        return f"CAST({column} AS DOUBLE)"  # exactly the float DuckDB returns
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


def projection(rel: duckdb.DuckDBPyRelation, skip: str = "") -> tuple[list[tuple[str, str]], str]:
    """``rel``'s columns (but ``skip``) with their DuckDB types, and the projection that
    stores them (what :func:`pack` writes, and what :func:`digest_sql` hashes)."""
    both = [(n, str(t)) for n, t in zip(rel.columns, rel.types, strict=True) if n != skip]
    return both, ", ".join(_stored(n, k) for n, k in both)


def _columns(
    sq: sqlite3.Connection, table: str, rel: duckdb.DuckDBPyRelation, skip: str = ""
) -> str:
    """Record ``rel``'s columns (but ``skip``) and their DuckDB types; return the
    projection that stores them."""
    both, stored = projection(rel, skip)
    sq.execute("CREATE TABLE IF NOT EXISTS _columns (tbl TEXT, pos INTEGER, name TEXT, type TEXT)")
    sq.executemany(
        "INSERT INTO _columns VALUES (?, ?, ?, ?)",
        [(table, i, n, k) for i, (n, k) in enumerate(both)],
    )
    return stored


def layout(
    con: duckdb.DuckDBPyConnection,
    source: str,
    params: dict[str, Any] | None = None,
    newest: str | None = None,
) -> tuple[list[tuple[str, str]], str]:
    """What :func:`pack` would store of ``source``: its columns and their projection."""
    rel = con.sql(f"SELECT * FROM ({source}) LIMIT 0", params=params or {})
    return projection(rel, skip="" if newest is None else "customer_id")


def digest_sql(source: str, stored: str) -> str:
    """Per customer id of ``source``: its rows (``n``) and the sum of the 64-bit hashes of
    their stored JSON (``h``). Two builds that agree on both for a customer store the same
    packed value for it (a timeline holds the newest of the same rows), so the customer
    need not be written again; any changed, added or removed row changes them."""
    return (
        f"SELECT customer_id, count(*)::BIGINT AS n, "
        f"sum(hash(CAST(json_array({stored}) AS VARCHAR)))::HUGEINT AS h "
        f"FROM ({source}) GROUP BY customer_id"
    )


def pack(
    con: duckdb.DuckDBPyConnection,
    sq: sqlite3.Connection,
    table: str,
    source: str,
    params: dict[str, Any] | None = None,
    newest: str | None = None,
    *,
    append: bool = False,
) -> None:
    """One row per customer id of ``source`` (a query of ours, with ``params``): its row
    as a JSON array of its stored values, or with ``newest`` (an order of its columns) a
    JSON array of up to :data:`TIMELINE` such rows, the first in that order.

    DuckDB writes each row's JSON; a timeline's rows are then joined here as they stream
    by in order. (DuckDB's ordered ``list`` aggregate would do it in one query, but
    holds its groups in memory: 100k customers' 1M orders exceeded a 1 GB limit, where a
    sort spills to disk.)

    With ``append`` the table and its columns exist already (an earlier run's file being
    brought up to date): ``source``'s rows are added to it."""
    params = params or {}
    if append:
        _, stored = layout(con, source, params, newest)
    else:
        # for the columns' names and types only: a relation with parameters runs on the spot
        rel = con.sql(f"SELECT * FROM ({source}) LIMIT 0", params=params)
        # a timeline's rows leave out the customer id, the key they are stored under
        stored = _columns(sq, table, rel, skip="" if newest is None else "customer_id")
        sq.execute(f"CREATE TABLE {table} (customer_id TEXT PRIMARY KEY, packed TEXT)")
    insert = f"INSERT INTO {table} VALUES (?, ?)"
    # A timeline is grouped as its rows stream by, so it comes in key order. A row per
    # customer needs no order: the rows are appended by rowid and only the key index
    # (ids alone, ~30 MB at 1M) takes them in any order. Sorting the JSON first held
    # ~1 GB of text at 1M customers (peak RSS 1.4 GB against 0.45 GB without) for a
    # point lookup 0.02 ms faster.
    order = "" if newest is None else f" ORDER BY customer_id, {newest}"
    rows = con.execute(
        f"SELECT customer_id, CAST(json_array({stored}) AS VARCHAR) FROM ({source}){order}",
        params,
    ).to_arrow_reader(BATCH)
    pairs = (zip(*(c.to_pylist() for c in batch.columns), strict=True) for batch in rows)
    if newest is None:
        for batch in pairs:
            sq.executemany(insert, batch)
        return
    grouped = itertools.groupby(itertools.chain.from_iterable(pairs), key=lambda p: p[0])
    timelines = (
        (key, "[" + ",".join(r for _, r in itertools.islice(group, TIMELINE)) + "]")
        for key, group in grouped
    )
    while chunk := list(itertools.islice(timelines, BATCH)):
        sq.executemany(insert, chunk)


def to_sqlite(
    sq: sqlite3.Connection, table: str, rel: duckdb.DuckDBPyRelation, key: tuple[str, ...]
) -> None:
    """Copy a relation into a new SQLite table clustered on ``key`` (``WITHOUT ROWID``)."""
    stored = _columns(sq, table, rel)
    columns = ", ".join(quoted_name(n) for n in rel.columns)
    sq.execute(f"CREATE TABLE {table} ({columns}, PRIMARY KEY ({', '.join(key)})) WITHOUT ROWID")
    insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(rel.columns))})"
    for batch in rel.project(stored).to_arrow_reader(BATCH):
        sq.executemany(insert, zip(*(c.to_pylist() for c in batch.columns), strict=True))


def decoded(
    decoders: Iterable[tuple[str, Callable[[Any], Any] | None]], values: list[Any]
) -> dict[str, Any]:
    """A stored row's values (in the stored columns' order) by column name, decoded."""
    return {
        n: v if f is None or v is None else f(v) for (n, f), v in zip(decoders, values, strict=True)
    }


class Points:
    """Read-only point lookups in a run's SQLite file, values decoded to DuckDB's types."""

    def __init__(self, path: Path) -> None:
        # the file opened (device, inode), looked up before opening: if it is replaced
        # in between, the reader is taken for stale at its next use, not the other way
        found = path.stat()
        self.file_id = (found.st_dev, found.st_ino)
        # immutable: the file never changes once renamed into place, so no locking
        self.con = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        self.decoders: dict[str, dict[str, Callable[[Any], Any] | None]] = {}
        for table, name, kind in self.con.execute(
            "SELECT tbl, name, type FROM _columns ORDER BY tbl, pos"
        ):
            self.decoders.setdefault(table, {})[name] = _decoder(kind)

    def timeline(self, table: str, customer_id: str) -> list[dict[str, Any]]:
        """The customer's rows of a packed timeline (orders, events), newest first, by
        column name (without the customer id)."""
        found = self._unpacked(table, customer_id)
        return [] if found is None else [self._decoded(table, r) for r in found]

    def record(self, table: str, customer_id: str) -> dict[str, Any] | None:
        """The customer's row of a packed table (labels, customers), by column name."""
        found = self._unpacked(table, customer_id)
        return None if found is None else self._decoded(table, found)

    def _unpacked(self, table: str, customer_id: str) -> Any:
        found = self.con.execute(
            f"SELECT packed FROM {table} WHERE customer_id = ?", [customer_id]
        ).fetchone()
        return None if found is None else json.loads(found[0])

    def _decoded(self, table: str, values: list[Any]) -> dict[str, Any]:
        return decoded(self.decoders[table].items(), values)

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
