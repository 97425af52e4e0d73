"""Two runs at once each spill to a folder of their own.

DuckDB names its spill files the same in every instance, writes them at the same offsets
and deletes them all from its folder when it closes. Two runs' engines spilling to the
workspace's ``.tmp/`` (two ``kequn run`` processes, or a server's run on one generation
while another reads the next) read each other's blocks or lost them: a reviewer's second
run failed with "Could not read enough bytes from file .tmp/duckdb_temp_storage…" when the
first one finished."""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb

from kequn.engines.duckdb import DuckDBEngine

_BIG = "SELECT i, md5(i::VARCHAR) AS s FROM range(1500000) r(i)"


def _database(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE orders AS SELECT 1 AS customer_id")
    return path


def _spill_folder(engine: DuckDBEngine) -> Path:
    row = engine.raw.execute("SELECT current_setting('temp_directory')").fetchone()
    assert row is not None
    return Path(str(row[0]))


def test_two_engines_spill_apart_and_leave_nothing(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    tmp = tmp_path / "ws" / ".tmp"
    # two DuckDB instances (two generations of the data), as two runs have
    first = contextlib.closing(
        duckdb.connect(str(_database(tmp_path / "gen-1.duckdb")), read_only=True)
    )
    second = contextlib.closing(
        duckdb.connect(str(_database(tmp_path / "gen-2.duckdb")), read_only=True)
    )
    with DuckDBEngine(first, tmp_dir=tmp, memory_limit="20MB") as kept:
        with DuckDBEngine(second, tmp_dir=tmp, memory_limit="20MB") as other:
            folder = _spill_folder(kept)
            assert folder.parent == tmp
            assert _spill_folder(other) != folder
            kept.raw.execute(f"CREATE TEMP TABLE kept AS {_BIG}")
            other.raw.execute(f"CREATE TEMP TABLE gone AS {_BIG}")
            assert any(folder.iterdir())  # it did spill
        # the other run finished and its instance closed: this one's blocks are whole
        row = kept.raw.execute("SELECT count(*), sum(i), max(s) FROM kept").fetchone()
        assert row == (1500000, 1499999 * 1500000 // 2, "fffffe98d0963d27015c198262d97221")
    # DuckDB made each folder when it first spilled and removes it when it closes
    assert [p.name for p in tmp.iterdir() if p.name != "sql"] == []
