"""A database's values as the text the validator reads: ISO times (with their zone when
they are instants), plain decimals, money as its amount, BITs as numbers; and a batch's
largest watermark. The validator then reads them exactly as it reads a file's cells."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


def utc_instant(value: Any) -> Any:
    """A TIMESTAMP read in a UTC session: the instant, as an aware time (a zero date,
    which PyMySQL gives as text, stays as it is)."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def mysql_param(value: Any) -> Any:
    """A watermark bound for MySQL, whose session runs in UTC: an aware time as UTC wall
    clock (PyMySQL writes a time's digits and drops its zone)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def largest(col: pa.Array) -> Any:
    """A batch's largest watermark. PostgreSQL's numeric comes as an opaque text type:
    compared as numbers (10 after 9.5) and kept as a decimal, which binds back as one."""
    kind = col.type
    if isinstance(kind, pa.BaseExtensionType):
        col = col.storage
        if getattr(kind, "type_name", "") == "numeric":
            values = [decimal.Decimal(v) for v in col.to_pylist() if v is not None]
            finite = [v for v in values if v.is_finite()]
            return max(finite) if finite else None
    return pc.max(col).as_py()


def money_text(col: pa.Array, digits: int) -> pa.Array:
    """A PostgreSQL money column (whole fen or cents) as the amount: 123456 is 1234.56."""
    return pa.array(
        [
            None if v is None else format(decimal.Decimal(v).scaleb(-digits), "f")
            for v in col.to_pylist()
        ],
        pa.string(),
    )


def arrow_text(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A column as text the validator reads (ISO times, plain decimals)."""
    kind = col.type
    if pa.types.is_string(kind):
        return col
    if pa.types.is_large_string(kind):
        return pc.cast(col, pa.string())
    if pa.types.is_timestamp(kind):
        fmt = "%Y-%m-%d %H:%M:%S%z" if kind.tz else "%Y-%m-%d %H:%M:%S"
        return pc.strftime(col, format=fmt)
    if pa.types.is_date(kind):
        return pc.strftime(col, format="%Y-%m-%d")
    try:
        return pc.cast(col, pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pa.array([cell_text(v) for v in col.to_pylist()], pa.string())


def cell_text(value: Any) -> str | None:  # noqa: PLR0911 - one return per type
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        fraction = ".%f" if value.microsecond else ""
        return value.strftime(f"%Y-%m-%d %H:%M:%S{fraction}" + ("%z" if value.tzinfo else ""))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)
