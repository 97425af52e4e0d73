"""The embedded engine gives back the memory DuckDB keeps between its stages."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
import pytest

from kequn.engines.duckdb import DuckDBEngine


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("memory") / "data.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE orders AS SELECT i % 50000 AS customer_id, i * 0.37 AS amount, "
            "md5(i::VARCHAR) AS note FROM range(2000000) r(i)"
        )
    return path


def _used(engine: DuckDBEngine) -> int:
    row = engine.raw.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


@pytest.mark.parametrize("keep", ["", "0", "1", "serve"])
def test_a_stage_gives_back_what_it_read_and_keeps_the_limit(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: str
) -> None:
    """After a stage is written, the blocks its query read are no longer held (with
    ``KEQUN_KEEP_DUCKDB_MEMORY=1``, or in ``kequn serve``, whose pages share the DuckDB
    instance, they are: what the release saves), the limit is the one the engine was
    given, and the next stage reads the same table correctly."""
    from kequn.engines import duckdb as engine_module

    monkeypatch.setenv("KEQUN_KEEP_DUCKDB_MEMORY", keep if keep != "serve" else "")
    monkeypatch.setattr(engine_module, "release_between_stages", keep != "serve")
    kept = keep in ("1", "serve")
    opened = contextlib.closing(duckdb.connect(str(database), read_only=True))
    with DuckDBEngine(opened, tmp_dir=tmp_path / "tmp", memory_limit="300MB") as engine:
        expected = engine.raw.execute("SELECT current_setting('memory_limit')").fetchone()
        orders = engine.con.table("orders")
        # the blocks a query reads stay in DuckDB's buffer pool
        assert orders.note.max().execute() is not None
        held = _used(engine)
        assert held > 20 * 2**20
        totals = orders.group_by("customer_id").aggregate(spend=orders.amount.sum())
        staged = engine.materialize(totals, tmp_path / "stage.parquet")
        after = _used(engine)
        if kept:
            assert after >= held
        else:
            assert after < held / 2
        setting = engine.raw.execute("SELECT current_setting('memory_limit')").fetchone()
        assert setting == expected
        assert staged.count().execute() == 50000
        assert staged.spend.sum().execute() == pytest.approx(0.37 * 1999999 * 2000000 / 2)
