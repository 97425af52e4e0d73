"""A receiver that refuses a message for good, on real servers on loopback: an SMTP
server answering 550 to a recipient (no such mailbox) or an HTTP receiver answering 422
leaves the message dead after one attempt, not tried ``max_attempts`` times, while the
others are sent; a 451 ("try later") and a 409 are still tried again."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import pytest
from automation_helpers import FAST, TEMPLATES, Mailbox, free_port, runs, wait_for, write_journeys

from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

GONE = "gone@shop.example"


class Refusing(Mailbox):
    """Refuses :data:`GONE` with ``code`` at RCPT; takes every other recipient."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.refused = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == GONE:
            self.refused += 1
            return self.code
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture(params=["550 5.1.1 no such mailbox", "451 4.7.1 try later"])
def refusing(request: pytest.FixtureRequest) -> Iterator[tuple[Refusing, int]]:
    from aiosmtpd.controller import Controller

    box = Refusing(request.param)
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def _outbox(ws: Workspace) -> dict[str, tuple[str, int, str | None]]:
    with db.connect(ws) as con:
        rows = con.execute("SELECT customer_id, status, attempts, last_error FROM outbox")
        return {r[0]: (r[1], r[2], r[3]) for r in rows.fetchall()}


def _journey(ws: Workspace, channel: dict[str, Any]) -> int:
    write_journeys(
        ws,
        {"delivery": {**FAST, "max_attempts": 5}, "channels": {"out": channel},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "out",
                       "templates": TEMPLATES, "frequency_cap": None}]},
    )  # fmt: skip
    return int(process_run(runs(ws)[1])["messages"])


def test_a_mailbox_that_does_not_exist_is_tried_once(
    aws: Workspace, refusing: tuple[Refusing, int]
) -> None:
    box, port = refusing
    with aws.write() as con:
        first = con.execute(
            "SELECT customer_id FROM customers WHERE marketing_consent AND email IS NOT NULL "
            "ORDER BY customer_id LIMIT 1"
        ).fetchone()
        assert first is not None
        con.execute("UPDATE customers SET email = ? WHERE customer_id = ?", [GONE, first[0]])
    mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
            "sender": "Shop <crm@shop.example>"}  # fmt: skip
    queued = _journey(aws, mail)
    outbox = _outbox(aws)
    assert first[0] in outbox
    deliver(aws)
    if box.code.startswith("4"):  # tried again once its (short) backoff is over
        wait_for(lambda: deliver(aws) and _outbox(aws)[first[0]][1] > 1)
    deliver(aws)
    outbox = _outbox(aws)
    status, attempts, error = outbox.pop(first[0])
    assert {s for s, _, _ in outbox.values()} == {"sent"}
    assert len(box.messages) == queued - 1
    if box.code.startswith("5"):
        assert (status, attempts, box.refused) == ("dead", 1, 1)
        assert error is not None
        assert error.startswith("not retried: SMTPRecipientsRefused: SMTP 550")
        assert GONE not in error  # the address is a customer's
    else:  # "try later": tried again on the next passes
        assert status in {"pending", "dead"}
        assert attempts == box.refused > 1


@pytest.mark.parametrize(("code", "again"), [(422, False), (400, False), (409, True)])
def test_a_body_the_receiver_refuses_for_good_is_dead_at_once(
    aws: Workspace, code: int, again: bool
) -> None:
    seen: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(1)
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        queued = _journey(aws, {"type": "webhook", "url": url, "timeout_seconds": 5})
        deliver(aws)
        if again:
            wait_for(lambda: deliver(aws) and len(seen) > queued)
        deliver(aws)
    finally:
        server.shutdown()
        server.server_close()
    states = list(_outbox(aws).values())
    assert len(states) == queued > 0
    if again:
        assert len(seen) > queued  # tried again
        assert all(attempts > 1 for _, attempts, _ in states)
    else:
        assert len(seen) == queued  # each message once
        assert {(s, a) for s, a, _ in states} == {("dead", 1)}
        assert all((e or "").startswith(f"not retried: HTTP {code}") for _, _, e in states)
