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
    con = ws.scratch()
    try:
        assert _setting(con, "memory_limit") == expected != default
        assert Path(_setting(con, "temp_directory")) == ws.tmp_dir
        # it works as a connection: more than its budget spills instead of failing
        row = con.execute(
            "SELECT count(DISTINCT s) FROM (SELECT md5(i::VARCHAR) AS s FROM range(3000000) r(i))"
        ).fetchone()
        assert row == (3000000,)
    finally:
        con.close()
