"""`kequn journeys report`: treated against holdout, with intervals and sample notes."""

from __future__ import annotations

import json
import math

from automation_helpers import TEMPLATES, runs, write_journeys
from typer.testing import CliRunner

from kequn.automation.plan import process_run
from kequn.automation.report import compare
from kequn.cli import app
from kequn.store.workspace import Workspace


def test_report_gives_sizes_intervals_and_a_note_when_small(aws: Workspace) -> None:
    early, _ = runs(aws)
    write_journeys(
        aws,
        {"channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/x"}},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
                       "templates": TEMPLATES, "holdout": 0.5, "conversion_days": 30,
                       "frequency_cap": None}]},
    )  # fmt: skip
    process_run(early)
    result = CliRunner().invoke(app, ["journeys", "report", "-w", str(aws.root), "--json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)["journeys"]
    assert row["treated"]["customers"] > 20
    assert row["holdout"]["customers"] > 20
    assert row["window_complete"] is True
    diff = row["conversion_difference"]
    assert diff["ci_low"] < diff["difference"] < diff["ci_high"]
    assert row["revenue_difference"]["ci_low"] < row["revenue_difference"]["ci_high"]
    assert row["too_small"] == any("Too small" in n for n in row["notes"])
    text = CliRunner().invoke(app, ["journeys", "report", "-w", str(aws.root)])
    assert "treated" in text.output
    assert "Δ (95% CI)" in text.output


def test_interval_arithmetic() -> None:
    treated = {"n": 1000.0, "converted": 300.0, "revenue": 30000.0, "revenue_sq": 3_000_000.0}
    holdout = {"n": 1000.0, "converted": 250.0, "revenue": 25000.0, "revenue_sq": 2_500_000.0}
    out = compare(treated, holdout)
    se = math.sqrt(0.3 * 0.7 / 1000 + 0.25 * 0.75 / 1000)
    assert math.isclose(out["conversion_difference"]["difference"], 0.05)
    assert math.isclose(out["conversion_difference"]["ci_low"], 0.05 - 1.959963984540054 * se)
    assert out["too_small"] is False
    small = compare({**treated, "n": 10.0, "converted": 3.0, "revenue": 300.0}, holdout)
    assert small["too_small"] is True
