"""Robustness and privacy of the API over real HTTP: bounded parameters, upload names,
no server paths, audited reads, job results without personal data and their retention."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user, read_audit


def _audit_since(server: Any, before: int) -> list[dict[str, Any]]:
    entries = read_audit(server.ws, limit=1_000_000)
    return entries[: len(entries) - before]


def _audit_size(server: Any) -> int:
    return len(read_audit(server.ws, limit=1_000_000))


@pytest.mark.parametrize(
    "path",
    [
        "/api/segments/lifecycle/active/members?offset=" + str(10**23),
        "/api/segments/lifecycle/active/members?offset=" + str(2**63),
        "/segments/lifecycle/active?page=" + str(10**21),
        "/segments/lifecycle/active?page=" + str(2**62),
    ],
)
def test_huge_numbers_in_the_query_are_refused(server: Any, path: str) -> None:
    with server.client("admin") as client:
        response = client.get(path)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("name", ["..", ".", "../x.csv", "a/b.csv", "..\\x.csv", "/etc/passwd"])
def test_an_upload_name_with_path_parts_is_refused(server: Any, name: str) -> None:
    uploads = server.ws.tmp_dir / "uploads"
    before = set(uploads.iterdir()) if uploads.exists() else set()
    with server.client("admin") as client:
        response = client.post(
            "/api/imports/orders?wait=true",
            files={"file": (name, b"order_id,customer_id,ordered_at,amount\n")},
        )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "bad_file_name"
    after = set(uploads.iterdir()) if uploads.exists() else set()
    assert after <= before  # no temp folder left behind


def test_reads_of_jobs_previews_and_worklists_are_audited(server: Any) -> None:
    before = _audit_size(server)
    rule = "city = 'secret-city' and orders > 1"
    with server.client("viewer") as client:
        job = client.get("/api/jobs/abcdefabcdef")  # unknown: 404, nothing read
        preview = client.post("/api/taxonomy/preview", json={"rule": rule})
        worklist = client.get("/api/worklists/marketing")
        page = client.get("/worklists/sales")
    assert job.status_code == 404
    assert preview.status_code == 200
    assert worklist.status_code == 200
    assert page.status_code == 200
    with server.client("analyst") as client:
        started = client.post("/api/runs", json={"models": False}).json()
        read = client.get(f"/api/jobs/{started['id']}")
        assert read.status_code == 200
        while client.get(f"/api/jobs/{started['id']}").json()["state"] == "running":
            time.sleep(0.2)
    new = _audit_since(server, before)
    actions = {(e["who"], e["action"]) for e in new}
    assert ("viewer-user", "rule.preview") in actions
    assert ("viewer-user", "worklist.read") in actions
    assert {"team": "sales"}.items() <= next(
        e["details"]
        for e in new
        if e["action"] == "worklist.read" and e["details"]["team"] == "sales"
    ).items()
    assert ("analyst-user", "job.read") in actions
    assert "secret-city" not in json.dumps(new)  # a rule may name a person: never stored


def test_job_results_hold_no_personal_data(server: Any, tmp_path: Path) -> None:
    upload = tmp_path / "orders-pii.csv"
    upload.write_text(
        "订单编号,客户编号,下单时间,实付金额,手机,收货人\n"
        "P-1,C00000001,2026-09-01,120.50,13912345678,张秘密\n"
        "P-2,C00000002,not a date,80,13987654321,李隐私\n",
        encoding="utf-8",
    )
    with server.client("admin") as client:
        job = client.post(
            "/api/imports/orders?wait=true",
            files={"file": (upload.name, upload.read_bytes(), "text/csv")},
        ).json()
        assert job["state"] == "done", job
        with server.client("viewer") as viewer:
            shown = viewer.get(f"/api/jobs/{job['id']}").json()
        quarantine = client.get("/api/quarantine", params={"table": "orders"}).json()
    stored = (server.ws.root / "jobs" / f"{job['id']}.json").read_text(encoding="utf-8")
    for text in (
        json.dumps(job, ensure_ascii=False),
        json.dumps(shown, ensure_ascii=False),
        stored,
    ):
        for secret in ("13987654321", "李隐私", "not a date"):
            assert secret not in text
    rows = [q for q in shown["result"]["quarantine"] if q["file"] == upload.name]
    assert [(q["row"], q["column"], q["reason"]) for q in rows] == [(3, "ordered_at", "bad_date")]
    # an admin still reads the rejected record from the quarantine, which audits it
    record = next(q for q in quarantine if q["file"] == upload.name)["record"]
    assert "13987654321" in json.dumps(record, ensure_ascii=False)


def test_old_job_files_are_removed_after_the_retention(server: Any) -> None:
    folder = server.ws.root / "jobs"
    folder.mkdir(exist_ok=True)
    old = folder / "0123456789ab.json"
    old.write_text(
        json.dumps({"id": "0123456789ab", "kind": "import", "state": "done", "pid": 1}),
        encoding="utf-8",
    )
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    with server.client("admin") as client:
        response = client.get("/api/jobs/0123456789ab")
    assert response.status_code == 404
    assert not old.exists()


def test_no_absolute_server_paths_in_answers(tmp_path: Path, serve: Any) -> None:
    ws = demo_workspace(tmp_path / "paths", 60, seed=5)
    source = tmp_path / "deep" / "folder" / "crm-export.csv"
    source.parent.mkdir(parents=True)
    source.write_text(
        "客户编号,姓名,城市\nPATH1,路径,上海\n\n",
        encoding="utf-8",
    )
    import_file(ws, "customers", source)
    orders = tmp_path / "deep" / "folder" / "orders-export.csv"
    orders.write_text(
        "订单编号,客户编号,下单时间,实付金额\nQ-1,PATH1,2026-05-01,10\nQ-2,PATH1,never,10\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", orders)
    run_taxonomy(ws, with_models=False)
    token = add_user(ws, "owner", "admin")
    with serve(ws, {"admin": token}) as srv, srv.client("admin") as client:
        profile = client.get("/api/customers/PATH1")
        generation = ws.current_generation()
        assert generation
        (ws.root / "data" / generation).write_bytes(b"damaged" * 1000)  # the run fails
        failed = client.post("/api/runs?wait=true", json={"models": False}).json()
    assert profile.status_code == 200, profile.text
    assert profile.json()["attributes"]["source_file"] == "crm-export.csv"
    assert failed["state"] == "failed"
    assert "gen-" in failed["error"]  # the file is named...
    for text in (profile.text, json.dumps(failed)):
        assert str(tmp_path) not in text  # ...but not where it is


def test_status_and_quarantine_name_files_only(tmp_path: Path, serve: Any) -> None:
    ws = demo_workspace(tmp_path / "status", 60, seed=6)
    orders = tmp_path / "deep" / "orders-export.csv"
    orders.parent.mkdir(parents=True)
    orders.write_text(
        "订单编号,客户编号,下单时间,实付金额\nQ-1,C00000001,2026-05-01,10\nQ-2,C00000001,never,10\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", orders)
    token = add_user(ws, "owner", "admin")
    with serve(ws, {"admin": token}) as srv, srv.client("admin") as client:
        status = client.get("/api/status")
        quarantine = client.get("/api/quarantine")
    assert status.status_code == 200
    assert quarantine.status_code == 200
    assert any(q["file"] == "orders-export.csv" for q in quarantine.json())
    for text in (status.text, quarantine.text):
        assert str(tmp_path) not in text


@pytest.mark.parametrize("column", ["name", "city", "customer_id", "spend", "traits", "nope"])
def test_history_moves_only_along_an_exclusive_dimension(server: Any, column: str) -> None:
    """Any other column of the labels was compared as if it were one: a viewer's
    ``/api/history?dimension=name`` listed customers' names."""
    with server.client("viewer") as client:
        found = client.get("/api/history", params={"dimension": column})
        assert found.status_code == 404
        assert found.json()["error"]["code"] == "unknown_dimension"
        assert "lifecycle" in found.json()["error"]["message"]  # what may be asked instead
        zh = client.get("/api/history", params={"dimension": column, "lang": "zh"})
        assert "互斥维度" in zh.json()["error"]["message"]
        fine = client.get("/api/history", params={"dimension": "lifecycle"})
        assert fine.status_code == 200
        assert fine.json()["moves"]


def test_a_path_or_method_no_route_has_answers_in_the_api_s_error_shape(server: Any) -> None:
    """Starlette's own 404 and 405 came out as ``{"detail": ...}``, unlike every other error."""
    with server.client("admin") as client:
        missing = client.get("/api/nope")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "http_404"
        assert missing.json()["error"]["message"]
        slashed = client.get("/api/customers/a%2Fb")
        assert slashed.status_code == 404
        assert "error" in slashed.json()
        wrong = client.delete("/api/runs")
        assert wrong.status_code == 405
        assert wrong.json()["error"]["code"] == "http_405"
        assert wrong.headers["allow"]  # the header Starlette set is kept
