"""A served workspace whose customers come from several sources and have been through
identity resolution (uncertain pairs to review), for the identity API and page tests."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from kequn import identity
from kequn.identity import synthetic
from kequn.ingest.importer import import_file
from kequn.pipeline import run
from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings

COLUMNS = ["customer_id", "name", "phone", "email", "city", "address", "birth_date"]
ROLES = ("admin", "analyst", "viewer")


@dataclass
class Site:
    url: str
    ws: Workspace
    tokens: dict[str, str]

    def client(self, role: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


def build(root: Path, persons: int = 120) -> Workspace:
    """Synthetic people's records, each source imported as its own (``--source``), one
    order per record, resolved into persons and classified as persons."""
    ws = Workspace.init(root / "ws")
    by_source: dict[str, list[dict[str, Any]]] = {}
    for row in synthetic.generate(persons, seed=5).to_pylist():
        own = str(row["customer_id"]).split(":", 1)[1]
        by_source.setdefault(str(row["origin"]), []).append({**row, "customer_id": own})
    for source, rows in sorted(by_source.items()):
        path = root / f"{source}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            writer.writerows([[r.get(c) or "" for c in COLUMNS] for r in rows])
        import_file(ws, "customers", path, origin=source)
        orders = root / f"orders-{source}.csv"
        with orders.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["order_id", "customer_id", "ordered_at", "amount"])
            for i, r in enumerate(rows):
                writer.writerow([f"O{i}", r["customer_id"], f"2026-09-{1 + i % 28:02d}", 10 + i])
        import_file(ws, "orders", orders, origin=source)
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[identity]\nenabled = true\n")
    identity.run(ws)
    run(ws, as_of=dt.date(2026, 9, 30), with_models=False)
    return ws


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(ws: Workspace) -> Iterator[Site]:
    """A real server (uvicorn on loopback, its own port) for ``ws``, with a user per role."""
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ROLES}
    port = _free_port()
    app = create_app(ServerSettings(workspace=ws.root, port=port))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # poll with a deadline: the server starts in its thread
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", ws, tokens)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
