"""A scheduled step that fails with an error kequn tells people about is recorded in its
words, and those may quote a customer's data (a synced file without its header row:
"found: C1, 张伟, 13912345678"). Every role read them at /api/schedule, on the runs page
and in the job of a scheduled job run from the API; a reader without personal data now
reads that the step failed and who can read why, administrators and analysts the text."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from kequn.automation.schedule import runner
from kequn.ingest.readers import SourceError
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

PHONE = "13912345678"
TOLD = f"cust.csv: no usable column. Expected (at least): customer_id; found: C1, 张伟, {PHONE}"


def _failing(_ws: Workspace, _job: Any) -> str:
    raise SourceError(TOLD)


@pytest.fixture
def scheduled_ws(web_ws: Workspace, tmp_path: Path) -> Workspace:
    shutil.copytree(web_ws.root, tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    path = ws.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["schedule"] = {"daily": {"at": "06:00", "steps": ["run"]}}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return Workspace.open(ws.root)


def test_a_told_failure_is_kept_from_viewers(
    scheduled_ws: Workspace, serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(runner.STEPS, "run", _failing)
    roles = ("admin", "analyst", "viewer")
    tokens = {role: add_user(scheduled_ws, f"s-{role}", role) for role in roles}
    with serve(scheduled_ws, tokens) as srv:
        with srv.client("admin") as admin:
            started = admin.post("/api/schedule/daily/run", params={"wait": "true"})
        assert started.status_code == 200, started.text
        job_id = started.json()["id"]
        for role in roles:
            with srv.client(role) as client:
                for lang, words in (("zh", "个人数据"), ("en", "personal data")):
                    status = client.get("/api/schedule", params={"lang": lang})
                    assert status.status_code == 200, status.text
                    (entry,) = status.json()["jobs"]
                    assert entry["last"]["outcome"] == "failed"
                    job = client.get(f"/api/jobs/{job_id}", params={"lang": lang})
                    assert job.status_code == 200, job.text
                    page = client.get("/runs", params={"lang": lang})
                    assert page.status_code == 200
                    for text in (status.text, job.text, page.text):
                        assert (PHONE in text) == (role != "viewer"), (role, lang, text[:300])
                    if role == "viewer":
                        assert words in entry["last"]["error"]
                        assert words in entry["last"]["steps"][0]["error"]
                        assert words in page.text
