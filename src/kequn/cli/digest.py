"""Team digests' commands: what moved in a run, per team, as queued for the robots."""

from __future__ import annotations

from typing import Annotated

import typer

from kequn.automation.reasons import error_text
from kequn.cli._app import JsonOpt, RunOpt, WorkspaceOpt, _lang, _print_json, _ws, app, console, err
from kequn.cli._help import KequnTyper
from kequn.cli.automation import _status
from kequn.core.i18n import t

digest_app = KequnTyper(
    help="Team digests: what moved in a run, per team, sent to the team's group robot.",
    no_args_is_help=True,
)
app.add_typer(digest_app, name="digest")


@digest_app.command("show")
def digest_show(
    workspace: WorkspaceOpt = None,
    run_id: RunOpt = None,
    team: Annotated[str | None, typer.Option(help="marketing, sales or service")] = None,
    as_json: JsonOpt = False,
) -> None:
    """A run's team digests as queued for the robots, in the chosen language (--lang)."""
    from kequn.automation import text as _text  # noqa: F401  (registers the messages)
    from kequn.automation.digest import show_digests
    from kequn.snapshots.read import require_run

    ws = _ws(workspace)
    run = require_run(ws, run_id)
    found = show_digests(ws, run.run_id, _lang(), team)
    if as_json:
        _print_json({"run_id": run.run_id, "digests": found})
        return
    if not found:
        console.print(t("digest.none_for_run", run=run.run_id))
        return
    for d in found:
        console.rule(f"{d['subject']}  ({d['channel']})")
        console.print(d["text"], markup=False, highlight=False)
        error = error_text(d["last_error"], _lang())
        status = _status(d["status"]) + (f" — {error}" if error else "")
        console.print(t("digest.status", status=status), markup=False, highlight=False)


@digest_app.command("build")
def digest_build(
    workspace: WorkspaceOpt = None, run_id: RunOpt = None, as_json: JsonOpt = False
) -> None:
    """Queue a run's team digests now (done after every run; for a run published before
    digests were configured). A team's digest for a run is queued once."""
    from kequn.automation.digest import build_digests
    from kequn.automation.plan import process_run
    from kequn.snapshots.read import require_run

    run = require_run(_ws(workspace), run_id)
    process_run(run)  # its events, if it was not processed yet (otherwise nothing changes)
    summary = build_digests(run)
    if as_json:
        _print_json(summary)
        return
    if summary["error"]:
        err.print(summary["error"], style="red", soft_wrap=True)
        raise typer.Exit(1)
    console.print(t("digest.queued", run=run.run_id, teams=len(summary["teams"])))
    for team, info in summary["teams"].items():
        counts = ", ".join(f"{k}: {v}" for k, v in info["movements"].items())
        console.print(f"  {team}: {counts}", markup=False)
