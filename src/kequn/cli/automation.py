"""Commands that act on segment changes: events, journeys, the outbox and its worker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from kequn.automation import install, rules_held
from kequn.automation.reasons import error_text
from kequn.cli._app import (
    ROWS_MAX,
    BatchOpt,
    ConversionDaysOpt,
    CustomerOpt,
    JsonOpt,
    RunOpt,
    WorkspaceOpt,
    _lang,
    _print_json,
    _ws,
    app,
    console,
    err,
    given_id,
    one_of,
    parse_as_of,
)
from kequn.cli._help import KequnTyper
from kequn.core import display, yamlfile
from kequn.core.i18n import MESSAGES, current_lang, did_you_mean, local, t

if TYPE_CHECKING:
    from kequn.taxonomy.model import Taxonomy

install()  # every run started from this process (CLI or `kequn serve`) yields events

#: what an outbox message's status can be (``kequn outbox --status``)
OUTBOX_STATUSES = ("pending", "sending", "sent", "dead", "cancelled")

journeys_app = KequnTyper(
    help="Journeys: who gets which message when their segment changes.", no_args_is_help=True
)
app.add_typer(journeys_app, name="journeys")


@app.command("events")
def events_cmd(
    workspace: WorkspaceOpt = None,
    dimension: Annotated[str | None, typer.Option(help="e.g. lifecycle")] = None,
    entered: Annotated[str | None, typer.Option(help="Customers who entered this label")] = None,
    left: Annotated[str | None, typer.Option(help="Customers who left this label")] = None,
    since: Annotated[str | None, typer.Option(help="Runs as of this date or later")] = None,
    until: Annotated[str | None, typer.Option(help="Runs as of this date or earlier")] = None,
    run_id: Annotated[
        str | None,
        typer.Option(
            "--run",
            help="Run id (or prefix); default: every run's events.",
            callback=given_id("run"),
        ),
    ] = None,
    customer: CustomerOpt = None,
    limit: Annotated[int, typer.Option(help="How many events to list", min=0, max=ROWS_MAX)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Segment events: who entered or left each label, each run against the latest run of
    an earlier as-of date (counts match `kequn history`); a rerun of the same as-of date
    records none against the first run of that date."""
    from kequn.automation.events import query_events
    from kequn.engines.as_of import local_today

    ws = _ws(workspace)
    taxonomy = _newest_taxonomy(ws)
    _check_segment(taxonomy, dimension, entered or left)
    today = local_today(ws.settings.timezone)
    data = query_events(
        ws,
        dimension=dimension,
        entered=entered,
        left=left,
        since=parse_as_of(since, "--since", today),
        until=parse_as_of(until, "--until", today),
        run_id=run_id,
        customer_id=customer,
        limit=limit,
    )
    if as_json:
        _print_json(data)
        return
    if not data["counts"]:
        console.print(t("automation.no_events"))
        return
    dim_name, label_name = _segment_names(taxonomy)
    out = Table()
    for name in ("as_of", "run_id", "dimension", "label", "change", "customers"):
        out.add_column(t(f"events.col.{name}"), justify="right" if name == "customers" else "left")
    for c in data["counts"]:
        out.add_row(
            c["as_of"], c["run_id"], dim_name(c["dimension"]),
            label_name(c["dimension"], c["label"]), t(f"events.change.{c['change']}"),
            f"{c['customers']:,}",
        )  # fmt: skip
    console.print(out)
    if data["events"]:
        rows = Table()
        for name in ("as_of", "customer_id", "dimension", "change", "from", "to"):
            rows.add_column(t(f"events.col.{name}"))
        for e in data["events"]:
            dim = e["dimension"]
            rows.add_row(
                e["as_of"], e["customer_id"], dim_name(dim), t(f"events.change.{e['change']}"),
                label_name(dim, e["from"]) if e["from"] else "—",
                label_name(dim, e["to"]) if e["to"] else "—",
            )  # fmt: skip
        console.print(rows)


def _newest_taxonomy(ws: Any) -> Taxonomy | None:
    """The current run's taxonomy (the latest as-of date; None before any run): what
    ``kequn events`` checks names against and shows them by."""
    from kequn.snapshots.runs import get_run

    run = get_run(ws)
    return run.taxonomy() if run is not None else None


def _segment_names(
    taxonomy: Taxonomy | None,
) -> tuple[Callable[[str], str], Callable[[str, str], str]]:
    """A dimension's and a label's name in the reader's language, as ``taxonomy`` (the
    newest run's) says them; an id it does not know (a dimension since removed) as it
    is. ``--json`` keeps the ids."""

    def dim_name(dimension: str) -> str:
        dim = taxonomy.dimension(dimension) if taxonomy is not None else None
        return local(dim, _lang()) if dim is not None else dimension

    def label_name(dimension: str, label: str) -> str:
        dim = taxonomy.dimension(dimension) if taxonomy is not None else None
        found = dim.label(label) if dim is not None else None
        return local(found, _lang()) if found is not None else label

    return dim_name, label_name


def _check_segment(taxonomy: Taxonomy | None, dimension: str | None, label: str | None) -> None:
    """A dimension (and label) the newest run's ``taxonomy`` does not have is told, not
    answered with "no matching events" (a typo looked like a quiet month)."""
    from kequn.snapshots.read import UnknownDimensionError

    if taxonomy is None or dimension is None:
        return
    dim = taxonomy.dimension(dimension)
    if dim is None:
        ids = [d.id for d in taxonomy.dimensions]
        said = t("segments.unknown_dimension", dimension=dimension, known=", ".join(ids))
        raise UnknownDimensionError(did_you_mean(said, dimension, ids))
    if label is not None and dim.label(label) is None:
        ids = [lab.id for lab in [*dim.labels, *([dim.fallback] if dim.fallback else [])]]
        said = t("segments.unknown_label", dimension=dimension, label=label, known=", ".join(ids))
        raise UnknownDimensionError(did_you_mean(said, label, ids))


@journeys_app.command("check")
def journeys_check(
    file: Annotated[
        Path | None, typer.Argument(help="Default: the workspace's journeys.yaml")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Validate journeys.yaml: channels, triggers, rules against the catalogue, templates."""
    from kequn.automation.journeys import JourneysError, journeys_path, parse_journeys
    from kequn.automation.template_fields import unknown_fields, unsubscribe_warnings
    from kequn.pipeline import workspace_taxonomy

    ws = _ws(workspace)
    path = file or journeys_path(ws)
    if file is None and not path.is_file():
        err.print(t("automation.no_journeys"))
        raise typer.Exit(1)
    # a file named that is not there, or a folder: told naming it, as `taxonomy check`
    # tells it (it said "the workspace has no journeys.yaml", of a file it never read)
    try:
        found = parse_journeys(
            yamlfile.user_text(path.read_bytes()), workspace_taxonomy(ws), str(path)
        )
    except JourneysError as exc:
        err.print(Text.assemble(("✗", "red"), f" {exc}"), soft_wrap=True)
        raise typer.Exit(1) from exc
    done = t("automation.journeys_ok", journeys=len(found.journeys), channels=len(found.channels))
    console.print(Text.assemble(("✓", "green"), " " + done))
    warnings = [
        t("automation.template_field_unknown", where=where, field=field)
        for where, field in unknown_fields(found, workspace_taxonomy(ws))
    ]
    for warning in warnings + unsubscribe_warnings(found):
        console.print(Text.assemble(("⚠", "yellow"), " " + warning), soft_wrap=True)


@journeys_app.command("list")
def journeys_list(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """The workspace's journeys and their settings (secrets are never shown)."""
    from kequn.automation.journeys import as_dict, journeys_path, load_journeys
    from kequn.pipeline import workspace_taxonomy

    ws = _ws(workspace)
    found = load_journeys(ws, workspace_taxonomy(ws))
    if as_json:
        _print_json(as_dict(found))
        return
    if not found.journeys:  # an empty table said nothing
        there = journeys_path(ws).exists()
        console.print(t("journeys.none" if there else "automation.no_journeys"))
        return
    out = Table()
    for name in ("id", "name", "trigger", "channel", "holdout", "enabled"):
        out.add_column(t(f"journeys.col.{name}"))
    for j in found.journeys:
        trig = j.trigger
        text = (
            t("journeys.trigger.entered", segment=trig.entered)
            if trig.entered
            else t("journeys.trigger.left", segment=trig.left)
            if trig.left
            else trig.rule
        )
        out.add_row(
            j.id, j.zh if _lang() == "zh" else j.en, text or "", j.channel, f"{j.holdout:.0%}",
            "✓" if j.enabled else "✗",
        )  # fmt: skip
    console.print(out)


@journeys_app.command("process")
def journeys_process(
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    as_json: JsonOpt = False,
    rule_changes: Annotated[
        bool,
        typer.Option(
            "--rule-changes",
            help="Also plan journeys on movements in dimensions whose rules changed since "
            "the run before (held otherwise)",
        ),
    ] = False,
) -> None:
    """Compute a run's events and plan its journeys now (done after every run; use this for
    a run published before journeys.yaml existed, or after fixing it). Safe to repeat."""
    from kequn.automation.digest import build_digests
    from kequn.automation.plan import process_run
    from kequn.snapshots.read import require_run

    run = require_run(_ws(workspace), run_id)
    summary = process_run(run, rule_changes=rule_changes)
    summary["digests"] = build_digests(run)
    if as_json:
        _print_json(summary)
        return
    console.print(
        t(
            "automation.processed",
            run=summary["run_id"],
            events=summary["events"] if summary["events"] is not None else "—",
            messages=summary["messages"],
        )
    )
    for jid, counts in summary["journeys"].items():
        console.print(f"  {jid}: {_outcomes(counts)}", markup=False, highlight=False)
    if summary["digests"]["teams"]:
        console.print(
            t("digest.queued", run=summary["run_id"], teams=len(summary["digests"]["teams"]))
        )
    if summary.get("backfill_skipped"):
        console.print(
            t("automation.backfill", journeys=", ".join(summary["backfill_skipped"])),
            soft_wrap=True,
        )
    if summary.get("rules_changed_skipped"):
        console.print(rules_held(summary), soft_wrap=True)
    if summary.get("journeys_error"):
        err.print(summary["journeys_error"], style="red", soft_wrap=True)


@journeys_app.command("report")
def journeys_report_cmd(
    workspace: WorkspaceOpt = None,
    days: ConversionDaysOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Does it work? Treated vs holdout per journey: conversion, revenue, 95% intervals."""
    from kequn.automation.report import journeys_report

    data = journeys_report(_ws(workspace), days=days, lang=_lang())
    if as_json:
        _print_json(data)
        return
    if not data["journeys"]:  # it printed nothing at all
        console.print(t("journeys.report.none"))

    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x:.1%}"

    def ci(d: dict[str, float | None] | None, fmt: str) -> str:
        if not d:
            return "—"
        low, high = d["ci_low"], d["ci_high"]
        span = "" if low is None or high is None else f" [{low:{fmt}}, {high:{fmt}}]"
        return f"{d['difference']:{fmt}}{span}"

    for j in data["journeys"]:
        title = t("journeys.report.title", name=j["name"], id=j["journey"], days=j["window_days"])
        out = Table(title=title)
        for name in ("", "customers", "conversion", "revenue"):
            out.add_column(t(f"journeys.report.{name}") if name else "", justify="right")
        for g in ("treated", "holdout"):
            row = j[g]
            rev = row["revenue_per_customer"]
            out.add_row(
                t(f"journeys.report.{g}"),
                f"{row['customers']:,}",
                pct(row["conversion"]),
                "—" if rev is None else f"{rev:,.2f}",
            )
        out.add_row(
            t("journeys.report.difference"),
            "",
            ci(j["conversion_difference"], "+.1%"),
            ci(j["revenue_difference"], "+,.2f"),
        )
        console.print(out)
        for note in j["notes"]:
            console.print(note, style="yellow")


@app.command("deliver")
def deliver_cmd(
    workspace: WorkspaceOpt = None,
    watch: Annotated[bool, typer.Option(help="Keep running, waiting for new messages")] = False,
    batch: BatchOpt = None,
    lease: Annotated[
        float, typer.Option(help="Seconds a claimed batch stays claimed", min=1)
    ] = 300.0,
    poll: Annotated[float, typer.Option(help="With --watch: seconds between looks", min=0.1)] = 5.0,
    max_seconds: Annotated[float | None, typer.Option(help="Stop after this long", min=0)] = None,
    replay: Annotated[
        str | None, typer.Option(help="Queue a dead-lettered message again (its id)")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Send the outbox's due messages, with retries, backoff and dead letters."""
    from kequn.automation.deliver import deliver, outbox_status
    from kequn.automation.deliver import replay as replay_message

    ws = _ws(workspace)
    if replay:
        if not replay_message(ws, replay):
            err.print(t("automation.not_dead", id=replay))
            raise typer.Exit(1)
        console.print(t("automation.replayed", id=replay))
        return
    totals = deliver(ws, batch=batch, lease=lease, watch=watch, poll=poll, max_seconds=max_seconds)
    status = outbox_status(ws, status="pending", limit=0)
    pending = sum(c["messages"] for c in status["counts"] if c["status"] == "pending")
    if as_json:
        _print_json({**totals, "pending": pending, "next_due": status["next_due"]})
        return
    console.print(t("automation.delivered", sent=totals["sent"], failed=totals["failed"]))
    if pending:
        console.print(t("automation.pending", pending=pending, due=status["next_due"]))


@app.command("outbox")
def outbox_cmd(
    workspace: WorkspaceOpt = None,
    status: Annotated[
        str | None, typer.Option(help="pending, sending, sent, dead or cancelled")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many messages to list", min=0, max=ROWS_MAX)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Messages per journey, channel and status; with --status, the messages themselves."""
    from kequn.automation.deliver import outbox_status

    if status is not None:
        one_of(status, OUTBOX_STATUSES, "--status")

    data = outbox_status(_ws(workspace), status=status, limit=limit if status else 0)
    if as_json:
        _print_json(data)
        return
    if not data["counts"]:
        console.print(t("outbox.empty"))
        return
    out = Table()
    for name in ("journey", "channel", "status", "messages"):
        out.add_column(t(f"outbox.col.{name}"))
    for c in data["counts"]:
        out.add_row(c["journey"], c["channel"], _status(c["status"]), f"{c['messages']:,}")
    console.print(out)
    for m in data["messages"]:
        tries, error = t("outbox.attempts", n=m["attempts"]), error_text(m["last_error"], _lang())
        console.print(
            f"{m['message_id']}  {m['journey_id']}  {m['customer_id']}  {_status(m['status'])}  "
            f"{tries}  {error or ''}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _outcomes(counts: dict[str, int]) -> str:
    """A journey's planned outcomes (``group:outcome`` -> customers, as plan.py counts
    them) in the reader's language: ``进入发件箱 120，对照组（不发送）30``. A template's error
    keeps its own words after the outcome's."""
    said: Counter[str] = Counter()
    for key, n in counts.items():
        outcome, _, detail = key.partition(":")[2].partition(": ")
        name = f"journeys.outcome.{outcome}"
        text = t(name) if name in MESSAGES else outcome
        said[f"{text} ({detail})" if detail else text] += n
    sep = "，" if current_lang() == "zh" else ", "
    return sep.join(f"{text} {display.number(n)}" for text, n in said.most_common())


def _status(status: str) -> str:
    """An outbox status in the reader's language (kept as it is in --json)."""
    return t(f"outbox.status.{status}") if status in OUTBOX_STATUSES else status


@app.command("unsubscribe")
def unsubscribe_cmd(
    token: Annotated[str, typer.Argument(help="The token from an e-mail's unsubscribe link")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Record an opt-out from an unsubscribe link's token (what confirming the link's page does)."""
    from kequn.automation.unsubscribe import record_opt_out

    customer = record_opt_out(_ws(workspace), token, source="cli", who="cli")
    console.print(t("automation.unsubscribed", customer=customer))
