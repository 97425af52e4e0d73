"""Running the app in server processes: what ``kequn serve`` does.

Kept apart from :mod:`kequn.web.app` so building an app (tests, embedding) never loads
uvicorn or touches sockets, and so the app does not import back what serves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

from kequn.web.app import create_app
from kequn.web.render import warm
from kequn.web.settings import ServerSettings

if TYPE_CHECKING:
    from kequn.automation.schedule import Scheduler


def serve(settings: ServerSettings, workers: int = 1, *, schedule: bool = True) -> None:
    """Run the server (what ``kequn serve`` does), in ``workers`` processes.

    Each worker is a whole server on its own socket bound with ``SO_REUSEPORT``, and the
    kernel spreads connections between them. Workers share nothing but the workspace
    (data, runs, users, audit and job files), which is built for concurrent processes;
    several let page rendering use more than one core. (uvicorn's own ``workers`` mode
    left TCP_NODELAY off and added ~40 ms to every response on this machine.)

    With ``schedule``, this process also carries out the workspace's ``[schedule]`` and
    sends due messages (:func:`start_schedule`) until the server stops.
    """
    import signal
    import threading

    ensure_free(settings.host, settings.port)
    scheduler = start_schedule(settings) if schedule else None
    if scheduler is not None and threading.current_thread() is threading.main_thread():
        # uvicorn shuts down gracefully on SIGTERM, puts back the handler it found and
        # raises the signal again: this handler turns that into SystemExit, so the
        # schedule is stopped below instead of the process dying mid-step
        signal.signal(signal.SIGTERM, _exit)
    try:
        _serve(settings, workers)
    finally:
        if scheduler is not None:
            scheduler.stop()


def ensure_free(host: str, port: int) -> None:
    """Refuse, in words, an address the server could not listen on, before anything
    starts: a port in use, one the user may not open, a host that is not this machine's.

    The workers bind with ``SO_REUSEPORT``, which the kernel also grants a second
    ``kequn serve`` on the same port (as the same user): two servers of two workspaces
    would then share one port, each request going to either. A bind without it, tried
    first, fails while any other socket listens there."""
    import errno
    import socket

    from kequn.core.i18n import t
    from kequn.store.workspace import WorkspaceError

    probe = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no use
        probe.bind((host, port))
    except socket.gaierror:
        raise WorkspaceError(t("serve.bad_host", host=host)) from None
    except OSError as exc:
        key = {
            errno.EADDRINUSE: "serve.port_in_use",
            errno.EACCES: "serve.port_denied",
            errno.EADDRNOTAVAIL: "serve.bad_host",
        }.get(exc.errno or 0)
        if key is None:
            raise
        raise WorkspaceError(t(key, host=host, port=port)) from None
    finally:
        probe.close()


def _family(host: str) -> int:
    """The socket family for ``host``: IPv6 for an address with a colon (::1, ::), else
    IPv4 (as uvicorn chooses)."""
    import socket

    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _exit(*_args: object) -> None:
    raise SystemExit(0)


def start_schedule(settings: ServerSettings) -> Scheduler:
    """Start the schedule's loop and the delivery loop in background threads of this
    process (one process, whatever the number of workers; a second server on the same
    workspace is kept from running a job twice by the job's lock). A mistake in
    ``[schedule]`` stops the start with its message."""
    from kequn import automation
    from kequn.automation.schedule import Scheduler
    from kequn.store.workspace import Workspace

    automation.install()  # runs started by a job feed journeys, as from the CLI
    return Scheduler(Workspace.open(settings.workspace)).start()


def _serve(settings: ServerSettings, workers: int) -> None:
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
            # uvicorn's graceful 5 s, then up to 20 s to interrupt a background lookup build
            child.join(timeout=30)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        stop()


def _json_400_protocol() -> type:
    """uvicorn's HTTP protocol answering a request it cannot parse (a request line or
    header over its parser's limit, ~64 KB; bytes that are no HTTP) with the app's JSON
    error instead of its plain-text "Invalid HTTP request received.". Nothing of the
    request can be read, its language neither: the message is in both."""
    import json

    from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

    from kequn.core.i18n import t

    body = json.dumps(
        {
            "error": {
                "code": "bad_request",
                "message": f"{t('web.error.unreadable', 'zh')} {t('web.error.unreadable', 'en')}",
            }
        },
        ensure_ascii=False,
    ).encode("utf-8")

    class JsonErrors(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            content = [STATUS_LINE[400]]
            for name, value in self.server_state.default_headers:
                content.extend([name, b": ", value, b"\r\n"])
            content += [
                b"content-type: application/json\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"connection: close\r\n\r\n",
                body,
            ]
            self.transport.write(b"".join(content))
            self.transport.close()

    return JsonErrors


def uvicorn_config(app: FastAPI, **extra: Any) -> Any:
    """How kequn has uvicorn serve ``app`` (``extra``: host and port, for a server on
    its own socket)."""
    import uvicorn

    return uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,  # URLs carry customer ids: personal data stays out of logs
        backlog=2048,
        timeout_graceful_shutdown=5,
        timeout_keep_alive=30,  # clients under load reuse connections; do not race them
        http=_json_400_protocol(),
        **extra,
    )


def _serve_one(settings: ServerSettings) -> None:
    import socket

    import uvicorn

    sock = socket.socket(_family(settings.host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    # accepted connections inherit this: without it, small responses wait for the
    # client's delayed ACK (Nagle), ~40 ms each
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((settings.host, settings.port))
    sock.listen(2048)
    app = create_app(settings, on_start=settle)
    try:
        uvicorn.Server(uvicorn_config(app)).run(sockets=[sock])
    finally:
        from kequn.snapshots import lookup

        # a lookup build in a background thread is interrupted (and cleans up) rather
        # than left inside DuckDB while the interpreter exits, which aborts the process
        lookup.stop_building()


def settle(app: FastAPI) -> None:
    """Load what every page needs, then move it out of the garbage collector's way.

    A full collection walked the ~120k objects of the loaded modules (ibis, sqlglot,
    pydantic, jinja...) every second or so under load: 60-150 ms pauses, each stalling
    every request in flight on that worker (the p99 at 20 clients). ``gc.freeze()``
    after start-up leaves them out of later collections (a full one: 60 ms -> 0.2 ms).
    Only in the server process (``kequn serve``), not in an app made by a test; run at
    start-up, once the server's own modules are loaded too.
    """
    import gc

    from kequn.engines import duckdb as duckdb_engine
    from kequn.snapshots import lookup

    # a run's pages that scan many rows get faster once its columnar copy is built,
    # in the background, after the run is shown (see lookup.build_columns)
    lookup.build_in_background = True
    # runs here share DuckDB instances with the pages (see the flag)
    duckdb_engine.release_between_stages = False
    warm(app)
    gc.collect()
    gc.freeze()
