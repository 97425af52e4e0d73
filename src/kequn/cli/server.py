"""``kequn serve`` and ``kequn user``: the web service and who may use it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kequn.cli._app import JsonOpt, WorkspaceOpt, _print_json, _ws, app, console
from kequn.core.i18n import t

user_app = typer.Typer(
    help="Users of the API and dashboard, and their tokens.", no_args_is_help=True
)
app.add_typer(user_app, name="user")


@app.command()
def serve(
    workspace: WorkspaceOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option(help="Server processes (more use more cores for pages)")
    ] = 1,
) -> None:
    """Serve the REST API (/api, docs at /docs) and the dashboard."""
    from kequn.web.server import serve as run_server
    from kequn.web.settings import ServerSettings

    ws = _ws(workspace)
    console.print(t("serve.listening", url=f"http://{host}:{port}/", path=ws.root))
    run_server(ServerSettings(workspace=Path(ws.root), host=host, port=port), workers=workers)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option(help="admin, analyst or viewer")] = "viewer",
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a user (or replace their token) and print the token once."""
    from kequn.store.access import ROLES, add_user

    if role not in ROLES:
        console.print(t("user.bad_role", roles=", ".join(ROLES)))
        raise typer.Exit(2)
    token = add_user(_ws(workspace), name, role)
    if as_json:
        _print_json({"name": name, "role": role, "token": token})
        return
    console.print(t("user.added", name=name, role=role))
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
    out = Table()
    out.add_column(t("col.user"))
    out.add_column(t("col.role"))
    out.add_column("sessions")
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
        console.print(t("user.unknown", name=name))
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
        console.print(t("user.unknown", name=name))
        raise typer.Exit(1)
    if as_json:
        _print_json({"name": name, "token": token})
        return
    console.print(t("user.rotated", name=name))
    console.print(token, highlight=False, soft_wrap=True)
