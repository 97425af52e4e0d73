"""A hostile review's findings: a backfill must not plan a journey that had no
assignments yet, a worker must not stop at a window of messages refused at claim time,
and results a heartbeat failed to record must not be lost (and sent again)."""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from automation_helpers import (
    FAST,
    LATE,
    TEMPLATES,
    Receiver,
    runs,
    webhook_channel,
    write_journeys,
)

from kequn import pipeline
from kequn.automation import db
from kequn.automation import deliver as delivery
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace


def _journey(**extra: object) -> dict[str, object]:
    return {"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
            "templates": TEMPLATES, "frequency_cap": None, **extra}  # fmt: skip


def test_a_backfill_plans_no_journey_added_since_the_newest_run(aws: Workspace) -> None:
    receiver = Receiver().start()
    try:
        # the newest run (LATE) was processed before the journey was written
        write_journeys(
            aws,
            {"delivery": FAST, "channels": {"crm": webhook_channel(receiver)},
             "journeys": [_journey(consent_required=False)]},
        )  # fmt: skip
        pipeline.run(aws, as_of=LATE - dt.timedelta(days=20), with_models=False)
        with db.connect(aws) as con:
            assert con.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
            assert con.execute("SELECT count(*) FROM assignments").fetchone() == (0,)
    finally:
        receiver.stop()


def _withdraw(ws: Workspace, ids: list[str], path: Path) -> None:
    """A customers import in which ``ids`` withdraw marketing consent."""
    with ws.read() as con:
        names = [r[0] for r in con.execute("DESCRIBE customers").fetchall()]
        rows = con.execute(
            "SELECT * FROM customers WHERE list_contains(?, customer_id)", [ids]
        ).fetchall()
    keep = [c for c in names if c not in ("import_id", "origin", "attributes")]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(keep)
        for row in rows:
            cells = dict(zip(names, row, strict=True)) | {"marketing_consent": "no"}
            writer.writerow(["" if cells[c] is None else cells[c] for c in keep])
    import_file(ws, "customers", path)


def test_a_worker_goes_past_a_window_of_withdrawn_consents(aws: Workspace, tmp_path: Path) -> None:
    receiver = Receiver().start()
    try:
        _, late = runs(aws)
        write_journeys(
            aws,
            {"delivery": {**FAST, "batch": 5}, "channels": {"crm": webhook_channel(receiver)},
             "journeys": [_journey()]},
        )  # fmt: skip
        process_run(late)
        with db.connect(aws) as con:
            ids = [
                r[0]
                for r in con.execute(
                    "SELECT customer_id FROM outbox ORDER BY next_attempt_at, message_id"
                ).fetchall()
            ]
        assert len(ids) > 30
        _withdraw(aws, ids[:25], tmp_path / "withdrawn.csv")  # more than 4 batches
        totals = deliver(aws)
        assert totals["sent"] == len(ids) - 25
        with db.connect(aws) as con:
            status = dict(con.execute("SELECT status, count(*) FROM outbox GROUP BY 1").fetchall())
        assert status == {"sent": len(ids) - 25, "cancelled": 25}
    finally:
        receiver.stop()


def test_results_a_heartbeat_failed_to_record_are_not_sent_again(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = Receiver().start()
    try:
        _, late = runs(aws)
        write_journeys(
            aws,
            {"delivery": {**FAST, "batch": 40}, "channels": {"crm": webhook_channel(receiver)},
             "journeys": [_journey(consent_required=False)]},
        )  # fmt: skip
        process_run(late)
        record, send = delivery.record, delivery.send_webhook
        failed: list[int] = []

        def busy_once(*args: Any, **kwargs: Any) -> None:
            if not failed:  # the automation database was busy for one beat
                failed.append(1)
                raise TimeoutError("automation.lock busy")
            record(*args, **kwargs)

        def slow(*args: Any, **kwargs: Any) -> None:
            time.sleep(0.03)
            send(*args, **kwargs)

        monkeypatch.setattr(delivery, "record", busy_once)
        monkeypatch.setattr(delivery, "send_webhook", slow)
        deliver(aws, lease=0.45)
        assert failed
        keys = Counter(r["key"] for r in receiver.requests)
        assert keys
        assert set(keys.values()) == {1}, keys.most_common(3)
        with db.connect(aws) as con:
            status = dict(con.execute("SELECT status, count(*) FROM outbox GROUP BY 1").fetchall())
        assert status == {"sent": len(keys)}
    finally:
        receiver.stop()


def test_the_pseudonymiser_is_the_pseudonym(aws: Workspace) -> None:
    from kequn.privacy import pseudonym, pseudonymiser

    of = pseudonymiser(aws)
    assert [of(x) for x in ("C1", "张三", "")] == [pseudonym(aws, x) for x in ("C1", "张三", "")]
