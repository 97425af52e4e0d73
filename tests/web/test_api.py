"""Every API route over real HTTP: answers, 401 without a token, 403 per role, masking."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kequn.privacy.shown_ids import id_cipher
from kequn.store.access import read_audit

# (method, path, body) for every route that needs a token
ROUTES = [
    ("GET", "/api/me", None),
    ("GET", "/api/status", None),
    ("GET", "/api/quarantine", None),
    ("POST", "/api/runs", {}),
    ("GET", "/api/jobs/nope", None),
    ("GET", "/api/runs", None),
    ("GET", "/api/runs/latest", None),
    ("GET", "/api/segments", None),
    ("GET", "/api/segments/lifecycle/active/members", None),
    ("GET", "/api/segments/lifecycle/active/export", None),
    ("GET", "/api/clusters", None),
    ("GET", "/api/rfm", None),
    ("GET", "/api/worklists/marketing", None),
    ("GET", "/api/history", None),
    ("GET", "/api/customers/C00000001", None),
    ("GET", "/api/taxonomy", None),
    ("POST", "/api/taxonomy/validate", {"text": "x"}),
    ("PUT", "/api/taxonomy", {"text": "x"}),
    ("POST", "/api/taxonomy/preview", {"rule": "orders > 1"}),
    ("POST", "/api/imports/orders", None),
]


def test_health_needs_no_token(server: Any) -> None:
    with server.client() as client:
        response = client.get("/api/health")
        head = client.head("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}  # nothing of the data, without a token
    assert head.status_code == 200  # a monitor's HEAD, not 405
    assert not head.content


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_other_route_needs_a_token(server: Any, method: str, path: str, body) -> None:
    with server.client() as client:
        response = client.request(method, path, json=body)
        bad = client.request(method, path, json=body, headers={"Authorization": "Bearer kq_wrong"})
    for r in (response, bad):
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"),
    [
        (
            "POST",
            "/api/runs?wait=true",
            {"models": False, "as_of": "2026-09-30"},
            {"admin", "analyst"},
        ),
        ("GET", "/api/segments/value/high/export", None, {"admin", "analyst"}),
        ("PUT", "/api/taxonomy", "same", {"admin", "analyst"}),
        ("POST", "/api/imports/orders", "file", {"admin"}),
    ],
)
@pytest.mark.parametrize("role", ["admin", "analyst", "viewer"])
def test_roles(
    server: Any, role: str, method: str, path: str, body, allowed, tmp_path: Path
) -> None:
    with server.client(role) as client:
        if body == "same":
            body = {"text": client.get("/api/taxonomy").json()["text"]}
        if body == "file":
            upload = tmp_path / "empty.csv"
            upload.write_text("order_id,customer_id,order_date,amount\n", encoding="utf-8")
            with upload.open("rb") as fh:
                response = client.post(
                    path + "?wait=true", files={"file": ("empty.csv", fh, "text/csv")}
                )
        else:
            response = client.request(method, path, json=body)
    if role in allowed:
        assert response.status_code in (200, 202), response.text
    else:
        assert response.status_code == 403
        assert role in response.json()["error"]["message"]


def test_segments_members_paging_sorting_and_filtering(server: Any) -> None:
    with server.client("analyst") as client:
        counts = client.get("/api/segments", params={"dimension": "lifecycle"}).json()
        active = next(lab for lab in counts["dimensions"][0]["labels"] if lab["label"] == "active")
        first = client.get("/api/segments/lifecycle/active/members", params={"limit": 5}).json()
        second = client.get(
            "/api/segments/lifecycle/active/members", params={"limit": 5, "offset": 5}
        ).json()
        ascending = client.get(
            "/api/segments/lifecycle/active/members",
            params={"limit": 500, "sort": "orders", "order": "asc"},
        ).json()
        one = first["rows"][0]["customer_id"]
        found = client.get("/api/segments/lifecycle/active/members", params={"q": one}).json()
        bad_sort = client.get("/api/segments/lifecycle/active/members", params={"sort": "phone"})
        unknown = client.get("/api/segments/lifecycle/nope/members")
    assert first["total"] == active["count"] > 10
    assert len(first["rows"]) == 5
    assert {r["customer_id"] for r in first["rows"]}.isdisjoint(
        r["customer_id"] for r in second["rows"]
    )
    spends = [r["spend"] for r in first["rows"] + second["rows"]]
    assert spends == sorted(spends, reverse=True)
    orders = [r["orders"] for r in ascending["rows"]]
    assert orders == sorted(orders)
    assert all(r["lifecycle"] == "active" for r in ascending["rows"])
    assert [r["customer_id"] for r in found["rows"]] == [one]
    assert bad_sort.status_code == 400
    assert unknown.status_code == 404
    assert "error" in unknown.json()


def test_viewers_see_personal_data_masked(server: Any) -> None:
    with server.client("analyst") as client:
        full = client.get("/api/customers/C00000001").json()
        page = client.get("/api/segments/lifecycle/active/members", params={"limit": 20}).json()
    seal = id_cipher(server.ws).seal  # ids as a viewer is shown them
    with server.client("viewer") as client:
        masked = client.get(f"/api/customers/{seal('C00000001')}").json()
        masked_page = client.get(
            "/api/segments/lifecycle/active/members", params={"limit": 20}
        ).json()
    for field in ("name", "phone", "email", "address"):
        value = full["attributes"].get(field)
        if value:
            assert masked["attributes"][field] != value
            assert "*" in masked["attributes"][field]
    assert any(full["attributes"].get(f) for f in ("phone", "email"))
    named = [r for r in page["rows"] if r["name"]]
    assert named
    by_id = {r["customer_id"]: r for r in masked_page["rows"]}
    for row in named:
        assert by_id[seal(row["customer_id"])]["name"] != row["name"]
    # labels, reasons and numbers are the same for both
    assert masked["dimensions"] == full["dimensions"]
    assert masked["features"]["spend"] == full["features"]["spend"]


def test_customer_profile_has_labels_reasons_strategies_predictions_and_timeline(
    server: Any,
) -> None:
    with server.client("admin") as client:
        data = client.get("/api/customers/C00000001").json()
        zh = client.get("/api/customers/C00000001", params={"lang": "zh"}).json()
        missing = client.get("/api/customers/NOBODY")
    lifecycle = next(d for d in data["dimensions"] if d["dimension"] == "lifecycle")
    assert lifecycle["labels"][0]["reason"]
    assert zh["dimensions"][0]["name"] != data["dimensions"][0]["name"]
    assert "p_alive" in data["features"]
    assert "churn_risk" in data["features"]
    assert data["orders"] == sorted(data["orders"], key=lambda o: o["ordered_at"], reverse=True)
    assert missing.status_code == 404
    assert "NOBODY" in missing.json()["error"]["message"]


def test_export_csv_and_excel_are_audited(server: Any) -> None:
    with server.client("analyst") as client:
        count = next(
            lab["count"]
            for lab in client.get("/api/segments", params={"dimension": "value"}).json()[
                "dimensions"
            ][0]["labels"]
            if lab["label"] == "high"
        )
        as_csv = client.get("/api/segments/value/high/export")
        as_xlsx = client.get("/api/segments/value/high/export", params={"format": "xlsx"})
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == count
    assert all(r["value"] == "high" for r in rows)
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx.content), read_only=True)
    assert sum(1 for _ in book.worksheets[0].iter_rows()) == count + 1
    exports = [e for e in read_audit(server.ws) if e["action"] == "export"]
    assert exports[0]["who"] == "analyst-user"
    assert exports[0]["details"]["segment"] == "value=high"


def test_personal_reads_are_audited_for_those_who_see_them(server: Any) -> None:
    with server.client("admin") as client:
        client.get("/api/customers/C00000002")
    entry = next(e for e in read_audit(server.ws) if e["action"] == "customer.read")
    assert entry["who"] == "admin-user"
    assert entry["details"] == {"customer_id": "C00000002"}


def test_upload_reports_validation_and_quarantine(server: Any, csv_with_problems: Path) -> None:
    with server.client("admin") as client, csv_with_problems.open("rb") as fh:
        response = client.post(
            "/api/imports/orders?wait=true&lang=en",
            files={"file": (csv_with_problems.name, fh, "text/csv")},
        )
        again = client.get("/api/quarantine", params={"table": "orders"}).json()
        again_zh = client.get("/api/quarantine", params={"table": "orders", "lang": "zh"}).json()
    job = response.json()
    assert job["state"] == "done", job
    report = job["result"]
    assert report["accepted"] == 2
    assert report["rejected"] == 2
    reasons = {(q["row"], q["column"]) for q in report["quarantine"] if q["file"] == report["file"]}
    assert (4, "ordered_at") in reasons
    assert (5, "amount") in reasons
    assert any(q["file"] == report["file"] for q in again)
    # the page shows the column as a person knows it, in their language, not the schema id
    labels = {q["column"]: q["column_label"] for q in again_zh if q["file"] == report["file"]}
    assert labels["ordered_at"] not in ("", "ordered_at")
    assert any(ord(c) > 127 for c in labels["amount"])  # 金额, not "amount"
    # the reason as a code for machines and in words for people, in the job's result too
    named = {q["reason"]: q["reason_name"] for q in again_zh if q["file"] == report["file"]}
    assert named == {"bad_date": "日期无法识别", "negative_amount": "金额为负但不是退款"}
    assert {q["reason_name"] for q in report["quarantine"] if q["file"] == report["file"]} == {
        "date not understood",
        "negative amount, not a refund",
    }


def test_upload_takes_the_import_commands_options(server: Any, tmp_path: Path) -> None:
    """encoding, format, sheet and header_row reach the import as the command's options
    do; the message for text that cannot be read names the upload's way to say it."""
    body = b"order_id,customer_id,ordered_at,amount\nU1,C00000002,2026-08-01 10:00,12.50\n"
    with server.client("admin") as client:
        refused = client.post(
            "/api/imports/orders",
            params={"wait": "true", "encoding": "utf-16", "lang": "en"},
            files={"file": ("u.csv", body, "text/csv")},
        )
        assert refused.status_code == 422, refused.text
        forced = refused.json()["job"]
        plain = client.post(
            "/api/imports/orders",
            params={"wait": "true", "header_row": "1"},
            files={"file": ("u.csv", body, "text/csv")},
        ).json()
        bad = client.post(
            "/api/imports/orders",
            params={"header_row": "0"},
            files={"file": ("u.csv", body, "text/csv")},
        )
    assert forced["state"] != "done", forced
    assert "encoding=" in forced["error"], forced
    assert "utf-16" in forced["error"]
    assert str(server.ws.root) not in forced["error"]  # the file's name, not the server's path
    assert plain["state"] == "done", plain
    assert plain["result"]["accepted"] == 1
    assert bad.status_code == 422


def test_runs_jobs_history_and_models(server: Any) -> None:
    with server.client("analyst") as client:
        job = client.post("/api/runs?wait=true", json={"as_of": "2026-08-31"}).json()
        runs = client.get("/api/runs").json()
        made = job["result"]["run_id"]
        detail = client.get(f"/api/runs/{made}").json()
        polled = client.get(f"/api/jobs/{job['id']}").json()
        history = client.get("/api/history", params={"before": runs[-1]["run_id"], "after": made})
        history = history.json()
        # named: a run of 2026-08-31 made after those of 2026-09-30 is not the default one
        clusters = client.get("/api/clusters", params={"lang": "zh", "run": made}).json()
        rfm = client.get("/api/rfm", params={"run": made}).json()
        work = client.get("/api/worklists/sales", params={"limit": 5, "run": made}).json()
        bad_team = client.get("/api/worklists/finance")
    assert job["state"] == "done", job
    assert polled["state"] == "done"
    assert job["result"]["run_id"] in {r["run_id"] for r in runs}
    assert detail["models"]["status"] == "fitted"
    assert "auc" in detail["models"]["churn"]
    assert sum(m["customers"] for m in history["moves"]) >= detail["customers"]
    assert clusters["clusters"]
    assert all(c["description"] for c in clusters["clusters"])
    assert sum(c["customers"] for c in rfm) > 0
    assert {(c["r"], c["f"]) for c in rfm} <= {(r, f) for r in range(1, 6) for f in range(1, 6)}
    assert len(work) == 5
    assert work[0]["action"]
    assert bad_team.status_code == 404


def test_taxonomy_read_validate_preview_and_save(server: Any) -> None:
    with server.client("analyst") as client:
        current = client.get("/api/taxonomy").json()
        ok = client.post("/api/taxonomy/validate", json={"text": current["text"]}).json()
        broken_text = current["text"].replace("when: orders = 0", "when: ordres = 0", 1)
        broken = client.post("/api/taxonomy/validate", json={"text": broken_text}).json()
        refused = client.put("/api/taxonomy", json={"text": broken_text})
        preview = client.post(
            "/api/taxonomy/preview", json={"rule": "orders >= 3", "dimension": "lifecycle"}
        ).json()
        bad_rule = client.post("/api/taxonomy/preview", json={"rule": "orders >>= 3"}).json()
        edited = current["text"].replace("when: orders = 0", "when: orders = 0 and true", 1)
        saved = client.put("/api/taxonomy", json={"text": edited})
        after = client.get("/api/taxonomy").json()
        client.put("/api/taxonomy", json={"text": current["text"]})
        segments = client.get("/api/segments").json()
    assert ok["ok"]
    assert ok["dimensions"] == len(current["dimensions"])
    assert not broken["ok"]
    assert "ordres" in broken["error"]
    assert refused.status_code == 400
    assert preview["ok"]
    with_orders = next(d for d in segments["dimensions"] if d["dimension"] == "lifecycle")
    buyers = sum(lab["count"] for lab in with_orders["labels"] if lab["label"] != "prospect")
    assert 0 < preview["matched"] < buyers
    assert not bad_rule["ok"]
    assert saved.status_code == 200
    assert after["version"] != current["version"]
    assert any(e["action"] == "taxonomy.save" for e in read_audit(server.ws))


def test_errors_are_json_and_openapi_is_documented(server: Any) -> None:
    with server.client("admin") as client:
        invalid = client.get("/api/segments/lifecycle/active/members", params={"limit": 0})
        unknown_table = client.post(
            "/api/imports/products", files={"file": ("x.csv", b"a\n1\n", "text/csv")}
        )
        # a table kequn has not (the fuzzer sent "null"): told as unknown, never a 500
        no_such_quarantine = client.get("/api/quarantine", params={"table": "null", "lang": "zh"})
        spec = client.get("/openapi.json").json()
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "invalid_request"
    assert unknown_table.status_code == 404
    assert no_such_quarantine.status_code == 404
    assert no_such_quarantine.json()["error"]["code"] == "unknown_table"
    assert "null" in no_such_quarantine.json()["error"]["message"]
    paths = set(spec["paths"])
    for path in (
        "/api/health",
        "/api/segments",
        "/api/customers/{customer_id}",
        "/api/taxonomy/preview",
    ):
        assert path in paths
    assert json.dumps(spec)  # serialisable


def test_a_run_from_the_server_and_one_from_the_cli_at_once(server: Any) -> None:
    """Both finish, each publishes its own complete snapshot, neither sees the other's."""
    import subprocess
    import sys
    import time

    import duckdb

    with server.client("admin") as client:
        job = client.post("/api/runs", json={"as_of": "2026-07-31", "models": False}).json()
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "kequn.cli",
                "run",
                "--workspace",
                str(server.ws.root),
                "--as-of",
                "2026-07-31",
                "--no-models",
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        done = job
        while done["state"] == "running":
            time.sleep(0.2)
            done = client.get(f"/api/jobs/{job['id']}").json()
        runs = {r["run_id"]: r for r in client.get("/api/runs").json()}
    assert cli.returncode == 0, cli.stderr
    assert done["state"] == "done", done
    from_cli = json.loads(cli.stdout)["run_id"]
    from_server = done["result"]["run_id"]
    assert from_cli != from_server
    assert {from_cli, from_server} <= set(runs)
    counts = []
    for run_id in (from_cli, from_server):
        path = server.ws.runs_dir / run_id / "labels.parquet"
        counts.append(
            duckdb.execute(
                "SELECT count(*), count(DISTINCT customer_id) FROM read_parquet(?)",
                [str(path) + ("/*.parquet" if path.is_dir() else "")],
            ).fetchone()
        )
    assert counts[0] == counts[1]
    assert counts[0][0] == counts[0][1] == runs[from_cli]["customers"]


def test_a_failed_run_says_what_to_do_in_the_users_language(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from kequn.demo import demo_workspace
    from kequn.store.access import add_user
    from kequn.web.app import create_app
    from kequn.web.settings import ServerSettings

    ws = demo_workspace(tmp_path, 60, seed=3)
    token = add_user(ws, "owner", "admin")
    generation = ws.current_generation()
    assert generation
    (ws.root / "data" / generation).write_bytes(b"damaged" * 1000)
    told = {}
    with TestClient(create_app(ServerSettings(workspace=ws.root))) as client:
        for lang in ("zh", "en"):
            answered = client.post(
                f"/api/runs?wait=true&lang={lang}",
                json={"models": False},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert answered.status_code == 422, answered.text
            job = answered.json()["job"]
            assert job["state"] == "failed"
            told[lang] = job["error"]
    assert told["en"].startswith("A file could not be read or written")
    assert told["zh"].startswith("无法读写文件")
    assert "not a valid DuckDB database file" in told["zh"]  # the engine's detail
