"""A bounded schemathesis run against the OpenAPI of a real server on loopback, as an
admin: no request it makes may get a 5xx. Its own small workspace, since the fuzzer
saves taxonomies, imports files and erases customers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_api_answers_no_fuzzed_request_with_a_server_error(tmp_path: Path) -> None:
    cli = Path(sys.executable).with_name("schemathesis")
    if not cli.exists() and shutil.which("schemathesis") is None:
        pytest.fail("schemathesis is not installed (pip install -e '.[test]')")
    ws = demo_workspace(tmp_path / "fuzz", 200, seed=7)
    run_taxonomy(ws, with_models=False)
    token = add_user(ws, "fuzzer", "admin")
    port = _free_port()
    # a lock-out would turn the fuzzer's requests into 429s: it sends one valid token only
    app = create_app(ServerSettings(workspace=ws.root, port=port, max_failed_logins=10**6))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        done = subprocess.run(
            [
                str(cli if cli.exists() else shutil.which("schemathesis")),
                "run",
                f"http://127.0.0.1:{port}/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "not_a_server_error",
                "--max-examples",
                "25",
                "--seed",
                "15",
                "--request-timeout",
                "60",
                # a run takes seconds and runs queue behind each other: a fuzzer starting
                # dozens would only measure the queue (runs are tested in tests/web)
                "--exclude-path",
                "/api/runs",
                "--report-dir",
                str(tmp_path / "report"),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "Server error" not in done.stdout
