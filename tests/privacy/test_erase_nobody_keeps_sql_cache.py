"""Erasing an id nobody has, over the API: a 404, and the engine's compiled SQL (kept
under ``.tmp/sql``, made from the taxonomy and the settings, never from customers) left
alone. The staged files' scrub read those files as bytes and removed every one holding
the id's text, so ``{"customer_id": "_"}`` (or ``t0``, or ``spend``) deleted the cache
and, having removed something, answered 200 with a subject, as if a person had been
erased, and said so in the audit log."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kequn.demo import demo_workspace
from kequn.pipeline import run
from kequn.privacy import NoSuchPersonError, erase_person
from kequn.store.access import add_user
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


@pytest.mark.parametrize("given", ["_", "t0"])
def test_erasing_an_unknown_id_is_a_404_and_keeps_the_sql_cache(tmp_path: Path, given: str) -> None:
    ws = demo_workspace(tmp_path, 30)
    run(ws, as_of=dt.date(2026, 9, 30))
    cached = sorted((ws.tmp_dir / "sql").glob("*"))
    assert cached  # the run kept its compiled SQL
    token = add_user(ws, "admin", "admin")
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        answer = client.post(
            "/api/privacy/erase",
            json={"customer_id": given},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["code"] == "no_customer"
    assert sorted((ws.tmp_dir / "sql").glob("*")) == cached
    assert "privacy.erase" not in (ws.root / "audit.jsonl").read_text(encoding="utf-8")


def test_erasing_nobody_leaves_job_reports_and_files_being_imported(tmp_path: Path) -> None:
    """An id nobody has is a word of other people's rows in the files searched as text
    (``x``, ``1``): a 404, and those rows kept."""
    ws = demo_workspace(tmp_path, 30)
    jobs = ws.root / "jobs"
    jobs.mkdir(exist_ok=True)
    report = jobs / "job-1.json"
    report.write_text(json.dumps({"rejected": ["row 3: size x 1", "row 4: 1 x"]}), "utf-8")
    ws.tmp_dir.mkdir(exist_ok=True)
    upload = ws.tmp_dir / "upload-orders.csv"
    upload.write_text("order_id,customer_id,quantity\nO1,C1,1\nO2,C2,x\n", "utf-8")
    before = (report.read_bytes(), upload.read_bytes())
    for given in ("x", "1"):
        with pytest.raises(NoSuchPersonError):
            erase_person(ws, given)
    assert (report.read_bytes(), upload.read_bytes()) == before
    audit = ws.root / "audit.jsonl"
    assert not audit.exists() or "privacy.erase" not in audit.read_text(encoding="utf-8")
