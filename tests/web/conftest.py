"""A real server on loopback over a small demo workspace with two runs and three users."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from kequn.demo import demo_workspace
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.server import uvicorn_config
from kequn.web.settings import ServerSettings


@dataclass
class Server:
    url: str
    ws: Workspace
    tokens: dict[str, str]
    app: Any = None

    def client(self, role: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def web_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("web"), 1200, seed=3)
    run_taxonomy(ws, as_of=date.fromisoformat("2026-06-30"))
    run_taxonomy(ws, as_of=date.fromisoformat("2026-09-30"))
    return ws


@contextlib.contextmanager
def serving(ws: Workspace, tokens: dict[str, str], **settings: Any) -> Iterator[Server]:
    """A real server (uvicorn, loopback, its own port) for ``ws``, in a thread."""
    port = _free_port()
    app = create_app(ServerSettings(workspace=ws.root, port=port, **settings))
    config = uvicorn_config(app, host="127.0.0.1", port=port)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not uv.started:
        if time.time() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", ws, tokens, app)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(web_ws: Workspace) -> Iterator[Server]:
    tokens = {
        role: add_user(web_ws, f"{role}-user", role) for role in ("admin", "analyst", "viewer")
    }
    with serving(web_ws, tokens) as running:
        yield running


@pytest.fixture
def csv_with_problems(tmp_path: Path) -> Path:
    """An order export with two good rows and two bad ones."""
    path = tmp_path / "orders-upload.csv"
    path.write_text(
        "订单编号,客户编号,下单时间,实付金额\n"
        "U-1,C00000001,2026-09-01,120.50\n"
        "U-2,C00000002,2026/9/2,¥80\n"
        "U-3,C00000003,not a date,10\n"
        "U-4,C00000004,2026-09-03,-5\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def serve() -> Any:
    """:func:`serving` for tests that need a server of their own (own settings or
    workspace): ``with serve(ws, tokens, max_failed_logins=5) as srv: ...``."""
    return serving
