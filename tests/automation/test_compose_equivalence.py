"""Planning renders exactly what the straightforward way renders.

process_run compiles templates once, explains only the trigger's dimension when no
template reads ``labels`` and reads treated rows in batches. The reference here is the
plain way it replaced: every message from the customer's full label row and contact,
every dimension explained, the template compiled anew; subject, body and payload of
every queued message must be the same, character for character."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb
import pytest
from automation_helpers import SECRET_ENV, runs, write_journeys

from kequn.automation import contacts, db, plan
from kequn.automation.journeys import load_journeys, template_env
from kequn.automation.unsubscribe import unsubscribe_url
from kequn.core.i18n import local
from kequn.core.rules import render_reason
from kequn.features.catalogue import display_names
from kequn.store.workspace import Workspace
from kequn.taxonomy.explain import explain

ALL_LABELS = (
    "{% for dim, l in labels.items() %}{{ dim }}: "
    "{% if l is mapping %}{{ l.name }} ({{ l.reason }}){% elif l %}"
    "{% for t in l %}{{ t.name }} {% endfor %}{% endif %}\n{% endfor %}"
)
# fmt: off
JOURNEYS = {
    "channels": {
        "mail": {"type": "email", "host": "127.0.0.1", "sender": "shop@example.com",
                 "unsubscribe_url": "http://127.0.0.1:8000/unsubscribe/{token}"},
        "crm": {"type": "webhook", "url": "http://127.0.0.1:9/hook", "secret_env": SECRET_ENV},
        "ads": {"type": "file", "columns": ["customer_id", "phone"]},
        "crm2": {"type": "webhook", "url": "http://127.0.0.1:9/hook2", "secret_env": SECRET_ENV},
    },
    "journeys": [
        {"id": "dormant", "zh": "沉睡", "en": "Dormant", "trigger": {"entered": "lifecycle.dormant"},
         "channel": "mail", "consent_required": False,
         "templates": {"zh": {"subject": "{{ customer.name }}，{{ label.name }}",
                              "body": "{{ reason }}\n{{ strategy.text if strategy }}"},
                       "en": {"subject": "{{ customer.name }} ({{ run.as_of }})",
                              "body": "{{ reason }} / {{ journey.name }}"}}},
        {"id": "left", "zh": "离开", "en": "Left", "trigger": {"left": "lifecycle.loyal"},
         "channel": "ads", "consent_required": False, "holdout": 0.2,
         "templates": {"zh": {"subject": "{{ labels.value.name }}", "body": ALL_LABELS}}},
        {"id": "rule", "zh": "规则", "en": "Rule", "trigger": {"rule": "orders >= 2"},
         "audience": "spend >= 100", "channel": "crm", "purpose": "service",
         "templates": {"zh": {"subject": "{{ customer.city or '' }}", "body": "{{ reason }}"},
                       "en": {"subject": "{{ customer.attributes }}", "body": "{{ reason }}"}}},
        {"id": "tags", "zh": "标签", "en": "Tags", "trigger": {"entered": "traits.habitual"},
         "channel": "crm2", "purpose": "service",
         "templates": {"zh": {"subject": "{{ label.name }}", "body": "{{ reason }}"}}},
    ],
}
# fmt: on


def _reference(ws: Workspace, run: Any, message: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, body, trigger reason) of one message, the plain way."""
    journeys = load_journeys(ws, run.taxonomy())
    journey = journeys.journey(message["journey_id"])
    assert journey is not None
    taxonomy, params = run.taxonomy(), run.params or {}
    cid, lang = message["customer_id"], message["lang"]
    con = duckdb.connect()
    table = con.execute(
        f"SELECT * FROM {run.rows_sql()} WHERE customer_id = ?",
        [cid],
    ).fetch_arrow_table()
    row = {k: contacts.plain(v) for k, v in table.to_pylist()[0].items()}
    with ws.read() as store:
        found = store.execute(
            "SELECT customer_id, name, email, phone, country, attributes FROM customers "
            "WHERE customer_id = ?",
            [cid],
        ).fetchone()
    assert found is not None
    contact = dict(
        zip(("customer_id", "name", "email", "phone", "country", "attributes"), found, strict=True)
    )
    contact["attributes"] = contacts.plain(contact["attributes"]) or {}
    labels: dict[str, Any] = {}
    for dim in explain(taxonomy, row, params, lang):
        labels[dim["dimension"]] = (
            dim["labels"] if dim["type"] == "tags" else (dim["labels"] or [None])[0]
        )
    target = journey.trigger.target
    label = None
    if target is not None:
        label = labels.get(target[0])
        if isinstance(label, list):
            label = next((e for e in label if e["label"] == target[1]), None)
        if not label or label.get("label") != target[1]:
            chosen = taxonomy.dimension(target[0]).label(target[1])  # type: ignore[union-attr]
            label = {"label": target[1], "name": local(chosen, lang), "reason": "",
                     "strategy": None}  # fmt: skip
        reason = label["reason"]
    else:
        names = display_names(lang, taxonomy.extra_names())
        rule = journeys.rules()[(journey.id, "trigger.rule")]
        reason = render_reason(rule, {**params, **row}, names, lang)
    customer = {**row, **{k: v for k, v in contact.items() if k != "attributes"}}
    customer["attributes"] = contact["attributes"] or row.get("attributes") or {}
    channel = journeys.channels[journey.channel]
    unsubscribe = (
        unsubscribe_url(channel.unsubscribe_url, ws, cid) if channel.type == "email" else None
    )
    context = {
        "customer": customer, "labels": labels, "label": label, "reason": reason,
        "strategy": (label or {}).get("strategy"),
        "journey": {"id": journey.id, "name": local(journey, lang)}, "lang": lang,
        "run": {"run_id": run.run_id, "as_of": run.as_of}, "unsubscribe_url": unsubscribe,
    }  # fmt: skip
    template = journey.templates.get(lang) or next(iter(journey.templates.values()))  # type: ignore[call-overload]
    env = template_env()
    subject = env.from_string(template.subject).render(context).strip()
    body = env.from_string(template.body).render(context)
    if unsubscribe and unsubscribe not in body:
        footer = "退订：" if lang == "zh" else "Unsubscribe: "
        body = body.rstrip("\n") + f"\n\n{footer}{unsubscribe}\n"
    return subject, body, reason


def test_planned_messages_equal_the_plain_rendering(
    aws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contacts, "BATCH", 7)  # several batches even in a small run
    write_journeys(aws, JOURNEYS)
    _, late = runs(aws)
    with db.connect(aws) as con:  # plan the late run again, now with these journeys
        con.execute("DELETE FROM processed_runs")
        con.execute("DELETE FROM assignments")
        con.execute("DELETE FROM outbox")
    summary = plan.process_run(late, now=dt.datetime(2026, 10, 1, 12))
    assert summary["journeys_error"] is None
    with db.connect(aws) as con:
        cursor = con.execute("SELECT * FROM outbox ORDER BY journey_id, customer_id")
        names = [d[0] for d in cursor.description]
        messages = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    per_journey = {m["journey_id"] for m in messages}
    assert per_journey == {"dormant", "left", "rule", "tags"}, summary
    assert {m["lang"] for m in messages} == {"zh", "en"}
    assert len(messages) > 2 * 7
    for message in messages:
        subject, body, reason = _reference(aws, late, message)
        assert (message["subject"], message["body"]) == (subject, body), message["message_id"]
        payload = json.loads(message["payload"])
        assert (payload["subject"], payload["text"]) == (subject, body)
        assert payload["trigger"]["reason"] == reason
        assert payload["customer"]["name"] is not None
    # the labels template really lists every dimension, the others only need their own
    left = next(m for m in messages if m["journey_id"] == "left")
    assert left["body"].count("\n") == len(late.taxonomy().dimensions)
