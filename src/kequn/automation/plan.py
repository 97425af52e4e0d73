"""After a run is published: its segment events, and each journey's audience, holdout and
messages, written to the automation database in one transaction.

Who gets a message, in this order (each customer's outcome is kept in ``assignments``):

1. the trigger: entered/left the label in this run's events, or the rule holds now;
2. the audience rule, if any;
3. the workspace control group (a stable share of customers no journey touches);
4. consent: a journey that needs it (marketing, by default) takes only customers whose
   consent for its channel is true (``marketing_consent``; for a channel with ``consent:
   sms``, ``sms_consent`` or, where unknown, ``marketing_consent``: :mod:`.consent`) and
   who have not unsubscribed;
5. an address for the channel (an e-mail for e-mail; a phone or an e-mail for a file);
6. the holdout: a deterministic hash of the customer and the journey, so reruns agree
   (the control group's and the holdout's hash is of the id the person was first
   assigned under, should identity resolution give them a new one: :mod:`.groups`);
7. the frequency cap per customer and channel, counting messages already in the outbox.

Each message is one row per (customer, journey, as-of date) with a stable id that is
also its idempotency key; its text is rendered now, in the customer's language, so a
retry sends exactly the same thing. A run made again for the same date queues nothing
new (``already_queued``), and a run for a date earlier than one already processed (a
backfill) plans no journey, not even one added since: a backfill recomputes history, it
does not write to customers about the past.

Customer ids are the run's: person ids with identity resolution enabled, whose contacts
and consent come from their surviving profile (:mod:`.contacts`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import zoneinfo
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pyarrow as pa
from jinja2 import TemplateError

from kequn.automation import db
from kequn.automation.compose import Composer, customer_lang, message_row
from kequn.automation.consent import REFUSED, agreed, consent_of
from kequn.automation.contacts import OptOuts, addresses, opt_outs, treated_rows
from kequn.automation.events import keep_events, previous_run, redefined, stage_events
from kequn.automation.groups import anchors, held_out, in_control_group, share_of
from kequn.automation.journeys import (
    EmailChannel,
    FileChannel,
    Journey,
    Journeys,
    JourneysError,
    in_quiet_hours,
    load_journeys,
)
from kequn.automation.unsubscribe import unsubscribe_url
from kequn.core.rules import Rule, compile_rule
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.workspace import Workspace

__all__ = [
    "customer_lang", "first_attempt", "held_out", "message_id", "process_run", "share_of",
]  # fmt: skip

log = logging.getLogger("kequn.automation")
#: what a template (its writer's text, in the sandbox) may raise rendering: 1/0, {{ customer.age
#: + 1 }} with no age, {% include %}, a macro's recursion; its message's error, not the run's
_RENDER_ERRORS = (TemplateError, ArithmeticError, TypeError, ValueError, LookupError, RuntimeError)


def message_id(journey_id: str, as_of: dt.date, customer_id: str) -> str:
    """The message's id and idempotency key: one per journey, customer and as-of date, so
    a run made again for the same date queues nothing new (its messages are already in
    the outbox, whatever their state) and a receiver told the same key acts once."""
    key = f"{journey_id}\x1f{as_of.isoformat()}\x1f{customer_id}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


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


def _audience(
    labels: ibis.Table, run: RunInfo, journey: Journey, journeys: Journeys, ev: ibis.Table
) -> ibis.Table:
    """The run's label rows the journey's trigger (``ev``: the run's events) and audience
    rule select (lazy)."""
    trigger = journey.trigger
    chosen = None
    if trigger.target is not None:
        dim, label = trigger.target
        chosen = ev.filter(
            (ev.dimension == dim) & (ev.label == label) & (ev.change == trigger.change)
        ).select("customer_id")
    return select_audience(labels, run, journey, journeys.rules(), chosen)


def select_audience(
    labels: ibis.Table,
    run: RunInfo,
    journey: Journey,
    rules: dict[tuple[str, str], Rule],
    chosen: ibis.Table | None,
) -> ibis.Table:
    """``labels`` narrowed to the journey's trigger (``chosen``: the customers who entered
    or left its label, for such a trigger; else its rule) and its audience rule. Shared by
    planning and the dashboard's preview, so the two count the same customers."""
    if journey.trigger.target is not None:
        assert chosen is not None
        labels = labels.semi_join(chosen, "customer_id")
    else:
        rule = rules[(journey.id, "trigger.rule")]
        labels = labels.filter(compile_rule(rule, labels, run.params).fill_null(False))
    if journey.audience:
        rule = rules[(journey.id, "audience")]
        labels = labels.filter(compile_rule(rule, labels, run.params).fill_null(False))
    return labels


def _candidates(
    mem: duckdb.DuckDBPyConnection,
    run: RunInfo,
    journey: Journey,
    journeys: Journeys,
    events: Path,
) -> pa.Table:
    """The selected customers' ids and their consent for the journey's channel, by id:
    all the decisions before rendering need (their full rows are read later, for the
    treated only). ``events``: the run's events file
    (:func:`~kequn.automation.events.stage_events`)."""
    con = ibis.duckdb.from_connection(mem)
    labels = con.sql(f"SELECT * FROM {run.rows_sql()}")
    chosen = _audience(labels, run, journey, journeys, con.read_parquet(events))
    kind = consent_of(journeys.channels[journey.channel])
    picked = chosen.select("customer_id", consent=agreed(chosen, kind)).order_by("customer_id")
    return picked.to_pyarrow()


def reachable_by(ws: Workspace, channel: Any, ids: list[str]) -> set[str] | None:
    """Which of ``ids`` the channel can reach (an e-mail for e-mail; a phone or an e-mail
    the file has a column for), or None when the channel needs no address."""
    if not isinstance(channel, EmailChannel | FileChannel):
        return None
    emails, phones = addresses(ws, ids)
    if isinstance(channel, EmailChannel):
        return emails
    return (phones if "phone" in channel.columns else set()) | (
        emails if "email" in channel.columns else set()
    )


def _recent_sends(
    con: duckdb.DuckDBPyConnection, channel: str, days: float, now: dt.datetime
) -> Counter[str]:
    rows = con.execute(
        "SELECT customer_id, count(*) FROM outbox WHERE channel = ? AND created_at >= ? "
        "AND status != 'cancelled' GROUP BY customer_id",
        [channel, now - dt.timedelta(days=days)],
    ).fetchall()
    return Counter({r[0]: int(r[1]) for r in rows})


def process_run(
    run: RunInfo, *, now: dt.datetime | None = None, rule_changes: bool = False
) -> dict[str, Any]:
    """Write ``run``'s events and its journeys' assignments and messages (once: a run
    already processed is left as it is, and so is a journey already planned for it).

    A journey triggered by entering or leaving a label of a dimension whose rules
    changed since the run before (:func:`~kequn.automation.events.redefined`) is not
    planned: its movers are the rule change's, not the customers' doing. It stays
    unplanned for this run; ``rule_changes`` plans it all the same (``kequn journeys
    process --rule-changes``)."""
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
    moved_by_rules = redefined(before, taxonomy, run) if before is not None else set()
    summary["rules_changed"] = sorted(moved_by_rules)
    with run.workspace.scratch() as mem, run.workspace.spill_folder() as folder:
        events = folder / "events.parquet"
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
            opted = opt_outs(ws, con)
            backfill = is_backfill(con, run)
            today = now.replace(tzinfo=dt.UTC).astimezone(_tz(ws)).date()
            assignments: list[dict[str, Any]] = []
            messages: list[dict[str, Any]] = []
            sent: dict[str, Counter[str]] = {}
            summary["backfill_skipped"] = [j.id for j in journeys.journeys] if backfill else []
            pending = [
                j
                for j in journeys.journeys
                if j.active(today)
                and j.id not in planned
                and not backfill
                and (j.trigger.target is None or before is not None)
            ]
            held = [j.id for j in pending if (j.trigger.target or ("",))[0] in moved_by_rules]
            summary["rules_changed_skipped"] = [] if rule_changes else held
            pending = [j for j in pending if rule_changes or j.id not in held]
            staged = 0
            if not done or pending:
                # (a run processed again with every journey planned needs no events:
                # ~1 s at 1M customers)
                staged = stage_events(mem, run, before, taxonomy, events)
            plans = [(j, _candidates(mem, run, j, journeys, events)) for j in pending]
            composer = Composer(run, journeys)
            drawn = _anchors(ws, con, plans)
            for journey, rows in plans:
                if journey.channel not in sent:
                    days = journey.frequency_cap.days if journey.frequency_cap else 0
                    sent[journey.channel] = (
                        _recent_sends(con, journey.channel, days, now) if days else Counter()
                    )
                # the same date planned again (a run made twice): who has its message
                already = {
                    r[0]
                    for r in con.execute(
                        "SELECT customer_id FROM assignments WHERE journey_id = ? AND as_of = ? "
                        "AND message_id IS NOT NULL",
                        [journey.id, run.as_of_date],
                    ).fetchall()
                }
                outcome = _plan_journey(
                    mem, composer, journey, rows, (opted, already, drawn), sent[journey.channel],
                    now,
                )  # fmt: skip
                assignments += outcome[0]
                messages += outcome[1]
                summary["journeys"][journey.id] = dict(
                    Counter(f"{a['grp']}:{a['outcome']}" for a in outcome[0])
                )
            written = _record(
                con, run, before, (done, staged, events), (assignments, messages), summary, now
            )
            summary["events"] = written if not done else None
            summary["messages"] = len(messages)
    return summary


def _record(
    con: duckdb.DuckDBPyConnection,
    run: RunInfo,
    before: RunInfo | None,
    staging: tuple[Any, int, Path],
    planned: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    summary: dict[str, Any],
    now: dt.datetime,
) -> int:
    """Record in one transaction that ``run`` was processed (unless it was before:
    ``staging`` starts with that), with its events kept from the staged file, and the
    journeys' assignments and messages; how many events were kept."""
    done, staged, events = staging
    kept: Path | None = None
    written = 0
    try:
        with db.transaction(con):
            if not done:
                if before is not None:
                    # kept before the commit: a crash between the two leaves the run
                    # unprocessed, and processing it again writes the file again
                    kept = keep_events(run.workspace, run, events)
                    written = staged
                con.execute(
                    "INSERT INTO processed_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        run.run_id,
                        before.run_id if before else None,
                        run.as_of_date,
                        now,
                        written,
                        len(planned[1]),
                        summary["journeys_error"] or (None if before else "first run: no events"),
                    ],
                )
            _insert(con, "assignments", planned[0], _ASSIGNMENT_COLUMNS)
            _insert(con, "outbox", planned[1], _OUTBOX_COLUMNS)
    except BaseException:
        if kept is not None:  # the run stays unprocessed, without events
            kept.unlink(missing_ok=True)
        raise
    return written


def is_backfill(con: duckdb.DuckDBPyConnection, run: RunInfo) -> bool:
    """Whether ``run`` is for an earlier date than a run already processed: journeys act
    on the newest date only, so a backfill queues nothing, also for a journey that had no
    one to plan then or did not exist yet. Only runs still kept count: a run made for a
    wrong date and deleted blocks nothing."""
    kept = [r.run_id for r in list_runs(run.workspace) if r.run_id != run.run_id]
    newest = con.execute(
        "SELECT max(as_of) FROM processed_runs WHERE list_contains(?::VARCHAR[], run_id)",
        [kept],
    ).fetchone()
    return bool(newest and newest[0] and newest[0] > run.as_of_date)


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
    mem: duckdb.DuckDBPyConnection,
    composer: Composer,
    journey: Journey,
    candidates: pa.Table,
    excluded: tuple[OptOuts, set[str], dict[str, str]],
    sent: Counter[str],
    now: dt.datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each candidate's outcome (in the order of the module's description), then the
    treated customers' messages, rendered from their full rows a batch at a time.
    ``excluded``: the opt-outs, who already has this journey's message for the date, and
    the candidates whose groups are drawn under another id (:func:`.groups.anchors`)."""
    run, journeys = composer.run, composer.journeys
    ws = run.workspace
    channel = journeys.channels[journey.channel]
    due = first_attempt(journey, ws, now)
    assignments: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []

    def assign(cid: str, grp: str, outcome: str, mid: str | None = None) -> None:
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

    opted, already, drawn = excluded
    treated = []
    for cid in _decide(composer, journey, candidates, (opted, drawn), sent, assign):
        if cid in already:
            assign(cid, "treated", "already_queued", message_id(journey.id, run.as_of_date, cid))
        else:
            treated.append(cid)
    for row, contact in treated_rows(mem, run, treated):
        cid = row["customer_id"]
        lang = journey.language if journey.language != "auto" else customer_lang(contact, ws)
        mid = message_id(journey.id, run.as_of_date, cid)
        context = composer.context(journey, row, contact, lang)
        unsubscribe = None
        # a link only where it works: opting out stops marketing, not service
        if isinstance(channel, EmailChannel) and journey.honours_opt_out:
            unsubscribe = unsubscribe_url(channel.unsubscribe_url, ws, cid)
        context["unsubscribe_url"] = unsubscribe
        try:
            subject, body = composer.render(journey, lang, context)
        except _RENDER_ERRORS as exc:
            log.error("journey %s: template error: %s", journey.id, exc)
            # still treated (intention to treat): the holdout was drawn before the text
            # was rendered, so leaving them out of the treated group while their holdout
            # counterparts stayed tilted the comparison
            assign(cid, "treated", f"template_error: {exc}"[:200])
            continue
        if unsubscribe and unsubscribe not in body:
            footer = "退订：" if lang == "zh" else "Unsubscribe: "
            body = body.rstrip("\n") + f"\n\n{footer}{unsubscribe}\n"
        messages.append(
            message_row(
                run, journey, channel, mid, contact, lang, subject, body, context, (now, due)
            )
        )
        sent[cid] += 1
        assign(cid, "treated", "queued", mid)
    return assignments, messages


def _decide(
    composer: Composer,
    journey: Journey,
    candidates: pa.Table,
    excluded: tuple[OptOuts, dict[str, str]],
    sent: Counter[str],
    assign: Callable[[str, str, str], None],
) -> list[str]:
    """Assign every candidate who gets no message (control group, opted out, no consent,
    no address, holdout, capped); the ids left are to be treated. ``excluded``: the
    opt-outs, and the ids whose groups are drawn under another (:mod:`.groups`)."""
    journeys, ws = composer.journeys, composer.run.workspace
    opted, drawn = excluded
    channel = journeys.channels[journey.channel]
    cap = journey.frequency_cap
    ids = candidates.column("customer_id").to_pylist()
    consent = candidates.column("consent").to_pylist()
    refused = REFUSED[consent_of(channel)]  # which consent is missing: said in the outcome
    reachable: list[str] = []
    for cid, agrees in zip(ids, consent, strict=True):
        if in_control_group(journeys, drawn.get(cid, cid)):
            assign(cid, "control", "control_group")
        elif journey.honours_opt_out and cid in opted:
            assign(cid, "excluded", "opted_out")
        elif journey.needs_consent and agrees is not True:
            assign(cid, "excluded", refused)
        else:
            reachable.append(cid)
    reachable = _without_opted_addresses(journey, opted, reachable, assign)
    usable = reachable_by(ws, channel, reachable)
    if usable is not None:
        for cid in reachable:
            if cid not in usable:
                assign(cid, "excluded", "no_address")
        reachable = [cid for cid in reachable if cid in usable]
    treated: list[str] = []
    for cid in reachable:
        if held_out(journey, drawn.get(cid, cid)):
            assign(cid, "holdout", "held_out")
        elif cap and sent[cid] >= cap.messages:
            assign(cid, "treated", "capped")
        else:
            treated.append(cid)
    return treated


def _anchors(
    ws: Workspace, con: duckdb.DuckDBPyConnection, plans: list[tuple[Journey, pa.Table]]
) -> dict[str, str]:
    """:func:`.groups.anchors` of every journey's candidates, read once for the run."""
    ids = {cid for _, rows in plans for cid in rows.column("customer_id").to_pylist()}
    return anchors(ws, con, ids)


def _without_opted_addresses(
    journey: Journey, opted: OptOuts, ids: list[str], assign: Callable[[str, str, str], None]
) -> list[str]:
    """``ids`` less those holding an address that opted out (under whatever id it had
    then, or before an erasure), who are assigned ``opted_out``, for a journey that
    honours opt-outs."""
    if not journey.honours_opt_out:
        return ids
    held = opted.by_address(ids)
    for cid in ids:
        if cid in held:
            assign(cid, "excluded", "opted_out")
    return [cid for cid in ids if cid not in held]
