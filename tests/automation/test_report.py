"""`kequn journeys report`: treated against holdout, with intervals and sample notes."""

from __future__ import annotations

import datetime as dt
import json
import math

from automation_helpers import TEMPLATES, runs, unprocess, write_journeys
from typer.testing import CliRunner

from kequn.automation import db
from kequn.automation.plan import process_run
from kequn.automation.report import compare, journeys_report
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
    unprocess(aws)
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
    # in 中文 the table is Chinese too (its headers and rows were English), and so is
    # the list of journeys
    zh = CliRunner().invoke(app, ["--lang", "zh", "journeys", "report", "-w", str(aws.root)])
    for word in ("客户数", "转化率", "人均收入", "干预组", "对照组", "差（95% 置信区间）"):
        assert word in zh.output
    for word in ("treated", "holdout", "customers", "conversion", "CI"):
        assert word not in zh.output
    listed = CliRunner().invoke(app, ["--lang", "zh", "journeys", "list", "-w", str(aws.root)])
    assert listed.exit_code == 0, listed.output
    assert "触发" in listed.output
    for word in ("trigger", "holdout", "enabled", "channel"):
        assert word not in listed.output


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


def test_each_customer_counts_once_in_the_group_of_their_first_assignment(
    aws: Workspace,
) -> None:
    """A rule trigger assigns the same customers on both runs; the holdout share drops to
    zero before the second, so half of them are held out first and treated later."""
    early, late = runs(aws)
    journey = {"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
               "templates": TEMPLATES, "holdout": 0.5, "conversion_days": 30,
               "frequency_cap": None}  # fmt: skip
    channels = {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/x"}}
    write_journeys(aws, {"channels": channels, "journeys": [journey]})
    unprocess(aws)
    process_run(early)
    write_journeys(aws, {"channels": channels, "journeys": [{**journey, "holdout": 0.0}]})
    process_run(late)
    with db.connect(aws) as con:
        rows = con.execute(
            "SELECT customer_id, as_of, grp FROM assignments WHERE journey_id = 'buyers' "
            "ORDER BY customer_id, as_of, run_id"
        ).fetchall()
    first: dict[str, tuple[dt.date, str]] = {}
    groups: dict[str, list[str]] = {}
    for cid, as_of, grp in rows:
        if grp in ("treated", "holdout"):  # the first randomised assignment counts
            first.setdefault(cid, (as_of, grp))
        groups.setdefault(cid, []).append(grp)
    again = [c for c, g in groups.items() if len(g) > 1 and g[0] in ("treated", "holdout")]
    flipped = {c for c, g in groups.items() if g[:2] == ["holdout", "treated"]}
    assert len(again) > 20  # the case is really there: customers assigned on both runs
    assert len(flipped) > 10  # and some held out first, then treated
    expected = {
        arm: {c for c, (_, grp) in first.items() if grp == arm} for arm in ("treated", "holdout")
    }
    assert flipped <= expected["holdout"]

    (row,) = journeys_report(aws, lang="en")["journeys"]
    assert row["treated"]["customers"] == len(expected["treated"])
    assert row["holdout"]["customers"] == len(expected["holdout"])
    assert row["triggered_from"] == early.as_of_date.isoformat(), row
    # conversions: a paid order in the 30 days after the customer's first run, read back
    with aws.read() as store:
        orders = store.execute(
            "SELECT customer_id, ordered_at::DATE FROM orders "
            "WHERE status IS NULL OR status IN ('paid', 'partially_refunded')"
        ).fetchall()
    for arm, ids in expected.items():
        converted = {
            cid for cid, day in orders if cid in ids and 0 < (day - first[cid][0]).days <= 30
        }
        assert row[arm]["conversions"] == len(converted), arm
