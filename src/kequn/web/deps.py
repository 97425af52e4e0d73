"""What routes depend on: the workspace, the reader's language, and who is asking.

Every route but ``/api/health`` (and the login page) needs a token:
``Authorization: Bearer …`` for the API, or the ``kequn_session`` cookie the login page sets
(a server-side session: HttpOnly, SameSite=Strict, expiring, revoked on sign-out) for the
dashboard. Roles and permissions are those of
:mod:`kequn.store.access`. API routes take the user through :func:`need` (a JSON 401/403
when missing), dashboard pages through :func:`page_user` (a redirect to the login page).
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, get_args

from fastapi import Depends, Request

from kequn.core import display
from kequn.core.i18n import t
from kequn.snapshots import lookup, read
from kequn.snapshots.runs import RunInfo
from kequn.store.access import MAX_TOKEN_LENGTH, User, list_sessions, list_users, token_hash
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import Team
from kequn.web.errors import ApiError, LoginRequiredError
from kequn.web.lang import request_lang

SESSION_COOKIE = "kequn_session"

#: The teams a worklist can be asked for: those a taxonomy's strategies may name.
TEAM_NAMES: frozenset[str] = frozenset(get_args(Team))


class Users:
    """Who holds a token or a session (``app.state.users``).

    Every request checks one; reading the files each time would cost more than answering
    a page from a run's lookup files, so the users and sessions are kept, by hash, until
    their files change. Nothing is kept per credential asked about: a wrong token costs
    one hash and one dictionary look-up, and memory holds only what the files hold.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._stamp: tuple[int | None, int | None] | None = None
        self._cache: dict[str, User] = {}  # token hash -> user
        self._sessions: dict[str, tuple[User, float]] = {}  # session hash -> user, expiry
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        stamp = (_mtime(self.ws.root / "users.json"), _mtime(self.ws.root / "sessions.json"))
        if stamp == self._stamp:
            return
        users = {u.token_hash: u for u in list_users(self.ws)}
        by_name = {u.name: u for u in users.values()}
        sessions = {
            s["hash"]: (by_name[s["user"]], float(s["expires_at"]))
            for s in list_sessions(self.ws)
            if s["user"] in by_name
        }
        self._cache, self._sessions, self._stamp = users, sessions, stamp

    def find(self, token: str | None) -> User | None:
        """The user holding API token ``token``."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        with self._lock:
            self._refresh()
            return self._cache.get(token_hash(token))

    def session(self, session_id: str | None) -> User | None:
        """The user signed in with session ``session_id``, if it has not expired."""
        if not session_id or len(session_id) > MAX_TOKEN_LENGTH:
            return None
        with self._lock:
            self._refresh()
            found = self._sessions.get(token_hash(session_id))
        if found is None or found[1] <= time.time():
            return None
        return found[0]


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def workspace(request: Request, *, strict: bool = False) -> Workspace:
    """The workspace the app serves (one per app, see :func:`kequn.web.app.create_app`),
    with kequn.toml as it is now (:meth:`Workspace.reread_settings`): edited while the
    server runs, it applies from the next request (the request and upload size limits
    are the server's own, set as it starts). Spoiled meanwhile, pages and reads go on
    with the settings last read (the runs page names the file); with ``strict``, for a
    request that would act on them (a run, an import), it is refused in JSON naming the
    file and key (409), as a ``kequn`` command refuses it, and the workspace given is a
    copy of its own, whose settings stay as they are now for the whole job (an edit
    while a run works does not change them halfway)."""
    ws: Workspace = request.app.state.ws
    ws.reread_settings(strict=strict)
    return copy.copy(ws) if strict else ws


def forbidden(lang: str, role: str, permission: str) -> str:
    """That ``role`` may not do what ``permission`` allows, in ``lang``'s words for both."""
    return t(
        "web.error.forbidden",
        lang,
        role=display.value("role", role, lang),
        what=display.value("permission", permission, lang),
    )


def bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header."""
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return None


def find_user(request: Request, token: str | None) -> User | None:
    """The user holding API token ``token``, if any."""
    users: Users = request.app.state.users
    return users.find(token)


def request_user(request: Request) -> User | None:
    """Who sent the request: the bearer token (API clients), else the session cookie
    (the dashboard)."""
    users: Users = request.app.state.users
    token = bearer(request.headers.get("authorization"))
    if token is not None:
        user = users.find(token)
    else:
        user = users.session(request.cookies.get(SESSION_COOKIE))
    # for the error handlers (kequn.web.errors), which tell each reader what they may see
    request.state.kequn_user = user
    return user


def current_user(request: Request) -> User:
    """A dependency: the user whose token came with the request, or a JSON 401."""
    user = request_user(request)
    if user is None:
        lang = request_lang(request)
        raise ApiError(401, "unauthorized", t("web.error.unauthorized", lang))
    return user


def need(permission: str, what: str | None = None) -> Callable[..., User]:
    """A dependency: the current user, who must hold ``permission`` (else a JSON 403
    saying what was refused: ``what``, a permission's display word, else the
    permission's own: a journey is changed with the taxonomy's permission, but a
    viewer refused it is not told they may not edit the taxonomy)."""

    def check(request: Request, user: User = Depends(current_user)) -> User:  # noqa: B008
        if not user.can(permission):
            lang = request_lang(request)
            refused = forbidden(lang, user.role, what or permission)
            raise ApiError(403, "forbidden", refused)
        return user

    return check


async def page_user(request: Request) -> User:
    """For dashboard pages: the signed-in user, or a redirect to the login page.

    Async so a page answered on the event loop needs no thread (tokens are cached)."""
    user = request_user(request)
    if user is None:
        query = request.url.query
        raise LoginRequiredError(request.url.path + (f"?{query}" if query else ""))
    return user


#: Any signed-in user who may read (every role).
Reader = Annotated[User, Depends(need("read"))]
#: A signed-in user of the dashboard.
PageUser = Annotated[User, Depends(page_user)]


def run_or_404(request: Request, run_id: str | None) -> RunInfo:
    """The run asked for (when ``run_id`` is None or empty, the current one: the latest
    as-of date, :func:`kequn.snapshots.runs.current_run`), or a JSON
    error saying why (:func:`no_such_run`)."""
    run_id = run_id or None
    run = lookup.ready_run(workspace(request), run_id)
    if run is None:
        if run_id is None:
            raise ApiError(404, "no_run", t("web.error.no_run", request_lang(request)))
        raise no_such_run(request, run_id)
    return run


def no_such_run(request: Request, run_id: str, kind: type[ApiError] = ApiError) -> ApiError:
    """Why no one run answers to ``run_id``, the same on every route: a 404 when no run
    has that id or prefix; a 409 (as for a phone several customers share) listing the
    runs when several have it (``runs`` in the JSON too): they exist, the request did
    not say which one. ``kind``: :class:`~kequn.web.errors.PageError` for a page."""
    ws, lang = workspace(request), request_lang(request)
    said = read.missing_run(ws, run_id, lang)
    matches = read.matching_runs(ws, run_id)
    if len(matches) > 1:
        return kind(409, "ambiguous_run", said, {"runs": matches})
    return kind(404, "unknown_run", said)
