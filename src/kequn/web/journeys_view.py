"""What the journeys pages and API show, kept apart from the routes: checking edited
``journeys.yaml`` text with the line of each problem, switching a journey on or off in
the text without losing its comments, the audience a journey would choose on the latest
run, its delivery log and its uplift.

The automation package decides who gets a message (:mod:`kequn.automation.plan`); the
preview here counts the same steps, in the same order, without rendering a message or
writing anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from collections.abc import Container
from typing import Any

import duckdb
import ibis
import pyarrow as pa
import yaml
from pydantic import ValidationError

from kequn.automation import db
from kequn.automation.consent import REFUSED, agreed, consent_of
from kequn.automation.contacts import opt_outs
from kequn.automation.events import compute_events, previous_run
from kequn.automation.groups import anchors, held_out, in_control_group
from kequn.automation.journeys import (
    Journey,
    Journeys,
    JourneysError,
    check,
    journeys_path,
    load_yaml,
)
from kequn.automation.plan import reachable_by, select_audience
from kequn.automation.report import Z95, journeys_report
from kequn.core import validation, yamlfile
from kequn.core.i18n import t
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import Taxonomy

#: the order in which plan.py decides each customer's outcome (see its description)
OUTCOMES = (
    "control_group",
    "opted_out",
    "no_consent",
    "no_sms_consent",
    "no_address",
    "held_out",
    "capped",
    "queued",
)
STATUSES = ("pending", "sending", "sent", "dead", "cancelled")
_JOURNEY_PROBLEM = re.compile(r"; (?=[a-z][a-z0-9_-]*\.)")
_NAMED_JOURNEY = re.compile(r"(?:journey|旅程) '([^']+)'")  # the checks' words, either language
_EMAIL = re.compile(r"[^\s<>@,;:\"']+@[^\s<>@,;:\"']+")
_LONG_DIGITS = re.compile(r"\+?\d[\d\s-]{6,}\d")


# -- the file ----------------------------------------------------------------------------
def read_text(ws: Workspace) -> str:
    """The workspace's ``journeys.yaml`` ("" when there is none); bytes that are no UTF-8
    shown replaced, so the editor shows a damaged file with its problems (it is not
    valid YAML) rather than failing to open."""
    path = journeys_path(ws)
    if not path.is_file():
        return ""
    raw = path.read_bytes()
    try:
        return yamlfile.user_text(raw)  # UTF-8, or GBK as a Chinese Windows editor saves
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


def version(text: str) -> str:
    """What an editor saw: saving refuses text edited from an older version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def validate(text: str, taxonomy: Taxonomy) -> tuple[Journeys | None, list[dict[str, Any]]]:
    """The checked journeys, or None and every problem with its line (1-based, None when
    it cannot be placed). The checks are the automation package's own."""
    try:
        data = load_yaml(text) or {}
    except yaml.YAMLError as exc:  # the problem in the language, its column after its line
        line, column, problem = yamlfile.yaml_problem(exc, text)
        if column is not None:
            problem = t("yaml.here", column=column, problem=problem)
        return None, [{"line": line, "message": t("web.journeys.not_yaml", detail=problem)}]
    if not isinstance(data, dict):
        return None, [{"line": 1, "message": t("web.journeys.not_mapping")}]
    root = yaml.compose(text)
    try:
        journeys = Journeys.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = [str(p) for p in err["loc"]]
            message = validation.describe(err)
            line = _line(root, path) if path else _named_line(root, message)
            where = ".".join(path) + ": " if path else ""
            problems.append({"line": line, "message": where + message})
        return None, problems
    try:
        return check(journeys, taxonomy, where=""), []
    except JourneysError as exc:
        found = str(exc).removeprefix(": ")
        problems = []
        for part in _JOURNEY_PROBLEM.split(found):
            steps = part.split(":", 1)[0].split(".")
            index = _journey_index(root, steps[0])
            line = _line(root, ["journeys", str(index), *steps[1:]]) if index is not None else None
            problems.append({"line": line, "message": part})
        return None, problems


def _line(root: yaml.Node | None, path: list[str]) -> int | None:
    """The line of the deepest node ``path`` reaches (a segment naming nothing, such as
    the type tag pydantic adds for a channel, is skipped)."""
    node, line = root, None
    for segment in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == segment:
                    node, line = value, key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and segment.isdigit()
            and int(segment) < len(node.value)
        ):
            node = node.value[int(segment)]
            line = node.start_mark.line + 1
    return line


def _journey_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "journeys":
            return list(value.value) if isinstance(value, yaml.SequenceNode) else []
    return []


def _journey_index(root: yaml.Node | None, journey_id: str) -> int | None:
    for index, node in enumerate(_journey_nodes(root)):
        if isinstance(node, yaml.MappingNode) and any(
            isinstance(k, yaml.ScalarNode) and k.value == "id" and v.value == journey_id
            for k, v in node.value
        ):
            return index
    return None


def _named_line(root: yaml.Node | None, message: str) -> int | None:
    named = _NAMED_JOURNEY.search(message)
    index = _journey_index(root, named.group(1)) if named else None
    return None if index is None else _line(root, ["journeys", str(index)])


def set_enabled(text: str, journey_id: str, enabled: bool) -> str:
    """``text`` with the journey's ``enabled`` set, everything else (comments, layout)
    kept: the value is replaced where it stands, or the key added after the ``id``."""
    root = yaml.compose(text)
    index = _journey_index(root, journey_id)
    if index is None:
        raise KeyError(journey_id)
    node = _journey_nodes(root)[index]
    assert isinstance(node, yaml.MappingNode)
    word = "true" if enabled else "false"
    pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    if "enabled" in pairs:
        value = pairs["enabled"][1]
        return text[: value.start_mark.index] + word + text[value.end_mark.index :]
    key, value = pairs["id"]
    at = value.end_mark.index
    if node.flow_style:
        return text[:at] + f", enabled: {word}" + text[at:]
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    return text[:end] + "\n" + " " * key.start_mark.column + f"enabled: {word}" + text[end:]


# -- the list ----------------------------------------------------------------------------
def outbox_counts(ws: Workspace) -> dict[str, dict[str, int]]:
    """Messages per journey and status."""
    if not db.exists(ws):
        return {}
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT journey_id, status, count(*) FROM outbox GROUP BY ALL"
        ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for journey_id, status, n in rows:
        out.setdefault(journey_id, dict.fromkeys(STATUSES, 0))[status] = int(n)
    return out


def summary(journeys: Journeys, item: Journey, counts: dict[str, int] | None) -> dict[str, Any]:
    """One journey as the list shows it."""
    trigger = item.trigger
    channel = journeys.channels.get(item.channel)
    return {
        "id": item.id,
        "zh": item.zh,
        "en": item.en,
        "trigger": {
            "change": trigger.change or "rule",
            "target": trigger.entered or trigger.left,
            "rule": trigger.rule,
        },
        "audience": item.audience,
        "channel": item.channel,
        "channel_type": channel.type if channel is not None else None,
        "purpose": item.purpose,
        "enabled": item.enabled,
        "active": item.active(dt.datetime.now(dt.UTC).date()),
        "start": item.start.isoformat() if item.start else None,
        "stop": item.stop.isoformat() if item.stop else None,
        "holdout": item.holdout,
        "messages": counts or dict.fromkeys(STATUSES, 0),
    }


# -- the preview -------------------------------------------------------------------------
def preview(
    ws: Workspace,
    run: RunInfo,
    journeys: Journeys,
    journey: Journey,
    *,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """How many customers of ``run`` the journey's trigger and audience choose, and what
    would become of them (:data:`OUTCOMES`), as :func:`kequn.automation.plan.process_run`
    decides it for a run. ``journeys`` must have been checked against the run's taxonomy
    (its parsed rules are used)."""
    now = now or db.utcnow()
    rules = journeys.rules()
    with run.workspace.scratch() as mem:
        con = ibis.duckdb.from_connection(mem)
        labels = con.sql(f"SELECT * FROM {run.rows_sql()}")
        target = journey.trigger.target
        no_previous = False
        chosen = None
        if target is not None:
            found = _triggered(ws, mem, run, target, journey.trigger.change or "entered")
            no_previous = found is None
            chosen = ibis.memtable(found) if found is not None else None
        if no_previous:
            labels = labels.filter(ibis.literal(False))
        else:  # the customers planning would choose, by the same function
            labels = select_audience(labels, run, journey, rules, chosen)
        channel = journeys.channels[journey.channel]
        picked = labels.select("customer_id", consent=agreed(labels, consent_of(channel)))
        rows = picked.to_pyarrow().to_pylist()
    ids = [row["customer_id"] for row in rows]
    # whom the channel reaches and who opted out, read as planning reads them (a person's
    # profile with identity resolution on; opt-outs under any of their ids)
    usable = reachable_by(ws, channel, ids)
    addressed = set(ids) if usable is None else usable
    opted: Container[str] = frozenset()
    sent: Counter[str] = Counter()
    drawn: dict[str, str] = {}
    if db.exists(ws):
        with db.connect(ws) as automation:
            drawn = anchors(ws, automation, ids)  # groups drawn as planning draws them
            found = opt_outs(ws, automation)
            found.ids |= found.by_address(ids)  # an address opted out, under any id
            opted = found
            cap = journey.frequency_cap
            if cap is not None:
                sent = Counter(
                    {
                        r[0]: int(r[1])
                        for r in automation.execute(
                            "SELECT customer_id, count(*) FROM outbox WHERE channel = ? "
                            "AND created_at >= ? AND status != 'cancelled' GROUP BY customer_id",
                            [journey.channel, now - dt.timedelta(days=cap.days)],
                        ).fetchall()
                    }
                )
    counts = dict.fromkeys(OUTCOMES, 0)
    for row in rows:
        anchor = drawn.get(row["customer_id"], row["customer_id"])
        counts[_outcome(journeys, journey, row, anchor, (addressed, opted), sent)] += 1
    return {
        "run_id": run.run_id,
        "as_of": run.as_of,
        "audience": len(rows),
        "outcomes": counts,
        "treated": counts["queued"] + counts["capped"],
        "holdout": counts["held_out"],
        "no_previous_run": no_previous,
    }


def _triggered(
    ws: Workspace,
    mem: duckdb.DuckDBPyConnection,
    run: RunInfo,
    target: tuple[str, str],
    change: str,
) -> pa.Table | None:
    """The customers who made the change in ``run`` (None when it has no previous run):
    the events the after-publish hook stored for it, else computed as the hook does
    (a run published before automation was installed)."""
    where = "run_id = ? AND dimension = ? AND label = ? AND change = ?"
    if db.exists(ws):
        with db.connect(ws) as con:
            stored = con.execute(
                "SELECT previous_run_id FROM processed_runs WHERE run_id = ?", [run.run_id]
            ).fetchone()
            if stored is not None and stored[0] is not None:
                events = db.with_events(con, ws, run.run_id)
                return con.execute(
                    f"SELECT DISTINCT customer_id FROM {events} WHERE {where}",
                    [run.run_id, *target, change],
                ).fetch_arrow_table()
    before = previous_run(run)
    if before is None:
        return None
    events = compute_events(mem, run, before, run.taxonomy())
    mem.register("computed_events", events)
    try:
        return mem.execute(
            "SELECT DISTINCT customer_id FROM computed_events "
            "WHERE dimension = ? AND label = ? AND change = ?",
            [*target, change],
        ).fetch_arrow_table()
    finally:
        mem.unregister("computed_events")


def _outcome(  # noqa: PLR0911 - one return per step of plan.py, in its order
    journeys: Journeys,
    journey: Journey,
    row: dict[str, Any],
    anchor: str,
    reach: tuple[set[str], Container[str]],
    sent: Counter[str],
) -> str:
    """What planning would do with ``row``'s customer; ``anchor``: the id their groups
    are drawn under (:mod:`kequn.automation.groups`); ``reach``: who has an address for
    the channel, and who opted out."""
    cid = row["customer_id"]
    addressed, opted = reach
    cap = journey.frequency_cap
    if in_control_group(journeys, anchor):
        return "control_group"
    if journey.honours_opt_out and cid in opted:
        return "opted_out"
    if journey.needs_consent and row.get("consent") is not True:
        return REFUSED[consent_of(journeys.channels[journey.channel])]
    if cid not in addressed:
        return "no_address"
    if held_out(journey, anchor):
        return "held_out"
    if cap and sent[cid] >= cap.messages:
        return "capped"
    return "queued"


# -- the delivery log --------------------------------------------------------------------
_LOG_COLUMNS = (
    "message_id", "run_id", "customer_id", "channel", "status", "attempts", "created_at",
    "next_attempt_at", "sent_at", "last_error",
)  # fmt: skip


def delivery_log(
    ws: Workspace, journey_id: str, *, status: str | None, limit: int, personal: bool
) -> list[dict[str, Any]]:
    """The journey's messages, newest first, without their text or recipient. Without
    ``personal`` the customer id is left out and anything in an error that looks like an
    address (a receiver may quote it back) is hidden."""
    if not db.exists(ws):
        return []
    where = "journey_id = ?" + (" AND status = ?" if status else "")
    params: list[Any] = [journey_id, *([status] if status else []), limit]
    with db.connect(ws) as con:
        rows = con.execute(
            f"SELECT {', '.join(_LOG_COLUMNS)}, recipient FROM outbox WHERE {where} "
            "ORDER BY created_at DESC, message_id LIMIT ?",
            params,
        ).fetchall()
    out = []
    for row in rows:
        item = {
            k: (v.isoformat() if isinstance(v, dt.datetime) else v)
            for k, v in zip(_LOG_COLUMNS, row, strict=False)
        }
        if not personal:
            item["last_error"] = _scrub(item["last_error"], row[2], row[-1])
            item["customer_id"] = None
            # the id is a hash of (journey, run, customer): hashing the ids a viewer sees
            # in member lists would tell whose message each row is
            item["message_id"] = None
        out.append(item)
    return out


#: what of an error a viewer sees: how often it was tried, and the kind of failure (a
#: status code, an error's class, one of our own reasons), never a receiver's words
_ERROR_KIND = re.compile(
    r"((?:after \d+ attempts: |not retried: )*)"
    r"(SMTP \d{3}|HTTP \d{3}|opted out|no (?:marketing|SMS) consent any more"
    r"|[A-Z][A-Za-z]*(?:Error|Exception)|channel '[a-z0-9_-]*' is no longer in journeys\.yaml)?"
)


def _scrub(text: str | None, *known: str | None) -> str | None:
    """An error as a viewer may see it: its kind only (a receiver may quote back the
    recipient's name, address or phone), anything else replaced by an ellipsis."""
    if not text:
        return text
    for value in known:
        if value:
            text = text.replace(value, "***")
    text = _LONG_DIGITS.sub("***", _EMAIL.sub("***", text))
    found = _ERROR_KIND.match(text)
    kept = (found.group(1) + (found.group(2) or "")) if found else ""
    return (kept.rstrip(": ") + (" …" if len(kept) < len(text) else "")).strip()


def message_journey(ws: Workspace, message_id: str) -> str | None:
    """The journey a message belongs to (None when there is no such message)."""
    if not db.exists(ws):
        return None
    with db.connect(ws) as con:
        row = con.execute(
            "SELECT journey_id FROM outbox WHERE message_id = ?", [message_id]
        ).fetchone()
    return str(row[0]) if row else None


# -- the uplift --------------------------------------------------------------------------
def uplift(ws: Workspace, journey_id: str, lang: str) -> dict[str, Any] | None:
    """The journey's entry of :func:`kequn.automation.report.journeys_report`, with each
    group's conversion interval too (Wald), for the chart's error bars."""
    report = journeys_report(ws, lang=lang)
    found = next((j for j in report["journeys"] if j["journey"] == journey_id), None)
    if found is None:
        return None
    for group in ("treated", "holdout"):
        entry = found[group]
        n, p = entry["customers"], entry["conversion"]
        if n and p is not None:
            half = Z95 * math.sqrt(p * (1 - p) / n)
            entry["conversion_ci"] = [max(0.0, p - half), min(1.0, p + half)]
        else:
            entry["conversion_ci"] = None
    return {**found, "orders_until": report.get("orders_until")}
