"""A write flushes its copy of the data to disk while it works (a thread started after the
copy, ``_flush_behind``), and that thread is done when the write ends, published or not.

The thread also neither drops DuckDB's lock on the generation being written nor outlives
a write that fails: closing any descriptor of a file drops every POSIX lock the process
holds on it, DuckDB's lock on its database among them, so the flush thread closing its
descriptor while the block still wrote let another process open the unpublished
generation, read-write; and a write that failed before its block (the DuckDB connection
refused) left the thread running."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kequn.store import workspace as store
from kequn.store.workspace import Workspace


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    """A workspace with one published generation (table ``kept``: one row, x = 1), so a
    write starts from a copy of it."""
    with ws.write() as con:
        con.execute("CREATE TABLE kept AS SELECT 1 AS x")
    return ws


def _flushing() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kequn-flush"]


def test_the_copy_is_flushed_before_it_is_published(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ws.current_generation()
    flushed: list[str] = []
    synced = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
        synced(fd)

    monkeypatch.setattr(store.os, "fsync", fsync)
    with ws.write() as con:
        # the copy's flush started before the block's work (it may still be running)
        assert any(t.name == "kequn-flush" for t in threading.enumerate()) or flushed
        con.execute("INSERT INTO kept VALUES (2)")
    assert not _flushing()
    second = ws.current_generation()
    assert second != first
    # the copy flushed twice (behind the block, then before CURRENT names it), CURRENT once
    assert flushed.count(str(ws.data_dir / str(second))) == 2
    with ws.read() as con:
        assert con.execute("SELECT sum(x) FROM kept").fetchone() == (3,)


def test_a_failed_write_waits_for_its_flush_and_leaves_no_copy(ws: Workspace) -> None:
    published = ws.current_generation()

    def failing() -> None:
        with ws.write() as con:
            con.execute("INSERT INTO kept VALUES (2)")
            raise RuntimeError("the import failed")

    with pytest.raises(RuntimeError):
        failing()
    assert not _flushing()
    assert ws.current_generation() == published
    assert sorted(p.name for p in Path(ws.data_dir).glob("gen-*.duckdb*")) == [published]


_PROBE = """
import sys, duckdb
try:
    duckdb.connect(sys.argv[1]).close()
except duckdb.Error:
    print("refused")
else:
    print("opened")
"""


def test_another_process_cannot_open_the_generation_being_written(ws: Workspace) -> None:
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
