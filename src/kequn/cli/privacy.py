"""Privacy commands (PIPL / GDPR): one person's data exported or erased, old quarantined
rows purged, runs deleted. The work is :mod:`kequn.privacy`'s."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kequn.cli._app import (
    DAYS_MAX,
    WorkspaceOpt,
    _lang,
    _print_json,
    _ws,
    app,
    console,
    err,
    given_id,
    output_file,
)
from kequn.cli._help import KequnTyper
from kequn.core.i18n import t
from kequn.core.messages import MESSAGES
from kequn.errors import interrupted

if TYPE_CHECKING:
    from kequn.store.workspace import Workspace

privacy_app = KequnTyper(
    help="Personal data: export or erase one person, purge old quarantined rows.",
    no_args_is_help=True,
)
runs_app = KequnTyper(help="Stored classification runs.", no_args_is_help=True)
app.add_typer(privacy_app, name="privacy")
app.add_typer(runs_app, name="runs")

CustomerArg = Annotated[
    str,
    typer.Argument(
        help="Customer id, or the customer's phone number or e-mail address",
        callback=given_id("contact"),
    ),
]


def _on_terminal() -> bool:
    """Whether someone is there to be asked: stdin is a terminal. A process started with
    its stdin closed (``kequn privacy purge <&-``, a service given no input) has
    ``sys.stdin`` None, which ended the purge and the erasure in a traceback: it is a
    script's, and goes on without asking."""
    stdin = sys.stdin
    try:
        return stdin is not None and stdin.isatty()
    except ValueError:  # a stdin closed while running
        return False


def _subject(ws: Workspace, given: str) -> str:
    """The customer id a request names: the id given, or the one customer whose phone or
    e-mail it is (several such: their ids listed, and the command stops)."""
    from kequn.privacy import pseudonym
    from kequn.privacy.contact import subjects
    from kequn.store.access import unfinished_erasures

    unfinished = [ref for ref, _when in unfinished_erasures(ws)]
    if unfinished and pseudonym(ws, given.strip()) in unfinished:
        # an erasure cut short: the data no longer holds the id, the runs may
        return given.strip()
    found = subjects(ws, given)
    if not found:
        err.print(t("privacy.no_customer", id=given))
        raise typer.Exit(1)
    if len(found) > 1:
        err.print(t("privacy.several", n=len(found), contact=given, ids=", ".join(found)))
        raise typer.Exit(1)
    if found[0] != given.strip():
        err.print(t("privacy.by_contact", contact=given, id=found[0]))
    return found[0]


@privacy_app.command("export")
def export_cmd(
    customer_id: CustomerArg,
    workspace: WorkspaceOpt = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write JSON here (default: stdout)")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists")
    ] = False,
) -> None:
    """Everything held about one person: customer rows, orders, order lines, interactions,
    rejected rows mentioning them, and their labels in every stored run."""
    from kequn import privacy

    if output is not None:
        output_file(output)
        if not force and output.exists():  # as kequn export: it was overwritten in place
            said = t("export.exists", file=output)
            raise typer.BadParameter(said, param_hint="--output")
    ws = _ws(workspace)
    customer_id = _subject(ws, customer_id)
    data = privacy.export_person(ws, customer_id)
    if data is None:
        err.print(t("privacy.no_customer", id=customer_id))
        raise typer.Exit(1)
    if output is None:
        _print_json(data)
        return
    from kequn.snapshots.export_files import written_whole

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    try:
        with written_whole(output, replace=force) as part:  # whole, or not at all
            part.write_text(text + "\n", encoding="utf-8")
    except FileExistsError:  # made meanwhile
        raise typer.BadParameter(t("export.exists", file=output), param_hint="--output") from None
    console.print(t("privacy.exported", id=customer_id, file=output))


@privacy_app.command("erase")
def erase_cmd(
    customer_id: CustomerArg,
    workspace: WorkspaceOpt = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (asked only on a terminal)")
    ] = False,
) -> None:
    """Erase one person from the data, every run, job reports and staged files; the audit
    log keeps a pseudonymous reference that it happened. Cannot be undone."""
    from kequn import privacy

    ws = _ws(workspace)
    customer_id = _subject(ws, customer_id)
    if not yes and _on_terminal():
        typer.confirm(t("privacy.confirm_erase", id=customer_id, path=ws.root), abort=True)
    try:
        result = privacy.erase_person(ws, customer_id)
    except BaseException as exc:
        if not interrupted(exc):
            raise
        # not "nothing kept": the data may be published without them, the runs not yet
        err.print(t("privacy.erase_interrupted", id=customer_id), style="yellow")
        raise SystemExit(130) from None
    removed = ("，" if _lang() == "zh" else ", ").join(
        # the table names were printed as they are in the database, English under zh
        t(f"privacy.removed.{k}", n=v) if f"privacy.removed.{k}" in MESSAGES else f"{k} {v}"
        for k, v in result["removed"].items()
        if v
    )
    console.print(t("privacy.erased", id=customer_id, subject=result["subject"], removed=removed))


@privacy_app.command("purge")
def purge_cmd(
    workspace: WorkspaceOpt = None,
    days: Annotated[
        int | None,
        typer.Option(
            help="Older than this (default: quarantine_days under \\[privacy])",
            min=0,
            max=DAYS_MAX,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Count the quarantined rows that would be removed; remove nothing."
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (asked only on a terminal)")
    ] = False,
) -> None:
    """Remove quarantined rows of imports older than the retention period."""
    from kequn.privacy.retention import purge_quarantine
    from kequn.snapshots.read import privacy_settings

    ws = _ws(workspace)
    shown = days if days is not None else privacy_settings(ws).quarantine_days
    if dry_run or (not yes and _on_terminal()):
        # (``--days 0`` takes every quarantined row: said, or asked, before it does)
        count = purge_quarantine(ws, days, dry_run=True)
        if dry_run:
            console.print(t("privacy.would_purge", count=count, days=shown))
            return
        if count:
            said = t("privacy.confirm_purge", count=count, days=shown, path=ws.root)
            typer.confirm(said, abort=True)
    count = purge_quarantine(ws, days)
    console.print(t("privacy.purged", count=count, days=shown))


@runs_app.command("delete")
def runs_delete(
    run_id: Annotated[str, typer.Argument(help="Run id (or unique prefix)")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Delete a stored run and its lookup files."""
    from kequn.privacy.retention import delete_run

    deleted = delete_run(_ws(workspace), run_id)
    console.print(t("privacy.run_deleted", id=deleted))


@runs_app.command("prune")
def runs_prune(
    keep_days: Annotated[
        int | None,
        typer.Option(
            "--keep-days",
            help="Keep every run of this many days before the newest run's as-of date "
            "(default: keep_runs_days under \\[run] in kequn.toml).",
            min=1,
            max=DAYS_MAX,
        ),
    ] = None,
    keep_monthly: Annotated[
        bool | None,
        typer.Option(
            "--keep-monthly/--no-keep-monthly",
            help="Before those days, keep the last run of each month (default: "
            "keep_monthly_runs, true).",
        ),
    ] = None,
    keep_events_days: Annotated[
        int | None,
        typer.Option(
            "--keep-events-days",
            help="Keep the segment events of this many days before the newest run's as-of "
            "date (default: keep_events_days under \\[run] in kequn.toml).",
            min=1,
            max=DAYS_MAX,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="List the runs and count the events that would go; remove nothing."
        ),
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Remove old runs (every run of the last days is kept, and one a month before) and
    old segment events, each by its own period (kequn.toml's, or the one given)."""
    from kequn.automation.retention import events_period, prune_events, prune_runs, runs_period

    ws = _ws(workspace)
    # both periods checked before anything is removed
    days, event_days = runs_period(ws, keep_days), events_period(ws, keep_events_days)
    if days == 0 and event_days == 0:
        err.print(t("runs.prune_off"), soft_wrap=True, markup=False)
        raise typer.Exit(2)
    if days != 0:
        runs = prune_runs(ws, keep_days, keep_monthly, dry_run=dry_run)
        monthly = ws.settings.keep_monthly_runs if keep_monthly is None else keep_monthly
        params = {"count": len(runs), "days": days, "monthly": t("runs.monthly") if monthly else ""}
        if dry_run:
            console.print(t("runs.would_prune", **params))
            for run in runs:
                console.print(f"  {run.run_id}  {run.as_of}")
        else:
            console.print(t("runs.pruned", **params))
    if event_days != 0:
        count = prune_events(ws, keep_events_days, dry_run=dry_run)
        said = "events.would_prune" if dry_run else "events.pruned"
        console.print(t(said, count=f"{count:,}", days=event_days))
