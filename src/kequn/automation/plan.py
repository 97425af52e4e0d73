"""After a run is published: its segment events, and each journey's audience, holdout and
messages, written to the automation database in one transaction.

Who gets a message, in this order (each customer's outcome is kept in ``assignments``):

1. the trigger: entered/left the label in this run's events, or the rule holds now;
2. the audience rule, if any;
3. the workspace control group (a stable share of customers no journey touches);
4. consent: a journey that needs it (marketing, by default) takes only customers whose
   ``marketing_consent`` is true and who have not unsubscribed;
5. an address for the channel (an e-mail for e-mail; a phone or an e-mail for a file);
6. the holdout: a deterministic hash of the customer and the journey, so reruns agree;
7. the frequency cap per customer and channel, counting messages already in the outbox.

Each message is one row per (customer, journey, trigger run) with a stable id that is
also its idempotency key; its text is rendered now, in the customer's language, so a
retry sends exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import zoneinfo
from collections import Counter
from typing import Any

import duckdb
import ibis
import pyarrow as pa
from jinja2 import TemplateError

from kequn.automation import db
from kequn.automation.events import EVENT_COLUMNS, compute_events, previous_run, write_events
from kequn.automation.journeys import (
    EmailChannel,
    FileChannel,
    Journey,
    Journeys,
    JourneysError,
    in_quiet_hours,
    load_journeys,
    template_env,
)
from kequn.automation.unsubscribe import unsubscribe_url
from kequn.core.compute import parquet_glob
from kequn.core.i18n import local
from kequn.core.rules import compile_rule, render_reason
from kequn.features.catalogue import display_names
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import Workspace
from kequn.taxonomy.evaluate import explain

log = logging.getLogger("kequn.automation")

_CHINESE = frozenset({"CN", "HK", "MO", "TW"})
_LANG_KEYS = ("language", "lang", "语言")


def share_of(*parts: str) -> float:
    """A stable number in [0, 1) for the parts: the same customer and journey always
    fall on the same side of a holdout share, on every run and every machine."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def message_id(journey_id: str, run_id: str, customer_id: str) -> str:
    return hashlib.sha256(f"{journey_id}\x1f{run_id}\x1f{customer_id}".encode()).hexdigest()[:32]


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


def _tz(ws: Workspace) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(ws.settings.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def first_attempt(journey: Journey, ws: Workspace, now: dt.datetime) -> dt.datetime:
    """Now (UTC), or the end of the journey's quiet hours in the workspace time zone."""
    quiet = (journey.quiet_hours.start, journey.quiet_hours.end) if journey.quiet_hours else None
    ends = in_quiet_hours(quiet, now.replace(tzinfo=dt.UTC).astimezone(_tz(ws)))
    return ends.astimezone(dt.UTC).replace(tzinfo=None) if ends else now


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return dict(value)
    return value


def _candidates(
    mem: duckdb.DuckDBPyConnection,
    run: RunInfo,
    journey: Journey,
    journeys: Journeys,
    events: pa.Table,
) -> list[dict[str, Any]]:
    con = ibis.duckdb.from_connection(mem)
    labels = con.read_parquet(parquet_glob(run.labels_path))
    rules = journeys.rules()
    trigger = journey.trigger
    if trigger.target is not None:
        dim, label = trigger.target
        ev = ibis.memtable(events.select(["customer_id", "dimension", "label", "change"]))
        chosen = ev.filter(
            (ev.dimension == dim) & (ev.label == label) & (ev.change == trigger.change)
        ).select("customer_id")
        labels = labels.semi_join(chosen, "customer_id")
    else:
        rule = rules[(journey.id, "trigger.rule")]
        labels = labels.filter(compile_rule(rule, labels, run.params).fill_null(False))
    if journey.audience:
        rule = rules[(journey.id, "audience")]
        labels = labels.filter(compile_rule(rule, labels, run.params).fill_null(False))
    rows = labels.order_by("customer_id").to_pyarrow().to_pylist()
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def _contacts(ws: Workspace, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    with ws.read() as con:
        con.register("wanted", pa.table({"customer_id": pa.array(sorted(set(ids)), pa.string())}))
        rows = con.execute(
            "SELECT c.customer_id, c.name, c.email, c.phone, c.country, c.attributes "
            "FROM customers c JOIN wanted USING (customer_id)"
        ).fetchall()
    keys = ("customer_id", "name", "email", "phone", "country", "attributes")
    out = {}
    for row in rows:
        found = dict(zip(keys, row, strict=True))
        found["attributes"] = _plain(found["attributes"]) or {}
        out[row[0]] = found
    return out


def _context(
    run: RunInfo,
    journey: Journey,
    journeys: Journeys,
    row: dict[str, Any],
    contact: dict[str, Any],
    lang: str,
) -> dict[str, Any]:
    taxonomy = run.taxonomy()
    dims = explain(taxonomy, row, run.params or {}, lang)
    labels: dict[str, Any] = {}
    for dim in dims:
        entries = dim["labels"]
        labels[dim["dimension"]] = entries if dim["type"] == "tags" else (entries or [None])[0]
    trigger_label: dict[str, Any] | None = None
    target = journey.trigger.target
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
        names = display_names(lang, taxonomy.extra_names())
        rule = journeys.rules()[(journey.id, "trigger.rule")]
        reason = render_reason(rule, {**(run.params or {}), **row}, names, lang)
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


def _render(journey: Journey, lang: str, context: dict[str, Any]) -> tuple[str, str]:
    template = journey.templates.get(lang) or next(iter(journey.templates.values()))  # type: ignore[call-overload]
    env = template_env()
    subject = env.from_string(template.subject).render(context).strip()
    body = env.from_string(template.body).render(context)
    return subject, body


def _recent_sends(
    con: duckdb.DuckDBPyConnection, channel: str, days: float, now: dt.datetime
) -> Counter[str]:
    rows = con.execute(
        "SELECT customer_id, count(*) FROM outbox WHERE channel = ? AND created_at >= ? "
        "AND status != 'cancelled' GROUP BY customer_id",
        [channel, now - dt.timedelta(days=days)],
    ).fetchall()
    return Counter({r[0]: int(r[1]) for r in rows})


def process_run(run: RunInfo, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Write ``run``'s events and its journeys' assignments and messages (once: a run
    already processed is left as it is, and so is a journey already planned for it)."""
    ws = run.workspace
    now = now or db.utcnow()
    taxonomy = run.taxonomy()
    summary: dict[str, Any] = {"run_id": run.run_id, "journeys": {}}
    try:
        journeys = load_journeys(ws, taxonomy)
        summary["journeys_error"] = None
    except JourneysError as exc:
        log.error("journeys not planned for run %s: %s", run.run_id, exc)
        journeys = Journeys()
        summary["journeys_error"] = str(exc)
    before = previous_run(run)
    summary["previous_run_id"] = before.run_id if before else None
    mem = duckdb.connect()
    try:
        if before is not None:
            events = compute_events(mem, run, before, taxonomy)
        else:
            events = pa.table({k: pa.array([], pa.string()) for k in EVENT_COLUMNS})
        with db.connect(ws) as con:
            done = con.execute(
                "SELECT 1 FROM processed_runs WHERE run_id = ?", [run.run_id]
            ).fetchone()
            planned = {
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT journey_id FROM assignments WHERE run_id = ?", [run.run_id]
                ).fetchall()
            }
            opted = {r[0] for r in con.execute("SELECT customer_id FROM opt_outs").fetchall()}
            today = now.replace(tzinfo=dt.UTC).astimezone(_tz(ws)).date()
            assignments: list[dict[str, Any]] = []
            messages: list[dict[str, Any]] = []
            sent: dict[str, Counter[str]] = {}
            plans = [
                (j, _candidates(mem, run, j, journeys, events))
                for j in journeys.journeys
                if j.active(today)
                and j.id not in planned
                and (j.trigger.target is None or before is not None)
            ]
            contacts = _contacts(ws, [row["customer_id"] for _, rows in plans for row in rows])
            for journey, rows in plans:
                if journey.channel not in sent:
                    days = journey.frequency_cap.days if journey.frequency_cap else 0
                    sent[journey.channel] = (
                        _recent_sends(con, journey.channel, days, now) if days else Counter()
                    )
                outcome = _plan_journey(
                    run, journey, journeys, rows, contacts, opted, sent[journey.channel], now
                )
                assignments += outcome[0]
                messages += outcome[1]
                summary["journeys"][journey.id] = dict(
                    Counter(f"{a['grp']}:{a['outcome']}" for a in outcome[0])
                )
            with db.transaction(con):
                written = 0
                if not done:
                    if before is not None:
                        written = write_events(con, run, before, events)
                    con.execute(
                        "INSERT INTO processed_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [
                            run.run_id,
                            before.run_id if before else None,
                            run.as_of_date,
                            now,
                            written,
                            len(messages),
                            summary["journeys_error"]
                            or (None if before else "first run: no events"),
                        ],
                    )
                _insert(con, "assignments", assignments, _ASSIGNMENT_COLUMNS)
                _insert(con, "outbox", messages, _OUTBOX_COLUMNS)
            summary["events"] = written if not done else None
            summary["messages"] = len(messages)
    finally:
        mem.close()
    return summary


_ASSIGNMENT_COLUMNS = (
    "journey_id", "run_id", "as_of", "customer_id", "grp", "outcome", "message_id", "assigned_at",
)  # fmt: skip
_OUTBOX_COLUMNS = (
    "message_id", "journey_id", "run_id", "customer_id", "channel", "channel_type", "purpose",
    "lang", "recipient", "subject", "body", "payload", "quiet_start", "quiet_end", "status",
    "attempts", "created_at", "next_attempt_at", "claimed_by", "lease_until", "sent_at",
    "last_error",
)  # fmt: skip


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], columns: tuple[str, ...]
) -> None:
    if not rows:
        return
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    data = pa.table({c: pa.array([r.get(c) for r in rows]) for c in columns})
    con.register("incoming", data)
    try:
        picked = ", ".join(f"CAST({c} AS {types[c]})" for c in columns)
        con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picked} FROM incoming "
            "ON CONFLICT DO NOTHING"
        )
    finally:
        con.unregister("incoming")


def _plan_journey(
    run: RunInfo,
    journey: Journey,
    journeys: Journeys,
    rows: list[dict[str, Any]],
    contacts: dict[str, dict[str, Any]],
    opted: set[str],
    sent: Counter[str],
    now: dt.datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    ws = run.workspace
    channel = journeys.channels[journey.channel]
    cap = journey.frequency_cap
    due = first_attempt(journey, ws, now)
    assignments: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    for row in rows:
        cid = row["customer_id"]
        contact = contacts.get(cid) or {"customer_id": cid}

        def assign(grp: str, outcome: str, mid: str | None = None, cid: str = cid) -> None:
            assignments.append(
                {
                    "journey_id": journey.id,
                    "run_id": run.run_id,
                    "as_of": run.as_of_date,
                    "customer_id": cid,
                    "grp": grp,
                    "outcome": outcome,
                    "message_id": mid,
                    "assigned_at": now,
                }
            )

        if journeys.control_group and share_of("control", cid) < journeys.control_group:
            assign("control", "control_group")
            continue
        if journey.needs_consent and cid in opted:
            assign("excluded", "opted_out")
            continue
        if journey.needs_consent and row.get("marketing_consent") is not True:
            assign("excluded", "no_consent")
            continue
        if isinstance(channel, EmailChannel) and not contact.get("email"):
            assign("excluded", "no_address")
            continue
        if isinstance(channel, FileChannel) and not any(
            contact.get(c) for c in ("phone", "email") if c in channel.columns
        ):
            assign("excluded", "no_address")
            continue
        if journey.holdout and share_of(journey.id, cid) < journey.holdout:
            assign("holdout", "held_out")
            continue
        if cap and sent[cid] >= cap.messages:
            assign("treated", "capped")
            continue
        lang = journey.language if journey.language != "auto" else customer_lang(contact, ws)
        mid = message_id(journey.id, run.run_id, cid)
        context = _context(run, journey, journeys, row, contact, lang)
        unsubscribe = None
        if isinstance(channel, EmailChannel):
            unsubscribe = unsubscribe_url(channel.unsubscribe_url, ws, cid)
        context["unsubscribe_url"] = unsubscribe
        try:
            subject, body = _render(journey, lang, context)
        except TemplateError as exc:
            log.error("journey %s: template error: %s", journey.id, exc)
            assign("excluded", f"template_error: {exc}"[:200])
            continue
        if unsubscribe and unsubscribe not in body:
            footer = "退订：" if lang == "zh" else "Unsubscribe: "
            body = body.rstrip("\n") + f"\n\n{footer}{unsubscribe}\n"
        messages.append(
            _message(run, journey, channel, mid, contact, lang, subject, body, context, due, now)
        )
        sent[cid] += 1
        assign("treated", "queued", mid)
    return assignments, messages


def _message(
    run: RunInfo,
    journey: Journey,
    channel: Any,
    mid: str,
    contact: dict[str, Any],
    lang: str,
    subject: str,
    body: str,
    context: dict[str, Any],
    due: dt.datetime,
    now: dt.datetime,
) -> dict[str, Any]:
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
        "created_at": now,
        "next_attempt_at": due,
    }
