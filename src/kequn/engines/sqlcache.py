"""Compiled SQL kept between runs, keyed by what the expression is.

Ibis compiles an expression to SQL in Python, and kequn's are large: the attribute
features (long reference ``CASE``s) compile to ~300 KB of SQL, which took longer than
DuckDB took to run it at 10k customers (~2 s of a small shop's run, with the labels'
expression another ~0.5 s). The same expressions come back run after run: same taxonomy,
same settings, same reference data. So the SQL is kept on disk under a key computed from
the expression itself, and compiled again only when that key is new.

The key (:func:`fingerprint`) is a SHA-256 of a complete description of the expression
graph: every node's class and every argument, values by ``repr`` (strings, numbers,
dates, decimals, data types and schemas are exact), other nodes by their position; plus
the Ibis and SQLGlot versions (which decide the SQL). Two expressions with the same key
are the same expression, so they compile to the same SQL (up to the in-memory tables'
names, below). An expression with anything this description cannot spell exactly (a
value of an unknown type) gets no key and is compiled as before. In-memory tables (the
models' scores, the churn sample's ids) are spelled by schema and place, when the caller
asks (``memtables``): the SQL reads them by a name that is new in each process and never
holds their rows, so it is kept with the names cut out (:func:`split_names`) and they are
put back on reading. The SQL holds what the expressions hold: the taxonomy's and the
settings' values, reference tables, dates; no customer's data.
Tables are named by their name and schema: the engine reads its intermediate results back
under names derived from their file names, so tomorrow's run refers to them alike.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import enum
import hashlib
import json
import os
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt_types
import ibis.expr.operations as ops
import ibis.expr.types as ir
import sqlglot
from ibis.common.graph import Graph
from ibis.common.grounds import Concrete

#: SQL files kept (the most recently used); older ones are removed when one is written
KEEP = 256
_EXACT = (str, int, float, bool, decimal.Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)
_EXACT_OTHER = (uuid.UUID, enum.Enum, type(None))


class _UnkeyableError(Exception):
    """The expression holds something the key cannot describe exactly."""


def fingerprint(expr: ir.Expr, memtables: list[str] | None = None) -> str | None:
    """A key that only this expression (and any equal to it) has, or None.

    With ``memtables`` (a list to fill), an in-memory table is spelled by its schema and
    its place among them, and its name is appended to the list: the key then stands for
    SQL that reads those tables by name, whatever their rows (:func:`split_names`)."""
    root = expr.op()
    graph = Graph.from_bfs(root)
    position = {node: i for i, node in enumerate(graph)}
    parts = [f"ibis {ibis.__version__} sqlglot {sqlglot.__version__}"]
    try:
        for node in graph:
            if isinstance(node, ops.InMemoryTable):
                if memtables is None:
                    raise _UnkeyableError
                schema = _spell(node.schema, position, type(node), "schema")
                parts.append(f"memtable {len(memtables)} {schema}")
                memtables.append(node.name)
                continue
            cls = type(node)
            args = [
                f"{name}={_spell(getattr(node, name), position, cls, name)}"
                for name in node.__argnames__
            ]
            parts.append(f"{cls.__module__}.{cls.__qualname__}({', '.join(args)})")
    except _UnkeyableError:
        return None
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _spell(value: Any, position: dict[Any, int], cls: type, name: str) -> str:  # noqa: PLR0911
    if isinstance(value, ops.Node):
        return f"#{position[value]}"
    if issubclass(cls, ops.DatabaseTable) and name == "source":
        return "source"  # the engine's own connection: one per engine
    if isinstance(value, dt_types.DataType):
        return f"type:{value!r}"
    if isinstance(value, _EXACT + _EXACT_OTHER):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_spell(v, position, cls, name) for v in value) + ")"
    if isinstance(value, Mapping):  # schemas and frozen dicts: ordered
        items = (
            f"{_spell(k, position, cls, name)}: {_spell(v, position, cls, name)}"
            for k, v in value.items()
        )
        return f"{type(value).__name__}{{" + ", ".join(items) + "}"
    if isinstance(value, Concrete):  # immutable values such as a table's namespace
        kind = type(value)
        args = ", ".join(
            f"{arg}={_spell(getattr(value, arg), position, kind, arg)}"
            for arg in value.__argnames__
        )
        return f"{kind.__module__}.{kind.__qualname__}({args})"
    if not isinstance(value, frozenset):
        raise _UnkeyableError
    return "set{" + ", ".join(sorted(_spell(v, position, cls, name) for v in value)) + "}"


def split_names(sql: str, names: list[str]) -> str | None:
    """``sql`` kept without the in-memory tables' names, which are new in every process:
    a JSON list of the text between them and each one's place in ``names``. None (keep
    nothing) unless every table is read by its name: SQL with a table's rows written into
    it (as some Ibis compilers do, though not DuckDB's) must never be kept."""
    if not names:
        return sql
    if not all(f'"{n}"' in sql for n in names):
        return None
    pattern = "|".join(re.escape(f'"{n}"') for n in sorted(set(names), key=len, reverse=True))
    place = {f'"{n}"': i for i, n in enumerate(names)}
    pieces: list[str | int] = []
    at = 0
    for found in re.finditer(pattern, sql):
        pieces += [sql[at : found.start()], place[found.group()]]
        at = found.end()
    pieces.append(sql[at:])
    return json.dumps(pieces)


def join_names(kept: str, names: list[str]) -> str | None:
    """The SQL of :func:`split_names`' ``kept`` for in-memory tables named ``names``; None
    for a file that is not what :func:`split_names` writes (damaged, or edited by hand):
    the caller compiles again."""
    if not names:
        return kept
    try:
        pieces = json.loads(kept)
        return "".join(p if isinstance(p, str) else f'"{names[p]}"' for p in pieces)
    except (ValueError, IndexError, TypeError):
        return None


class SqlCache:
    """SQL files in ``folder``, one per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> str | None:
        """The SQL kept under ``key``, marked as used (the files kept are the most recently
        used: the ones every run needs were deleted after 64 newer writes, and the
        attribute features' ~2 s of compiling came back every fortnight of daily runs)."""
        path = self.folder / f"{key}.sql"
        try:
            sql = path.read_text(encoding="utf-8")
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return sql

    def put(self, key: str, sql: str) -> None:
        """Keep ``sql`` (written under a temporary name, then renamed: a concurrent reader
        finds the whole file or none)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # unique per writer: two threads of one server may write the same key at once
            partial = self.folder / f"{key}.{os.getpid()}.{uuid.uuid4().hex}.partial"
            partial.write_text(sql, encoding="utf-8")
            partial.replace(self.folder / f"{key}.sql")
            kept = sorted(self.folder.glob("*.sql"), key=_mtime, reverse=True)
            for old in kept[KEEP:]:
                old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache: a run never fails for want of one


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
