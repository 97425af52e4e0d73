"""A channel that sends SMS asks the customer's SMS answer, not their e-mail one.

Shopify's customers export says for each customer whether they accept e-mail marketing
and whether they accept SMS marketing. A journey sending SMS through a webhook gateway
asked the e-mail answer: someone who said no to SMS and yes to e-mail got SMS, and the
one who said yes to SMS only got none. A channel with ``consent: sms`` now asks the SMS
answer, at planning and again when the message is sent, and says which consent was
missing (zh/en); an e-mail channel keeps asking the e-mail (marketing) answer.

Real parts: a shop's Shopify exports imported, a run by the pipeline, a signed webhook
receiver and an SMTP server (aiosmtpd) on loopback, the delivery worker.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from automation_helpers import (
    FAST,
    SECRET,
    SECRET_ENV,
    SHOPIFY_CUSTOMERS,
    TEMPLATES,
    Mailbox,
    Receiver,
    webhook_channel,
    write_journeys,
)

from kequn import pipeline
from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.journeys import load_journeys
from kequn.automation.plan import process_run
from kequn.automation.reasons import error_text
from kequn.ingest.importer import import_file
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace
from kequn.web.journeys_view import preview

#: (first name, e-mail, accepts e-mail marketing, phone, accepts SMS marketing)
PEOPLE = [
    ("Ann", "ann@example.com", "no", "+15125550101", "yes"),  # SMS only
    ("Bob", "bob@example.com", "yes", "+15125550102", "no"),  # e-mail only
    ("Cy", "cy@example.com", "yes", "+15125550103", "yes"),  # both
    ("Di", "di@example.com", "no", "+15125550104", "no"),  # neither
]


def _customers(path: Path, people: list[tuple[str, str, str, str, str]]) -> Path:
    rows = [
        f"{first},Lee,{email},{mail},,1 Main St,,Austin,TX,US,'78701,,'{phone},{sms},45.00,1,,no,"
        for first, email, mail, phone, sms in people
    ]
    path.write_text("\n".join([SHOPIFY_CUSTOMERS, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sms_consent")
    ws = Workspace.init(root / "ws")
    assert (
        import_file(ws, "customers", _customers(root / "customers_export.csv", PEOPLE)).rejected
        == 0
    )
    orders = ["order_id,email,ordered_at,amount,status"]
    orders += [
        f"{1001 + i},{p[1]},2026-09-0{1 + i} 10:00:00,45.00,paid" for i, p in enumerate(PEOPLE)
    ]
    (root / "orders.csv").write_text("\n".join(orders) + "\n", encoding="utf-8")
    # the shop's orders: the customers export's source (its customers are keyed, as
    # Shopify's orders export keys its buyers, by e-mail under the source shopify)
    assert import_file(ws, "orders", root / "orders.csv", origin="shopify").rejected == 0
    pipeline.run(ws, as_of=dt.date(2026, 9, 30), with_models=False)
    return ws.root


@pytest.fixture
def ws(base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv(SECRET_ENV, SECRET)
    shutil.copytree(base, tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


def _ids(ws: Workspace) -> dict[str, str]:
    """Each customer's id (made from their e-mail) by first name."""
    with ws.read() as con:
        rows = con.execute("SELECT name, customer_id FROM customers").fetchall()
    return {str(name).split()[0]: str(cid) for name, cid in rows}


def _journeys(ws: Workspace, receiver: Receiver, port: int) -> None:
    mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
            "sender": "Shop <crm@shop.example>",
            "unsubscribe_url": "http://127.0.0.1:8000/unsubscribe/{token}"}  # fmt: skip
    one: dict[str, Any] = {"trigger": {"rule": "orders >= 1"}, "templates": TEMPLATES,
                           "frequency_cap": None}  # fmt: skip
    write_journeys(
        ws,
        {"delivery": FAST,
         "channels": {"gateway": {**webhook_channel(receiver), "consent": "sms"}, "mail": mail},
         "journeys": [{"id": "sms_promo", "channel": "gateway", **one},
                      {"id": "mail_promo", "channel": "mail", **one}]},
    )  # fmt: skip


def _outcomes(ws: Workspace, journey: str) -> dict[str, tuple[str, str]]:
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT customer_id, grp, outcome FROM assignments WHERE journey_id = ?", [journey]
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_an_sms_channel_asks_the_sms_answer_and_e_mail_the_e_mail_one(
    ws: Workspace, receiver: Receiver, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    receiver.start()
    _journeys(ws, receiver, port)
    ids = _ids(ws)
    run = list_runs(ws)[0]
    # the dashboard's preview counts what planning will decide
    journeys = load_journeys(ws, run.taxonomy())
    shown = preview(ws, run, journeys, journeys.journey("sms_promo"))["outcomes"]  # type: ignore[arg-type]
    assert (shown["queued"], shown["no_sms_consent"], shown["no_consent"]) == (2, 2, 0)

    process_run(run)

    sms, mail = _outcomes(ws, "sms_promo"), _outcomes(ws, "mail_promo")
    assert sms == {
        ids["Ann"]: ("treated", "queued"),
        ids["Bob"]: ("excluded", "no_sms_consent"),  # says which consent is missing
        ids["Cy"]: ("treated", "queued"),
        ids["Di"]: ("excluded", "no_sms_consent"),
    }
    assert mail == {
        ids["Ann"]: ("excluded", "no_consent"),
        ids["Bob"]: ("treated", "queued"),
        ids["Cy"]: ("treated", "queued"),
        ids["Di"]: ("excluded", "no_consent"),
    }
    assert deliver(ws)["sent"] == 4
    texted = {r["body"]["customer_id"] for r in receiver.requests if r["ok"]}
    assert texted == {ids["Ann"], ids["Cy"]}
    assert sorted(m["To"] for m in box.messages) == ["bob@example.com", "cy@example.com"]


def test_sms_consent_withdrawn_after_planning_stops_the_sms_only(
    ws: Workspace, receiver: Receiver, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    box, port = smtp
    receiver.start()
    _journeys(ws, receiver, port)
    ids = _ids(ws)
    process_run(list_runs(ws)[0])
    # the next customers export: Cy now refuses SMS (still accepting e-mail), Bob now
    # accepts SMS (he was not planned for it: planning is not redone at send time)
    later = [p if p[0] not in ("Cy", "Bob") else (*p[:4], "no" if p[0] == "Cy" else "yes")
             for p in PEOPLE]  # fmt: skip
    assert import_file(ws, "customers", _customers(tmp_path / "next.csv", later)).rejected == 0

    deliver(ws)

    texted = {r["body"]["customer_id"] for r in receiver.requests if r["ok"]}
    assert texted == {ids["Ann"]}
    assert sorted(m["To"] for m in box.messages) == ["bob@example.com", "cy@example.com"]
    with db.connect(ws) as con:
        found = con.execute(
            "SELECT status, last_error FROM outbox WHERE journey_id = 'sms_promo' "
            "AND customer_id = ?",
            [ids["Cy"]],
        ).fetchone()
    assert found == ("cancelled", "no SMS consent any more")
    assert error_text(found[1], "zh") == "已不再同意接收营销短信"
    assert error_text(found[1], "en") == "no SMS consent any more"


def test_an_e_mail_channel_cannot_ask_the_sms_answer(ws: Workspace) -> None:
    from kequn.automation.journeys import JourneysError

    mail = {"type": "email", "host": "127.0.0.1", "sender": "crm@shop.example", "consent": "sms"}
    write_journeys(ws, {"channels": {"mail": mail}})
    with pytest.raises(JourneysError, match="an e-mail channel always asks the marketing consent"):
        load_journeys(ws, list_runs(ws)[0].taxonomy())
    write_journeys(ws, {"channels": {"sms": {"type": "file", "consent": "phone"}}})
    with pytest.raises(
        JourneysError, match=r"sms\.file\.consent: should be one of 'marketing' or 'sms'"
    ):
        load_journeys(ws, list_runs(ws)[0].taxonomy())
