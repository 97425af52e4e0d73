"""Where the data has no SMS answer, an SMS channel asks the general one.

A Chinese member list says 营销许可 and nothing about SMS: a channel with ``consent: sms``
then reaches exactly whom a channel without it reaches, the customers whose
``marketing_consent`` is true, and a channel that names no consent behaves as before.
The workspace here was made before ``sms_consent`` existed (its customers table has no
such column, as one an older kequn wrote and nothing has written since): the run, the
planning, the dashboard's preview and the delivery worker all read it.

Real parts: the member list and its orders imported, a run by the pipeline, a signed
webhook receiver on loopback, a drop file, the delivery worker.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest
from automation_helpers import FAST, SECRET, SECRET_ENV, TEMPLATES, Receiver, write_journeys

from kequn import pipeline
from kequn.automation import db
from kequn.automation.deliver import deliver
from kequn.automation.journeys import load_journeys
from kequn.automation.plan import process_run
from kequn.ingest.importer import import_file
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace
from kequn.web.journeys_view import preview

#: 会员编号, 姓名, 手机, 邮箱, 营销许可 (empty: never asked)
MEMBERS = [
    ["M1", "王小明", "13912345601", "m1@example.com", "是"],
    ["M2", "李雷", "13912345602", "m2@example.com", "否"],
    ["M3", "韩梅梅", "13912345603", "m3@example.com", ""],
]


def _workspace(root: Path) -> Workspace:
    ws = Workspace.init(root / "ws")
    members = root / "会员.csv"
    members.write_text(
        "\n".join(["会员编号,姓名,手机,邮箱,营销许可", *(",".join(m) for m in MEMBERS)]) + "\n",
        encoding="utf-8",
    )
    assert import_file(ws, "customers", members).rejected == 0
    orders = root / "订单.csv"
    lines = ["订单编号,会员编号,下单时间,实付金额,订单状态"]
    lines += [f"T{i},{m[0]},2026-09-0{i} 10:00:00,88.00,交易成功" for i, m in enumerate(MEMBERS, 1)]
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_file(ws, "orders", orders).rejected == 0
    return ws


def _as_made_before_the_column(ws: Workspace) -> None:
    """The published generation without ``sms_consent``, as an older kequn left it."""
    generation = ws.current_generation()
    assert generation
    con = duckdb.connect(str(ws.data_dir / generation))
    try:
        con.execute("ALTER TABLE customers DROP COLUMN sms_consent")
    finally:
        con.close()
    with ws.read() as con:
        assert "sms_consent" not in {r[0] for r in con.execute("DESCRIBE customers").fetchall()}


def test_without_sms_answers_an_sms_channel_asks_the_marketing_consent(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_ENV, SECRET)
    ws = _workspace(tmp_path)
    _as_made_before_the_column(ws)
    pipeline.run(ws, as_of=dt.date(2026, 9, 30), with_models=False)
    receiver.start()
    hook = {"type": "webhook", "url": receiver.url, "secret_env": SECRET_ENV, "timeout_seconds": 5}
    one = {"trigger": {"rule": "orders >= 1"}, "templates": TEMPLATES, "frequency_cap": None}
    write_journeys(
        ws,
        {"delivery": FAST,
         "channels": {"gateway": {**hook, "consent": "sms"}, "crm": hook,
                      "drop": {"type": "file", "consent": "sms", "columns": ["customer_id", "phone"]}},
         "journeys": [{"id": "sms_promo", "channel": "gateway", **one},
                      {"id": "crm_promo", "channel": "crm", **one},
                      {"id": "sms_file", "channel": "drop", **one}]},
    )  # fmt: skip
    run = list_runs(ws)[0]
    journeys = load_journeys(ws, run.taxonomy())
    for jid, refused in (("sms_promo", "no_sms_consent"), ("crm_promo", "no_consent")):
        shown = preview(ws, run, journeys, journeys.journey(jid))["outcomes"]  # type: ignore[arg-type]
        assert (shown["queued"], shown[refused]) == (1, 2), jid

    process_run(run)

    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT journey_id, customer_id, outcome FROM assignments ORDER BY 1, 2"
        ).fetchall()
    assert rows == [
        ("crm_promo", "M1", "queued"),
        ("crm_promo", "M2", "no_consent"),
        ("crm_promo", "M3", "no_consent"),
        ("sms_file", "M1", "queued"),
        ("sms_file", "M2", "no_sms_consent"),
        ("sms_file", "M3", "no_sms_consent"),
        ("sms_promo", "M1", "queued"),
        ("sms_promo", "M2", "no_sms_consent"),
        ("sms_promo", "M3", "no_sms_consent"),
    ]
    # sent with the data still as the older kequn left it (send time reads it again)
    assert deliver(ws)["sent"] == 3
    got = sorted((r["body"]["journey"], r["body"]["customer_id"]) for r in receiver.requests)
    assert got == [("crm_promo", "M1"), ("sms_promo", "M1")]
    (drop,) = (ws.root / "drops").glob("*.csv")
    with drop.open(encoding="utf-8", newline="") as fh:
        assert [r["customer_id"] for r in csv.DictReader(fh)] == ["M1"]
