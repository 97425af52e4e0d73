"""One small interface over the engines: where the canonical tables come from, and how an
intermediate result is materialised. Features and rules are the same Ibis code on each."""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for the annotations only: reading a run's files needs no Ibis
    import ibis.expr.types as ir


#: string columns and the only values each can hold (:meth:`Engine.materialize`)
Categories = Mapping[str, Sequence[str]]


class Engine(abc.ABC):
    name: str

    @abc.abstractmethod
    def tables(self) -> dict[str, ir.Table]:
        """The canonical customers, orders and events tables."""

    @abc.abstractmethod
    def materialize(
        self, expr: ir.Table, path: Path, categories: Categories | None = None
    ) -> ir.Table:
        """Write ``expr`` to Parquet at ``path`` and return a table reading it back.

        ``categories``: string columns whose every value is one of those listed (a
        dimension's labels), which an engine may write knowing so; the file holds the
        same strings either way."""

    def written(self, path: Path) -> ir.Table | None:
        """A file :meth:`materialize` wrote, read again as it returned it; None where
        only the table it returned reads it (a step takes that one, as on Spark)."""
        return None

    def scalar(self, expr: ir.Scalar) -> Any:
        value = expr.execute()
        return value.item() if hasattr(value, "item") else value

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the engine's resources."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parquet_glob(path: Path) -> str:
    """Spark writes a folder of part files, DuckDB one file: read either the same way."""
    return str(path / "*.parquet") if path.is_dir() else str(path)


def parquet_columns(path: Path) -> list[str]:
    """The column names of a Parquet file, or of a folder of part files (its first part);
    none when there is neither."""
    import pyarrow.parquet as pq

    if path.is_dir():
        parts = sorted(path.rglob("*.parquet"))
        path = parts[0] if parts else path
    return list(pq.read_schema(path).names) if path.is_file() else []
