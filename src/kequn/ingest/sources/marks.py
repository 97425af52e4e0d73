"""A saved source's watermark: the largest value of its watermark column read so far, kept
in ``sources/NAME.json`` as a type and a text (:func:`dump_mark`, :func:`load_mark`)."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any


def dump_mark(value: Any) -> dict[str, str]:  # noqa: PLR0911 - one return per type
    """A watermark value as JSON-able type and text."""
    if isinstance(value, dt.datetime):
        return {"type": "datetime", "value": value.isoformat()}
    if isinstance(value, dt.date):
        return {"type": "date", "value": value.isoformat()}
    if isinstance(value, bool):
        return {"type": "int", "value": str(int(value))}
    if isinstance(value, int):
        return {"type": "int", "value": str(value)}
    if isinstance(value, decimal.Decimal):
        return {"type": "decimal", "value": format(value, "f")}
    if isinstance(value, float):
        return {"type": "float", "value": repr(value)}
    return {"type": "text", "value": str(value)}


def load_mark(mark: dict[str, str]) -> Any:
    kind, text = mark.get("type"), str(mark.get("value"))
    if kind == "datetime":
        return dt.datetime.fromisoformat(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "int":
        return int(text)
    if kind == "decimal":
        return decimal.Decimal(text)
    if kind == "float":
        return float(text)
    return text


def later(a: Any, b: Any) -> Any:
    """The larger of two watermarks (either may be None)."""
    if a is None:
        return b
    if b is None:
        return a
    try:
        return max(a, b)
    except TypeError:  # naive vs aware times: compare as UTC

        def utc(x: Any) -> Any:
            return x.replace(tzinfo=dt.UTC) if isinstance(x, dt.datetime) and not x.tzinfo else x

        return a if utc(a) >= utc(b) else b
