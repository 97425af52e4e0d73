"""A rule change between two runs moves customers between segments with nothing done by
them: journeys triggered by entering or leaving a label of a changed dimension are held
for that run (and said so), planned only when asked (``--rule-changes``); journeys on
other dimensions and rule-triggered journeys are planned as usual."""

from __future__ import annotations

import datetime as dt

import pytest
from automation_helpers import LATE, TEMPLATES, write_journeys

from cli_helpers import kequn_words
from kequn import pipeline
from kequn.automation import db
from kequn.automation.events import query_events
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

_CHANNELS = {"crm": {"type": "file", "columns": ["customer_id"]}}


def _journey(jid: str, trigger: dict[str, str]) -> dict[str, object]:
    return {"id": jid, "channel": "crm", "templates": TEMPLATES, "trigger": trigger,
            "consent_required": False, "frequency_cap": None}  # fmt: skip


def _assigned(ws: Workspace, journey: str, run_id: str) -> int:
    with db.connect(ws) as con:
        row = con.execute(
            "SELECT count(*) FROM assignments WHERE journey_id = ? AND run_id = ?",
            [journey, run_id],
        ).fetchone()
    return int(row[0]) if row else 0


def _loosen_dormant(ws: Workspace) -> None:
    """The analyst's edit: dormant after one purchase cycle instead of two."""
    text = ws.taxonomy_path.read_text(encoding="utf-8")
    rule = "when: days_since_last_order > 2 * purchase_cycle_days"
    assert text.count(rule) == 1
    ws.taxonomy_path.write_text(
        text.replace(rule, "when: days_since_last_order > 1 * purchase_cycle_days"),
        encoding="utf-8",
    )


def test_journeys_on_a_changed_dimension_wait_for_a_confirmation(
    aws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    write_journeys(
        aws,
        {"channels": _CHANNELS,
         "journeys": [_journey("gone_dormant", {"entered": "lifecycle.dormant"}),
                      _journey("now_high", {"entered": "value.high"}),
                      _journey("buyers", {"rule": "orders >= 1"})]},
    )  # fmt: skip
    _loosen_dormant(aws)
    run = pipeline.run(aws, as_of=LATE + dt.timedelta(days=7), with_models=False)

    # the hook processed the run: the dormant journey was held, the others planned
    entered = query_events(aws, dimension="lifecycle", entered="dormant", run_id=run.run_id)
    assert entered["total"] > 0
    assert _assigned(aws, "gone_dormant", run.run_id) == 0
    assert _assigned(aws, "buyers", run.run_id) > 0
    again = process_run(run)
    assert "lifecycle" in again["rules_changed"]
    assert "value" not in again["rules_changed"]
    assert again["rules_changed_skipped"] == ["gone_dormant"]
    assert _assigned(aws, "gone_dormant", run.run_id) == 0

    code, said = kequn_words(capsys, "--lang", "en", "journeys", "process", "-w", aws.root,
                             "--run", run.run_id)  # fmt: skip
    assert code == 0
    assert "gone_dormant" in said
    assert "--rule-changes" in said
    assert "lifecycle" in said
    code, said = kequn_words(capsys, "--lang", "zh", "journeys", "process", "-w", aws.root,
                             "--run", run.run_id)  # fmt: skip
    assert code == 0
    assert "规则" in said
    assert "gone_dormant" in said

    # confirmed: planned for exactly the customers who entered dormant
    code, said = kequn_words(capsys, "journeys", "process", "-w", aws.root, "--run",
                             run.run_id, "--rule-changes")  # fmt: skip
    assert code == 0
    assert "--rule-changes" not in said
    assert _assigned(aws, "gone_dormant", run.run_id) == entered["total"]


def test_the_next_run_under_the_same_rules_plans_as_usual(aws: Workspace) -> None:
    write_journeys(
        aws, {"channels": _CHANNELS,
              "journeys": [_journey("gone_dormant", {"entered": "lifecycle.dormant"})]},
    )  # fmt: skip
    _loosen_dormant(aws)
    first = pipeline.run(aws, as_of=LATE + dt.timedelta(days=7), with_models=False)
    assert process_run(first)["rules_changed_skipped"] == ["gone_dormant"]
    later = pipeline.run(aws, as_of=LATE + dt.timedelta(days=60), with_models=False)
    summary = process_run(later)
    assert summary["rules_changed"] == []
    assert summary["rules_changed_skipped"] == []
    moved = query_events(aws, dimension="lifecycle", entered="dormant", run_id=later.run_id)
    assert _assigned(aws, "gone_dormant", later.run_id) == moved["total"] > 0


def test_a_team_digest_says_which_movements_came_with_new_rules(aws: Workspace) -> None:
    import json

    from automation_helpers import Receiver, webhook_channel

    from kequn.automation.digest import render, show_digests

    movements = [{"entered": "lifecycle.dormant"}, {"entered": "rfm.champions"},
                 {"left": "rfm.champions"}, {"entered": "value.low"}, {"left": "value.high"},
                 {"entered": "rfm.at_risk"}, {"left": "rfm.at_risk"}]  # fmt: skip
    write_journeys(
        aws,
        {"channels": {"hook": webhook_channel(Receiver())},
         "digests": {"teams": {"sales": {"channel": "hook", "language": "en", "min_count": 1,
                                         "movements": movements}}}},
    )  # fmt: skip
    _loosen_dormant(aws)
    run = pipeline.run(aws, as_of=LATE + dt.timedelta(days=60), with_models=False)
    with db.connect(aws) as con:
        row = con.execute(
            "SELECT payload FROM outbox WHERE journey_id = 'digest:sales' AND run_id = ?",
            [run.run_id],
        ).fetchone()
    assert row is not None
    moved = json.loads(row[0])["movements"]
    flagged = {m["dimension"] for m in moved if m["rules_changed"]}
    assert flagged == {"lifecycle"}, moved
    for lang, words in (("en", "rules changed"), ("zh", "规则")):
        body = show_digests(aws, run.run_id, lang, "sales")[0]["text"]
        lines = [line for line in body.splitlines() if line.startswith("- ")]
        assert len(lines) == len(moved)
        assert sum(words in line for line in lines) == len(flagged), body
        # a movement of a dimension whose rules stayed is said as before
        payload = {"team": "sales", "as_of": run.as_of, "run_id": run.run_id,
                   "movements": [{**moved[0], "rules_changed": False}]}  # fmt: skip
        assert words not in render(payload, lang)[1]


def test_a_changed_home_city_holds_the_journeys_on_geography(aws: Workspace) -> None:
    """Changing the home city in kequn.toml moves every customer of the old and the new
    city at once (local <-> domestic): the settings' doing, held as a rule change is. A
    dimension that reads no setting is planned as usual."""
    write_journeys(
        aws,
        {"channels": _CHANNELS,
         "journeys": [_journey("left_town", {"left": "geography.local"}),
                      _journey("now_local", {"entered": "geography.local"}),
                      _journey("gone_dormant", {"entered": "lifecycle.dormant"})]},
    )  # fmt: skip
    with aws.read() as con:
        cities = con.execute(
            "SELECT city, count(*) FROM customers WHERE city IS NOT NULL GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    home = aws.settings.home_city
    other = next(city for city, _ in cities if not city.startswith(home))  # 上海 is 上海市
    aws.settings.home_city = other
    aws.save_settings()
    run = pipeline.run(aws, as_of=LATE + dt.timedelta(days=60), with_models=False)
    moved = query_events(aws, dimension="geography", entered="local", run_id=run.run_id)
    assert moved["total"] > 0  # the other city's customers became local
    summary = process_run(run)
    assert "geography" in summary["rules_changed"]
    assert "lifecycle" not in summary["rules_changed"]
    assert _assigned(aws, "now_local", run.run_id) == 0
    assert _assigned(aws, "left_town", run.run_id) == 0
    entered = query_events(aws, dimension="lifecycle", entered="dormant", run_id=run.run_id)
    assert _assigned(aws, "gone_dormant", run.run_id) == entered["total"] > 0

    # the next run with the same settings plans geography as usual
    later = pipeline.run(aws, as_of=LATE + dt.timedelta(days=90), with_models=False)
    assert "geography" not in process_run(later)["rules_changed"]
