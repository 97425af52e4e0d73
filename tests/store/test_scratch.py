"""Work on a run's files stays within the workspace's memory budget."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kequn.store.workspace import Settings, Workspace


def _setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    row = con.execute("SELECT current_setting(?)", [name]).fetchone()
    assert row is not None
    return str(row[0])


def test_a_scratch_connection_keeps_to_the_workspace_budget(tmp_path: Path) -> None:
    """The segment events' full join of two runs, the journeys' audiences and the team
    digests run in an in-memory DuckDB: under the workspace's ``memory_limit`` and
    spilling to its temporary folder, not DuckDB's default of 80 % of the machine."""
    ws = Workspace.init(tmp_path / "ws", Settings(memory_limit="123MB"))
    reference = duckdb.connect()
    default = _setting(reference, "memory_limit")
    reference.execute("SET memory_limit = '123MB'")
    expected = _setting(reference, "memory_limit")
    reference.close()
    with ws.scratch() as con, ws.scratch() as other:
        assert _setting(con, "memory_limit") == expected != default
        # each in a spill folder of its own under .tmp/: DuckDB names spill files the
        # same in every instance and deletes them all from its folder when it closes
        folder = Path(_setting(con, "temp_directory"))
        assert folder.parent == ws.tmp_dir
        assert folder.is_dir()
        assert Path(_setting(other, "temp_directory")) != folder
        # more than the budget spills instead of failing, next to another instance that
        # spills and closes meanwhile
        con.execute("SET memory_limit = '20MB'")
        other.execute("SET memory_limit = '20MB'")
        big = "SELECT i, md5(i::VARCHAR) AS s FROM range(1500000) r(i)"
        con.execute(f"CREATE TEMP TABLE kept AS {big}")
        other.execute(f"CREATE TEMP TABLE gone AS {big}")
        assert any(folder.iterdir())
        other.close()
        row = con.execute("SELECT count(*), sum(i), max(s) FROM kept").fetchone()
        assert row == (1500000, 1499999 * 1500000 // 2, "fffffe98d0963d27015c198262d97221")
    assert not folder.exists()
