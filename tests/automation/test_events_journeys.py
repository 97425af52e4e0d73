"""Segment events against `kequn history`, and journeys.yaml validation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from automation_helpers import TEMPLATES, runs, write_journeys
from typer.testing import CliRunner

from kequn import pipeline
from kequn.automation import db
from kequn.automation.events import previous_run, query_events
from kequn.automation.journeys import JourneysError, load_journeys
from kequn.automation.plan import process_run, share_of
from kequn.cli import app
from kequn.demo import demo_workspace
from kequn.pipeline import workspace_taxonomy
from kequn.snapshots.reports import history
from kequn.store.workspace import Workspace


def test_events_written_by_the_hook_match_history(aws: Workspace) -> None:
    moves = history(aws, "lifecycle")["moves"]
    for label in ("dormant", "churned", "active"):
        into = sum(m["customers"] for m in moves if m["after"] == label and m["before"] != label)
        out = sum(m["customers"] for m in moves if m["before"] == label and m["after"] != label)
        found_in = query_events(aws, dimension="lifecycle", entered=label)["total"]
        found_out = query_events(aws, dimension="lifecycle", left=label)["total"]
        assert (found_in, found_out) == (into, out)
    assert into + out > 0


def test_a_backfilled_run_is_compared_with_the_run_before_it_by_as_of(aws: Workspace) -> None:
    early, late = runs(aws)
    # made last, but dated between the two: its previous run is the early one (creation
    # order does not decide), and it is now the one before the late run
    middle = pipeline.run(aws, as_of=dt.date(2026, 8, 15), with_models=False)
    oldest = pipeline.run(aws, as_of=dt.date(2026, 3, 31), with_models=False)
    assert previous_run(middle).run_id == early.run_id  # type: ignore[union-attr]
    assert previous_run(late).run_id == middle.run_id  # type: ignore[union-attr]
    assert previous_run(oldest) is None
    assert previous_run(early).run_id == oldest.run_id  # type: ignore[union-attr]
    with db.connect(aws) as con:
        stored = dict(con.execute("SELECT run_id, previous_run_id FROM processed_runs").fetchall())
    assert stored[middle.run_id] == early.run_id
    assert stored[oldest.run_id] is None
    # the events stored for the backfill agree with history between the same two runs
    moves = history(aws, "lifecycle", before=early.run_id, after=middle.run_id)["moves"]
    into = sum(
        m["customers"] for m in moves if m["after"] == "dormant" and m["before"] != "dormant"
    )
    found = query_events(aws, dimension="lifecycle", entered="dormant", run_id=middle.run_id)
    assert found["total"] == into
    assert {c["previous_run_id"] for c in found["counts"]} <= {early.run_id}
    # by default history compares the newest as-of date with the run before it in time,
    # the pair events compare, not the two runs made last (the backfills)
    default = history(aws, "lifecycle")
    assert (default["before"]["run_id"], default["after"]["run_id"]) == (
        middle.run_id,
        late.run_id,
    )


def test_history_compares_two_runs_of_the_same_date(tmp_path: Path) -> None:
    """Two runs at one date (a rerun after a taxonomy edit) still make a history: the
    overview showed a 409 'needs two runs' when no run had an earlier date."""
    ws = demo_workspace(tmp_path, 300, seed=3)
    first = pipeline.run(ws, with_models=False)
    second = pipeline.run(ws, with_models=False)
    assert first.as_of == second.as_of
    default = history(ws, "lifecycle")
    assert (default["before"]["run_id"], default["after"]["run_id"]) == (
        first.run_id,
        second.run_id,
    )
    assert sum(m["customers"] for m in default["moves"]) == second.customers


def test_events_cli_filters_by_date_and_tags(aws: Workspace) -> None:
    _, late = runs(aws)
    result = CliRunner().invoke(
        app,
        ["events", "--dimension", "lifecycle", "--entered", "dormant", "--since", late.as_of,
         "-w", str(aws.root), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == query_events(aws, dimension="lifecycle", entered="dormant")["total"]
    assert {c["run_id"] for c in data["counts"]} == {late.run_id}
    later = CliRunner().invoke(app, ["events", "--since", "2027-01-01", "-w", str(aws.root)])
    assert "No events match" in later.output
    # a tag turning on is an entered event of the tag dimension, one per customer
    tags = query_events(aws, dimension="traits", limit=1000)
    assert all(e["change"] in ("entered", "left") for e in tags["events"])
    assert len({(e["customer_id"], e["label"], e["change"]) for e in tags["events"]}) == len(
        tags["events"]
    )


def test_journeys_are_checked_like_the_taxonomy(aws: Workspace) -> None:
    base = {
        "channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/x"}},
        "journeys": [
            {
                "id": "winback",
                "trigger": {"entered": "lifecycle.sleepy"},
                "audience": "spend >> 3",
                "channel": "crm",
                "templates": {"en": {"subject": "{{ customer.name", "body": "x"}},
            }
        ],
    }
    write_journeys(aws, base)
    with pytest.raises(JourneysError) as caught:
        load_journeys(aws, workspace_taxonomy(aws))
    text = str(caught.value)
    assert "'sleepy' is not a label of lifecycle" in text
    assert "winback.audience" in text
    assert "winback.templates.en.subject" in text
    result = CliRunner().invoke(app, ["journeys", "check", "-w", str(aws.root)])
    assert result.exit_code == 1
    base["journeys"][0]["channel"] = "nowhere"
    write_journeys(aws, base)
    with pytest.raises(JourneysError, match="channel 'nowhere' is not under channels"):
        load_journeys(aws, workspace_taxonomy(aws))
    base["journeys"][0].update(
        channel="crm",
        trigger={"entered": "lifecycle.dormant"},
        audience="spend >= 0 and days_since_last_order > 10",
        templates=TEMPLATES,
    )
    write_journeys(aws, base)
    ok = CliRunner().invoke(app, ["journeys", "check", "-w", str(aws.root)])
    assert ok.exit_code == 0, ok.output
    assert "1 journeys, 1 channels" in ok.output


def test_consent_control_group_and_holdout_decide_who_is_queued(aws: Workspace) -> None:
    _, late = runs(aws)
    write_journeys(
        aws,
        {
            "control_group": 0.1,
            "channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/x"}},
            "journeys": [
                {"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
                 "templates": TEMPLATES, "holdout": 0.3, "frequency_cap": None},
            ],
        },
    )  # fmt: skip
    summary = process_run(late)
    assert summary["messages"] > 0
    with db.connect(aws) as con:
        rows = con.execute(
            "SELECT a.customer_id, a.grp, a.outcome, a.message_id, o.message_id "
            "FROM assignments a LEFT JOIN outbox o USING (message_id) WHERE a.run_id = ?",
            [late.run_id],
        ).fetchall()
    with aws.read() as con:
        consent = dict(
            con.execute("SELECT customer_id, marketing_consent FROM customers").fetchall()
        )
    outcomes = {r[2] for r in rows}
    assert {"queued", "held_out", "no_consent", "control_group"} <= outcomes
    for cid, grp, outcome, _, queued in rows:
        in_control = share_of("control", cid) < 0.1
        assert (grp == "control") == in_control
        if grp == "control":
            continue
        if consent.get(cid) is not True:
            assert (grp, outcome, queued) == ("excluded", "no_consent", None)
            continue
        assert (grp == "holdout") == (share_of("buyers", cid) < 0.3)
        assert (queued is not None) == (grp == "treated")
    # processing again changes nothing: one message per (customer, journey, run)
    again = process_run(late)
    assert again["messages"] == 0
    with db.connect(aws) as con:
        n = con.execute("SELECT count(*) FROM outbox").fetchone()[0]
    assert n == summary["messages"]


def test_events_are_staged_only_when_something_will_read_them(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run processed again with every journey planned reads no events: none are
    computed (a second at 1M customers); a journey added since still gets them."""
    from kequn.automation import plan

    _, late = runs(aws)  # processed by the after-publish hook, no journeys then
    staged: list[str] = []
    real = plan.stage_events

    def counting(*args: object, **kwargs: object) -> int:
        staged.append("x")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plan, "stage_events", counting)
    again = process_run(late)
    assert staged == []
    assert again["events"] is None
    write_journeys(
        aws,
        {"journeys": [{"id": "gone_dormant", "channel": "crm", "templates": TEMPLATES,
                       "trigger": {"entered": "lifecycle.dormant"}}],
         "channels": {"crm": {"type": "file", "columns": ["customer_id"]}}},
    )  # fmt: skip
    planned = process_run(late)
    assert staged == ["x"]
    entered = query_events(aws, entered="dormant", run_id=late.run_id)["total"]
    assert entered > 0
    assert sum(planned["journeys"]["gone_dormant"].values()) == entered
