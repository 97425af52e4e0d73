"""A message its worker did not try, because its channel had failed three times in a row
that pass, spends no attempt: on a real receiver on loopback answering 503 to
everything, each message is dead-lettered after exactly ``max_attempts`` requests of its
own, none before it was ever sent (every message of a batch after the third failure
used to spend an attempt untried, and a long outage killed messages never sent)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock, Thread

import pytest
from automation_helpers import FAST, TEMPLATES, free_port, runs, wait_for, write_journeys

from kequn.automation import db
from kequn.automation.channels import IDEMPOTENCY_HEADER
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

MAX = 3


@pytest.fixture
def busy() -> Iterator[tuple[str, Counter[str]]]:
    """A receiver answering 503 to every request, counting them per idempotency key."""
    seen: Counter[str] = Counter()
    lock = Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                seen[self.headers.get(IDEMPOTENCY_HEADER, "")] += 1
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", seen
    server.shutdown()
    server.server_close()


def _outbox(ws: Workspace) -> dict[str, tuple[str, int]]:
    with db.connect(ws) as con:
        rows = con.execute("SELECT message_id, status, attempts FROM outbox").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_a_message_not_tried_spends_no_attempt(
    aws: Workspace, busy: tuple[str, Counter[str]]
) -> None:
    url, seen = busy
    write_journeys(
        aws,
        {"delivery": {**FAST, "batch": 10, "max_attempts": MAX},
         "channels": {"crm": {"type": "webhook", "url": url, "timeout_seconds": 5}},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
                       "templates": TEMPLATES, "frequency_cap": None}]},
    )  # fmt: skip
    process_run(runs(aws)[1])
    queued = len(_outbox(aws))
    assert queued > 20
    deliver(aws)
    first = _outbox(aws)
    assert sum(seen.values()) == 3  # three tries, then the channel is left alone
    assert all(attempts == seen[mid] for mid, (_, attempts) in first.items())
    wait_for(
        lambda: deliver(aws) is not None and {s for s, _ in _outbox(aws).values()} == {"dead"},
        seconds=120,
    )
    for mid, (_, attempts) in _outbox(aws).items():
        assert attempts == seen[mid] == MAX  # dead after MAX real tries, each its own
