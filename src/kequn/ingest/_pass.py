"""The state and helpers every pass of an import shares (parse, validate, write)."""

from __future__ import annotations

from typing import Any

import duckdb

from kequn.core.schema import Column, TableSpec
from kequn.ingest.mapping import BUYER_COLUMNS, MappingResult
from kequn.ingest.readers import StagedSource
from kequn.ingest.report import ImportReport
from kequn.store.workspace import Workspace


def settled_by_refund(status: str, refunded: str, amount: str, *, stored: bool = False) -> str:
    """SQL: an order's status once its refund amount is known (each argument a column's
    SQL). A paid order with money back is refunded when all of it came back, else
    partly refunded; a cancelled (closed) order with money back was paid and refunded.
    Any other status stays: pending, refunding and refunded, and a platform's partial
    refund whose amount is the whole (kept partial, the word being the platform's:
    ``test_platform_refund_states``). The one rule for a status column beside a refund
    column (:mod:`kequn.ingest.parse`), a new order from a file without a status column,
    and a stored order such a file updates (:mod:`kequn.ingest.write`): kept paid, a
    fully refunded order counted as a purchase of nothing. With ``stored``, the status is
    a stored order's and a partial refund is settled again by the file's amount: an
    order a week's sheet said was partly refunded and the next week's in full stayed
    partly refunded, a kept purchase of nothing."""
    settles = "('paid', 'cancelled', 'partially_refunded')" if stored else "('paid', 'cancelled')"
    return (
        f"CASE WHEN coalesce({refunded}, 0) <= 0 OR {status} NOT IN {settles} "
        f"THEN {status} WHEN {status} = 'cancelled' OR {refunded} >= {amount} THEN 'refunded' "
        f"ELSE 'partially_refunded' END"
    )


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
            cols += [
                Column(name, "bool" if name.endswith("_consent") else "string", name, name)
                for name in BUYER_COLUMNS
            ]
        return cols
