"""A run killed half-way leaves no copy of everyone's features behind: the next run
removes its staging folder, and leaves alone the one of a run still in progress."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.pipeline import run
from kequn.snapshots.runs import discard, list_runs, staging_dir
from kequn.store.workspace import Workspace


def _workspace(ws: Workspace, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    lines = ["order id,customer id,order date,amount"]
    for i in range(3000):
        lines.append(f"O{i},C{i % 300},2025-{1 + i % 12:02d}-{1 + i % 28:02d},{10 + i % 90}.5")
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(ws, "orders", orders)


def test_the_next_run_removes_what_a_killed_run_staged(ws: Workspace, tmp_path: Path) -> None:
    _workspace(ws, tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kequn.cli", "run", "--no-models", "-w", str(ws.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    deadline = time.monotonic() + 120
    # wait until the run has written every customer's features, then kill it
    while time.monotonic() < deadline and not list(ws.tmp_dir.glob("run-*/features.parquet")):
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    left = [p for p in ws.tmp_dir.glob("run-*") if p.is_dir()]
    assert len(left) == 1
    assert (left[0] / "features.parquet").is_file()
    assert list_runs(ws) == []

    live = staging_dir(ws, "19700101-000000-19700101-live")  # a run still writing
    try:
        info = run(ws, with_models=False)
        assert [r.run_id for r in list_runs(ws)] == [info.run_id]
        assert not left[0].exists()
        assert live.is_dir()  # its lock is held: not a leftover
        assert sorted(p.name for p in ws.tmp_dir.glob("run-*")) == [live.name, live.name + ".lock"]
    finally:
        discard(live)
    assert list(ws.tmp_dir.glob("run-*")) == []


def test_the_next_run_removes_the_spill_folders_of_processes_that_are_gone(
    ws: Workspace, tmp_path: Path
) -> None:
    """A process killed while DuckDB had spilled left ``.tmp/spill-…`` behind for good
    (DuckDB removes it only when it closes): at scale, gigabytes of a run's blocks."""
    from kequn.store.workspace import spill_prefix

    _workspace(ws, tmp_path)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid now names no process
    ws.tmp_dir.mkdir(exist_ok=True)
    dead = ws.tmp_dir / f"spill-{gone.pid}-0123456789ab"
    (dead / "duckdb_temp_storage_DEFAULT-0.tmp").parent.mkdir()
    (dead / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"\0" * 4096)
    alive = ws.tmp_dir / f"{spill_prefix()}ba9876543210"  # this process's: in use
    alive.mkdir()
    older = ws.tmp_dir / "spill-abcdef"  # an older kequn's name, without a pid: left alone
    older.mkdir()
    run(ws, with_models=False)
    assert not dead.exists()
    assert alive.is_dir()
    assert older.is_dir()
