"""The demo's built-in effect: a delivered win-back message makes customers return more
often, a care message changes nothing, and `kequn journeys report` tells them apart.

Real parts throughout: demo data imported by the importer, three pipeline runs, the
after-publish hook planning the journeys, `deliver` writing the file drop, the month
after imported as an order file, and the report reading the orders back."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from kequn.automation import db
from kequn.cli import app
from kequn.demo import demo_workspace
from kequn.demo.journeys import (
    EFFECT_JOURNEY,
    NO_EFFECT_JOURNEY,
    effect_lines,
    simulate_journeys,
)
from kequn.snapshots.runs import list_runs
from kequn.store.workspace import Workspace

CUSTOMERS = 5000


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict]:
    root = tmp_path_factory.mktemp("effect")
    ws = demo_workspace(root, CUSTOMERS, seed=7)
    return ws, simulate_journeys(ws, seed=7, with_models=False)


def _entered(ws: Workspace, label: str) -> set[str]:
    """Who entered ``label`` at the trigger run, with consent and a phone or an e-mail,
    found from the two runs' label files and the customers table (not from the
    automation database the report reads)."""
    early, trigger = sorted(list_runs(ws), key=lambda r: r.as_of)[:2]
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT b.customer_id FROM {trigger.rows_sql()} b LEFT JOIN {early.rows_sql()} a "
        "USING (customer_id) WHERE b.lifecycle = ? AND a.lifecycle IS DISTINCT FROM ? "
        "AND b.marketing_consent",
        [label, label],
    ).fetchall()
    entered = {r[0] for r in rows}
    with ws.read() as store:
        reachable = {
            r[0]
            for r in store.execute(
                "SELECT customer_id FROM customers WHERE coalesce(phone, '') != '' "
                "OR coalesce(email, '') != ''"
            ).fetchall()
        }
    return entered & reachable


def test_the_win_back_effect_is_found_and_the_care_journey_shows_none(
    played: tuple[Workspace, dict],
) -> None:
    _ws, report = played
    by = {j["journey"]: j for j in report["journeys"]}
    win, care = by[EFFECT_JOURNEY], by[NO_EFFECT_JOURNEY]
    # the simulated +15 points are found: the interval lies above zero and holds the lift
    d = win["conversion_difference"]
    assert d["ci_low"] > 0, d
    assert d["ci_low"] <= report["effect"]["lift"] <= d["ci_high"]
    # the care message changed nothing: its interval holds zero
    c = care["conversion_difference"]
    assert c["ci_low"] <= 0 <= c["ci_high"], c
    for journey in (win, care):
        assert journey["window_complete"], journey
        assert not journey["too_small"], journey
        assert journey["triggered_from"] == report["effect"]["trigger_as_of"]


def test_treated_and_holdout_make_up_the_audience(played: tuple[Workspace, dict]) -> None:
    ws, report = played
    by = {j["journey"]: j for j in report["journeys"]}
    for jid, label in ((EFFECT_JOURNEY, "dormant"), (NO_EFFECT_JOURNEY, "churned")):
        audience = _entered(ws, label)
        treated, holdout = by[jid]["treated"]["customers"], by[jid]["holdout"]["customers"]
        assert treated + holdout == len(audience) > 100
        assert 0.2 < holdout / len(audience) < 0.4  # the demo's 30% holdout
    assert report["effect"]["audience"] == len(_entered(ws, "dormant") | _entered(ws, "churned"))


def test_the_lift_follows_the_delivered_messages(played: tuple[Workspace, dict]) -> None:
    ws, report = played
    with db.connect(ws) as con:
        sent = con.execute(
            "SELECT count(*) FROM outbox WHERE journey_id = ? AND status = 'sent'",
            [EFFECT_JOURNEY],
        ).fetchone()
        pending = con.execute("SELECT count(*) FROM outbox WHERE status != 'sent'").fetchone()
    assert sent is not None
    assert pending is not None
    assert report["effect"]["lifted"] == sent[0] > 0
    assert pending[0] == 0  # everything queued was delivered to the file drop
    drops = list((ws.root / "drops" / "demo").rglob("*.csv"))
    assert drops, "deliver wrote no file drop"
    text = "".join(p.read_text(encoding="utf-8") for p in drops)
    assert "C0000" in text  # customer ids in the clear, phones and e-mails hashed
    assert "@mail.example.com" not in text


def test_the_report_command_shows_both_journeys(played: tuple[Workspace, dict]) -> None:
    ws, report = played
    result = CliRunner().invoke(app, ["journeys", "report", "-w", str(ws.root), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    found = {j["journey"]: j["conversion_difference"] for j in data["journeys"]}
    for j in report["journeys"]:
        for key in ("difference", "ci_low", "ci_high"):
            assert found[j["journey"]][key] == pytest.approx(j["conversion_difference"][key])
    table = CliRunner().invoke(app, ["--lang", "en", "journeys", "report", "-w", str(ws.root)])
    assert table.exit_code == 0, table.output
    assert "Win back the dormant" in table.output
    assert "Churned customer care" in table.output


def test_the_summary_is_told_in_both_languages(played: tuple[Workspace, dict]) -> None:
    _ws, report = played
    win = next(j for j in report["journeys"] if j["journey"] == EFFECT_JOURNEY)
    english, chinese = effect_lines(report, "en"), effect_lines(report, "zh")
    assert len(english) == len(chinese) == 3  # two journeys, then what was built in
    low = f"{win['conversion_difference']['ci_low']:+.1%}"
    assert any(line.startswith("Win back the dormant") and low in line for line in english)
    assert any(
        line.startswith("沉睡唤醒") and "置信区间" in line and low in line for line in chinese
    )
    assert "15 points" in english[-1]
    assert "15 个百分点" in chinese[-1]
