"""A channel that is down or hangs is not waited on for every message.

A receiver that never answers cost each message the channel's whole timeout (10 s by
default): one ``kequn deliver`` pass over 100,000 queued messages would have taken eleven
days, holding up the schedule's next steps, and an SMTP server refusing the password was
logged in to once per message. After a few failures in a row that are the channel's,
not the message's, the rest of that channel's messages wait for the next pass, untried;
other channels go on, and nothing is lost or sent twice once the receiver is back.
"""

from __future__ import annotations

import os
import threading
import time

from automation_helpers import (
    FAST,
    TEMPLATES,
    Mailbox,
    Receiver,
    free_port,
    runs,
    webhook_channel,
)
from automation_helpers import write_journeys as write

from kequn.automation import db
from kequn.automation.deliver import DOWN_AFTER, deliver
from kequn.automation.plan import process_run
from kequn.automation.reasons import error_text
from kequn.store.workspace import Workspace


def _journey(jid: str, channel: str) -> dict[str, object]:
    return {"id": jid, "trigger": {"rule": "orders >= 1"}, "channel": channel,
            "templates": TEMPLATES, "frequency_cap": None, "purpose": "service"}  # fmt: skip


def _status(ws: Workspace, journey: str) -> dict[str, str]:
    with db.connect(ws) as con:
        return dict(
            con.execute(
                "SELECT message_id, status FROM outbox WHERE journey_id = ?", [journey]
            ).fetchall()
        )


def _errors(ws: Workspace) -> list[str]:
    with db.connect(ws) as con:
        rows = con.execute("SELECT last_error FROM outbox WHERE last_error IS NOT NULL").fetchall()
    return [r[0] for r in rows]


def test_a_hanging_receiver_is_tried_a_few_times_per_pass_not_once_per_message(
    aws: Workspace, receiver: Receiver, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _, late = runs(aws)
    hook = {**webhook_channel(receiver), "timeout_seconds": 0.5}
    mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
            "sender": "Shop <crm@shop.example>"}  # fmt: skip
    write(
        aws,
        {"delivery": {**FAST, "batch": 7}, "channels": {"crm": hook, "mail": mail},
         "journeys": [_journey("hooked", "crm"), _journey("mailed", "mail")]},
    )  # fmt: skip
    process_run(late)
    hooked, mailed = set(_status(aws, "hooked")), set(_status(aws, "mailed"))
    assert len(hooked) > 20
    receiver.hold = threading.Event()  # takes each request and never answers
    receiver.start()
    totals = deliver(aws)
    # a few tries (each waiting out its timeout), not one per message; the e-mails went
    # out all the same
    assert len(receiver.requests) == DOWN_AFTER
    assert totals["sent"] == len(mailed) == len(box.messages)
    assert set(_status(aws, "hooked").values()) == {"pending"}
    # the reason says what happened, in both languages
    waiting = [e for e in _errors(aws) if "did not answer" in e]
    assert waiting
    zh = error_text(waiting[0], "zh")
    assert zh is not None
    assert "连续" in zh
    assert "did not answer" not in zh
    # back: every message once
    receiver.hold.set()
    receiver.hold = None

    def drained() -> bool:
        deliver(aws)
        return set(_status(aws, "hooked").values()) == {"sent"}

    deadline = time.monotonic() + 60
    while not drained():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert set(receiver.applied) == hooked
    assert all(n == 1 for n in receiver.applied.values())


def test_a_refused_smtp_login_is_not_tried_for_every_message(aws: Workspace) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    logins: list[bytes] = []

    def refuse(*args: object) -> AuthResult:
        data = args[-1]
        logins.append(getattr(data, "login", b""))
        return AuthResult(success=False)

    port = free_port()
    controller = Controller(
        Mailbox(), hostname="127.0.0.1", port=port, authenticator=refuse, auth_require_tls=False
    )
    controller.start()
    try:
        _, late = runs(aws)
        mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
                "sender": "Shop <crm@shop.example>", "username": "crm",
                "password_env": "KEQUN_TEST_SMTP_PW", "timeout_seconds": 1}  # fmt: skip
        os.environ["KEQUN_TEST_SMTP_PW"] = "wrong-password-xyz"
        write(aws, {"delivery": {**FAST, "batch": 50}, "channels": {"mail": mail},
                    "journeys": [_journey("mailed", "mail")]})  # fmt: skip
        process_run(late)
        queued = _status(aws, "mailed")
        assert len(queued) > DOWN_AFTER + 5
        deliver(aws)
        assert len(logins) == DOWN_AFTER
        assert set(_status(aws, "mailed").values()) == {"pending"}
        assert not any("wrong-password-xyz" in e for e in _errors(aws))
    finally:
        os.environ.pop("KEQUN_TEST_SMTP_PW", None)
        controller.stop()


class _Throttling(Mailbox):
    """An SMTP server saying "try later" (451 4.7.0, what a provider's rate limit says)."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.tries += 1
        return "451 4.7.0 Try again later, rate limited"


def test_an_smtp_server_saying_try_later_is_left_alone_for_the_pass(aws: Workspace) -> None:
    from aiosmtpd.controller import Controller

    box = _Throttling()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _, late = runs(aws)
        mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
                "sender": "Shop <crm@shop.example>"}  # fmt: skip
        write(aws, {"delivery": {**FAST, "batch": 50}, "channels": {"mail": mail},
                    "journeys": [_journey("mailed", "mail")]})  # fmt: skip
        process_run(late)
        assert len(_status(aws, "mailed")) > DOWN_AFTER + 5
        deliver(aws)
        assert box.tries == DOWN_AFTER
        assert set(_status(aws, "mailed").values()) == {"pending"}
        assert any("451" in e for e in _errors(aws))
    finally:
        controller.stop()
