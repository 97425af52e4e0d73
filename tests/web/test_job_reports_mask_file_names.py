"""A viewer reads an import job's report with the file's name masked, as everywhere else.

The uploaded file's name is whatever its sender called it (a buyer's name and phone among
them): the status, the quarantine and a customer's records show it to viewers as
``***.csv``, but ``/api/jobs/{id}`` gave it whole, in the report's ``file``, in each
quarantined row's and in the summary's lines ("… has a header and no rows"), and so did
the job of a quarantine retry in each file's report. Those who see personal data read the
name as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NAME = "张伟-13912345678"


def _upload(client: Any, path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        answer = client.post(
            "/api/imports/orders", files={"file": (path.name, fh)}, params={"wait": True}
        )
    assert answer.status_code == 200, answer.text
    job: dict[str, Any] = answer.json()
    return job


def _seen(server: Any, role: str, job_id: str) -> dict[str, Any]:
    with server.client(role) as client:
        answer = client.get(f"/api/jobs/{job_id}", params={"lang": "zh"})
    assert answer.status_code == 200, answer.text
    seen: dict[str, Any] = answer.json()
    return seen


def test_an_import_job_names_its_file_masked_for_a_viewer(
    server: Any, tmp_path: Path, csv_with_problems: Path
) -> None:
    empty = tmp_path / f"{NAME}-空.csv"
    empty.write_text("订单编号,客户编号,下单时间,实付金额\n", encoding="utf-8")
    bad = tmp_path / f"{NAME}.csv"
    bad.write_bytes(csv_with_problems.read_bytes())
    with server.client("admin") as client:
        jobs = [_upload(client, empty)["id"], _upload(client, bad)["id"]]
        retry = client.post(
            "/api/quarantine/retry", json={"table": "orders"}, params={"wait": True}
        )
        retried = retry.json()["id"]
    for job_id in [*jobs, retried]:
        admin = json.dumps(_seen(server, "admin", job_id), ensure_ascii=False)
        assert NAME in admin  # those who see personal data read the name
        viewer = _seen(server, "viewer", job_id)
        words = json.dumps(viewer, ensure_ascii=False)
        assert "张伟" not in words, words
        assert "13912345678" not in words, words
        assert "***.csv" in words, words
    said = _seen(server, "viewer", jobs[0])["result"]["said"]
    assert any("***.csv" in line["text"] for line in said), said
