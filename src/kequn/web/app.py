"""The FastAPI application: REST API under ``/api``, dashboard pages at ``/``.

``create_app(settings)`` builds an app bound to one workspace. Every route but
``/api/health`` (and the login page) needs a token: ``Authorization: Bearer …`` for the
API, or the ``kequn_token`` cookie the login page sets (HttpOnly, SameSite=Strict) for
the dashboard. Roles and permissions are those of :mod:`kequn.store.access`.

The server reads the workspace through the same generation/lock protocol as the CLI
(:meth:`Workspace.read` for data, :mod:`kequn.snapshots.lookup` for runs), and imports
and runs go through the same functions, so a run started here and one started from the
CLI at the same time each publish their own snapshot and never see half of the other's.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from kequn.core.i18n import t
from kequn.errors import user_message
from kequn.store.access import User, authenticate
from kequn.store.workspace import Workspace, WorkspaceError
from kequn.web import text  # noqa: F401 - registers the dashboard's messages

TOKEN_COOKIE = "kequn_token"  # noqa: S105 - the cookie's name, not a secret
LANG_COOKIE = "kequn_lang"


class ServerSettings(BaseModel):
    """Where the server's workspace is and where it listens."""

    workspace: Path
    host: str = "127.0.0.1"
    port: int = 8000


class ApiError(HTTPException):
    """An error the API reports as JSON: ``{"error": {"code", "message"}}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status_code=status, detail=message)
        self.code = code


class LoginRequiredError(Exception):
    """A page was opened without a valid session; the handler redirects to /login."""

    def __init__(self, target: str) -> None:
        self.target = target


@dataclass
class Job:
    """A long operation (import or run) running in a background thread.

    Its state is kept in ``jobs/<id>.json`` in the workspace, so any server process
    (``kequn serve --workers N``) can report on a job another one started.
    """

    id: str
    kind: str
    user: str
    folder: Path
    state: str = "running"  # running | done | failed
    step: str = ""
    done: int = 0
    result: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None
    pid: int = field(default_factory=os.getpid)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "user": self.user,
            "state": self.state,
            "step": self.step,
            "done": self.done,
            "result": self.result,
            "error": self.error,
            "seconds": round((self.finished or time.time()) - self.started, 2),
            "pid": self.pid,
        }

    def update(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        self.save()

    def save(self) -> None:
        from kequn.store.workspace import _atomic_write

        self.folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.folder / f"{self.id}.json", json.dumps(self.to_dict(), default=str))


_JOB_ID = re.compile(r"^[0-9a-f]{12}$")


class Jobs:
    def __init__(self, ws: Workspace) -> None:
        self.folder = ws.root / "jobs"

    def start(
        self, kind: str, user: str, work: Callable[[Job], dict[str, Any]], lang: str | None = None
    ) -> Job:
        """Run ``work`` in a thread; a failure a user can act on is told in ``lang``
        (see :func:`kequn.errors.user_message`), any other by its exception's text."""
        job = Job(uuid.uuid4().hex[:12], kind, user, self.folder)
        job.save()

        def target() -> None:
            try:
                result = work(job)
                job.update(result=result, state="done", finished=time.time())
            except Exception as exc:  # reported to the user through the job
                traceback.print_exc()
                told = user_message(exc, lang) or str(exc) or type(exc).__name__
                job.update(error=told, state="failed", finished=time.time())

        threading.Thread(target=target, name=f"kequn-{kind}-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> dict[str, Any] | None:
        if not _JOB_ID.match(job_id):
            return None
        path = self.folder / f"{job_id}.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        if data["state"] == "running" and not _alive(int(data.get("pid", 0))):
            data.update(state="failed", error="the server process running it stopped")
        return data

    def wait(self, job: Job, timeout: float = 3600.0) -> Job:
        deadline = time.time() + timeout
        while job.state == "running" and time.time() < deadline:
            time.sleep(0.05)
        return job


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid > 0


class Users:
    """Token lookup with the users file cached until it changes."""

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


def request_lang(request: Request) -> str:
    """``?lang=``, else the cookie, else the browser's preference, else English."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in ("zh", "en"):
        return chosen
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") else "en"


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(TOKEN_COOKIE)


def current_user(request: Request) -> User:
    user = request.app.state.users.find(_token(request))
    if user is None:
        lang = request_lang(request)
        raise ApiError(401, "unauthorized", t("web.error.unauthorized", lang))
    return user


def need(permission: str) -> Callable[..., User]:
    """A dependency: the current user, who must hold ``permission``."""

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
    user = request.app.state.users.find(_token(request))
    if user is None:
        raise LoginRequiredError(str(request.url.path))
    return user


def create_app(settings: ServerSettings) -> FastAPI:
    from kequn.web import api, pages

    ws = Workspace.open(settings.workspace)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # page handlers hold the GIL for most of their time: a few threads per process
        # serve as many requests as forty, without thrashing when hundreds arrive at once
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = 8
        if getattr(_app.state, "settle", False):
            _settle(_app)  # here, once the server's own modules are loaded too
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="kequn 客群",
        version="0.1.0",
        description=(
            "Customer segmentation: segments, customers, runs, imports and the taxonomy of "
            "one workspace. Every route except /api/health needs `Authorization: Bearer "
            "<token>` (create one with `kequn user add NAME --role admin|analyst|viewer`)."
        ),
    )
    app.state.settings = settings
    app.state.ws = ws
    app.state.jobs = Jobs(ws)
    app.state.users = Users(ws)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            {"error": {"code": exc.code, "message": exc.detail}}, status_code=exc.status_code
        )

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(
            {"error": {"code": "http_" + str(exc.status_code), "message": str(exc.detail)}},
            status_code=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return JSONResponse(
            {"error": {"code": "invalid_request", "message": problems}}, status_code=422
        )

    @app.exception_handler(WorkspaceError)
    async def workspace_error(_request: Request, exc: WorkspaceError) -> JSONResponse:
        return JSONResponse({"error": {"code": "workspace", "message": str(exc)}}, status_code=409)

    @app.exception_handler(LoginRequiredError)
    async def login(_request: Request, exc: LoginRequiredError) -> RedirectResponse:
        return RedirectResponse(f"/login?next={exc.target}", status_code=303)

    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("kequn.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def serve(settings: ServerSettings, workers: int = 1) -> None:
    """Run the server (what ``kequn serve`` does), in ``workers`` processes.

    Each worker is a whole server on its own socket bound with ``SO_REUSEPORT``, and the
    kernel spreads connections between them. Workers share nothing but the workspace
    (data, runs, users, audit and job files), which is built for concurrent processes;
    several let page rendering use more than one core. (uvicorn's own ``workers`` mode
    left TCP_NODELAY off and added ~40 ms to every response on this machine.)
    """
    import multiprocessing
    import signal

    if workers <= 1:
        _serve_one(settings)
        return
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_serve_one, args=(settings,)) for _ in range(workers)]
    for child in children:
        child.start()

    def stop(*_args: object) -> None:
        for child in children:
            child.terminate()
        for child in children:
            child.join(timeout=10)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        stop()


def _serve_one(settings: ServerSettings) -> None:
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # accepted connections inherit this: without it, small responses wait for the
    # client's delayed ACK (Nagle), ~40 ms each
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((settings.host, settings.port))
    sock.listen(2048)
    app = create_app(settings)
    app.state.settle = True
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,  # URLs carry customer ids: personal data stays out of logs
        backlog=2048,
        timeout_graceful_shutdown=5,
        timeout_keep_alive=30,  # clients under load reuse connections; do not race them
    )
    uvicorn.Server(config).run(sockets=[sock])


def _settle(app: FastAPI) -> None:
    """Load what every page needs, then move it out of the garbage collector's way.

    A full collection walked the ~120k objects of the loaded modules (ibis, sqlglot,
    pydantic, jinja...) every second or so under load: 60-150 ms pauses, each stalling
    every request in flight on that worker (the p99 at 20 clients). ``gc.freeze()``
    after start-up leaves them out of later collections (a full one: 60 ms -> 0.2 ms).
    Only in the server process (``kequn serve``), not in an app made by a test.
    """
    import gc

    from kequn.web.pages import warm

    warm(app)
    gc.collect()
    gc.freeze()
