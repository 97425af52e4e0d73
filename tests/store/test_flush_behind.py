"""A write flushes its copy of the data to disk while it works (a thread started after the
copy), and that thread is done when the write ends, published or not."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kequn.store import workspace as store
from kequn.store.workspace import Workspace


def _flushing() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kequn-flush"]


def test_the_copy_is_flushed_before_it_is_published(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ws.write() as con:
        con.execute("CREATE TABLE kept AS SELECT 1 AS x")
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
    with ws.write() as con:
        con.execute("CREATE TABLE kept AS SELECT 1 AS x")
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
