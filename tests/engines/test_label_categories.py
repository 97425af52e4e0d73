"""A run's label columns are written as categories (DuckDB ENUMs) and read back as the
same strings: the file's schema, its values and its customers are those of plain text."""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kequn.engines.duckdb import DuckDBEngine
from kequn.pipeline import workspace_taxonomy
from kequn.store.workspace import Workspace
from kequn.taxonomy.evaluate import label_values


def _engine(folder: Path) -> DuckDBEngine:
    con = duckdb.connect()
    return DuckDBEngine(_Held(con), tmp_dir=folder, memory_limit="500MB")


class _Held:
    """A context manager yielding an open in-memory connection (as ``ws.read()`` does)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        return self.con

    def __exit__(self, *exc: object) -> None:
        self.con.close()


def test_categories_write_the_same_strings(tmp_path: Path) -> None:
    rows = pa.table(
        {
            "customer_id": ["a", "b", "c", "d"],
            "lifecycle": ["loyal", None, "new", "it's"],
            "score": [1.0, 2.0, None, 4.0],
        }
    )
    with _engine(tmp_path) as engine:
        table = ibis.memtable(rows)
        categories = {"lifecycle": ["new", "loyal", "it's", "loyal"], "missing": []}
        written = engine.materialize(table, tmp_path / "labels.parquet", categories)
        back = written.order_by("customer_id").to_pyarrow()
    stored = pq.read_table(tmp_path / "labels.parquet")
    assert stored.schema.field("lifecycle").type == pa.string()
    assert back.column("lifecycle").to_pylist() == ["loyal", None, "new", "it's"]
    assert back.column("score").to_pylist() == [1.0, 2.0, None, 4.0]


def test_a_value_outside_its_category_fails_the_write(tmp_path: Path) -> None:
    """The categories are a promise: a label the taxonomy does not list is an error, not a
    silently dropped value."""
    rows = pa.table({"customer_id": ["a"], "lifecycle": ["dormant"]})
    with _engine(tmp_path) as engine, pytest.raises(duckdb.ConversionException):
        engine.materialize(ibis.memtable(rows), tmp_path / "x.parquet", {"lifecycle": ["new"]})


def test_every_exclusive_label_of_the_default_taxonomy_is_listed(tmp_path: Path) -> None:
    taxonomy = workspace_taxonomy(Workspace.init(tmp_path / "ws"))
    values = label_values(taxonomy)
    exclusive = [d for d in taxonomy.dimensions if d.type == "exclusive"]
    assert set(values) == {d.id for d in exclusive}
    for dim in exclusive:
        assert {label.id for label in dim.labels} <= set(values[dim.id])
        assert (dim.fallback.id if dim.fallback else "unknown") in values[dim.id]
