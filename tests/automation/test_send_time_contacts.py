"""Webhooks and drop files use the contact details and consent of send time.

An e-mail went to the address its customer had when it was sent, but a webhook's
payload and a drop file's row carried the name, e-mail and phone of planning time: an
import that changed a customer's e-mail after the run still sent the old one to the CRM
receiver and the SMS/ad platform's file. Now both are refreshed when the message is
claimed for sending; a customer who opted out, withdrew consent, was erased or left the
data meanwhile gets nothing, with the reason kept (zh/en), and nothing of theirs is
logged. Real parts: a signed webhook receiver on loopback, real drop files.
"""

from __future__ import annotations

import csv
import logging
from typing import Any

import pytest
from automation_helpers import FAST, TEMPLATES, Receiver, runs, webhook_channel, write_journeys

from kequn import privacy
from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.automation.reasons import error_text
from kequn.automation.unsubscribe import make_token, record_opt_out
from kequn.store.workspace import Workspace

NEW_EMAIL, NEW_PHONE, NEW_NAME = "moved@new.example", "+8613900001111", "New Name"


def _journeys(ws: Workspace, channel: dict[str, Any]) -> None:
    one = {"trigger": {"rule": "orders >= 1"}, "channel": "crm", "templates": TEMPLATES,
           "frequency_cap": None}  # fmt: skip
    write_journeys(
        ws,
        {"delivery": FAST, "channels": {"crm": channel},
         "journeys": [{"id": "promo", **one},
                      {"id": "receipts", "purpose": "service", "consent_required": False,
                       **one}]},
    )  # fmt: skip


def _planned(ws: Workspace, n: int) -> list[tuple[str, str, str, str]]:
    """``n`` customers with a promo message queued: (id, name, e-mail, phone) as planned."""
    with db.connect(ws) as con:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT customer_id FROM outbox WHERE journey_id = 'promo' ORDER BY 1"
            ).fetchall()
        ]
    with ws.read() as con:
        rows = con.execute(
            "SELECT customer_id, name, email, phone FROM customers "
            "WHERE email IS NOT NULL AND phone IS NOT NULL AND list_contains(?, customer_id) "
            "ORDER BY 1 LIMIT ?",
            [ids, n],
        ).fetchall()
    assert len(rows) == n
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _change(ws: Workspace, moved: str, withdrew: str, left: str) -> None:
    """An import after planning: one customer's contacts changed, one withdrew consent,
    one is no longer in the data."""
    with ws.write() as con:
        con.execute(
            "UPDATE customers SET email = ?, phone = ?, name = ? WHERE customer_id = ?",
            [NEW_EMAIL, NEW_PHONE, NEW_NAME, moved],
        )
        con.execute("UPDATE customers SET marketing_consent = false WHERE customer_id = ?",
                    [withdrew])  # fmt: skip
        con.execute("DELETE FROM customers WHERE customer_id = ?", [left])


def _outcomes(ws: Workspace, cid: str) -> dict[str, tuple[str, str | None]]:
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT journey_id, status, last_error FROM outbox WHERE customer_id = ?", [cid]
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _no_personal_data_logged(caplog: pytest.LogCaptureFixture, *values: str) -> None:
    text = "\n".join(r.getMessage() for r in caplog.records)
    for value in values:
        assert value not in text


def test_a_webhook_carries_the_contacts_and_consent_of_send_time(
    aws: Workspace, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    receiver.start()
    _journeys(aws, webhook_channel(receiver))
    process_run(runs(aws)[1])
    (moved, *old), opted, withdrew, erased, left = _planned(aws, 5)
    record_opt_out(aws, make_token(aws, opted[0]))
    privacy.erase_person(aws, erased[0])
    _change(aws, moved, withdrew[0], left[0])

    deliver(aws)

    got = [r["body"] for r in receiver.requests if r["ok"]]
    promo = {b["customer_id"] for b in got if b["journey"] == "promo"}
    assert moved in promo
    assert not promo & {opted[0], withdrew[0], erased[0], left[0]}
    assert erased[0] not in {b["customer_id"] for b in got}
    assert left[0] not in {b["customer_id"] for b in got}
    # the changed customer's contacts are those of send time, in both journeys' payloads
    theirs = [b for b in got if b["customer_id"] == moved]
    assert len(theirs) == 2
    for body in theirs:
        assert body["customer"] == {"name": NEW_NAME, "email": NEW_EMAIL, "phone": NEW_PHONE}
    raw = repr(got)
    assert old[1] not in raw  # the planned e-mail and phone: nowhere
    assert old[2] not in raw
    # each skipped message is recorded with its reason, in both languages
    assert _outcomes(aws, opted[0])["promo"] == ("cancelled", "opted out")
    assert _outcomes(aws, withdrew[0])["promo"] == ("cancelled", "no marketing consent any more")
    assert _outcomes(aws, withdrew[0])["receipts"][0] == "sent"
    gone = _outcomes(aws, left[0])  # (not in the data: no consent either, for promo)
    assert gone["receipts"] == ("cancelled", "customer no longer in the data")
    assert gone["promo"][0] == "cancelled"
    assert (
        error_text("customer no longer in the data", "zh")
        == "客户已不在数据中（已删除或已被导入移除）"
    )
    assert _outcomes(aws, erased[0]) == {}  # the erasure took their messages
    # the outbox keeps the send-time contacts (a retry sends the same)
    with db.connect(aws) as con:
        stored = con.execute(
            "SELECT payload FROM outbox WHERE customer_id = ? AND journey_id = 'promo'", [moved]
        ).fetchone()
    assert NEW_EMAIL in stored[0]
    assert old[1] not in stored[0]
    _no_personal_data_logged(caplog, NEW_EMAIL, NEW_NAME, NEW_PHONE, *old)


def test_a_drop_file_gets_the_contacts_of_send_time(
    aws: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    drop = {"type": "file", "folder": "drops", "columns": ["customer_id", "phone", "email", "name"]}
    _journeys(aws, drop)
    process_run(runs(aws)[1])
    (moved, *old), opted, withdrew, erased, left, bare = _planned(aws, 6)
    record_opt_out(aws, make_token(aws, opted[0]))
    privacy.erase_person(aws, erased[0])
    _change(aws, moved, withdrew[0], left[0])
    with aws.write() as con:  # an import removed both of one customer's addresses
        con.execute(
            "UPDATE customers SET email = NULL, phone = NULL WHERE customer_id = ?", [bare[0]]
        )

    deliver(aws)

    rows: dict[str, list[dict[str, str]]] = {}
    for path in sorted((aws.root / "drops").glob("*.csv")):
        journey = path.name.split("-")[0]
        with path.open(encoding="utf-8", newline="") as fh:
            rows[journey] = list(csv.DictReader(fh))
    promo = {r["customer_id"]: r for r in rows["promo"]}
    receipts = {r["customer_id"]: r for r in rows["receipts"]}
    for found in (promo, receipts):
        assert found[moved]["email"] == NEW_EMAIL
        assert found[moved]["phone"] == NEW_PHONE
        assert found[moved]["name"] == NEW_NAME
        assert not {erased[0], left[0], bare[0]} & set(found)
    assert not {opted[0], withdrew[0]} & set(promo)
    assert withdrew[0] in receipts  # a service message needs no consent
    text = "".join(p.read_text(encoding="utf-8") for p in (aws.root / "drops").glob("*.csv"))
    assert old[1] not in text
    assert _outcomes(aws, bare[0])["promo"] == ("cancelled", "no phone or e-mail address any more")
    assert error_text("no phone or e-mail address any more", "zh") == "已没有手机号或电子邮箱"
    assert _outcomes(aws, left[0])["receipts"] == ("cancelled", "customer no longer in the data")
    assert _outcomes(aws, withdrew[0])["promo"] == ("cancelled", "no marketing consent any more")
    _no_personal_data_logged(caplog, NEW_EMAIL, NEW_NAME, *old)
