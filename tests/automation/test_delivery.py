"""Delivery with real parts on loopback: SMTP, signed webhooks, a receiver down then
back, a worker killed with SIGKILL, caps, quiet hours, file drops, unsubscribe."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import threading
import zoneinfo

from automation_helpers import (
    FAST,
    TEMPLATES,
    Mailbox,
    Receiver,
    runs,
    unprocess,
    wait_for,
    webhook_channel,
    write_journeys,
)
from typer.testing import CliRunner

from kequn.automation import db
from kequn.automation.deliver import deliver, outbox_status
from kequn.automation.plan import customer_lang, process_run
from kequn.cli import app
from kequn.store.workspace import Workspace


def _outbox(ws: Workspace) -> dict[str, str]:
    with db.connect(ws) as con:
        return dict(con.execute("SELECT message_id, status FROM outbox").fetchall())


def _journey(**extra: object) -> dict[str, object]:
    return {"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
            "templates": TEMPLATES, "frequency_cap": None, **extra}  # fmt: skip


def test_email_in_each_customers_language_and_unsubscribe_end_to_end(
    aws: Workspace, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    _, late = runs(aws)
    mail = {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
            "sender": "Shop <crm@shop.example>",
            "unsubscribe_url": "http://127.0.0.1:8000/unsubscribe/{token}"}  # fmt: skip
    write_journeys(
        aws,
        {"delivery": FAST, "channels": {"mail": mail},
         "journeys": [_journey(channel="mail", holdout=0.2)]},
    )  # fmt: skip
    summary = process_run(late)
    queued = summary["messages"]
    assert queued > 5
    totals = deliver(aws)
    assert totals["sent"] == queued
    assert len(box.messages) == queued
    with aws.read() as con:
        people = {
            r[0]: {"email": r[1], "country": r[2], "attributes": r[3], "consent": r[4]}
            for r in con.execute(
                "SELECT customer_id, email, country, attributes, marketing_consent FROM customers"
            ).fetchall()
        }
    by_email = {p["email"]: (cid, p) for cid, p in people.items() if p["email"]}
    langs = set()
    for msg in box.messages:
        _, person = by_email[msg["To"]]
        assert person["consent"] is True
        lang = customer_lang(person, aws)
        langs.add(lang)
        assert msg["Content-Language"] == ("zh-CN" if lang == "zh" else "en")
        assert ("我们想念您" in msg["Subject"]) == (lang == "zh")
        assert msg["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/unsubscribe/")
    assert langs == {"zh", "en"}
    # unsubscribe with the link's token; the next journey leaves the customer out
    first = box.messages[0]
    token = first["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    assert token in first.get_content()
    gone = by_email[first["To"]][0]
    result = CliRunner().invoke(app, ["unsubscribe", token, "-w", str(aws.root)])
    assert result.exit_code == 0, result.output
    assert gone in result.output
    bad = CliRunner().invoke(app, ["unsubscribe", token[:-2] + "xx", "-w", str(aws.root)])
    assert bad.exit_code == 1
    write_journeys(
        aws,
        {"delivery": FAST, "channels": {"mail": mail},
         "journeys": [_journey(channel="mail", holdout=0.2, id="again")]},
    )  # fmt: skip
    process_run(late)
    with db.connect(aws) as con:
        outcome = con.execute(
            "SELECT outcome FROM assignments WHERE journey_id = 'again' AND customer_id = ?", [gone]
        ).fetchone()
    assert outcome == ("opted_out",)
    box.messages.clear()
    deliver(aws)
    assert box.messages
    assert all(by_email[m["To"]][0] != gone for m in box.messages)


def test_receiver_down_then_back_gets_every_message_once(
    aws: Workspace, receiver: Receiver
) -> None:
    _, late = runs(aws)
    write_journeys(
        aws,
        {"delivery": FAST, "channels": {"crm": webhook_channel(receiver)},
         "journeys": [_journey()]},
    )  # fmt: skip
    ids = set()
    process_run(late)
    ids = set(_outbox(aws))
    assert len(ids) > 10
    first = deliver(aws)  # the receiver is down: sends fail, nothing is lost
    assert first["sent"] == 0
    assert first["failed"] >= 1  # (a few tries, then the rest wait for the next pass)
    assert set(_outbox(aws).values()) == {"pending"}
    receiver.lose_acks = 7  # back, but the first answers are lost: the worker sends again
    receiver.start()

    def drained() -> bool:
        deliver(aws)
        return set(_outbox(aws).values()) == {"sent"}

    wait_for(drained)
    assert receiver.bad_signatures == 0
    assert set(receiver.applied) == ids
    assert all(n == 1 for n in receiver.applied.values())
    assert len(receiver.requests) >= len(ids) + 7  # the lost answers were sent again
    sample = receiver.requests[-1]["body"]
    assert sample["message_id"] == receiver.requests[-1]["key"]
    assert {"customer_id", "subject", "text", "trigger", "lang"} <= set(sample)


def test_sigkill_of_the_worker_mid_batch_loses_nothing(aws: Workspace, receiver: Receiver) -> None:
    _, late = runs(aws)
    write_journeys(
        aws,
        {"delivery": {**FAST, "batch": 5}, "channels": {"crm": webhook_channel(receiver)},
         "journeys": [_journey()]},
    )  # fmt: skip
    process_run(late)
    ids = set(_outbox(aws))
    receiver.hold = threading.Event()
    receiver.start()
    worker = subprocess.Popen(
        [sys.executable, "-m", "kequn.cli", "deliver", "-w", str(aws.root)],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: receiver.requests, seconds=60)  # the worker is inside a batch
        assert "sending" in set(_outbox(aws).values())
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        worker.stderr.close()  # type: ignore[union-attr]
    receiver.hold.set()
    receiver.hold = None
    # a new worker takes the dead worker's batch back at once (its process is gone)
    wait_for(lambda: deliver(aws) is not None and set(_outbox(aws).values()) == {"sent"})
    assert set(receiver.applied) == ids
    assert all(n == 1 for n in receiver.applied.values())


def test_cap_quiet_hours_and_dead_letters(aws: Workspace, receiver: Receiver) -> None:
    early, late = runs(aws)
    tz = zoneinfo.ZoneInfo(aws.settings.timezone)
    now = dt.datetime.now(tz)
    quiet = {"start": (now - dt.timedelta(hours=1)).strftime("%H:%M"),
             "end": (now + dt.timedelta(hours=1)).strftime("%H:%M")}  # fmt: skip
    write_journeys(
        aws,
        {"delivery": {**FAST, "max_attempts": 2},
         "channels": {"crm": webhook_channel(receiver)},
         "journeys": [
             _journey(id="capped", frequency_cap={"messages": 1, "days": 7}),
             _journey(id="night", quiet_hours=quiet, frequency_cap=None),
         ]},
    )  # fmt: skip
    unprocess(aws)
    process_run(early)
    process_run(late)
    with db.connect(aws) as con:
        capped = con.execute(
            "SELECT a.customer_id FROM assignments a WHERE journey_id = 'capped' "
            "AND run_id = ? AND outcome = 'capped'",
            [late.run_id],
        ).fetchall()
        first = {
            r[0]
            for r in con.execute(
                "SELECT customer_id FROM outbox WHERE journey_id = 'capped' AND run_id = ?",
                [early.run_id],
            ).fetchall()
        }
        second = {
            r[0]
            for r in con.execute(
                "SELECT customer_id FROM outbox WHERE journey_id = 'capped' AND run_id = ?",
                [late.run_id],
            ).fetchall()
        }
    assert capped  # over the cap: one message per customer and channel in 7 days
    assert not (first & second)
    assert {c for (c,) in capped} <= first
    # the receiver is down and max_attempts is 2: dead letters with the reason
    deliver(aws)
    # a pass tries the down channel 3 times (deliver.DOWN_AFTER), so the first run's
    # messages take dozens of passes: 20 s was too few on a loaded machine
    wait_for(
        lambda: deliver(aws) is not None and "pending" not in _by_journey(aws, "capped"),
        seconds=180,
    )
    dead = outbox_status(aws, status="dead", limit=1000)["messages"]
    assert dead
    assert all(m["journey_id"] == "capped" for m in dead)
    assert all("after 2 attempts" in m["last_error"] for m in dead)
    # the CLI tells kequn's own reasons in the reader's language
    args = ["outbox", "--status", "dead", "-w", str(aws.root)]
    zh = CliRunner().invoke(app, ["--lang", "zh", *args]).output
    assert "尝试 2 次后失败" in zh
    assert "after 2 attempts" not in zh
    assert "旅程" in zh
    assert "after 2 attempts" in CliRunner().invoke(app, ["--lang", "en", *args]).output
    # quiet hours hold: nothing of "night" was attempted
    assert set(_by_journey(aws, "night")) == {"pending"}
    with db.connect(aws) as con:
        attempts, due = con.execute(
            "SELECT max(attempts), min(next_attempt_at) FROM outbox WHERE journey_id = 'night'"
        ).fetchone()
    assert attempts == 0
    assert due.replace(tzinfo=dt.UTC) > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=50)
    receiver.start()
    result = CliRunner().invoke(
        app, ["deliver", "--replay", dead[0]["message_id"], "-w", str(aws.root)]
    )
    assert result.exit_code == 0, result.output
    deliver(aws)
    assert set(receiver.applied) == {dead[0]["message_id"]}


def _by_journey(ws: Workspace, journey: str) -> list[str]:
    with db.connect(ws) as con:
        return [
            r[0]
            for r in con.execute(
                "SELECT status FROM outbox WHERE journey_id = ?", [journey]
            ).fetchall()
        ]


def test_file_drop_with_hashed_phones_and_emails(aws: Workspace) -> None:
    _, late = runs(aws)
    write_journeys(
        aws,
        {"delivery": FAST,
         "channels": {"ads": {"type": "file", "folder": "drops", "hash": "sha256",
                              "columns": ["customer_id", "phone", "email"]}},
         "journeys": [_journey(channel="ads", purpose="marketing")]},
    )  # fmt: skip
    summary = process_run(late)
    assert deliver(aws)["sent"] == summary["messages"]
    files = list((aws.root / "drops").glob("*.csv"))
    assert len(files) == 1
    with files[0].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == summary["messages"]
    with aws.read() as con:
        phones = dict(con.execute("SELECT customer_id, phone FROM customers").fetchall())
    row = rows[0]
    digits = "".join(c for c in phones[row["customer_id"]] if c.isdigit())
    assert row["phone_sha256"] == hashlib.sha256(f"+86{digits[-11:]}".encode()).hexdigest()
    # delivering again writes nothing new and keeps the file whole
    assert deliver(aws)["sent"] == 0
