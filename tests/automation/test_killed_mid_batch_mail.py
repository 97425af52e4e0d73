"""A delivery worker killed in the middle of a batch of e-mails, on a real SMTP server on
loopback: what it had sent before is recorded within a second, so the next worker sends
only the rest, and no customer gets the same e-mail twice (a mail server has no
idempotency key: the batch's results were recorded only every third of the lease, 100
seconds, and a worker killed before that sent the whole batch again)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from automation_helpers import FAST, TEMPLATES, Mailbox, free_port, runs, wait_for, write_journeys

from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

HELD_AT = 5  # the worker is killed while the server holds this message


class Holding(Mailbox):
    """Takes the first ``HELD_AT - 1`` messages, then holds the next one until
    ``release`` is set and refuses it (its sender is gone); takes every later one."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.seen = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen += 1
        if self.seen == HELD_AT:
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
            return "451 4.3.0 the client went away"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def holding() -> Iterator[tuple[Holding, int]]:
    from aiosmtpd.controller import Controller

    box = Holding()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    box.release.set()
    controller.stop()


def _statuses(ws: Workspace) -> list[str]:
    with db.connect(ws) as con:
        return [r[0] for r in con.execute("SELECT status FROM outbox").fetchall()]


def test_a_worker_killed_mid_batch_sends_no_email_twice(
    aws: Workspace, holding: tuple[Holding, int]
) -> None:
    box, port = holding
    mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
            "sender": "Shop <crm@shop.example>"}  # fmt: skip
    write_journeys(
        aws,
        {"delivery": {**FAST, "batch": 40}, "channels": {"mail": mail},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "mail",
                       "templates": TEMPLATES, "frequency_cap": None}]},
    )  # fmt: skip
    queued = int(process_run(runs(aws)[1])["messages"])
    assert queued > HELD_AT * 2
    worker = subprocess.Popen(
        [sys.executable, "-m", "kequn.cli", "deliver", "-w", str(aws.root)],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: box.seen == HELD_AT, seconds=60)  # inside the first batch
        # what it sent before is recorded while the batch goes on
        wait_for(lambda: _statuses(aws).count("sent") == HELD_AT - 1, seconds=20)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    box.release.set()
    wait_for(lambda: deliver(aws) is not None and set(_statuses(aws)) == {"sent"})
    envelopes = [r for rs in box.recipients for r in rs]
    assert len(envelopes) == queued
    assert len(set(envelopes)) == queued  # each customer's e-mail exactly once
