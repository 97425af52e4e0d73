"""Customer data in e-mail headers, on a real SMTP server on loopback: a name with a line
break (``Bob\\r\\nBcc: …``) in a subject is sent with spaces for the control characters,
adding no header and no recipient (it made the message impossible to build, retried until
``max_attempts``); a message that cannot be built is dead-lettered at once."""

from __future__ import annotations

from typing import Any

from automation_helpers import FAST, TEMPLATES, Mailbox, runs, write_journeys

from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

NAME = "Bob\r\nBcc: victim@other.example\n\x07\x00\u2028X-Injected: yes"


def _journeys(ws: Workspace, port: int, sender: str = "Shop <crm@shop.example>") -> None:
    mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
            "sender": sender}  # fmt: skip
    write_journeys(
        ws,
        {"delivery": FAST, "channels": {"mail": mail},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "mail",
                       "templates": TEMPLATES, "frequency_cap": None}]},
    )  # fmt: skip


def _statuses(ws: Workspace) -> list[tuple[Any, ...]]:
    with db.connect(ws) as con:
        return con.execute("SELECT status, attempts, last_error FROM outbox").fetchall()


def test_a_name_with_line_breaks_is_sent_with_spaces_in_the_subject(
    aws: Workspace, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _, late = runs(aws)
    with aws.write() as con:
        con.execute("UPDATE customers SET name = ?", [NAME])
    _journeys(aws, port)
    summary = process_run(late)
    assert summary["messages"] > 5
    totals = deliver(aws)
    assert totals == {"sent": summary["messages"], "failed": 0, "batches": totals["batches"]}
    assert {s for s, _, _ in _statuses(aws)} == {"sent"}
    for msg, envelope in zip(box.messages, box.recipients, strict=True):
        subject = msg["Subject"]
        assert "Bob" in subject
        assert "Bcc: victim@other.example" in subject  # the text, as text
        assert not any(c in subject for c in "\r\n\x07\x00\u2028")
        assert "Bcc" not in msg
        assert "X-Injected" not in msg
        assert envelope == [msg["To"]]
        # the body keeps the name's lines (line ends as SMTP carries them)
        assert "Bob\r\nBcc: victim@other.example\r\n" in msg.get_content()


def test_a_message_that_cannot_be_built_is_dead_at_once(
    aws: Workspace, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _, late = runs(aws)
    _journeys(aws, port, sender="Shop\r\n<crm@shop.example>")  # a sender no header can hold
    summary = process_run(late)
    totals = deliver(aws)
    assert totals["sent"] == 0
    assert totals["failed"] == summary["messages"] > 0
    assert not box.messages
    for status, attempts, error in _statuses(aws):
        assert (status, attempts) == ("dead", 1)  # not retried: it cannot succeed
        assert error == "not retried: the e-mail could not be built: ValueError"
