"""One customer's rows of a run, read on the spot from the run's Parquet and the published
workspace, for as long as the run's SQLite lookup file is not built.

A run is shown as soon as it is published; its lookup files (:mod:`kequn.snapshots.lookup`)
are built after, in the server's background (20-27 s at 1M customers with 10M orders,
most of a daily refresh's wait before). Meanwhile a customer page asks :class:`Direct`,
which answers exactly what :class:`~kequn.snapshots.packed.Points` would from the built
file: the same source queries (:data:`~kequn.snapshots.incremental.PACKED`, orders and
interactions up to the run's date, newest first, at most
:data:`~kequn.snapshots.packed.TIMELINE`), each row made into the same JSON in DuckDB and
decoded by the same rules (a test compares them customer by customer). At 1M customers a
customer page takes 0.1-0.5 s this way (0.2 s measured on the demo's data), against ~1 ms
from the SQLite file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

import duckdb

from kequn.snapshots import packed
from kequn.snapshots.incremental import LABELS_VIEW, PACKED
from kequn.snapshots.lookup_files import SCAN_THREADS, labels_sql, quoted
from kequn.snapshots.packed import _decoder, decoded, layout
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import opened_path

_SOURCES = {table: (source, dated, newest) for table, source, dated, newest in PACKED}


class Direct:
    """What :class:`~kequn.snapshots.packed.Points` answers (``record``, ``timeline``),
    from DuckDB; use as a context manager (it holds the published workspace open, against
    a new import removing the generation it reads)."""

    def __init__(self, run: RunInfo) -> None:
        self.run = run
        # the day after the run's date, as a bound: rows up to the end of the as-of day
        self.until = dt.date.fromisoformat(run.as_of) + dt.timedelta(days=1)
        self._held = contextlib.ExitStack()
        self._con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> Direct:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
        self._held.close()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            published = self._held.enter_context(self.run.workspace.read())
            # the workspace's memory budget, like the server's other readers
            limit = self.run.workspace.settings.memory_limit
            con = duckdb.connect(config={"threads": SCAN_THREADS, "memory_limit": limit})
            try:
                con.execute("SET enable_progress_bar = false")
                # our own paths, quoted (ATTACH and views take no parameters)
                con.execute(f"ATTACH {quoted(opened_path(published))} AS src (READ_ONLY)")
                con.execute(f"CREATE TEMP VIEW {LABELS_VIEW} AS {labels_sql(self.run)}")
            except BaseException:
                con.close()
                raise
            self._con = con
        return self._con

    def _rows(self, table: str, customer_id: str) -> list[dict[str, Any]]:
        source, dated, newest = _SOURCES[table]
        params: dict[str, Any] = {"id": customer_id} | ({"until": self.until} if dated else {})
        only = f"SELECT * FROM ({source}) WHERE customer_id = $id"
        con = self._connection()
        columns, stored = layout(con, only, params, newest)
        order = "" if newest is None else f" ORDER BY {newest}"
        found = con.execute(
            f"SELECT CAST(json_array({stored}) AS VARCHAR) FROM ({only}){order} "
            f"LIMIT {packed.TIMELINE}",
            params,
        ).fetchall()
        decoders = [(name, _decoder(kind)) for name, kind in columns]
        return [decoded(decoders, json.loads(r[0])) for r in found]

    def record(self, table: str, customer_id: str) -> dict[str, Any] | None:
        """The customer's row of ``labels`` or ``customers``, by column name (either row,
        should an import have left two profiles, as the built file keeps either)."""
        rows = self._rows(table, customer_id)
        return rows[0] if rows else None

    def timeline(self, table: str, customer_id: str) -> list[dict[str, Any]]:
        """The customer's ``orders`` or ``events`` up to the run's date, newest first, by
        column name (without the customer id)."""
        return self._rows(table, customer_id)
