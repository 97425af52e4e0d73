"""The schedule in the server: GET /api/schedule, running a job from the API, the runs
page in both languages, a bad [schedule] told as JSON, and ``kequn serve`` carrying out
a job (a catch-up at start) and stopping cleanly on SIGTERM. Real servers on loopback."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import tomli_w
import uvicorn

from kequn.automation.schedule import find_job, records
from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _poll(check: Any, seconds: float = 60.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def _set_schedule(ws: Workspace, schedule: dict[str, Any]) -> None:
    path = ws.root / "kequn.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["schedule"] = schedule
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


@pytest.fixture
def own_ws(web_ws: Workspace, tmp_path: Path) -> Workspace:
    """A private copy of the web tests' workspace (two runs), with three users."""
    shutil.copytree(web_ws.root, tmp_path / "ws")
    ws = Workspace.open(tmp_path / "ws")
    _set_schedule(ws, {"daily": {"at": "06:00", "steps": ["deliver"]}})
    return ws


@contextlib.contextmanager
def _serving(ws: Workspace) -> Iterator[str]:
    port = _free_port()
    app = create_app(ServerSettings(workspace=ws.root, port=port))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _poll(lambda: server.started, 30)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _tokens(ws: Workspace) -> dict[str, str]:
    return {role: add_user(ws, f"s-{role}", role) for role in ("admin", "analyst", "viewer")}


def _signed_in(url: str, token: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    done = client.post("/login", data={"token": token, "next": "/runs"})
    assert done.status_code == 303
    return client


def test_api_and_runs_page_show_next_time_and_last_outcome(own_ws: Workspace) -> None:
    tokens = _tokens(own_ws)
    with _serving(own_ws) as url:
        viewer = httpx.Client(
            base_url=url, timeout=60, headers={"Authorization": f"Bearer {tokens['viewer']}"}
        )
        analyst = httpx.Client(
            base_url=url, timeout=60, headers={"Authorization": f"Bearer {tokens['analyst']}"}
        )
        for method, path in (("GET", "/api/schedule"), ("POST", "/api/schedule/daily/run")):
            anonymous = httpx.request(method, url + path, timeout=60)
            assert anonymous.status_code == 401
            assert anonymous.json()["error"]["code"] == "unauthorized"
        before = viewer.get("/api/schedule", params={"lang": "en"})
        assert before.status_code == 200
        (job,) = before.json()["jobs"]
        assert job["name"] == "daily"
        assert job["when"] == "daily at 06:00"
        assert job["last"] is None
        assert job["next"].endswith("T06:00:00+08:00")

        denied = viewer.post("/api/schedule/daily/run")
        assert denied.status_code == 403
        assert denied.json()["error"]["message"]
        missing = analyst.post("/api/schedule/weekly/run")
        assert missing.status_code == 404
        assert "weekly" in missing.json()["error"]["message"]

        started = analyst.post("/api/schedule/daily/run", params={"wait": "true"})
        assert started.status_code == 200, started.text
        result = started.json()
        assert result["state"] == "done", result
        assert result["result"]["outcome"] == "ok"
        assert result["result"]["trigger"] == "manual"

        (job,) = viewer.get("/api/schedule").json()["jobs"]
        assert job["last"]["outcome"] == "ok"
        served = records.parse_time(records.read_state(own_ws, "daily")["served_until"])
        assert served is not None
        expected_next = find_job(own_ws, "daily").next_after(served)
        assert expected_next is not None
        assert job["next"] == expected_next.isoformat()

        pages = _signed_in(url, tokens["viewer"])
        english = pages.get("/runs", params={"lang": "en"})
        assert english.status_code == 200
        assert 'id="schedule-jobs"' in english.text
        assert "daily at 06:00" in english.text
        assert expected_next.strftime("%Y-%m-%d %H:%M") in english.text
        assert 'data-outcome="ok"' in english.text
        assert "succeeded" in english.text
        chinese = pages.get("/runs", params={"lang": "zh"})
        assert "每天 06:00" in chinese.text
        assert "成功" in chinese.text
        assert "定时任务" in chinese.text
        assert 'id="runs"' in chinese.text  # the runs are still listed above


def test_a_bad_schedule_is_json_and_a_message_on_the_page(own_ws: Workspace) -> None:
    tokens = _tokens(own_ws)
    _set_schedule(own_ws, {"daily": {"at": "06:00", "steps": ["launch"]}})
    with _serving(own_ws) as url:
        api = httpx.Client(
            base_url=url, timeout=60, headers={"Authorization": f"Bearer {tokens['viewer']}"}
        )
        answer = api.get("/api/schedule", params={"lang": "en"})
        assert answer.status_code == 409
        message = answer.json()["error"]["message"]
        assert "kequn.toml" in message
        assert "[schedule] daily.steps" in message
        page = _signed_in(url, tokens["viewer"]).get("/runs", params={"lang": "zh"})
        assert page.status_code == 200
        assert 'id="schedule-error"' in page.text
        assert "[schedule] daily.steps" in page.text


@pytest.mark.slow
def test_kequn_serve_catches_up_a_missed_job_and_stops_cleanly(own_ws: Workspace) -> None:
    tokens = _tokens(own_ws)
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    records.write_state(own_ws, "daily", {"served_until": yesterday.isoformat()})
    port = _free_port()
    env = {**os.environ, "KEQUN_LANG": "en"}
    server = subprocess.Popen(
        [sys.executable, "-m", "kequn.cli", "serve", "-w", str(own_ws.root), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        admin = {"Authorization": f"Bearer {tokens['admin']}"}

        def healthy() -> bool:
            try:
                return httpx.get(f"{url}/api/health", timeout=5).status_code == 200
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()
                return False

        _poll(healthy, 120)

        def caught_up() -> dict[str, Any] | None:
            (job,) = httpx.get(f"{url}/api/schedule", headers=admin, timeout=30).json()["jobs"]
            return job if job["last"] else None

        job = _poll(caught_up, 120)
        assert job["last"]["outcome"] == "ok"
        assert job["last"]["trigger"] == "catch_up"
        assert job["overdue"] is False
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
        assert server.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    state = records.read_state(own_ws, "daily")
    assert "running" not in state
    assert len([r for r in records.history(own_ws, "daily") if r["outcome"] == "ok"]) == 1


def test_serve_refuses_to_start_with_a_bad_schedule(own_ws: Workspace) -> None:
    _set_schedule(own_ws, {"daily": {"at": "06:00", "cron": "0 6 * * *", "steps": ["run"]}})
    done = subprocess.run(
        [sys.executable, "-m", "kequn.cli", "serve", "-w", str(own_ws.root), "--port", str(_free_port())],
        capture_output=True, text=True, env={**os.environ, "KEQUN_LANG": "en"}, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "[schedule] daily" in done.stderr
