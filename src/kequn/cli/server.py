"""``kequn serve``, ``kequn schedule`` and ``kequn user``: the web service, the jobs it
carries out at set times, and who may use it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from kequn.cli._app import JsonOpt, WorkspaceOpt, _print_json, _ws, app, console, err
from kequn.cli._help import KequnTyper
from kequn.core import display
from kequn.core.i18n import t

user_app = KequnTyper(
    help="Users of the API and dashboard, and their tokens.", no_args_is_help=True
)
app.add_typer(user_app, name="user")
schedule_app = KequnTyper(
    help="Jobs in \\[schedule] of kequn.toml (sync, run, deliver at set times), carried out "
    "by kequn serve.",
    no_args_is_help=True,
)
app.add_typer(schedule_app, name="schedule")


#: the most server processes: each is a whole server, started all at once, and
#: ``--workers 99999999999999999999`` made one process object after another until memory
#: ran out (a few thousand would have started as many servers)
WORKERS_MAX = 64


@app.command()
def serve(
    workspace: WorkspaceOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            help="Server processes (more use more cores for pages)", min=1, max=WORKERS_MAX
        ),
    ] = 1,
    schedule: Annotated[
        bool,
        typer.Option(
            help="Carry out \\[schedule] of kequn.toml and send due messages while serving"
        ),
    ] = True,
) -> None:
    """Serve the REST API (/api, described at /openapi.json) and the dashboard; carry out the
    schedule."""
    from kequn.web.server import ensure_free
    from kequn.web.server import serve as run_server
    from kequn.web.settings import ServerSettings

    ws = _ws(workspace)
    ensure_free(host, port)  # told before "Serving ..." is printed
    if schedule:
        from kequn.automation.schedule import load_schedule

        load_schedule(ws)  # a mistake in [schedule] is told before anything starts
    # an IPv6 address in brackets, as a browser takes it; "" listens everywhere
    shown = f"[{host}]" if ":" in host else (host or "0.0.0.0")  # noqa: S104 - shown only
    console.print(t("serve.listening", url=f"http://{shown}:{port}/", path=ws.root))
    from kequn.store.access import list_users

    if not list_users(ws):
        # nobody can sign in yet: the login page asks for a token no one has
        console.print(t("serve.no_users", path=ws.root), highlight=False, markup=False)
    try:
        run_server(
            ServerSettings(workspace=Path(ws.root), host=host, port=port),
            workers=workers,
            schedule=schedule,
        )
    except KeyboardInterrupt:
        # Ctrl-C is how a server is stopped, not a command cut short: exit as before
        raise typer.Exit(130) from None


@schedule_app.command("show")
def schedule_show(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Each job: when it runs, its steps, the next time, the last run's outcome."""
    from kequn.automation.schedule import schedule_status
    from kequn.automation.schedule.text import EXAMPLE, step_detail

    status = schedule_status(_ws(workspace))
    if as_json:
        _print_json(status)
        return
    if not status["jobs"]:
        console.print(t("schedule.none", example=EXAMPLE), highlight=False, markup=False)
        return
    console.print(t("schedule.timezone", tz=status["timezone"]), highlight=False)
    for job in status["jobs"]:
        last = job["running"] or job["last"]
        outcome = "running" if job["running"] else (last["outcome"] if last else "never")
        detail = (last or {}).get("error") or "; ".join(
            f"{s['step']}: {step_detail(s) or t('schedule.outcome.' + s['outcome'])}"
            for s in (last or {}).get("steps", [])
        )
        console.print(
            Text.assemble((job["name"], "bold"), f"  {job['when']}  {' → '.join(job['steps'])}"),
            highlight=False,
        )
        lines = [
            f"{t('schedule.col.next')}: {_time(job['next'])}",
            # a job that has not run has no time to give ("Last run: not run yet")
            f"{t('schedule.col.last')}: "
            + (f"{_time(last.get('started_at'))} " if last else "")
            + t(f"schedule.outcome.{outcome}"),
        ]
        if detail:
            lines.append(f"{t('schedule.col.detail')}: {detail}")
        for line in lines:
            console.print("  " + line, highlight=False, markup=False, soft_wrap=True)
    delivery = status["delivery"]
    if delivery["every_seconds"] > 0 and not delivery.get("at"):
        # a loop that has not passed yet: no time and no counts to give (as the runs page)
        seconds = display.seconds(delivery["every_seconds"])
        console.print(t("schedule.deliver_never", seconds=seconds))
    elif delivery["every_seconds"] > 0:
        console.print(
            t(
                "schedule.deliver_loop",
                seconds=display.seconds(delivery["every_seconds"]),
                at=_time(delivery.get("at")),
                sent=delivery.get("sent", 0),
                failed=delivery.get("failed", 0),
            )
        )
    else:
        console.print(t("schedule.deliver_off"))


def _time(text: str | None) -> str:
    """An ISO time from the schedule's records, as people write it (2026-12-02 06:00)."""
    return text[:16].replace("T", " ") if text else "-"


@schedule_app.command("run")
def schedule_run(
    name: Annotated[str, typer.Argument(help="The job (\\[schedule] NAME in kequn.toml)")],
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a job now, under the same lock as kequn serve (skipped if it runs elsewhere)."""
    from kequn import automation
    from kequn.automation.schedule import find_job, run_job
    from kequn.automation.schedule.text import step_detail

    ws = _ws(workspace)
    automation.install()
    record = run_job(ws, find_job(ws, name), trigger="manual")
    assert record is not None  # only the scheduler's due-only runs return None
    if as_json:
        _print_json(record)
    else:
        outcome = t(f"schedule.outcome.{record['outcome']}")
        console.print(
            t("schedule.ran", name=name, outcome=outcome, seconds=record["seconds"] or 0.0),
            highlight=False,
        )
        for step in record["steps"]:
            console.print(
                t(
                    "schedule.step",
                    step=step["step"],
                    outcome=t(f"schedule.outcome.{step['outcome']}"),
                    detail=step_detail(step),
                ),
                highlight=False,
                markup=False,
            )
        if record["outcome"] == "skipped":
            console.print(record["error"], highlight=False, markup=False)
    if record["outcome"] != "ok":
        raise typer.Exit(1)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option(help="admin, analyst or viewer")] = "viewer",
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a user (or replace their token) and print the token once."""
    from kequn.store.access import NAME_MOST, ROLES, add_user, list_users, usable_name

    if role not in ROLES:
        err.print(t("user.bad_role", roles=", ".join(ROLES)))
        raise typer.Exit(2)
    if not usable_name(name):  # a usage error, like a wrong role: exit 2, before the workspace
        err.print(t("user.bad_name", name=repr(name), most=NAME_MOST))
        raise typer.Exit(2)
    ws = _ws(workspace)
    replaced = any(u.name == name for u in list_users(ws))
    token = add_user(ws, name, role)
    if as_json:
        _print_json({"name": name, "role": role, "token": token, "replaced": replaced})
        return
    console.print(t("user.replaced" if replaced else "user.added", name=name, role=role))
    console.print(token, highlight=False, soft_wrap=True)


@user_app.command("list")
def user_list(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Users, their roles and open dashboard sessions (never their tokens)."""
    import time

    from kequn.store.access import list_sessions, list_users

    ws = _ws(workspace)
    users = list_users(ws)
    now = time.time()
    open_sessions: dict[str, int] = {}
    for s in list_sessions(ws):
        if s["expires_at"] > now:
            open_sessions[s["user"]] = open_sessions.get(s["user"], 0) + 1
    if as_json:
        _print_json(
            [
                {
                    "name": u.name,
                    "role": u.role,
                    "created_at": u.created_at,
                    "sessions": open_sessions.get(u.name, 0),
                }
                for u in users
            ]
        )
        return
    if not users:
        console.print(t("user.none"))
        return
    out = Table()
    out.add_column(t("col.user"))
    out.add_column(t("col.role"))
    out.add_column(t("col.sessions"))
    for u in users:
        out.add_row(u.name, u.role, str(open_sessions.get(u.name, 0)))
    console.print(out)


@user_app.command("remove")
def user_remove(
    name: Annotated[str, typer.Argument(help="User name")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Remove a user: their token stops working and their dashboard sessions end."""
    import kequn.web.text  # noqa: F401 - registers the messages below
    from kequn.store.access import remove_user

    if not remove_user(_ws(workspace), name):
        err.print(t("user.unknown", name=name))
        raise typer.Exit(1)
    console.print(t("user.removed", name=name))


@user_app.command("rotate")
def user_rotate(
    name: Annotated[str, typer.Argument(help="User name")],
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give a user a new token (printed once); the old one and their sessions stop working."""
    import kequn.web.text  # noqa: F401 - registers the messages below
    from kequn.store.access import rotate_token

    token = rotate_token(_ws(workspace), name)
    if token is None:
        err.print(t("user.unknown", name=name))
        raise typer.Exit(1)
    if as_json:
        _print_json({"name": name, "token": token})
        return
    console.print(t("user.rotated", name=name))
    console.print(token, highlight=False, soft_wrap=True)
