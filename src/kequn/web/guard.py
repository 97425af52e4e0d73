"""What every request passes before any route sees it: a pure ASGI middleware.

Order matters, so it is done here rather than in the routes, whose bodies FastAPI reads
before it resolves their dependencies:

1. A client (an address) that failed to sign in too often gets 429 for every wrong token
   and session, without a 401's answer, until the lock-out ends (the sign-in form's
   tries are counted and refused by ``/login`` itself). A valid token or session still
   passes: they are random, so the lock-out only has to stop the guessing, and it must
   not lock out a whole team behind one proxy address with one script's bad token.
2. A state-changing request made with the session cookie must come from this server's own
   pages: its ``Origin`` (or ``Referer``) names this host, else 403 (CSRF). Requests that
   carry a bearer token are not made by a browser on another site's behalf.
3. Every ``/api`` route but ``/api/health`` needs a valid token or session: checked from
   the headers alone, so an outsider's body is never read (401).
4. Bodies are limited (``max_body_mb`` for JSON and forms, ``max_upload_mb`` for
   ``/api/imports``, in ``kequn.toml`` under ``[serve]``): a larger ``Content-Length`` is
   refused before reading, and a streamed body is counted as it arrives (413).
5. A JSON body holding half of a UTF-16 surrogate pair (``\\ud800``, or its raw bytes)
   is refused (400): Python's JSON reader lets it through, as a character no UTF-8 text
   can hold, and it failed wherever the text was written or answered.

Every response gets the browser-safety headers: a Content-Security-Policy without inline
script, no framing, no MIME sniffing, no referrer to other sites; and every one but the
static files ``Cache-Control: no-store``, since pages, API answers and exports may hold
personal data that a browser's or a proxy's cache must not keep after the user leaves.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import traceback
from collections import deque
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kequn.core import display
from kequn.core.i18n import on_web, speaking, t
from kequn.snapshots import columns
from kequn.store.access import audit
from kequn.store.workspace import Workspace, WorkspaceError
from kequn.web.deps import SESSION_COOKIE, Users, bearer, request_lang
from kequn.web.errors import ApiError

log = logging.getLogger(__name__)

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_OPEN_API = frozenset({"/api/health"})
#: public pages whose POST may come from anywhere: an e-mail's unsubscribe link, posted by
#: a mail client's one-click button (RFC 8058); its signed token is the only credential
_PUBLIC_POST = ("/unsubscribe/",)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: headers a route may have set that :func:`_security_headers` sets instead
_REPLACED_HEADERS = frozenset({b"content-security-policy", b"cache-control"})


def _security_headers(path: str) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", CSP.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
    ]
    if not path.startswith("/static/"):  # the same for everyone, and nothing personal
        headers.append((b"cache-control", b"no-store"))
    return headers


class Failures:
    """Failed sign-ins per client: ``limit`` within ``window`` seconds locks it out until
    the oldest of them is ``window`` old. Bounded: at most ``clients`` are remembered."""

    def __init__(self, limit: int = 30, window: float = 300.0, clients: int = 10_000) -> None:
        self.limit, self.window, self.clients = limit, window, clients
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        seen = self._seen.get(client)
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if seen is not None and not seen:
            del self._seen[client]
            return None
        return seen

    def locked(self, client: str) -> float:
        """Seconds until ``client`` may try again (0 when it may now)."""
        now = time.monotonic()
        with self._lock:
            seen = self._recent(client, now)
            if seen is None or len(seen) < self.limit:
                return 0.0
            return max(1.0, seen[0] + self.window - now)

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            if client not in self._seen and len(self._seen) >= self.clients:
                for old in list(self._seen)[: self.clients // 10 or 1]:
                    del self._seen[old]
            self._seen.setdefault(client, deque(maxlen=self.limit)).append(now)


def client_of(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class Guard:
    """The middleware (see the module's description); one per app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        ws: Workspace,
        users: Users,
        failures: Failures,
        max_body: int,
        max_upload: int,
    ) -> None:
        self.app, self.ws, self.users, self.failures = app, ws, users, failures
        self.max_body, self.max_upload = max_body, max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", []) if h[0] not in _REPLACED_HEADERS]
                message = {**message, "headers": headers + _security_headers(path)}
            await send(message)

        request = Request(scope)
        refused = self._refuse(request)
        if refused is not None:
            await refused(scope, receive, send_with_headers)
            return
        limit = self.max_upload if path.startswith("/api/imports/") else self.max_body
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._too_large(request, limit)(scope, receive, send_with_headers)
            return
        received = 0
        json_body: list[bytes] | None = [] if _is_json(request) else None

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    raise _BodyError(self._too_large_error(request, limit))
                if json_body is not None:
                    json_body.append(chunk)
                    if not message.get("more_body") and _half_pair(b"".join(json_body)):
                        lang = request_lang(request)
                        raise _BodyError(
                            ApiError(400, "invalid_text", t("web.error.half_pair", lang))
                        )
            return message

        try:
            # whatever the routes' code words without naming a language (a workspace's
            # refusal, a file's problems) is in the reader's, not the server process's
            with speaking(request_lang(request)):
                await self.app(scope, counted, send_with_headers)
        except _BodyError as exc:  # raised outside a route's error handling
            if started:
                raise
            response = _error(exc.status_code, exc.code, str(exc.detail), {"Connection": "close"})
            await response(scope, receive, send_with_headers)

    def _refuse(self, request: Request) -> JSONResponse | None:
        """The answer to a request refused from its headers alone, or None to go on."""
        path, method = request.url.path, request.method
        lang = request_lang(request)
        api = path.startswith("/api/") and path not in _OPEN_API
        client = client_of(request.scope)
        token = bearer(request.headers.get("authorization"))
        checked = method not in _SAFE_METHODS and not path.startswith(_PUBLIC_POST)
        if checked and token is None and not _same_origin(request):
            return _error(403, "cross_site", t("web.error.cross_site", lang))
        if not api:
            return None
        try:
            with speaking(lang):
                user = (
                    self.users.find(token)
                    if token is not None
                    else self.users.session(request.cookies.get(SESSION_COOKIE))
                )
        except WorkspaceError as exc:  # users.json cannot be read: no one can be checked
            return _error(503, "workspace", str(exc))
        if user is not None:
            return None
        refused = locked_out(self.failures, client, lang)  # locked before this try
        if token is not None:
            self.failures.failed(client)
            # the route's first two parts (/api/customers), not the rest: an id in the
            # path (a customer's) has no place in the audit of a stranger's try
            area = "/".join(path.split("/")[:3])
            audit(self.ws, "-", "login.failed", {"via": "token", "path": area})
        return refused or _error(401, "unauthorized", t("web.error.unauthorized", lang))

    def _too_large_error(self, request: Request, limit: int) -> ApiError:
        # whole, the thousands grouped: %g wrote a limit of a million MB as 1e+06
        mb = display.trimmed(limit / 1e6, 3)
        return ApiError(413, "too_large", t("web.error.too_large", request_lang(request), mb=mb))

    def _too_large(self, request: Request, limit: int) -> JSONResponse:
        error = self._too_large_error(request, limit)
        # the body was not read: close the connection rather than read it to keep it alive
        return _error(413, error.code, str(error.detail), {"Connection": "close"})


class _BodyError(ApiError):
    """A body refused while read (grown past its limit, text no JSON may carry): an
    HTTPException, so FastAPI passes it on to the API's error handler instead of calling
    it a malformed body."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.status_code, error.code, str(error.detail))


#: a JSON string's escapes, one by one (so ``\\`` is one, and the ``u`` after it a
#: letter): a whole surrogate pair, half of one (group 1), or any other
_ESCAPES = re.compile(
    rb"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    rb"|(u[dD][89a-fA-F][0-9a-fA-F]{2})|.)",
    re.DOTALL,
)
#: half a pair written as UTF-8 bytes (no valid UTF-8 has them; Python reads them)
_RAW_HALF = re.compile(rb"\xed[\xa0-\xbf]")


def _is_json(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def _half_pair(body: bytes) -> bool:
    """Whether a JSON body holds half of a UTF-16 surrogate pair."""
    if _RAW_HALF.search(body):
        return True
    return b"\\u" in body and any(m.group(1) for m in _ESCAPES.finditer(body))


def locked_out(failures: Failures, client: str, lang: str) -> JSONResponse | None:
    """The 429 of a client locked out (:class:`Failures`), or None."""
    wait = int(failures.locked(client))
    if not wait:
        return None
    return _error(
        429,
        "too_many_attempts",
        t("web.error.locked", lang, seconds=wait),
        {"Retry-After": str(wait)},
    )


def _same_origin(request: Request) -> bool:
    """Whether a state-changing request comes from this server's own pages.

    ``Origin``, else ``Referer``, must name the host the request was sent to. A request
    with neither is allowed only without the session cookie (a script or ``curl`` posting
    a token to ``/login``), since then it acts for no signed-in browser."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return SESSION_COOKIE not in request.cookies and not source
    host = request.headers.get("host", "")
    try:
        netloc = urlsplit(source).netloc
    except ValueError:  # no URL ("http://[::1", an unclosed address): names no host of ours
        return False
    return bool(host) and netloc.lower() == host.lower()


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


class CatchAll:
    """The outermost middleware: an error no route or handler answered becomes a JSON 500
    in the request's language, never a plain-text page or a traceback. The log gets the
    route, the error's type and where it was raised, not its text, which may quote a
    customer's data (a value DuckDB could not convert)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        # counted while answered, so that a lookup build waits for a quiet moment; out
        # again before the answer's last part is sent (its client then finds it counted
        # out), or when the app is done without it
        columns.request_started()
        counted = True

        def count_out() -> None:
            nonlocal counted
            if counted:
                counted = False
                columns.request_ended()

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            if message["type"] == "http.response.body" and not message.get("more_body"):
                count_out()
            await send(message)

        try:
            # the messages of the request and what it calls: the dashboard's and the
            # API's words (no command line options)
            with on_web():
                await self.app(scope, receive, sending)
        except Exception as exc:
            if started:
                raise
            where = traceback.extract_tb(exc.__traceback__)[-1:]
            route = getattr(scope.get("route"), "path", "-")
            log.error(
                "unanswered error on %s %s: %s at %s",
                scope.get("method"),
                route,
                type(exc).__name__,
                f"{where[0].filename}:{where[0].lineno}" if where else "?",
            )
            lang = request_lang(Request(scope))
            message = t("web.error.internal", lang)
            safety = {k.decode(): v.decode() for k, v in _security_headers(scope["path"])}
            count_out()
            await _error(500, "internal", message, safety)(scope, receive, send)
        finally:
            count_out()
