"""The thread that flushes a write's copy to disk (``_flush_behind``) neither drops
DuckDB's lock on the generation being written nor outlives a write that fails.

Closing any descriptor of a file drops every POSIX lock the process holds on it, DuckDB's
lock on its database among them: the flush thread closing its descriptor while the block
still wrote let another process open the unpublished generation, read-write. And a write
that failed before its block (the DuckDB connection refused) left the thread running."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kequn.store import workspace as store
from kequn.store.workspace import Workspace

_PROBE = """
import sys, duckdb
try:
    duckdb.connect(sys.argv[1]).close()
except duckdb.Error:
    print("refused")
else:
    print("opened")
"""


def _flushing() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kequn-flush"]


def test_another_process_cannot_open_the_generation_being_written(ws: Workspace) -> None:
    with ws.write() as con:
        con.execute("CREATE TABLE kept AS SELECT 1 AS x")
    with ws.write() as con:
        for thread in _flushing():
            thread.join()  # the copy flushed: what the thread opened, it may have closed
        row = con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchone()
        assert row is not None
        path = str(row[0])
        assert Path(path).name != ws.current_generation()
        probe = [sys.executable, "-c", _PROBE, path]
        said = subprocess.run(probe, check=False, capture_output=True, text=True, timeout=120)
        assert said.stdout.strip() == "refused", said.stderr
        con.execute("INSERT INTO kept VALUES (2)")
    with ws.read() as con:
        assert con.execute("SELECT sum(x) FROM kept").fetchone() == (3,)


def test_a_write_refused_its_connection_leaves_no_flush_running(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ws.write() as con:
        con.execute("CREATE TABLE kept AS SELECT 1 AS x")
    published = ws.current_generation()
    synced = store.os.fsync

    def slow(fd: int) -> None:
        time.sleep(0.5)
        synced(fd)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise store.duckdb.IOException("cannot open the copy")

    monkeypatch.setattr(store.os, "fsync", slow)
    monkeypatch.setattr(store.duckdb, "connect", refused)
    with pytest.raises(store.duckdb.IOException), ws.write():
        pass
    assert not _flushing()
    assert ws.current_generation() == published
