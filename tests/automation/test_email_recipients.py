"""An e-mail goes to exactly one address, on a real SMTP server on loopback: an e-mail
cell holding two addresses (or a display name, or a line break) is no address when a
journey is planned, and a message whose customer's cell became such a cell after it was
planned is not sent (an e-mail goes to the address its customer has when it is sent, and
that is no address), never to both; the envelope holds one recipient, the one of ``To``."""

from __future__ import annotations

from typing import Any

from automation_helpers import FAST, TEMPLATES, Mailbox, runs, write_journeys

from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

VICTIM = "victim@other.example"
HOSTILE = (
    f"c8@ex.com, {VICTIM}",
    f"c8@ex.com;{VICTIM}",
    f"c8@ex.com\n{VICTIM}",
    f"c8@ex.com\r\nBcc: {VICTIM}",
    f"Victim <{VICTIM}>",
    f"c8@ex.com <{VICTIM}>",
)


def _mail(port: int) -> dict[str, Any]:
    return {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
            "sender": "Shop <crm@shop.example>"}  # fmt: skip


def _journeys(ws: Workspace, port: int, *ids: str) -> None:
    write_journeys(
        ws,
        {"delivery": FAST, "channels": {"mail": _mail(port)},
         "journeys": [{"id": jid, "trigger": {"rule": "orders >= 1"}, "channel": "mail",
                       "templates": TEMPLATES, "frequency_cap": None} for jid in ids]},
    )  # fmt: skip


def _queued(ws: Workspace, journey: str) -> list[str]:
    with db.connect(ws) as con:
        return [
            r[0]
            for r in con.execute(
                "SELECT customer_id FROM outbox WHERE journey_id = ? ORDER BY customer_id",
                [journey],
            ).fetchall()
        ]


def test_a_cell_with_two_addresses_is_no_address_when_planning(
    aws: Workspace, smtp: tuple[Mailbox, int]
) -> None:
    _, port = smtp
    _, late = runs(aws)
    _journeys(aws, port, "probe")
    process_run(late)
    treated = _queued(aws, "probe")
    assert len(treated) > len(HOSTILE) + 2
    bad = dict(zip(treated, HOSTILE, strict=False))  # as many customers as hostile cells
    with aws.write() as con:
        for cid, cell in bad.items():
            con.execute("UPDATE customers SET email = ? WHERE customer_id = ?", [cell, cid])
        # blanks around one address are still that address
        con.execute(
            "UPDATE customers SET email = ' ' || email || ' ' WHERE customer_id = ?",
            [treated[-1]],
        )
    _journeys(aws, port, "buyers")
    process_run(late)
    with db.connect(aws) as con:
        outcomes = dict(
            con.execute(
                "SELECT customer_id, outcome FROM assignments WHERE journey_id = 'buyers'"
            ).fetchall()
        )
    assert all(outcomes[cid] == "no_address" for cid in bad)
    assert outcomes[treated[-1]] == "queued"
    assert set(_queued(aws, "buyers")) == set(treated) - set(bad)


def test_a_recipient_that_is_not_one_address_is_never_sent(
    aws: Workspace, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _, late = runs(aws)
    _journeys(aws, port, "buyers")
    summary = process_run(late)
    with db.connect(aws) as con:
        rows = con.execute(
            "SELECT message_id, customer_id FROM outbox ORDER BY message_id"
        ).fetchall()
    bad = dict(zip([r[0] for r in rows], HOSTILE, strict=False))
    whose = dict(rows)
    with aws.write() as con:  # the cell changed after planning (an import)
        for mid, cell in bad.items():
            con.execute("UPDATE customers SET email = ? WHERE customer_id = ?", [cell, whose[mid]])
    totals = deliver(aws)
    assert totals["sent"] == summary["messages"] - len(bad)
    # every envelope has exactly the one address of its To header; the victim got nothing
    assert len(box.recipients) == totals["sent"]
    for msg, envelope in zip(box.messages, box.recipients, strict=True):
        assert envelope == [msg["To"]]
        assert "Bcc" not in msg
    assert not any(VICTIM in r for envelope in box.recipients for r in envelope)
    with db.connect(aws) as con:
        rows = con.execute(
            "SELECT message_id, status, attempts, last_error FROM outbox WHERE status != ?",
            ["sent"],
        ).fetchall()
    dead = {r[0]: (r[1], r[2], r[3]) for r in rows}
    assert set(dead) == set(bad)
    for status, _, error in dead.values():
        assert status == "cancelled"  # never sent, nor tried again
        assert error == "no e-mail address any more"
        assert "@" not in error  # the reason never carries the address
