"""``kequn journeys check`` names a template field no customer has.

A typo such as ``{{ customer.nmae }}`` passed the check ("journeys.yaml is valid"); at
the next run every customer of that template's language was left out with
``template_error`` in the assignments, and nothing said so. The check now warns (in
中文 and English), without refusing the file: a guarded use (``| default``, ``is
defined``) is fine, and so are the customer's own fields, features and labels.
"""

from __future__ import annotations

import pytest
from automation_helpers import runs, write_journeys

from cli_helpers import kequn_output
from kequn.automation import db
from kequn.automation.plan import process_run
from kequn.store.workspace import Workspace

TEMPLATES = {
    "zh": {
        "subject": "{{ customer.name }}，{{ customer.nickname | default('朋友') }}",
        "body": "{{ customer.lifecycle }} {{ customer['orders'] }} {{ customer.attributes.vip }}"
        "{% if customer.title is defined %}{{ customer.title }}{% endif %}",
    },
    "en": {"subject": "Hi {{ customer.nmae }}", "body": "{{ customer.get('x') }}"},
}


def _journeys(ws: Workspace) -> None:
    write_journeys(
        ws,
        {"channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}},
         "journeys": [{"id": "typo", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
                       "purpose": "service", "templates": TEMPLATES}]},
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_warns_about_a_field_no_customer_has(
    aws: Workspace, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    _journeys(aws)
    code, out, err = kequn_output(capsys, "--lang", lang, "journeys", "check", "-w", aws.root)
    said = " ".join((out + err).split())
    assert code == 0, said  # a warning: the file is still used
    assert "customer.nmae" in said
    assert "typo.templates.en.subject" in said
    for fine in ("nickname", "customer.name ", "lifecycle", "orders", "vip", "title", "'x'"):
        assert fine not in said, said
    assert ("模板" in said) == (lang == "zh")
    assert ("no customer has" in said) == (lang == "en")


def test_the_warned_field_is_what_leaves_customers_out(aws: Workspace) -> None:
    _journeys(aws)
    _, late = runs(aws)
    process_run(late)
    with db.connect(aws) as con:
        found = con.execute(
            "SELECT grp, outcome, message_id FROM assignments WHERE journey_id = 'typo'"
        ).fetchall()
    outcomes = {r[1] for r in found}
    assert any("nmae" in o for o in outcomes)
    assert not any("nickname" in o or "title" in o for o in outcomes)
    # sent nothing, yet still in the treated group: the holdout was drawn before the
    # text was rendered, and the report compares everyone assigned (intention to treat)
    failed = [r for r in found if "template_error" in r[1]]
    assert failed
    assert {(grp, mid) for grp, _, mid in failed} == {("treated", None)}
