"""A queued message's text and payload: the template context and the rendering.

Planning a run renders one message per treated customer, so the per-message work is
kept small without changing a character of what is written:

* each journey's templates are compiled once per language (not per message);
* the taxonomy's display names are built once per language;
* when no template of a journey uses ``labels``, only the trigger's dimension is
  explained (its label, reason and strategy, computed exactly as
  :func:`kequn.taxonomy.explain.explain` does), not every dimension of the taxonomy;
* a trigger rule's reason is rendered once per distinct set of the values it shows.
"""

from __future__ import annotations

import json
import math
from typing import Any

from jinja2 import Template as JinjaTemplate
from jinja2 import meta
from sqlglot import exp

from kequn.automation.journeys import ROBOT_TYPES, EmailChannel, Journey, Journeys, template_env
from kequn.automation.robots import inert
from kequn.core.i18n import local
from kequn.core.rules import render_reason
from kequn.features.catalogue import display_names
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import Workspace
from kequn.taxonomy.explain import explain, explain_dimension
from kequn.taxonomy.model import Dimension

#: the sandbox of a journey that alerts a group robot: every ``{{ … }}`` (a customer's
#: name, a reason quoting their values) is shown without markup of its own, so data
#: cannot add a link, an image or an @all to the team's group (:func:`.robots.inert`)
_ROBOT_ENV = template_env().overlay(finalize=inert)

_CHINESE = frozenset({"CN", "HK", "MO", "TW"})
_LANG_KEYS = ("language", "lang", "语言")


def plain(value: Any) -> Any:
    """An Arrow value as a template sees it: NaN as None, a map as a dict."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return dict(value)
    return value


def customer_lang(contact: dict[str, Any], ws: Workspace) -> str:
    """``language`` (or ``lang``/``语言``) among the customer's attributes, else Chinese
    for mainland China, Hong Kong, Macao and Taiwan (and for no country in a Chinese
    workspace), else English."""
    attributes = contact.get("attributes") or {}
    if isinstance(attributes, list):
        attributes = dict(attributes)
    for key in _LANG_KEYS:
        value = str(attributes.get(key) or "").strip().lower()
        if value.startswith(("zh", "中", "cn")):
            return "zh"
        if value.startswith(("en", "英")):
            return "en"
    country = (contact.get("country") or "").strip().upper()
    if country:
        return "zh" if country in _CHINESE else "en"
    return "zh" if ws.settings.home_country.upper() in _CHINESE else "en"


class Composer:
    """Renders one run's messages; caches what does not change from message to message."""

    def __init__(self, run: RunInfo, journeys: Journeys) -> None:
        self.run = run
        self.journeys = journeys
        self.taxonomy = run.taxonomy()
        self.params = run.params or {}
        # money in a message's reasons is the workspace's currency ($90, never ¥90)
        self.currency = run.ws.settings.currency if run.ws is not None else "CNY"
        self._names: dict[str, dict[str, str]] = {}
        self._templates: dict[tuple[str, str], tuple[JinjaTemplate, JinjaTemplate]] = {}
        self._uses_labels: dict[str, bool] = {}
        self._columns: dict[str, tuple[str, ...]] = {}
        self._reasons: dict[tuple[Any, ...], str] = {}

    def names(self, lang: str) -> dict[str, str]:
        if lang not in self._names:
            self._names[lang] = display_names(lang, self.taxonomy.extra_names())
        return self._names[lang]

    def uses_labels(self, journey: Journey) -> bool:
        """Whether any of the journey's templates reads ``labels`` (every dimension)."""
        if journey.id not in self._uses_labels:
            env = template_env()
            found = False
            for template in journey.templates.values():
                for text in (template.subject, template.body):
                    found = found or "labels" in meta.find_undeclared_variables(env.parse(text))
            self._uses_labels[journey.id] = found
        return self._uses_labels[journey.id]

    def templates(self, journey: Journey, lang: str) -> tuple[JinjaTemplate, JinjaTemplate]:
        key = (journey.id, lang)
        if key not in self._templates:
            template = journey.templates.get(lang) or next(iter(journey.templates.values()))  # type: ignore[call-overload]
            channel = self.journeys.channels.get(journey.channel)
            env = (
                _ROBOT_ENV
                if channel is not None and channel.type in ROBOT_TYPES
                else template_env()
            )
            self._templates[key] = (
                env.from_string(template.subject),
                env.from_string(template.body),
            )
        return self._templates[key]

    def _one_dimension(self, dim: Dimension, row: dict[str, Any], lang: str) -> Any:
        """``explain(...)``'s entry for one dimension: a label (or None), or a tag list."""
        values = {**self.params, **row}
        entries = explain_dimension(
            self.taxonomy, dim, row, values, self.names(lang), lang, self.currency
        )
        if dim.type == "tags":
            return entries
        return entries[0] if entries else None

    def context(
        self, journey: Journey, row: dict[str, Any], contact: dict[str, Any], lang: str
    ) -> dict[str, Any]:
        run, taxonomy = self.run, self.taxonomy
        labels: dict[str, Any] = {}
        target = journey.trigger.target
        if self.uses_labels(journey):
            for dim in explain(taxonomy, row, self.params, lang, currency=self.currency):
                entries = dim["labels"]
                labels[dim["dimension"]] = (
                    entries if dim["type"] == "tags" else (entries or [None])[0]
                )
        elif target is not None:
            found_dim = taxonomy.dimension(target[0])
            if found_dim is not None:
                labels[target[0]] = self._one_dimension(found_dim, row, lang)
        trigger_label: dict[str, Any] | None = None
        if target is not None:
            found = labels.get(target[0])
            if isinstance(found, list):
                found = next((e for e in found if e["label"] == target[1]), None)
            if found and found.get("label") == target[1]:
                trigger_label = found
            else:  # left the label: name it, there is no reason to give
                found_dim = taxonomy.dimension(target[0])
                chosen = found_dim.label(target[1]) if found_dim else None
                trigger_label = {
                    "label": target[1],
                    "name": local(chosen, lang) if chosen else target[1],
                    "reason": "",
                    "strategy": None,
                }
            reason = trigger_label["reason"]
        else:
            reason = self._rule_reason(journey, row, lang)
        customer = {**row, **{k: v for k, v in contact.items() if k != "attributes"}}
        customer["attributes"] = contact.get("attributes") or row.get("attributes") or {}
        return {
            "customer": customer,
            "labels": labels,
            "label": trigger_label,
            "reason": reason,
            "strategy": (trigger_label or {}).get("strategy"),
            "journey": {"id": journey.id, "name": local(journey, lang)},
            "lang": lang,
            "run": {"run_id": run.run_id, "as_of": run.as_of},
        }

    def _rule_reason(self, journey: Journey, row: dict[str, Any], lang: str) -> str:
        """The trigger rule rewritten with this customer's values: rendered once per
        distinct set of the values it shows (the columns and ``attr`` keys it reads)."""
        rule = self.journeys.rules()[(journey.id, "trigger.rule")]
        values = {**self.params, **row}
        if rule.text not in self._columns:
            self._columns[rule.text] = tuple(
                sorted({c.name for c in rule.tree.find_all(exp.Column)})
            )
        attrs = values.get("attributes")
        found = dict(attrs) if isinstance(attrs, dict | list) else {}
        key = (
            journey.id,
            lang,
            tuple(values.get(name) for name in self._columns[rule.text]),
            tuple(found.get(k) for k in sorted(rule.attributes)),
        )
        try:
            return self._reasons[key]
        except KeyError:
            reason = self._reasons[key] = render_reason(rule, values, self.names(lang), lang)
            return reason
        except TypeError:  # a value that cannot be a key: render it
            return render_reason(rule, values, self.names(lang), lang)

    def render(self, journey: Journey, lang: str, context: dict[str, Any]) -> tuple[str, str]:
        subject, body = self.templates(journey, lang)
        return subject.render(context).strip(), body.render(context)


def message_row(
    run: RunInfo,
    journey: Journey,
    channel: Any,
    mid: str,
    contact: dict[str, Any],
    lang: str,
    subject: str,
    body: str,
    context: dict[str, Any],
    times: tuple[Any, Any],
) -> dict[str, Any]:
    """One outbox row; ``times`` is (created, first attempt)."""
    cid = contact["customer_id"]
    target = journey.trigger.target
    payload = {
        "message_id": mid,
        "journey": journey.id,
        "run_id": run.run_id,
        "as_of": run.as_of,
        "customer_id": cid,
        "lang": lang,
        "subject": subject,
        "text": body,
        "customer": {k: contact.get(k) for k in ("name", "email", "phone")},
        "trigger": {
            "change": journey.trigger.change or "rule",
            "dimension": target[0] if target else None,
            "label": target[1] if target else None,
            "reason": context["reason"],
        },
        "unsubscribe_url": context["unsubscribe_url"],
    }
    recipient = contact.get("email") if isinstance(channel, EmailChannel) else None
    return {
        "message_id": mid,
        "journey_id": journey.id,
        "run_id": run.run_id,
        "customer_id": cid,
        "channel": journey.channel,
        "channel_type": channel.type,
        "purpose": journey.purpose,
        "lang": lang,
        "recipient": recipient,
        "subject": subject,
        "body": body,
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
        "quiet_start": journey.quiet_hours.start if journey.quiet_hours else None,
        "quiet_end": journey.quiet_hours.end if journey.quiet_hours else None,
        "status": "pending",
        "attempts": 0,
        "created_at": times[0],
        "next_attempt_at": times[1],
    }
