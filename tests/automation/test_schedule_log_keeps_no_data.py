"""A scheduled step that fails with an error kequn tells people about keeps its text in
the job's record (administrators read it at /api/schedule), but the server's log is told
only its kind: the text may quote a customer's data (a synced file without its header
row fails with "found: C1, 张伟, 13912345678"), and personal data is never logged."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from kequn.automation.schedule import load_schedule, runner
from kequn.ingest.source_error import SourceError
from kequn.store.workspace import Workspace

PHONE = "13912345678"


def _failing(_ws: Workspace, _job: Any) -> str:
    raise SourceError(f"crm.csv: no usable column; found: C1, 张伟, {PHONE}")


def test_a_told_failure_is_logged_by_its_kind_and_recorded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ws = Workspace.init(tmp_path / "ws")
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[schedule]\ndaily = { at = "06:00", steps = ["run"] }\n')
    ws = Workspace.open(ws.root)
    monkeypatch.setitem(runner.STEPS, "run", _failing)
    with caplog.at_level(logging.INFO, logger="kequn.schedule"):
        record = runner.run_job(ws, load_schedule(ws)["daily"])
    assert record is not None
    assert record["outcome"] == "failed"
    assert PHONE in record["steps"][0]["error"]  # the record: read by those who may
    assert "SourceError" in caplog.text  # the log says what failed
    assert PHONE not in caplog.text
    assert "张伟" not in caplog.text
