"""Journeys as data: ``journeys.yaml`` in the workspace, checked like the taxonomy.

A journey says who gets what, when a run shows a change::

    control_group: 0.05            # optional: a stable 5% of customers get no journey
    delivery: {max_attempts: 8, backoff_seconds: 30, backoff_max_seconds: 3600}
    channels:
      mail:
        type: email
        host: smtp.example.com
        port: 587
        security: starttls          # starttls, ssl or none
        username: crm@example.com
        password_env: KEQUN_SMTP_PASSWORD   # or password_file: /path (mode 0600)
        sender: "Shop <crm@example.com>"
        unsubscribe_url: "http://127.0.0.1:8000/unsubscribe/{token}"
      crm:
        type: webhook
        url: https://crm.example.com/hooks/kequn
        secret_env: KEQUN_WEBHOOK_SECRET    # or secret_file
      sms:
        type: webhook               # an SMS gateway
        url: https://sms.example.com/hooks/kequn
        secret_env: KEQUN_SMS_SECRET
        consent: sms                # sms_consent, else marketing_consent (default: marketing)
      ads:
        type: file
        folder: drops/ads           # under the workspace unless absolute
        hash: sha256                # none, md5 or sha256
      sales_robot:                  # a group robot: wecom 企业微信, dingtalk 钉钉, feishu 飞书
        type: dingtalk
        token_env: KEQUN_DINGTALK_TOKEN     # access_token (wecom: key; feishu: the hook id)
        secret_env: KEQUN_DINGTALK_SECRET   # 加签 SEC… (dingtalk, feishu; optional)
        # url: https://oapi.dingtalk.com/robot/send   (the official host by default)
    digests:                        # after each run, one message per team: what moved
      base_url: "https://crm.example.com"   # links to the segment pages
      teams:
        sales:
          channel: sales_robot
          language: zh
          min_count: 1
          movements:
            - {entered: lifecycle.dormant, among: value.high}
            - {entered: traits.slipping, among: order_size.bulk}
    journeys:
      - id: winback
        zh: 沉睡唤醒
        en: Win back the dormant
        trigger: {entered: lifecycle.dormant}   # or {left: dim.label}, or {rule: "..."}
        audience: "spend >= 200"                # the rule language; optional
        channel: mail
        purpose: marketing           # marketing needs consent unless consent_required: false
        templates:
          zh: {subject: "{{ customer.name }}，好久不见", body: "..."}
          en: {subject: "We miss you, {{ customer.name }}", body: "..."}
        frequency_cap: {messages: 1, days: 7}   # per customer and channel
        quiet_hours: {start: "21:00", end: "09:00"}   # in the workspace's time zone
        holdout: 0.1
        start: 2026-01-01
        stop: 2026-12-31
        conversion_days: 30
        enabled: true

Templates are Jinja in a sandbox (no attribute access to Python internals, no imports);
they see ``customer`` (the customer's fields and features), ``labels`` (every dimension's
label with its name, reason and strategy), ``label``, ``reason`` and ``strategy`` (of the
trigger's label), ``journey``, ``lang``, ``run`` and, for e-mail, ``unsubscribe_url``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from jinja2 import TemplateSyntaxError
from pydantic import Field, PrivateAttr, ValidationError, model_validator

from kequn.automation import text as _text  # noqa: F401  (registers the messages)

# the channel models live in channel_models; importers keep finding them here
from kequn.automation.channel_models import (
    ROBOT_TYPES,
    Channel,
    DingtalkChannel,
    EmailChannel,
    FeishuChannel,
    FileChannel,
    JourneysError,
    Secret,
    WebhookChannel,
    WecomChannel,
    _Strict,
)
from kequn.automation.sandbox import template_env
from kequn.core import validation, yamlfile
from kequn.core.i18n import t
from kequn.core.invisible import VisibleName, VisibleText, refuse_invisible
from kequn.core.rules import Rule, RuleError, parse_rule
from kequn.features.catalogue import catalogue
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import Taxonomy, Team

__all__ = [
    "JOURNEYS_FILE",
    "ROBOT_TYPES",
    "Cap",
    "Channel",
    "Delivery",
    "Digests",
    "DingtalkChannel",
    "EmailChannel",
    "FeishuChannel",
    "FileChannel",
    "Journey",
    "Journeys",
    "JourneysError",
    "Movement",
    "QuietHours",
    "Secret",
    "TeamDigest",
    "Template",
    "Trigger",
    "WebhookChannel",
    "WecomChannel",
    "as_dict",
    "check",
    "in_quiet_hours",
    "journeys_path",
    "load_journeys",
    "parse_journeys",
    "slug",
    "template_env",
]

JOURNEYS_FILE = "journeys.yaml"
_ID = r"^[a-z][a-z0-9_-]*$"
_CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"


class Template(_Strict):
    subject: str = ""
    body: str = ""


class Cap(_Strict):
    messages: int = Field(default=1, ge=1)
    days: float = Field(default=7, gt=0)


class QuietHours(_Strict):
    start: str = Field(pattern=_CLOCK)
    end: str = Field(pattern=_CLOCK)


class Trigger(_Strict):
    entered: str | None = Field(default=None, description="dimension.label")
    left: str | None = Field(default=None, description="dimension.label")
    rule: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Trigger:
        if sum(x is not None for x in (self.entered, self.left, self.rule)) != 1:
            raise ValueError(t(_CHECK + "trigger_one"))
        return self

    @property
    def change(self) -> str | None:
        return "entered" if self.entered else "left" if self.left else None

    @property
    def target(self) -> tuple[str, str] | None:
        text = self.entered or self.left
        if not text:
            return None
        dim, _, label = text.partition(".")
        return dim, label


class Journey(_Strict):
    id: str = Field(pattern=_ID)
    zh: VisibleName = ""
    en: VisibleName = ""
    enabled: bool = True
    trigger: Trigger
    audience: str | None = None
    channel: str
    purpose: Literal["marketing", "service", "sales"] = "marketing"
    consent_required: bool | None = None
    language: Literal["auto", "zh", "en"] = "auto"
    templates: dict[Literal["zh", "en"], Template]
    frequency_cap: Cap | None = Cap()
    quiet_hours: QuietHours | None = None
    holdout: float = Field(default=0.0, ge=0, lt=1)
    start: dt.date | None = None
    stop: dt.date | None = None
    conversion_days: int = Field(default=30, ge=1, le=3650)

    @model_validator(mode="after")
    def _templates_visible(self) -> Journey:
        """Its messages hold no invisible character: a U+202E in a subject showed it
        reversed to every customer it went to, a zero-width space hid in a link."""
        texts = [
            (f"templates.{lang}.{field}", getattr(template, field))
            for lang, template in self.templates.items()
            for field in ("subject", "body")
        ]
        refuse_invisible("journey", self.id, texts)
        return self

    @property
    def needs_consent(self) -> bool:
        """Marketing needs the customer's consent unless the journey says otherwise."""
        if self.consent_required is not None:
            return self.consent_required
        return self.purpose == "marketing"

    @property
    def honours_opt_out(self) -> bool:
        """Whether an unsubscribe stops it (and its e-mails carry the link): marketing
        always, and anything that needs consent; a service message (an order update)
        goes to someone who opted out of marketing."""
        return self.needs_consent or self.purpose == "marketing"

    def active(self, day: dt.date) -> bool:
        return (
            self.enabled
            and (self.start is None or self.start <= day)
            and (self.stop is None or day <= self.stop)
        )


class Delivery(_Strict):
    max_attempts: int = Field(default=8, ge=1, le=100)
    backoff_seconds: float = Field(default=30.0, gt=0)
    backoff_max_seconds: float = Field(default=3600.0, gt=0)
    batch: int = Field(default=100, ge=1)


class Movement(_Strict):
    """A movement a team wants to hear about: customers who entered (or left) a label in
    the run, optionally only those carrying other labels in it (``among``)."""

    entered: str | None = Field(default=None, description="dimension.label")
    left: str | None = Field(default=None, description="dimension.label")
    among: list[str] = Field(default_factory=list, description="dimension.label, all held")
    zh: VisibleText = Field(
        default="", description="with {count}: 「{count} 位高价值客户进入沉睡」"
    )
    en: VisibleText = Field(
        default="", description="with {count}: '{count} high-value ... dormant'"
    )

    @model_validator(mode="before")
    @classmethod
    def _one_among(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("among"), str):
            return {**data, "among": [data["among"]]}
        return data

    @model_validator(mode="after")
    def _one(self) -> Movement:
        if (self.entered is None) == (self.left is None):
            raise ValueError(t(_CHECK + "movement_one"))
        return self

    @property
    def change(self) -> str:
        return "entered" if self.entered else "left"

    @property
    def target(self) -> tuple[str, str]:
        dim, _, label = (self.entered or self.left or "").partition(".")
        return dim, label

    def amongst(self) -> list[tuple[str, str]]:
        return [(d, lab) for d, _, lab in (a.partition(".") for a in self.among)]


class TeamDigest(_Strict):
    channel: str
    language: Literal["zh", "en"] = "zh"
    min_count: int = Field(default=1, ge=1)
    examples: int = Field(default=5, ge=0, le=20, description="customer ids per movement")
    movements: list[Movement] = Field(min_length=1)
    enabled: bool = True


class Digests(_Strict):
    base_url: str | None = Field(default=None, pattern=r"^https?://")
    teams: dict[Team, TeamDigest] = Field(default_factory=dict)


#: the keys of the checks' problems (:mod:`kequn.automation.text`)
_CHECK = "journeys.check."


class Journeys(_Strict):
    control_group: float = Field(default=0.0, ge=0, lt=1)
    delivery: Delivery = Delivery()
    channels: dict[str, Channel] = Field(default_factory=dict)
    journeys: list[Journey] = Field(default_factory=list)
    digests: Digests = Digests()
    _parsed: dict[tuple[str, str], Rule] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Journeys:
        seen: set[str] = set()
        for journey in self.journeys:
            if journey.id in seen:
                raise ValueError(t(_CHECK + "twice", id=journey.id))
            seen.add(journey.id)
            if journey.channel not in self.channels:
                known = ", ".join(sorted(self.channels)) or "-"
                raise ValueError(
                    t(_CHECK + "no_channel", id=journey.id, channel=journey.channel, known=known)
                )
            if journey.start and journey.stop and journey.stop < journey.start:
                raise ValueError(t(_CHECK + "stop_first", id=journey.id))
        for team, digest in self.digests.teams.items():
            found = self.channels.get(digest.channel)
            if found is None:
                known = ", ".join(sorted(self.channels)) or "-"
                raise ValueError(
                    t(_CHECK + "digest_channel", team=team, channel=digest.channel, known=known)
                )
            if found.type not in (*ROBOT_TYPES, "webhook"):
                raise ValueError(
                    t(_CHECK + "digest_type", team=team, channel=digest.channel, type=found.type)
                )
        return self

    def journey(self, journey_id: str) -> Journey | None:
        return next((j for j in self.journeys if j.id == journey_id), None)

    def rules(self) -> dict[tuple[str, str], Rule]:
        """The parsed trigger and audience rules, filled by :func:`check`."""
        return self._parsed


def check(journeys: Journeys, taxonomy: Taxonomy, where: str = JOURNEYS_FILE) -> Journeys:
    """Check every rule against the feature catalogue (and the taxonomy's labels), every
    trigger's label against the taxonomy and every template's syntax."""
    names = catalogue(taxonomy.extra_names())
    rules = journeys.rules()
    problems: list[str] = []
    for journey in journeys.journeys:
        target = journey.trigger.target
        if target is not None:
            dim = taxonomy.dimension(target[0])
            if dim is None:
                problems.append(
                    f"{journey.id}.trigger: " + t(_CHECK + "no_dimension", dim=target[0])
                )
            elif dim.label(target[1]) is None:
                labels = ", ".join(label.id for label in dim.labels)
                problems.append(
                    f"{journey.id}.trigger: "
                    + t(_CHECK + "no_label", label=target[1], dim=dim.id, labels=labels)
                )
        for part, text in (("trigger.rule", journey.trigger.rule), ("audience", journey.audience)):
            if text:
                try:
                    rules[(journey.id, part)] = parse_rule(text, names)
                except RuleError as exc:
                    problems.append(f"{journey.id}.{part}: {exc}")
        for lang, template in journey.templates.items():
            for field in ("subject", "body"):
                try:
                    template_env().parse(getattr(template, field))
                except TemplateSyntaxError as exc:
                    problems.append(
                        f"{journey.id}.templates.{lang}.{field}: "
                        + t(_CHECK + "template", line=exc.lineno, detail=exc.message)
                    )
        if not journey.templates:
            problems.append(f"{journey.id}.templates: " + t(_CHECK + "no_templates"))
    problems += _digest_problems(journeys, taxonomy)
    if problems:
        raise JourneysError(f"{where}: " + "; ".join(problems))
    return journeys


def _digest_problems(journeys: Journeys, taxonomy: Taxonomy) -> list[str]:
    """Every digest movement's labels exist in the taxonomy."""
    problems: list[str] = []
    for team, digest in journeys.digests.teams.items():
        for i, movement in enumerate(digest.movements):
            for part, (dim_id, label_id) in (
                (movement.change, movement.target),
                *((f"among[{k}]", pair) for k, pair in enumerate(movement.amongst())),
            ):
                where = f"digests.teams.{team}.movements[{i}].{part}"
                problems += _label_problem(taxonomy, dim_id, label_id, where)
    return problems


def _label_problem(taxonomy: Taxonomy, dim_id: str, label_id: str, where: str) -> list[str]:
    dim = taxonomy.dimension(dim_id)
    if dim is None:
        return [f"{where}: " + t(_CHECK + "no_dimension_label", dim=dim_id)]
    if dim.label(label_id) is None:
        labels = ", ".join(label.id for label in dim.labels)
        return [f"{where}: " + t(_CHECK + "no_label", label=label_id, dim=dim.id, labels=labels)]
    return []


def load_yaml(text: str) -> Any:
    """:func:`kequn.core.yamlfile.safe_load` (aliases may not expand past
    :data:`~kequn.core.yamlfile.MAX_EXPANDED` characters: ``*name`` repeating a large
    template thousands of times, each then parsed, was a cheap way to tie up the server),
    with nesting too deep for the parser reported as an error, not a crash."""
    try:
        return yamlfile.safe_load(text)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None


def parse_journeys(text: str, taxonomy: Taxonomy, where: str = JOURNEYS_FILE) -> Journeys:
    """Parse and fully check journeys text (as edited in a file or, later, the dashboard)."""
    try:
        data = load_yaml(text) or {}
    except yaml.YAMLError as exc:  # the file, line, column and problem, in the language
        raise JourneysError(yamlfile.yaml_error(exc, where, text)) from exc
    if not isinstance(data, dict):
        raise JourneysError(t("journeys.not_mapping", where=where))
    try:
        journeys = Journeys.model_validate(data)
    except ValidationError as exc:
        raise JourneysError(f"{where}: {validation.problems(exc.errors())}") from None
    return check(journeys, taxonomy, where)


def journeys_path(ws: Workspace) -> Path:
    return ws.root / JOURNEYS_FILE


def load_journeys(ws: Workspace, taxonomy: Taxonomy) -> Journeys:
    """The workspace's journeys (none when there is no ``journeys.yaml``)."""
    path = journeys_path(ws)
    if not path.is_file():
        return Journeys()
    return parse_journeys(yamlfile.user_text(path.read_bytes()), taxonomy, str(path))


def in_quiet_hours(quiet: tuple[str, str] | None, local_now: dt.datetime) -> dt.datetime | None:
    """When quiet hours covering ``local_now`` end (a local time), or None when it is not
    quiet. A window may cross midnight (21:00–09:00)."""
    if not quiet or not quiet[0] or not quiet[1]:
        return None
    start, end = (dt.time.fromisoformat(x) for x in quiet)
    now = local_now.time()
    if start == end:
        return None
    if start < end:
        inside = start <= now < end
        end_day = local_now.date()
    else:
        inside = now >= start or now < end
        end_day = local_now.date() + dt.timedelta(days=1) if now >= start else local_now.date()
    if not inside:
        return None
    return dt.datetime.combine(end_day, end, tzinfo=local_now.tzinfo)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def as_dict(journeys: Journeys) -> dict[str, Any]:
    """What the journeys say, with no secret values (there are none in the model)."""
    return journeys.model_dump(mode="json")
