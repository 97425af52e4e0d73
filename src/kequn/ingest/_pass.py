"""The state and helpers every pass of an import shares (parse, validate, write)."""

from __future__ import annotations

from typing import Any

import duckdb

from kequn.core.schema import Column, TableSpec
from kequn.ingest.mapping import BUYER_COLUMNS, MappingResult
from kequn.ingest.readers import StagedSource
from kequn.ingest.report import ImportReport
from kequn.store.workspace import Workspace


class Pass:
    """One import's SQL, run on a writer connection. Identifiers are kequn's own; values
    from files and users are bound parameters."""

    con: duckdb.DuckDBPyConnection
    ws: Workspace
    table: str
    spec: TableSpec
    staged: StagedSource
    matched: MappingResult
    report: ImportReport
    params: dict[str, Any]
    statuses: dict[str, str]
    types: dict[str, str]
    #: columns whose values the mapping file translates (``channels:``, ``sources:``)
    value_maps: frozenset[str] = frozenset()

    def sql(self, query: str, **extra: Any) -> duckdb.DuckDBPyConnection:
        # bind only the parameters the statement names, as DuckDB requires
        params = {**self.params, **extra}
        used = {k: v for k, v in params.items() if f"${k}" in query}
        return self.con.execute(query, used)

    # -- the passes ----------------------------------------------------------------

    def _rejected_rows(self) -> str:
        return "(SELECT \"row\" FROM problems WHERE severity = 'rejected')"

    def _count(self, table: str) -> int:
        row = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0

    def _columns(self) -> list[Column]:
        cols = list(self.spec.columns)
        if self.table == "orders":
            cols += [Column(name, "string", name, name) for name in BUYER_COLUMNS]
        return cols
