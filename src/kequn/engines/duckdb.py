"""The embedded default: DuckDB on the workspace's published generation, read-only."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import uuid
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import sqlglot as sg
import sqlglot.expressions as sge

from kequn.core.compute import Categories, Engine
from kequn.engines.sqlcache import SqlCache, fingerprint, join_names, split_names
from kequn.store.workspace import spill_prefix

#: rows per Parquet row group when materialising. DuckDB's default (122,880) buffers that
#: many rows of every column per writing thread, outside what it can spill: with ~100
#: feature columns that alone ran a 500 MB limit out of memory at 1M customers.
PARQUET_ROW_GROUP = 16_384

#: give back DuckDB's kept memory after each stage (:meth:`DuckDBEngine.release_memory`).
#: ``kequn serve`` turns it off: there a run's engine shares its DuckDB instance (the
#: published generation, opened read-only) with the pages' readers, and a moment's low
#: limit would fail their queries, or the release itself would fail while they hold memory.
release_between_stages = True


class DuckDBEngine(Engine):
    """Classify on a read-only connection the caller opens (the published generation),
    spilling beyond ``memory_limit`` to a folder of its own under ``tmp_dir``."""

    name = "duckdb"

    def __init__(
        self,
        connection: AbstractContextManager[duckdb.DuckDBPyConnection],
        *,
        tmp_dir: Path,
        memory_limit: str,
        threads: int | None = None,
        sql_cache: Path | None = None,
    ) -> None:
        """``sql_cache``: a folder keeping compiled SQL between runs (default
        ``tmp_dir/sql``; see :mod:`kequn.engines.sqlcache`)."""
        self._stack = contextlib.ExitStack()
        con = self._stack.enter_context(connection)
        # a read-only database still allows settings, temp tables and spilling to disk
        tmp_dir.mkdir(exist_ok=True)
        _spill_apart(con, tmp_dir)
        con.execute("SET memory_limit = ?", [memory_limit])
        self.memory_limit = memory_limit
        con.execute("SET preserve_insertion_order = false")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        self.raw = con
        self._days: dict[dt.date, str] = {}
        self.con = ibis.duckdb.from_connection(con)
        self.sql = SqlCache(sql_cache or tmp_dir / "sql")
        # every query Ibis runs on this connection (to_pyarrow, execute, to_parquet) finds
        # its SQL in the cache too: compiling is most of a small run's Ibis time
        self.con.compile = self._compile

    def _compile(
        self,
        expr: ir.Expr,
        /,
        *,
        limit: int | str | None = None,
        params: Any = None,
        pretty: bool = False,
        categories: Categories | None = None,
    ) -> str:
        """The backend's ``compile``, through :attr:`sql` when the expression has a key
        (:func:`~kequn.engines.sqlcache.fingerprint`) and nothing else shapes the SQL.
        In-memory tables (the models' scores) are read by name, so the kept SQL holds
        none of their rows and serves the next run's tables of the same schema.

        ``categories``: the columns whose ``CASE`` gives one of their values in every
        branch return them as ENUM constants (:func:`_typed_cases`)."""
        plain = limit is None and not params and not pretty
        memtables: list[str] = []
        key = fingerprint(expr, memtables) if plain else None
        if key and categories:
            text = json.dumps(sorted(categories.items()), ensure_ascii=False)
            key = hashlib.sha256(f"{key}\n{text}".encode()).hexdigest()
        kept = self.sql.get(key) if key else None
        sql = join_names(kept, memtables) if kept is not None else None
        if sql is not None:
            return sql
        if categories:
            query = self.con.compiler.to_sqlglot(expr, limit=limit, params=params)
            _typed_cases(query, categories)
            sql = query.sql(
                dialect=self.con.dialect,
                pretty=pretty,
                copy=False,
                unsupported_level=sg.ErrorLevel.RAISE,
            )
        else:
            sql = type(self.con).compile(self.con, expr, limit=limit, params=params, pretty=pretty)
        stored = split_names(sql, memtables) if key else None
        if key and stored is not None:
            self.sql.put(key, stored)
        return sql

    def scalar(self, expr: ir.Scalar) -> Any:
        """One value, through Arrow (Ibis's ``execute`` builds a pandas object for it):
        dates, timestamps, decimals and structs come back as Python's own types, a
        missing value as None."""
        return self.con.to_pyarrow(expr).as_py()

    def tables(self) -> dict[str, ir.Table]:
        return {name: self.con.table(name) for name in ("customers", "orders", "events")}

    def materialize(
        self, expr: ir.Table, path: Path, categories: Categories | None = None
    ) -> ir.Table:
        """What ``to_parquet`` does, with the SQL compiled once per distinct expression;
        read back under a name made from the file's, so that expressions built on it are
        the same from one run to the next (and their SQL is found again).

        ``categories`` are cast to ENUMs of their values as they are written: Parquet
        holds the same strings (read back as VARCHAR), but the writer takes each
        column's dictionary from the type instead of hashing every row's string (a run's
        labels at 1M customers: 15 such columns of 39, 0.85 s to write as VARCHAR, 0.3-0.4
        s as ENUMs)."""
        sql = _with_categories(self._compile(expr, categories=categories), categories or {})
        self.con._run_pre_execute_hooks(expr)  # registers in-memory tables, as to_parquet
        self.raw.execute(
            f"COPY ({sql}) TO {_text(str(path))} "
            f"(FORMAT 'parquet', ROW_GROUP_SIZE {PARQUET_ROW_GROUP})"
        )
        self.release_memory()
        return self.written(path)

    def written(self, path: Path) -> ir.Table:
        """The file at ``path`` under the name :meth:`materialize` reads it by."""
        return self.con.read_parquet(path, table_name=_view_name(path))

    def date_value(self, day: dt.date) -> ir.DateValue:
        """``day`` as a DuckDB variable set on this connection: ``getvariable('kequn_day_0')``
        in the SQL, the date itself bound where DuckDB binds the query (a constant by then,
        so filters on it still skip row groups). The SQL holding a run's as-of date is then
        the same every day, and a daily run finds it compiled (:attr:`sql`) instead of
        compiling it again (measured: 0.06 s of a 10k shop's run). An unset variable reads
        as NULL, without an error: the expression runs on this connection only. Each date
        gets the next number in the order first asked for, and keeps it while the engine
        lives; a run asks for its as-of date first (the churn model's earlier dates after),
        so the numbers are the same from one day to the next."""
        name = self._days.get(day)
        if name is None:
            name = f"kequn_day_{len(self._days)}"
            # a date's ISO text: digits and dashes, never a user's text
            self.raw.execute(f"SET VARIABLE {name} = DATE '{day.isoformat()}'")
            self._days[day] = name
        return _getvariable(name)

    def release_memory(self) -> None:
        """Give back the memory DuckDB keeps between queries.

        DuckDB keeps the blocks a query read (the workspace's tables) and its allocator's
        free pages up to ``memory_limit``, after the query is done, and the run's Python
        steps (the models' arrays, scikit-learn) come on top. Lowering the limit for a
        moment evicts them (the usual workaround, duckdb/duckdb#15174, #13037): at 1M
        customers a run's peak fell from 1.42-1.49 GB to 1.03 GB, with a refit from
        1.52 to 1.25 GB; the next query reads what it needs again from the page cache."""
        keep = os.environ.get("KEQUN_KEEP_DUCKDB_MEMORY", "").strip().lower()
        if not release_between_stages or keep in ("1", "true", "yes", "on"):
            return
        try:
            self.raw.execute("SET memory_limit = '16MB'")
        except duckdb.OutOfMemoryException:
            # someone else on this instance holds memory it cannot evict: the limit is
            # unchanged (DuckDB refuses the new one), and there is nothing to give back
            return
        finally:
            self.raw.execute("SET memory_limit = ?", [self.memory_limit])

    def close(self) -> None:
        # the backend held this engine through its compile: let both go without a gc pass
        self.con.__dict__.pop("compile", None)
        self._stack.close()


def _spill_apart(con: duckdb.DuckDBPyConnection, tmp_dir: Path) -> None:
    """Spill to a folder of this DuckDB instance's own under ``tmp_dir``: DuckDB names its
    spill files the same in every instance and deletes them all from its folder when it
    closes, so two runs spilling to ``.tmp/`` itself (two processes, or a server's runs on
    two generations) read each other's blocks or lost them. The folder is named, not made:
    DuckDB makes it when it first spills and removes it when the instance closes. An
    instance that has one already (a server's pages share the run's) keeps it."""
    row = con.execute("SELECT current_setting('temp_directory')").fetchone()
    current = Path(str(row[0])) if row and row[0] else None
    if current is not None and current.parent == tmp_dir and current.name.startswith("spill-"):
        return
    con.execute(
        "SET temp_directory = ?", [str(tmp_dir / f"{spill_prefix()}{uuid.uuid4().hex[:12]}")]
    )


@ibis.udf.scalar.builtin(name="getvariable")
def _getvariable(variable: str) -> dt.date:  # type: ignore[empty-body]
    """DuckDB's ``getvariable``, typed as the date the engine stored under ``variable``."""


def _with_categories(sql: str, categories: Categories) -> str:
    """``sql`` with each of ``categories``' columns cast to an ENUM of its values. The
    names and values are a taxonomy's ids (``[a-z][a-z0-9_]*``, checked when it is
    loaded), quoted all the same."""
    casts = ", ".join(
        f"CAST({_name(column)} AS ENUM({', '.join(map(_text, dict.fromkeys(values)))})) "
        f"AS {_name(column)}"
        for column, values in categories.items()
        if values
    )
    return f"SELECT * REPLACE ({casts}) FROM ({sql})" if casts else sql


def _typed_cases(query: sge.Expression, categories: Categories) -> None:
    """Make each ``CASE`` that defines a column of ``categories`` return ENUM constants of
    the column's values, when every branch gives one of them as a string literal (the
    taxonomy's dimensions: one label id per rule, the fallback's else). The ENUM cast
    :func:`_with_categories` adds around the query is then a no-op: at 1M customers
    casting 15 label columns of strings was 0.3-0.4 s of the labels' 1.5 s, and the
    strings moved through the ``CASE`` cost more than one-byte ENUM values."""
    for alias in list(query.find_all(sge.Alias)):
        values = categories.get(alias.alias)
        case = alias.this
        if not values or not isinstance(case, sge.Case):
            continue
        branches = [when.args.get("true") for when in case.args.get("ifs") or []]
        branches.append(case.args.get("default"))
        if not all(
            isinstance(b, sge.Literal) and b.is_string and b.this in values for b in branches
        ):
            continue
        members = ", ".join(_text(v) for v in dict.fromkeys(values))
        dtype = sge.DataType.build(f"ENUM({members})", dialect="duckdb")
        for when in case.args.get("ifs") or []:
            when.set("true", sge.Cast(this=when.args["true"], to=dtype.copy()))
        case.set("default", sge.Cast(this=case.args["default"], to=dtype.copy()))


def _text(value: str) -> str:
    """``value`` as an SQL string literal (our own paths and a taxonomy's ids)."""
    return "'" + value.replace("'", "''") + "'"


def _name(column: str) -> str:
    """``column`` as a quoted SQL identifier."""
    return '"' + column.replace('"', '""') + '"'


def _view_name(path: Path) -> str:
    """``features-orders.parquet`` -> ``kequn_features_orders``: the same every run."""
    stem = "".join(c if c.isalnum() else "_" for c in path.name.removesuffix(".parquet"))
    return f"kequn_{stem}"
