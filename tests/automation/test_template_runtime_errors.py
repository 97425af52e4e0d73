"""A template that passes the check but fails while rendering in a way Jinja does not
call a template error (``{{ customer.orders / 0 }}``: ZeroDivisionError; ``{{
customer.age + 1 }}`` for a customer without an age: TypeError) ended the planning of
the whole run: "automation: run ... was not processed", every other journey of the run left unplanned. Each such message is that
journey's template error, as an undefined name already was; the other journeys go on.
(``{% include %}``, which failed the same way, is now refused by the check:
tests/web/test_journey_templates_reach_no_files.py.)"""

from __future__ import annotations

import pytest
from automation_helpers import runs, write_journeys

from kequn.automation import db
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

GOOD = {"en": {"subject": "Hello", "body": "Hello {{ customer.name }}"},
        "zh": {"subject": "你好", "body": "您好 {{ customer.name }}"}}  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        "{{ customer.orders / 0 }}",
        "{{ customer.orders + 'x' }}",
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    ],
)
def test_a_template_failing_at_render_time_stops_only_its_journey(
    aws: Workspace, body: str
) -> None:
    broken = {lang: {"subject": "x", "body": body} for lang in ("en", "zh")}
    write_journeys(
        aws,
        {"channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}},
         "journeys": [
             {"id": "broken", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
              "purpose": "service", "templates": broken},
             {"id": "fine", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
              "purpose": "service", "templates": GOOD},
         ]},
    )  # fmt: skip
    _, late = runs(aws)
    process_run(late)
    with db.connect(aws) as con:
        outcomes = con.execute(
            "SELECT outcome FROM assignments WHERE journey_id = 'broken'"
        ).fetchall()
        queued = con.execute("SELECT count(*) FROM outbox WHERE journey_id = 'fine'").fetchone()
    assert outcomes
    assert all(outcome.startswith("template_error") for (outcome,) in outcomes), outcomes[:3]
    assert queued is not None
    assert queued[0] > 0
