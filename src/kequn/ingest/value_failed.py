"""An import stopped by a value DuckDB cannot convert in the query that reads the file's
cells (an amount of 99999999999999 万元, a WooCommerce item's quantity of 20 digits):
told as the import's failure, naming the file and the file's column, not as a rule's
arithmetic (kequn.errors: error.out_of_range, meant for the taxonomy). The import is
atomic: nothing of it is kept.

Which column is found only once the query has failed: each of its expressions is tried
alone, and the first that fails names the columns it reads (``c3``, or the cleaned
``kq_t3``, is the file's fourth column). The value itself is not told: a message is kept
in job reports, and the cell may be a phone number."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import duckdb

from kequn.core.i18n import t
from kequn.ingest.source_error import SourceError

#: what DuckDB raises for a value it cannot cast or that overflows its type
ENGINE_VALUE_ERRORS = (duckdb.ConversionException, duckdb.OutOfRangeException)

#: the file's columns as the import's queries name them: c3, kq_t3 (cleaned), kq_place3
_COLUMN = re.compile(r"\b(?:c|kq_t|kq_place)(\d+)\b")
#: a select list's name for an expression: value AS "amount"
_ALIAS = re.compile(r'\s+AS\s+"?[A-Za-z_]\w*"?\s*$')


class ValueFailed(Exception):  # noqa: N818 - what happened, told by :func:`told`
    """A query of an import failed on a value; ``headers``: the file's columns that the
    failing expression reads (none when it was not found)."""

    def __init__(self, headers: list[str]) -> None:
        super().__init__(", ".join(headers))
        self.headers = headers


def create(
    con: duckdb.DuckDBPyConnection,
    query: str,
    params: dict[str, Any],
    exprs: Sequence[str],
    relation: str,
    headers: Sequence[str],
    group: str = "",
) -> None:
    """Run ``query`` (a CREATE ... AS SELECT of ``exprs`` FROM ``relation`` ``group``);
    a value it cannot convert raises :class:`ValueFailed` naming the column."""
    try:
        con.execute(query, params)
    except ENGINE_VALUE_ERRORS as exc:
        raise ValueFailed(failing(con, exprs, relation, headers, params, group)) from exc


def failing(
    con: duckdb.DuckDBPyConnection,
    exprs: Sequence[str],
    relation: str,
    headers: Sequence[str],
    params: dict[str, Any],
    group: str = "",
) -> list[str]:
    """The file's columns read by the first of ``exprs`` (a select list's items) that
    DuckDB cannot compute on ``relation`` (``group``: its GROUP BY), else none."""
    for item in exprs:
        expr = _ALIAS.sub("", item)
        used = {k: v for k, v in params.items() if f"${k}" in expr}
        try:
            con.execute(f"SELECT count(v) FROM (SELECT {expr} AS v FROM {relation}{group})", used)
        except ENGINE_VALUE_ERRORS:
            found = dict.fromkeys(int(i) for i in _COLUMN.findall(expr))
            return [headers[i] for i in found if i < len(headers)]
        except duckdb.Error:
            continue
    return []


def told(file: str, headers: list[str] | None = None) -> SourceError:
    """The error to tell of an import of ``file`` stopped by a value of ``headers``."""
    if headers:
        return SourceError(t("import.value_failed_column", file=file, column=", ".join(headers)))
    return SourceError(t("import.value_failed", file=file))
