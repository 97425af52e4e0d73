"""A journey named ``control`` beside a workspace control group: its holdout hashed the
customer exactly as the control group does, so the customers it would hold out were the
control group's already, and it held out no one; it now holds out its share."""

from __future__ import annotations

from automation_helpers import TEMPLATES, runs, write_journeys

from kequn.automation import db
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace


def test_a_journey_named_control_still_has_its_holdout(aws: Workspace) -> None:
    journey = {"trigger": {"rule": "orders >= 1"}, "channel": "crm", "templates": TEMPLATES,
               "frequency_cap": None, "holdout": 0.2, "consent_required": False}  # fmt: skip
    write_journeys(
        aws,
        {"control_group": 0.3,
         "channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/x"}},
         "journeys": [{"id": "control", **journey}, {"id": "other", **journey}]},
    )  # fmt: skip
    process_run(runs(aws)[1])
    with db.connect(aws) as con:
        rows = con.execute(
            "SELECT journey_id, grp, count(*) FROM assignments GROUP BY ALL"
        ).fetchall()
    counts = {(j, g): n for j, g, n in rows}
    for jid in ("control", "other"):
        randomised = counts[(jid, "treated")] + counts[(jid, "holdout")]
        assert randomised > 50
        assert 0.1 < counts[(jid, "holdout")] / randomised < 0.3  # 20% asked
        assert 0.2 < counts[(jid, "control")] / (randomised + counts[(jid, "control")]) < 0.4
