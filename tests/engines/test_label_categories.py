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


def test_a_label_case_returns_the_categories_own_values(tmp_path: Path) -> None:
    """A dimension's ``CASE`` gives ENUM constants (casting its strings afterwards was
    0.3-0.4 s of a run's labels at 1M customers); the labels written are the same, a later
    rule compares the column with text as before, and a ``CASE`` with a branch that is
    not one of the values (a column, a value outside them) keeps its strings."""
    rows = pa.table({"customer_id": ["a", "b", "c"], "spend": [10.0, 500.0, None]})
    with _engine(tmp_path) as engine:
        t = ibis.memtable(rows)
        t = t.mutate(
            tier=ibis.cases((t.spend > 100, "high"), (t.spend > 0, "low"), else_="unknown"),
            other=ibis.cases((t.spend > 100, "high"), else_=t.customer_id),
        )
        t = t.mutate(rich=t.tier == "high", mixed=t.tier.isin(["low", "nobody"]))
        categories = {"tier": ["high", "low", "unknown"], "other": ["high", "a", "b", "c"]}
        sql = engine._compile(t, categories=categories)
        assert "CAST('high' AS ENUM('high', 'low', 'unknown'))" in sql
        assert sql.count("AS ENUM(") == 3  # the tier's three branches; "other" untouched
        written = engine.materialize(t, tmp_path / "labels.parquet", categories)
        back = written.order_by("customer_id").to_pyarrow().to_pylist()
    assert [(r["tier"], r["other"], r["rich"], r["mixed"]) for r in back] == [
        ("low", "a", False, True),
        ("high", "high", True, False),
        ("unknown", "c", False, False),
    ]
