"""`kequn outbox` speaks the reader's language: its statuses (待发送, 死信…) and kequn's
own reasons were printed in English in 中文 too; --json keeps the stored words."""

from __future__ import annotations

import json

from automation_helpers import TEMPLATES, runs, write_journeys
from typer.testing import CliRunner

from kequn.automation import db
from kequn.automation.plan import process_run
from kequn.cli import app
from kequn.store.workspace import Workspace


def test_outbox_statuses_and_reasons_in_both_languages(aws: Workspace) -> None:
    write_journeys(
        aws,
        {"channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/x"}},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
                       "templates": TEMPLATES, "frequency_cap": None}]},
    )  # fmt: skip
    assert process_run(runs(aws)[1])["messages"] > 1
    with db.connect(aws) as con:
        con.execute(
            "UPDATE outbox SET status = 'cancelled', last_error = 'opted out' "
            "WHERE message_id = (SELECT min(message_id) FROM outbox)"
        )
    root = str(aws.root)
    zh = CliRunner().invoke(app, ["--lang", "zh", "outbox", "-w", root])
    assert zh.exit_code == 0, zh.output
    assert "待发送" in zh.output
    assert "已取消" in zh.output
    for word in ("pending", "cancelled"):
        assert word not in zh.output
    listed = CliRunner().invoke(
        app, ["--lang", "zh", "outbox", "-w", root, "--status", "cancelled"]
    )
    assert "已取消" in listed.output
    assert "已退订" in listed.output  # kequn's reason, in Chinese
    assert "opted out" not in listed.output
    en = CliRunner().invoke(app, ["--lang", "en", "outbox", "-w", root, "--status", "cancelled"])
    assert "cancelled" in en.output
    assert "opted out" in en.output
    raw = CliRunner().invoke(app, ["--lang", "zh", "outbox", "-w", root, "--json"])
    assert {c["status"] for c in json.loads(raw.output)["counts"]} == {"pending", "cancelled"}
