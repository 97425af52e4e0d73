"""What routes depend on: the workspace, the reader's language, and who is asking.

Every route but ``/api/health`` (and the login page) needs a token:
``Authorization: Bearer …`` for the API, or the ``kequn_token`` cookie the login page sets
(HttpOnly, SameSite=Strict) for the dashboard. Roles and permissions are those of
:mod:`kequn.store.access`. API routes take the user through :func:`need` (a JSON 401/403
when missing), dashboard pages through :func:`page_user` (a redirect to the login page).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, get_args

from fastapi import Depends, Request

from kequn.core.i18n import t
from kequn.snapshots import lookup
from kequn.snapshots.runs import RunInfo
from kequn.store.access import User, authenticate
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import Team
from kequn.web.errors import ApiError, LoginRequiredError

TOKEN_COOKIE = "kequn_token"  # noqa: S105 - the cookie's name, not a secret
LANG_COOKIE = "kequn_lang"

#: The teams a worklist can be asked for: those a taxonomy's strategies may name.
TEAM_NAMES: frozenset[str] = frozenset(get_args(Team))


class Users:
    """Token lookup with the users file cached until it changes (``app.state.users``).

    Every request checks a token; hashing it and reading the file each time would cost
    more than answering a page from a run's lookup files.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._stamp: float | None = None
        self._cache: dict[str, User | None] = {}
        self._lock = threading.Lock()

    def find(self, token: str | None) -> User | None:
        if not token:
            return None
        path = self.ws.root / "users.json"
        stamp = path.stat().st_mtime_ns if path.exists() else None
        with self._lock:
            if stamp != self._stamp:
                self._cache.clear()
                self._stamp = stamp
            if token not in self._cache:
                self._cache[token] = authenticate(self.ws, token)
            return self._cache[token]


def workspace(request: Request) -> Workspace:
    """The workspace the app serves (one per app, see :func:`kequn.web.app.create_app`)."""
    ws: Workspace = request.app.state.ws
    return ws


def request_lang(request: Request) -> str:
    """``?lang=``, else the cookie, else the browser's preference, else English."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in ("zh", "en"):
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") else "en"


def read_token(request: Request) -> str | None:
    """The bearer token (API clients), else the session cookie (the dashboard)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(TOKEN_COOKIE)


def find_user(request: Request, token: str | None) -> User | None:
    """The user holding ``token``, if any."""
    users: Users = request.app.state.users
    return users.find(token)


def current_user(request: Request) -> User:
    """A dependency: the user whose token came with the request, or a JSON 401."""
    user = find_user(request, read_token(request))
    if user is None:
        lang = request_lang(request)
        raise ApiError(401, "unauthorized", t("web.error.unauthorized", lang))
    return user


def need(permission: str) -> Callable[..., User]:
    """A dependency: the current user, who must hold ``permission`` (else a JSON 403)."""

    def check(request: Request, user: User = Depends(current_user)) -> User:  # noqa: B008
        if not user.can(permission):
            lang = request_lang(request)
            raise ApiError(
                403, "forbidden", t("web.error.forbidden", lang, role=user.role, what=permission)
            )
        return user

    return check


async def page_user(request: Request) -> User:
    """For dashboard pages: the signed-in user, or a redirect to the login page.

    Async so a page answered on the event loop needs no thread (tokens are cached)."""
    user = find_user(request, read_token(request))
    if user is None:
        raise LoginRequiredError(str(request.url.path))
    return user


#: Any signed-in user who may read (every role).
Reader = Annotated[User, Depends(need("read"))]
#: A signed-in user of the dashboard.
PageUser = Annotated[User, Depends(page_user)]


def run_or_404(request: Request, run_id: str | None) -> RunInfo:
    """The run asked for (the latest ready one when ``run_id`` is None), or a JSON 404."""
    run = lookup.ready_run(workspace(request), run_id)
    if run is None:
        lang = request_lang(request)
        raise ApiError(404, "no_run", t("web.error.no_run", lang))
    return run
