"""The refunds after-sale exports applied, one row per refund (kequn.ingest.aftersale):
its order, its 退款编号 and its money.

A platform's refunds export lists a refund once, under its own id, and is exported by
date range: the refunds of one order (one per item, or a second request after the
first closed) may come in two files, March's and April's. The stored order holds only
the sum, so without the refunds themselves a second file could not tell a refund seen
before (importing March again: nothing to add) from a new one (April's: to add). An
order's refunded amount is the sum of the distinct refunds kept here, never less than
what its own export says (退款金额), and never less than these refunds when its order
export is imported again (:meth:`kequn.ingest.write.WritePass._keep_applied_refunds`).

The rows name orders, so an erasure of a customer removes those of their orders
(:func:`forget`) and a subject access export lists them (:func:`held`)."""

from __future__ import annotations

from typing import Any

import duckdb

TABLE = "aftersale_refunds"
#: plain columns, no key: a workspace's tables are copied with CREATE TABLE AS (an
#: erasure's compaction), which keeps no constraint
_CREATE = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    order_id VARCHAR, refund_id VARCHAR, amount DECIMAL(18, 2), import_id VARCHAR)"""


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_CREATE)


def exists(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary", [TABLE]
    ).fetchone()
    return bool(row and row[0])


def forget(con: duckdb.DuckDBPyConnection, customer_id: str) -> int:
    """Remove the refunds of a customer's orders (before the orders go); how many."""
    if not exists(con):
        return 0
    row = con.execute(
        f"DELETE FROM {TABLE} WHERE order_id IN "
        "(SELECT order_id FROM orders WHERE customer_id = ?)",
        [customer_id],
    ).fetchone()
    return int(row[0]) if row else 0


def held(con: duckdb.DuckDBPyConnection, customer_id: str) -> list[dict[str, Any]]:
    """The refunds of a customer's orders, as rows."""
    if not exists(con):
        return []
    found = con.execute(
        f"SELECT * FROM {TABLE} WHERE order_id IN "
        "(SELECT order_id FROM orders WHERE customer_id = ?) ORDER BY order_id, refund_id",
        [customer_id],
    )
    names = [d[0] for d in found.description]
    return [dict(zip(names, row, strict=True)) for row in found.fetchall()]
