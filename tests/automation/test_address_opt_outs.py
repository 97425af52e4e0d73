"""Consent follows the address as well as the id, on a real SMTP server on loopback.

An opt-out was kept under the customer's id only: an import that spelled the id
otherwise (``C001`` as ``c001``, another shop's export of the same person) brought the
same e-mail back under a new id, consenting, and the next run mailed it again; so did
an erased customer imported under a new id. And an e-mail went to the address the
customer had when it was planned, though an import had changed it since. Now an
opted-out or erased address is kept as a keyed hash and stops marketing to whoever holds
it, and an e-mail goes to the address its customer has when it is sent (none: not sent).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from automation_helpers import LATE, TEMPLATES, Mailbox, runs, write_journeys

from kequn import pipeline, privacy
from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.automation.reasons import error_text
from kequn.automation.unsubscribe import make_token, record_opt_out
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

DAY = LATE + dt.timedelta(days=1)


def _journeys(ws: Workspace, port: int) -> None:
    mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
            "sender": "Shop <crm@shop.example>"}  # fmt: skip
    one = {"trigger": {"rule": "orders >= 1"}, "channel": "mail", "templates": TEMPLATES,
           "frequency_cap": None}  # fmt: skip
    write_journeys(
        ws,
        {"channels": {"mail": mail},
         "journeys": [{"id": "promo", **one},
                      {"id": "receipts", "purpose": "service", "consent_required": False,
                       **one}]},
    )  # fmt: skip


def _buyer(ws: Workspace) -> tuple[str, str, str]:
    with ws.read() as con:
        found = con.execute(
            "SELECT c.customer_id, c.name, c.email FROM customers c "
            "JOIN orders o USING (customer_id) WHERE c.marketing_consent AND c.email IS NOT NULL "
            "ORDER BY 1 LIMIT 1"
        ).fetchone()
    assert found is not None
    return found


def _comes_back(ws: Workspace, tmp_path: Path, cid: str, name: str, email: str) -> None:
    """The customer imported again under ``cid``, consenting, with an order on LATE."""
    people = tmp_path / "back.csv"
    people.write_text(
        f"客户编号,姓名,邮箱,是否同意营销\n{cid},{name},{email},同意\n", encoding="utf-8"
    )
    orders = tmp_path / "back-orders.csv"
    orders.write_text(
        f"订单号,客户编号,下单时间,金额\nback-1,{cid},{LATE:%Y-%m-%d} 10:00:00,99\n",
        encoding="utf-8",
    )
    import_file(ws, "customers", people)
    import_file(ws, "orders", orders)
    pipeline.run(ws, as_of=DAY, with_models=False)  # the hook plans the journeys


def _outcomes(ws: Workspace, cid: str) -> dict[str, Any]:
    with db.connect(ws) as con:
        return dict(
            con.execute(
                "SELECT journey_id, outcome FROM assignments WHERE customer_id = ? AND as_of = ?",
                [cid, DAY],
            ).fetchall()
        )


def test_an_unsubscribed_address_gets_no_marketing_under_another_id(
    aws: Workspace, tmp_path: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _journeys(aws, port)
    who, name, email = _buyer(aws)
    record_opt_out(aws, make_token(aws, who))
    with db.connect(aws) as con:
        stored = " ".join(str(r) for r in con.execute("SELECT * FROM opt_outs").fetchall())
    assert email not in stored  # the address as a keyed hash only
    again = who.lower() if who != who.lower() else who.upper()
    _comes_back(aws, tmp_path, again, name, f"  {email.upper()} ")
    assert _outcomes(aws, again) == {"promo": "opted_out", "receipts": "queued"}
    assert _outcomes(aws, who)["promo"] == "opted_out"
    deliver(aws)
    sent = [(m["To"], m["Subject"]) for m in box.messages if m["To"] == email]
    assert len(sent) == 1  # the service message only
    with db.connect(aws) as con:
        planned = con.execute(
            "SELECT journey_id FROM outbox WHERE customer_id = ?", [again]
        ).fetchall()
    assert planned == [("receipts",)]


def test_an_erased_address_gets_no_marketing_under_a_new_id(
    aws: Workspace, tmp_path: Path, smtp: tuple[Mailbox, int]
) -> None:
    _, port = smtp
    _journeys(aws, port)
    who, name, email = _buyer(aws)
    privacy.erase_person(aws, who)
    _comes_back(aws, tmp_path, f"{who}-shop2", name, email)
    assert _outcomes(aws, f"{who}-shop2") == {"promo": "opted_out", "receipts": "queued"}
    with db.connect(aws) as con:
        others = con.execute(
            "SELECT count(*) FROM assignments WHERE as_of = ? AND outcome = 'queued' "
            "AND journey_id = 'promo'",
            [DAY],
        ).fetchone()
    assert others is not None
    assert others[0] > 10  # everyone else is still written to


def test_an_opt_out_stops_a_message_planned_for_the_same_address_under_another_id(
    aws: Workspace, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _journeys(aws, port)
    who, _, email = _buyer(aws)
    with aws.write() as con:  # a second record, another id, the same person's address
        twin = con.execute(
            "SELECT c.customer_id FROM customers c JOIN orders o USING (customer_id) "
            "WHERE c.marketing_consent AND c.customer_id != ? ORDER BY 1 LIMIT 1",
            [who],
        ).fetchone()
        assert twin is not None
        con.execute("UPDATE customers SET email = ? WHERE customer_id = ?", [email, twin[0]])
    process_run(runs(aws)[1])
    record_opt_out(aws, make_token(aws, who))  # after both were planned
    deliver(aws)
    assert not [m for m in box.messages if m["To"] == email and "miss" in m["Subject"].lower()]
    with db.connect(aws) as con:
        rows = con.execute(
            "SELECT journey_id, status, last_error FROM outbox WHERE customer_id = ? "
            "ORDER BY journey_id",
            [twin[0]],
        ).fetchall()
    assert rows[0] == ("promo", "cancelled", "opted out")
    assert rows[1][:2] == ("receipts", "sent")


def test_an_email_goes_to_the_address_its_customer_has_when_it_is_sent(
    aws: Workspace, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _journeys(aws, port)
    summary = process_run(runs(aws)[1])
    with db.connect(aws) as con:
        moved, gone = (
            r[0]
            for r in con.execute(
                "SELECT DISTINCT customer_id FROM outbox ORDER BY 1 LIMIT 2"
            ).fetchall()
        )
        old = con.execute(
            "SELECT DISTINCT recipient FROM outbox WHERE customer_id = ?", [moved]
        ).fetchone()
    assert old is not None
    with aws.write() as con:  # an import changed one address and removed another
        con.execute("UPDATE customers SET email = 'moved@new.example' WHERE customer_id = ?",
                    [moved])  # fmt: skip
        con.execute("UPDATE customers SET email = NULL WHERE customer_id = ?", [gone])
    totals = deliver(aws)
    assert totals["sent"] == summary["messages"] - 2
    envelopes = [r for rs in box.recipients for r in rs]
    assert envelopes.count("moved@new.example") == 2  # both journeys' messages
    assert old[0] not in envelopes
    with db.connect(aws) as con:
        left = con.execute(
            "SELECT DISTINCT status, last_error FROM outbox WHERE customer_id = ?", [gone]
        ).fetchall()
    assert left == [("cancelled", "no e-mail address any more")]
    assert error_text(left[0][1], "zh") == "已没有电子邮箱地址"
    assert error_text(left[0][1], "en") == "no e-mail address any more"
