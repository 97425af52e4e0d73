"""Robustness and privacy of the API over real HTTP: bounded parameters, upload names,
no server paths, audited reads, job results without personal data and their retention."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user, read_audit
from kequn.store.workspace import Workspace


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
    # the viewer reads the same rows, the file's name masked (the admin's job names it)
    mine = [i for i, q in enumerate(job["result"]["quarantine"]) if q["file"] == upload.name]
    rows = [shown["result"]["quarantine"][i] for i in mine]
    assert [(q["row"], q["column"], q["reason"]) for q in rows] == [(3, "ordered_at", "bad_date")]
    assert [q["file"] for q in rows] == ["***.csv"]
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
        answered = client.post("/api/runs?wait=true", json={"models": False})
    assert profile.status_code == 200, profile.text
    assert profile.json()["attributes"]["source_file"] == "crm-export.csv"
    assert answered.status_code == 422, answered.text  # a damaged file: told, not a bug
    failed = answered.json()["job"]
    assert answered.json()["error"] == {"code": "run_failed", "message": failed["error"]}
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
    rules = tmp_path / "deep" / "house-rules.yaml"  # kequn.toml may name any path
    shutil.copy(ws.taxonomy_path, rules)
    ws.settings.taxonomy = str(rules)
    ws.save_settings()
    token = add_user(ws, "owner", "admin")
    with serve(ws, {"admin": token}) as srv, srv.client("admin") as client:
        status = client.get("/api/status")
        quarantine = client.get("/api/quarantine")
    assert status.status_code == 200
    assert status.json()["settings"]["run"]["taxonomy"] == "house-rules.yaml"
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


def test_history_between_an_unknown_run_is_a_404_as_everywhere(server: Any) -> None:
    """``/api/history?before=x`` answered 409 ``workspace``; every other route says 404
    ``unknown_run`` for a run that is not there (a helper's review)."""
    with server.client("viewer") as client:
        for params in ({"before": "nope"}, {"after": "20990101"}):
            found = client.get("/api/history", params={**params, "lang": "zh"})
            assert found.status_code == 404
            assert found.json()["error"]["code"] == "unknown_run"


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


ODD_IDS = ("VIP/001", "A#1", "B?2", "CA", "C%41", "空 格")


@pytest.fixture(scope="module")
def odd_ids_server(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    """A shop whose customer ids hold characters that mean something in a URL."""
    root = tmp_path_factory.mktemp("odd-ids")
    orders = root / "orders.csv"
    lines = ["order_id,customer_id,order_date,amount"]
    for i, cid in enumerate(ODD_IDS):
        lines += [f"O{i}-{k},{cid},2026-0{k + 1}-1{i},{50 + 10 * i + k}" for k in range(3)]
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = Workspace.init(root / "ws")
    import_file(ws, "orders", orders, create_customers=True)
    run_taxonomy(ws, as_of=dt.date(2026, 9, 30))
    tokens = {"admin": add_user(ws, "admin", "admin")}
    with serve(ws, tokens) as srv:
        yield srv


def test_links_open_the_customer_whose_id_they_show(odd_ids_server: Any) -> None:
    """Ids with a slash, #, ?, % or a space: the segment page's links and the API reach
    each customer's own profile (C%41 opened CA's; VIP/001 could not be opened)."""
    with odd_ids_server.client("admin") as client:
        links: dict[str, str] = {}
        counts = client.get("/api/segments", params={"dimension": "lifecycle"}).json()
        for label in {row["label"] for row in counts["dimensions"][0]["labels"]}:
            page = client.get(f"/segments/lifecycle/{label}")
            links |= dict(re.findall(r'<a href="(/customers/[^"]+)">([^<]+)</a>', page.text))
        assert sorted(html.unescape(v) for v in links.values()) == sorted(ODD_IDS)
        for href, shown in links.items():
            profile = client.get(html.unescape(href))
            assert profile.status_code == 200, shown
            assert f"<h1>{shown}" in profile.text or f">{shown}<" in profile.text
        for cid in ODD_IDS:
            found = client.get("/api/customers/" + quote(cid, safe=""))
            assert found.status_code == 200, cid
            assert found.json()["customer_id"] == cid
            records = client.get("/api/customers/" + quote(cid, safe="") + "/records")
            assert records.status_code == 200, cid


def test_rules_that_fail_on_the_data_are_answered_not_crashed(server: Any) -> None:
    """ln(0) stopped DuckDB (a plain-text 500, and every run of a taxonomy using it):
    outside its domain it is now no match; an integer overflow is an error in the
    request's language; so is a rule the grammar refuses."""
    with server.client("viewer") as client:
        ln = client.post("/api/taxonomy/preview", json={"rule": "ln(orders) > 1"})
        assert ln.status_code == 200
        assert ln.json()["ok"] is True
        assert 0 < ln.json()["matched"] < ln.json()["total"]
        huge = {"rule": "orders * 1000000000000000 * 1000000000000000 > 1"}
        for lang, words in (("en", "could not be evaluated"), ("zh", "无法在数据上计算")):
            failed = client.post("/api/taxonomy/preview", json=huge, params={"lang": lang})
            assert failed.status_code == 200
            assert failed.json()["ok"] is False
            assert words in failed.json()["error"]
        unknown = client.post(
            "/api/taxonomy/preview", json={"rule": "nope > 1"}, params={"lang": "zh"}
        )
        assert unknown.json()["ok"] is False
        assert re.search(r"[\u4e00-\u9fff]", unknown.json()["error"])


def test_an_error_no_route_answered_is_a_json_500_in_the_request_s_language(
    server: Any, serve: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> None:
        raise RuntimeError("secret value 13800138000")

    with serve(server.ws, server.tokens) as srv:
        srv.app.add_api_route("/api/boom", boom)
        with srv.client("admin") as client:
            en = client.get("/api/boom")
            zh = client.get("/api/boom", params={"lang": "zh"})
            missing = client.get("/api/nope", params={"lang": "zh"})
    assert en.status_code == zh.status_code == 500
    assert en.json()["error"]["code"] == "internal"
    assert "internal error" in en.json()["error"]["message"]
    assert "服务器内部出错" in zh.json()["error"]["message"]
    assert "13800138000" not in caplog.text  # the log names the error's type, not its text
    assert "RuntimeError" in caplog.text
    assert missing.json()["error"]["message"] == "没有这个地址。"


@pytest.mark.parametrize("as_of", ["garbage", "2026-02-30", "0001-01-01", "9999-12-31"])
def test_a_run_s_date_is_checked_before_the_job_starts(server: Any, as_of: str) -> None:
    """Each of these started a job (garbage failed in Python's words; 9999-12-31 ran and
    its profiles then failed with a plain-text 500)."""
    with server.client("admin") as client:
        for lang, words in (("en", "YYYY-MM-DD"), ("zh", "运行日期")):
            r = client.post("/api/runs", json={"as_of": as_of}, params={"lang": lang})
            assert r.status_code == 422
            assert r.json()["error"]["code"] == "invalid_as_of"
            assert words in r.json()["error"]["message"]
            assert as_of in r.json()["error"]["message"]


def test_a_viewer_cannot_order_members_by_a_personal_field(server: Any) -> None:
    """Sorted by name, a viewer's masked page still told the names' order."""
    url = "/api/segments/lifecycle/{label}/members"
    with server.client("viewer") as viewer, server.client("analyst") as analyst:
        counts = viewer.get("/api/segments", params={"dimension": "lifecycle"}).json()
        label = max(counts["dimensions"][0]["labels"], key=lambda r: r["count"])["label"]
        refused = viewer.get(url.format(label=label), params={"sort": "name"})
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "bad_sort"
        assert "name" not in refused.json()["error"]["message"].split(": ", 1)[1]
        assert viewer.get(url.format(label=label), params={"sort": "spend"}).status_code == 200
        assert analyst.get(url.format(label=label), params={"sort": "name"}).status_code == 200


def test_dashboard_error_pages_carry_their_status_and_the_language_s_words(server: Any) -> None:
    """They were sent as 200, and the role and permission kept their English codes."""
    with server.client("viewer") as client:
        for path in ("/segments/nope/nope", "/customers/nope"):
            assert client.get(path).status_code == 404, path
        refused = client.get("/identity", params={"lang": "zh"})
        assert refused.status_code == 403
        assert "角色 查看者 无权执行此操作（复核身份匹配）" in refused.text
        api = client.post("/api/runs", params={"lang": "zh"})
        assert api.status_code == 403
        assert "查看者" in api.json()["error"]["message"]


def test_a_run_or_journey_asked_for_by_id_is_said_to_be_missing_as_it_is(server: Any) -> None:
    """An unknown run id said "There is no run yet"; a prefix two runs share said no run
    had it; an unknown journey's log and uplift answered 200."""
    with server.client("viewer") as client:
        unknown = client.get("/api/segments", params={"run": "nope", "lang": "zh"})
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "unknown_run"
        assert "nope" in unknown.json()["error"]["message"]
        assert "没有编号" in unknown.json()["error"]["message"]
        shared = client.get("/api/history", params={"before": "2", "dimension": "lifecycle"})
        assert shared.status_code == 409
        assert "give more of the id" in shared.json()["error"]["message"]
        assert client.get("/api/segments", params={"run": ""}).status_code == 200
        for part in ("messages", "uplift"):
            missing = client.get(f"/api/journeys/no-such-journey/{part}")
            assert missing.status_code == 404, part
            assert missing.json()["error"]["code"] == "unknown_journey"


def test_a_job_s_step_is_told_in_its_reader_s_language(tmp_path: Path) -> None:
    """The dashboard showed "正在运行：features"."""
    from kequn.web.jobs import STEPS, Job

    for step in STEPS:
        zh = Job("a1", "run", "ana", tmp_path, step=step, lang="zh").to_dict()["step_text"]
        en = Job("a1", "run", "ana", tmp_path, step=step, lang="en").to_dict()["step_text"]
        assert re.search(r"[\u4e00-\u9fff]", zh), step
        assert en != step
        assert re.fullmatch(r"[a-z ,]+", en), step
    assert Job("a1", "run", "ana", tmp_path, step="", lang="zh").to_dict()["step_text"] == ""


def test_a_job_s_failure_is_told_in_the_requester_s_language(server: Any, tmp_path: Path) -> None:
    """The import job's error came in the server's language ("no usable column…") where
    the CLI with --lang zh says "没有可用的列…"."""
    upload = tmp_path / "nothing.csv"
    upload.write_text("x,y\n1,2\n", encoding="utf-8")
    errors = {}
    with server.client("admin") as client:
        for lang in ("zh", "en"):
            with upload.open("rb") as fh:
                answered = client.post(
                    "/api/imports/customers",
                    params={"wait": "true", "lang": lang},
                    files={"file": ("nothing.csv", fh, "text/csv")},
                )
            assert answered.status_code == 422, answered.text
            assert answered.json()["job"]["state"] == "failed"
            assert answered.json()["job"]["fault"] == "input"
            errors[lang] = answered.json()["error"]["message"]
    assert "没有可用的列" in errors["zh"]
    assert "no usable column" in errors["en"]


@pytest.mark.parametrize(
    "request_line",
    [b"GET /api/customers?q=" + b"a" * 70_000 + b" HTTP/1.1", b"NOT HTTP AT ALL"],
)
def test_a_request_the_server_cannot_parse_gets_a_json_error(
    server: Any, request_line: bytes
) -> None:
    # refused by uvicorn's parser before the app (a request line over its ~64 KB limit,
    # bytes that are no HTTP): in the app's JSON shape rather than uvicorn's plain text.
    # A socket of its own: HTTP clients refuse to send such a request
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request_line + b"\r\nHost: x\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), head
    assert b"content-type: application/json" in head.lower()
    error = json.loads(body)["error"]
    assert error["code"] == "bad_request"
    assert "could not be read" in error["message"]
    assert "请求无法读取" in error["message"]
    with server.client("admin") as client:
        assert client.get("/api/segments/lifecycle/active/members").status_code == 200
