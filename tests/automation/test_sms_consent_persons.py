"""With identity resolution on, a person's SMS answer is every one of their records'.

A refusal on any record stands (as for marketing consent). A record with no SMS answer
answers with its general consent: a member list's 营销许可 否 refuses SMS too, so a
newer Shopify record saying yes to SMS does not undo it. Planning (the person's profile
in the run) and sending (their records as they are) agree.

Real parts: a member list and a Shopify customers export of the same people, orders,
identity resolution and a run by the pipeline, a signed webhook receiver on loopback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from automation_helpers import (
    FAST,
    SECRET,
    SECRET_ENV,
    SHOPIFY_CUSTOMERS,
    TEMPLATES,
    Receiver,
    write_journeys,
)

from kequn import pipeline
from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.plan import process_run
from kequn.ingest.importer import import_file
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace

#: (member number, name, phone, 营销许可 in the member list, e-mail, Shopify's e-mail and
#: SMS answers)
PEOPLE = [
    ("M1", "王小明", "13912345601", "否", "m1@example.com", "yes", "yes"),
    ("M2", "李雷", "13912345602", "是", "m2@example.com", "yes", "no"),
    ("M3", "韩梅梅", "13912345603", "是", "m3@example.com", "yes", "yes"),
]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _person(ws: Workspace, record: str) -> str:
    with ws.read() as con:
        row = con.execute(
            "SELECT person_id FROM identity_map WHERE customer_id = ?", [record]
        ).fetchone()
    assert row, record
    return str(row[0])


def test_a_persons_sms_answer_is_all_their_records(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_ENV, SECRET)
    ws = Workspace.init(tmp_path / "ws")
    members = [
        "会员编号,姓名,手机,邮箱,营销许可",
        *(f"{p[0]},{p[1]},{p[2]},,{p[3]}" for p in PEOPLE),
    ]
    shopify = [SHOPIFY_CUSTOMERS, *(f"{p[1]},,{p[4]},{p[5]},,,,,,CN,,,'+86{p[2]},{p[6]},88.00,1,,no,"
                          for p in PEOPLE)]  # fmt: skip
    orders = ["订单编号,会员编号,下单时间,实付金额,订单状态"]
    orders += [f"T{i},{p[0]},2026-09-0{i} 10:00:00,88.00,交易成功" for i, p in enumerate(PEOPLE, 1)]
    for table, name, lines, origin in (
        ("customers", "会员.csv", members, "crm"),
        ("customers", "customers_export.csv", shopify, "shopify"),
        ("orders", "订单.csv", orders, "crm"),
    ):
        report = import_file(ws, table, _write(tmp_path / name, lines), origin=origin)
        assert report.rejected == 0, report.examples
    with (ws.root / "kequn.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[identity]\nenabled = true\n")
    pipeline.run(ws, as_of=dt.date(2026, 9, 30), with_models=False)
    persons = {p[0]: _person(ws, f"crm:{p[0]}") for p in PEOPLE}
    with ws.read() as con:  # each member's Shopify record is theirs
        linked = con.execute(
            "SELECT count(DISTINCT person_id), count(*) FROM identity_map"
        ).fetchone()
    assert linked == (3, 6)
    receiver.start()
    hook = {"type": "webhook", "url": receiver.url, "secret_env": SECRET_ENV, "timeout_seconds": 5}
    one = {"trigger": {"rule": "orders >= 1"}, "templates": TEMPLATES, "frequency_cap": None}
    write_journeys(
        ws,
        {"delivery": FAST, "channels": {"gateway": {**hook, "consent": "sms"}, "crm": hook},
         "journeys": [{"id": "sms_promo", "channel": "gateway", **one},
                      {"id": "crm_promo", "channel": "crm", **one}]},
    )  # fmt: skip

    process_run(list_runs(ws)[0])

    with db.connect(ws) as con:
        rows = con.execute("SELECT journey_id, customer_id, outcome FROM assignments").fetchall()
    outcomes = {(j, c): o for j, c, o in rows}
    assert outcomes == {
        # M1: the member list's general no stands for SMS too
        ("sms_promo", persons["M1"]): "no_sms_consent",
        ("crm_promo", persons["M1"]): "no_consent",
        # M2: no to SMS in Shopify, yes to marketing everywhere
        ("sms_promo", persons["M2"]): "no_sms_consent",
        ("crm_promo", persons["M2"]): "queued",
        ("sms_promo", persons["M3"]): "queued",
        ("crm_promo", persons["M3"]): "queued",
    }
    # sending reads the records again and agrees with planning: nothing is cancelled
    assert deliver(ws)["sent"] == 3
    got = sorted((r["body"]["journey"], r["body"]["customer_id"]) for r in receiver.requests)
    assert got == sorted(
        [("crm_promo", persons["M2"]), ("crm_promo", persons["M3"]), ("sms_promo", persons["M3"])]
    )
