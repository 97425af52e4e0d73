"""Helpers for the automation tests. Real parts on loopback: a demo workspace with two runs made by the pipeline (the
automation hook installed), a webhook receiver that checks signatures and applies each
idempotency key once, and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import yaml

from kequn.automation.channels import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, verify
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.workspace import Workspace

SECRET = "s3cret-for-tests"
SECRET_ENV = "KEQUN_TEST_WEBHOOK_SECRET"
EARLY, LATE = dt.date(2026, 6, 30), dt.date(2026, 9, 30)
#: customers_export.csv's header as Shopify writes it (public importers hold it; the
#: newest exports put a Customer ID first)
SHOPIFY_CUSTOMERS = (
    "First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,"
    "Tax Exempt,Tags"
)


def runs(ws: Workspace) -> tuple[RunInfo, RunInfo]:
    """(earlier, later) by as-of date."""
    found = sorted(list_runs(ws), key=lambda r: r.as_of)
    return found[0], found[-1]


def write_journeys(ws: Workspace, data: dict[str, Any]) -> None:
    (ws.root / "journeys.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], seconds: float = 20.0) -> Any:
    """Poll ``check`` until it returns something true, or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


class Receiver:
    """A webhook receiver: verifies the signature, applies each idempotency key once.

    ``lose_acks``: that many requests are applied but answered 500 (the answer lost);
    ``hold``: when set, a request is recorded then waits until the event is set."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.requests: list[dict[str, Any]] = []
        self.applied: dict[str, int] = {}
        self.bad_signatures = 0
        self.lose_acks = 0
        self.hold: threading.Event | None = None
        self.server: ThreadingHTTPServer | None = None
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers.get(IDEMPOTENCY_HEADER, "")
                ok = verify(SECRET, body, self.headers.get(SIGNATURE_HEADER, ""))
                with outer.lock:
                    outer.requests.append({"key": key, "body": json.loads(body), "ok": ok})
                    if not ok:
                        outer.bad_signatures += 1
                hold = outer.hold
                if hold is not None:
                    hold.wait(30)
                if not ok:
                    self.send_response(401)
                    self.end_headers()
                    return
                with outer.lock:
                    outer.applied[key] = outer.applied.get(key, 0) + (key not in outer.applied)
                    lose = outer.lose_acks > 0
                    outer.lose_acks -= 1 if lose else 0
                self.send_response(500 if lose else 200)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class Mailbox:
    """What the SMTP server received: each message, and its envelope's recipients (the
    addresses the server delivers to, whatever the headers say) in ``recipients``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def webhook_channel(receiver: Receiver) -> dict[str, Any]:
    return {"type": "webhook", "url": receiver.url, "secret_env": SECRET_ENV, "timeout_seconds": 5}


TEMPLATES = {
    "zh": {
        "subject": "{{ customer.name }}，我们想念您",
        "body": "您好 {{ customer.name }}：{{ reason }}",
    },
    "en": {
        "subject": "We miss you, {{ customer.name }}",
        "body": "Hello {{ customer.name }}: {{ reason }}",
    },
}
FAST = {"max_attempts": 50, "backoff_seconds": 0.01, "backoff_max_seconds": 0.05, "batch": 10}


class RobotReceiver:
    """A chat-group robot on loopback (WeCom, DingTalk or Feishu alike): records each
    request's path, query and JSON body, and answers with the next of ``replies`` (a JSON
    object, ``(http status, object)`` or ``(http status, object, headers)``), then with
    ``ok`` once they run out."""

    def __init__(self, ok: dict[str, Any] | None = None) -> None:
        self.port = free_port()
        self.requests: list[dict[str, Any]] = []
        self.replies: list[Any] = []
        self.ok = ok or {"errcode": 0, "errmsg": "ok"}
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def url(self, path: str = "/robot/send") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> RobotReceiver:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                from urllib.parse import parse_qs, urlsplit

                raw = self.rfile.read(int(self.headers["Content-Length"]))
                parts = urlsplit(self.path)
                with outer.lock:
                    outer.requests.append(
                        {
                            "path": parts.path,
                            "raw_query": parts.query,
                            "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                            "body": json.loads(raw.decode("utf-8")),
                            "size": len(raw),
                            "received": time.time(),
                        }
                    )
                    reply = outer.replies.pop(0) if outer.replies else outer.ok
                status, data, *more = reply if isinstance(reply, tuple) else (200, reply)
                out = json.dumps(data).encode("utf-8")
                self.send_response(status)
                for name, value in (more[0] if more else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def unprocess(ws: Workspace) -> None:
    """Forget that the hook processed the workspace's runs (it did, before journeys.yaml
    existed), so a test can process them again in order: processing the earlier run
    after the later one would be a backfill, which plans no journey."""
    from kequn.automation import db

    with db.connect(ws) as con:
        con.execute("DELETE FROM segment_events")
        con.execute("DELETE FROM processed_runs")
        for path in db.event_files(ws):
            path.unlink()
