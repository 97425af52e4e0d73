"""The Arrow types of kequn's canonical tables, as the demo writes them."""

from __future__ import annotations

import pyarrow as pa

from kequn.core.schema import TABLES

MONEY = pa.decimal128(18, 2)

#: Arrow type for each logical kind of :mod:`kequn.core.schema` (as ``IBIS_TYPES`` there)
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
    "money": MONEY,
    "int": pa.int64(),
    "bool": pa.bool_(),
    "gender": pa.string(),
    "map": pa.map_(pa.string(), pa.string()),
}


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a canonical table: its columns, declared once in core.schema."""
    return pa.schema([(c.name, ARROW_TYPES[c.kind]) for c in TABLES[table].columns])


CUSTOMER_SCHEMA = arrow_schema("customers")
ORDER_SCHEMA = arrow_schema("orders")
EVENT_SCHEMA = arrow_schema("events")


def make_table(schema: pa.Schema, columns: dict[str, pa.Array]) -> pa.Table:
    """The generated ``columns`` in ``schema``'s order; a canonical column the generator
    does not make (one added to core.schema since) is written empty."""
    rows = len(next(iter(columns.values())))
    return pa.table(
        {f.name: columns[f.name] if f.name in columns else pa.nulls(rows, f.type) for f in schema},
        schema=schema,
    )
