"""A scheduled step that fails with a bug (an error kequn does not tell people about) is
recorded by its kind, not its text: the text of such an error may quote a customer's
value (DuckDB's ``Could not convert string '138…'``), and the schedule's record is read
by every role at ``/api/schedule``, on the runs page, in the job of a run started from
the API, and in the server's log. A background job of the server already kept only the
kind (:mod:`kequn.web.jobs`); the schedule kept ``Type: text``."""

from __future__ import annotations

import logging
import shutil
import tomllib
from pathlib import Path
from typing import Any

import duckdb
import pytest
import tomli_w

from kequn.automation.schedule import runner
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

PHONE = "13812345678"


def _failing(_ws: Workspace, _job: Any) -> str:
    raise duckdb.ConversionException(f"Conversion Error: Could not convert string '{PHONE}'")


@pytest.fixture
def scheduled_ws(web_ws: Workspace, tmp_path: Path) -> Workspace:
    shutil.copytree(web_ws.root, tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    path = ws.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["schedule"] = {"daily": {"at": "06:00", "steps": ["run"]}}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return Workspace.open(ws.root)


def test_a_bug_in_a_scheduled_step_is_recorded_without_its_text(
    scheduled_ws: Workspace,
    serve: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(runner.STEPS, "run", _failing)
    tokens = {role: add_user(scheduled_ws, f"b-{role}", role) for role in ("admin", "viewer")}
    with serve(scheduled_ws, tokens) as srv, caplog.at_level(logging.INFO):
        with srv.client("admin") as admin:
            started = admin.post("/api/schedule/daily/run", params={"wait": "true", "lang": "zh"})
        assert started.status_code == 200, started.text
        job = started.json()
        with srv.client("viewer") as viewer:
            for lang in ("zh", "en"):
                seen = viewer.get("/api/schedule", params={"lang": lang})
                assert seen.status_code == 200
                (entry,) = seen.json()["jobs"]
                assert entry["last"]["outcome"] == "failed"
                assert entry["last"]["error"], entry  # the kind is still told
                assert "ConversionException" in seen.text
                assert PHONE not in seen.text
            read = viewer.get(f"/api/jobs/{job['id']}")
            assert read.status_code == 200
            assert PHONE not in read.text
            page = viewer.get("/runs")
            assert page.status_code == 200
            assert PHONE not in page.text
    assert PHONE not in started.text
    assert "ConversionException" in caplog.text  # the log says what failed, and where
    assert PHONE not in caplog.text
