"""An erasure killed between its steps, in a real process: the data was published
without the person, the runs still held them, and nothing said so; the next commands
went on as if the erasure had happened. Every command now says an erasure was cut
short (by its audit reference, never the id) until ``kequn privacy erase`` is run again
and finishes it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb

from kequn import pipeline
from kequn.demo import demo_workspace
from kequn.privacy import pseudonym
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import exclusive

KEQUN = [sys.executable, "-m", "kequn.cli"]


def _ids(labels: Path) -> set[str]:
    return {
        r[0] for r in duckdb.sql(f"SELECT customer_id FROM read_parquet('{labels}')").fetchall()
    }


def test_a_killed_erasure_is_told_until_it_is_finished(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path, 60, seed=2)
    run = pipeline.run(ws, with_models=False)
    victim = sorted(_ids(run.labels_path))[0]
    generation = ws.current_generation()
    # the erasure publishes the data without them, then waits here to clean the runs
    with exclusive(ws.root / "locks" / "publish.lock", 60):
        proc = subprocess.Popen(
            [*KEQUN, "privacy", "erase", victim, "-y", "-w", str(ws.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while ws.current_generation() == generation and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        proc.kill()
        proc.communicate(timeout=60)
    assert victim in _ids(list_runs(ws)[0].labels_path)  # half done: still in the run

    subject = pseudonym(ws, victim)
    status = subprocess.run(
        [*KEQUN, "--lang", "zh", "status", "-w", str(ws.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert status.returncode == 0, status.stderr
    assert "删除" in status.stderr
    assert "未完成" in status.stderr
    assert subject in status.stderr
    assert victim not in status.stderr + status.stdout  # the reference, not the person

    again = subprocess.run(
        [*KEQUN, "privacy", "erase", victim, "-y", "-w", str(ws.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert victim not in _ids(list_runs(ws)[0].labels_path)
    after = subprocess.run(
        [*KEQUN, "status", "-w", str(ws.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert after.returncode == 0, after.stderr
    assert "cut short" not in after.stderr
    assert not list((ws.root / "locks").glob("erasing-*"))


def test_an_erasure_finished_but_for_its_mark_is_finished_quietly(tmp_path: Path) -> None:
    """Killed after its last step: nothing is left of the person, and running it again
    is not refused as an erasure of nobody."""
    ws = demo_workspace(tmp_path, 40, seed=3)
    victim = "nobody-left"
    marker = ws.root / "locks" / f"erasing-{pseudonym(ws, victim)}"
    marker.parent.mkdir(exist_ok=True)
    marker.write_text("2026-12-05T10:00:00", encoding="utf-8")
    done = subprocess.run(
        [*KEQUN, "privacy", "erase", victim, "-y", "-w", str(ws.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
