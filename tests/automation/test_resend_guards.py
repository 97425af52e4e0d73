"""What must not send a message twice, or at all: a run made again for the same date, a
backfill for an earlier date, a second worker while a slow batch is still being sent,
and a customer who opted out, was erased, and is imported again."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from automation_helpers import (
    FAST,
    LATE,
    TEMPLATES,
    Mailbox,
    Receiver,
    free_port,
    runs,
    webhook_channel,
    write_journeys,
)

from kequn import pipeline, privacy
from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.automation.unsubscribe import make_token, record_opt_out
from kequn.ingest.importer import import_file
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace


def _journey(**extra: object) -> dict[str, object]:
    return {"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
            "templates": TEMPLATES, "frequency_cap": None, **extra}  # fmt: skip


def _assignments(ws: Workspace, run_id: str) -> Counter[str]:
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT outcome FROM assignments WHERE journey_id = 'buyers' AND run_id = ?", [run_id]
        ).fetchall()
    return Counter(r[0] for r in rows)


def _newest(ws: Workspace, day: dt.date) -> Any:
    return max((r for r in list_runs(ws) if r.as_of_date == day), key=lambda r: r.created_at)


def test_a_run_made_again_for_the_same_date_sends_nothing_new(aws: Workspace) -> None:
    receiver = Receiver().start()
    try:
        _, late = runs(aws)
        write_journeys(
            aws,
            {"delivery": FAST, "channels": {"crm": webhook_channel(receiver)},
             "journeys": [_journey(consent_required=False)]},
        )  # fmt: skip
        queued = process_run(late)["messages"]
        assert queued > 5
        deliver(aws)
        # the same date classified again (a fix to the data, say): the hook plans it
        pipeline.run(aws, as_of=LATE, with_models=False)
        again = _newest(aws, LATE)
        assert again.run_id != late.run_id
        assert _assignments(aws, again.run_id)["already_queued"] == queued
        deliver(aws)
        assert len(receiver.requests) == queued
        assert sorted(receiver.applied.values()) == [1] * queued
        # a backfill for an earlier date plans no journey: it writes to no one
        backfill = LATE - dt.timedelta(days=20)
        pipeline.run(aws, as_of=backfill, with_models=False)
        assert _assignments(aws, _newest(aws, backfill).run_id) == Counter()
        with db.connect(aws) as con:
            count = con.execute("SELECT count(*) FROM outbox").fetchone()
        assert count == (queued,)
    finally:
        receiver.stop()


class SlowMailbox(Mailbox):
    """An SMTP server that takes its time over each message."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.3)
        return await super().handle_DATA(server, session, envelope)


def test_a_batch_longer_than_its_lease_is_not_sent_twice(aws: Workspace) -> None:
    from aiosmtpd.controller import Controller

    box, port = SlowMailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _, late = runs(aws)
        mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
                "sender": "crm@shop.example"}  # fmt: skip
        write_journeys(
            aws,
            {"delivery": FAST, "channels": {"mail": mail},
             "journeys": [_journey(channel="mail")]},
        )  # fmt: skip
        process_run(late)
        with db.connect(aws) as con:  # ten messages: over 3 s of sending
            con.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE message_id NOT IN "
                "(SELECT message_id FROM outbox ORDER BY message_id LIMIT 10)"
            )
        first = threading.Thread(target=deliver, args=(aws,), kwargs={"batch": 10, "lease": 2.0})
        first.start()
        # a second worker watching the outbox takes any message whose lease ran out
        totals = deliver(aws, batch=10, lease=2.0, watch=True, poll=0.1, max_seconds=4.5)
        first.join(30)
        ids = Counter(str(m["Message-ID"]) for m in box.messages)
        assert len(ids) == 10
        assert set(ids.values()) == {1}, ids
        assert totals["sent"] in (0, 10)  # one of the two workers sent them all
    finally:
        controller.stop()


def test_an_opt_out_outlives_the_erasure_of_the_customer(aws: Workspace, tmp_path: Path) -> None:
    receiver = Receiver().start()
    try:
        _, late = runs(aws)
        write_journeys(
            aws,
            {"delivery": FAST, "channels": {"crm": webhook_channel(receiver)},
             "journeys": [_journey()]},
        )  # fmt: skip
        process_run(late)
        with db.connect(aws) as con:
            row = con.execute(
                "SELECT customer_id FROM assignments WHERE outcome = 'queued' "
                "ORDER BY customer_id LIMIT 1"
            ).fetchone()
        assert row
        who = str(row[0])
        record_opt_out(aws, make_token(aws, who))
        privacy.erase_person(aws, who)
        with db.connect(aws) as con:
            kept = con.execute("SELECT customer_id, source FROM opt_outs").fetchall()
        assert kept
        assert all(who not in cid for cid, _ in kept)
        # the same customer comes back in a later export, consenting, and buys again
        customers = tmp_path / "back.csv"
        customers.write_text(
            f"customer_id,name,email,marketing_consent\n{who},Back Again,back@example.com,yes\n",
            encoding="utf-8",
        )
        import_file(aws, "customers", customers)
        orders = tmp_path / "orders.csv"
        orders.write_text(
            f"order_id,customer_id,ordered_at,amount,status\nBACK-1,{who},2026-10-01,99,paid\n",
            encoding="utf-8",
        )
        import_file(aws, "orders", orders)
        day = dt.date(2026, 10, 2)
        pipeline.run(aws, as_of=day, with_models=False)
        with db.connect(aws) as con:
            outcome = con.execute(
                "SELECT outcome FROM assignments WHERE customer_id = ? AND as_of = ?", [who, day]
            ).fetchall()
        assert outcome == [("opted_out",)]
    finally:
        receiver.stop()
