"""An erasure while a worker is sending a batch it claimed: the person's messages still
in the worker's hands are not sent (before, they went out until the lease was renewed,
the erasure having deleted only the queued rows)."""

from __future__ import annotations

import threading

from automation_helpers import (
    FAST,
    TEMPLATES,
    Receiver,
    runs,
    wait_for,
    webhook_channel,
    write_journeys,
)

from kequn import privacy
from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace


def test_a_person_erased_mid_batch_gets_nothing_more(aws: Workspace) -> None:
    receiver = Receiver()
    receiver.hold = threading.Event()
    receiver.start()
    try:
        channels = {"crm": webhook_channel(receiver)}
        journey = {"id": "receipts", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
                   "templates": TEMPLATES, "frequency_cap": None, "purpose": "service",
                   "consent_required": False, "holdout": 0}  # fmt: skip
        write_journeys(aws, {"delivery": {**FAST, "batch": 8}, "channels": channels,
                             "journeys": [journey]})  # fmt: skip
        process_run(runs(aws)[1])
        worker = threading.Thread(target=lambda: deliver(aws, batch=8), daemon=True)
        worker.start()
        # the first message of the batch is at the receiver, held: the rest are claimed
        first = wait_for(lambda: list(receiver.requests))[0]["key"]
        with db.connect(aws) as con:
            claimed = con.execute(
                "SELECT message_id, customer_id FROM outbox WHERE status = 'sending' "
                "AND message_id != ? ORDER BY message_id",
                [first],
            ).fetchall()
        assert len(claimed) >= 2
        erased_message, who = claimed[-1]
        privacy.erase_person(aws, who)
        receiver.hold.set()
        worker.join(60)
        assert not worker.is_alive()
        sent = {r["key"] for r in receiver.requests}
        assert erased_message not in sent
        # the batch's other messages went out
        assert {mid for mid, cid in claimed if cid != who} <= sent
    finally:
        receiver.hold.set()
        receiver.stop()
