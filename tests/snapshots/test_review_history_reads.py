"""``history`` compares one exclusive dimension between two runs, and the dashboard's
overview asks for it on every load: it reads the labels files, which hold the
dimensions in runs of every version, not the runs' rows with every feature joined to
them (3x as long at 1M customers). Between a run of an older version (one file) and a
new one it gives what reading the rows gives."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kequn import pipeline
from kequn.demo import demo_workspace
from kequn.snapshots import reports
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("review-history"), 80, seed=6)
    pipeline.run(ws, as_of=dt.date(2026, 6, 30), with_models=False)
    pipeline.run(ws, as_of=dt.date(2026, 9, 30), with_models=False)
    return ws


def test_history_reads_the_labels_alone(two: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = reports.history(two, "lifecycle")

    def joined(_run: RunInfo) -> str:
        raise AssertionError("history joined the features to the labels")

    monkeypatch.setattr(RunInfo, "rows_sql", joined)
    assert reports.history(two, "lifecycle") == expected
    assert sum(m["customers"] for m in expected["moves"]) >= 80


def test_history_between_an_older_run_and_a_new_one(two: Workspace, tmp_path: Path) -> None:
    expected = reports.history(two, "value")
    shutil.copytree(two.root, tmp_path / "ws")
    copy = Workspace.open(tmp_path / "ws")
    older = min(list_runs(copy), key=lambda r: r.as_of)
    whole = older.rows()
    older.features_path.unlink()
    pq.write_table(whole, older.labels_path)  # everything in one file, as runs were written
    assert reports.history(copy, "value")["moves"] == expected["moves"]
