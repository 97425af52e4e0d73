"""``kequn journeys process`` says what each journey decided in the reader's language: the
outcomes' names, not plan.py's ``treated:queued`` codes, with the counts planned; ``kequn
events`` names the dimensions and labels (the ids stay in --json)."""

from __future__ import annotations

import json
import re

from automation_helpers import TEMPLATES, runs, write_journeys
from typer.testing import CliRunner

from kequn.automation import db
from kequn.cli import app
from kequn.core.i18n import local
from kequn.store.workspace import Workspace

JOURNEYS = {
    "journeys": [
        {
            "id": "gone_dormant",
            "channel": "crm",
            "templates": TEMPLATES,
            "holdout": 0.3,
            "frequency_cap": None,
            "trigger": {"rule": "orders >= 1"},
        }
    ],
    "channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/x"}},
}


def _line(output: str, journey: str) -> str:
    (line,) = [x for x in output.splitlines() if x.strip().startswith(f"{journey}:")]
    return line


def _planned(ws: Workspace, run_id: str, journey: str) -> dict[str, int]:
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT outcome, count(*) FROM assignments WHERE run_id = ? AND journey_id = ? "
            "GROUP BY outcome",
            [run_id, journey],
        ).fetchall()
    return dict(rows)


def test_journeys_process_names_outcomes_in_each_language(aws: Workspace) -> None:
    _, late = runs(aws)
    write_journeys(aws, JOURNEYS)
    runner = CliRunner()
    root = str(aws.root)

    zh = runner.invoke(
        app, ["--lang", "zh", "journeys", "process", "-w", root, "--run", late.run_id]
    )
    assert zh.exit_code == 0, zh.output
    line = _line(zh.output, "gone_dormant")
    counts = _planned(aws, late.run_id, "gone_dormant")
    assert counts["queued"]
    assert counts["held_out"]
    assert f"进入发件箱 {counts['queued']}" in line, line
    assert f"对照组（不发送） {counts['held_out']}" in line, line
    assert "treated" not in line
    assert "queued" not in line
    assert "held_out" not in line
    assert sum(int(n) for n in re.findall(r"\d+", line)) == sum(counts.values())

    # a second journey planned on the same run, told in English
    again = {**JOURNEYS["journeys"][0], "id": "second"}
    write_journeys(aws, {**JOURNEYS, "journeys": [*JOURNEYS["journeys"], again]})
    en = runner.invoke(
        app, ["--lang", "en", "journeys", "process", "-w", root, "--run", late.run_id]
    )
    assert en.exit_code == 0, en.output
    line = _line(en.output, "second")
    counts = _planned(aws, late.run_id, "second")
    assert f"Queued to send {counts['queued']:,}" in line, line
    assert f"Holdout (not sent) {counts['held_out']:,}" in line, line
    assert "进入" not in line
    assert "held_out" not in line


def test_events_table_names_dimensions_and_labels_in_each_language(aws: Workspace) -> None:
    _, late = runs(aws)
    runner = CliRunner()
    args = ["events", "-w", str(aws.root), "--run", late.run_id, "--dimension", "lifecycle"]
    as_json = runner.invoke(app, [*args, "--json"])
    moved = json.loads(as_json.output)
    labels = {c["label"] for c in moved["counts"]}
    assert "dormant" in labels
    taxonomy = late.taxonomy()
    dormant = taxonomy.dimension("lifecycle").label("dormant")
    for lang in ("zh", "en"):
        shown = runner.invoke(app, ["--lang", lang, *args, "--limit", "5"])
        assert shown.exit_code == 0, shown.output
        assert local(dormant, lang) in shown.output
        assert local(taxonomy.dimension("lifecycle"), lang) in shown.output
        assert " dormant " not in shown.output
        assert "lifecycle" not in shown.output
