"""The FastAPI application: REST API under ``/api``, dashboard pages at ``/``.

``create_app(settings)`` builds an app bound to one workspace and only wires it together:
the routes are in :mod:`kequn.web.routes` (one module per resource), who may do what in
:mod:`kequn.web.deps`, error responses in :mod:`kequn.web.errors`, background jobs in
:mod:`kequn.web.jobs`; running it in server processes is :mod:`kequn.web.server`.

The server reads the workspace through the same generation/lock protocol as the CLI
(:meth:`Workspace.read` for data, :mod:`kequn.snapshots.lookup` for runs), and imports
and runs go through the same functions, so a run started here and one started from the
CLI at the same time each publish their own snapshot and never see half of the other's.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from importlib import resources

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kequn.store.workspace import Workspace, WorkspaceError
from kequn.taxonomy.model import TaxonomyError
from kequn.web import text  # noqa: F401 - registers the dashboard's messages
from kequn.web.deps import Users
from kequn.web.errors import (
    PageError,
    UnknownCustomerError,
    add_handlers,
    api_error,
    http_error,
    taxonomy_error,
    unknown_customer,
    workspace_error,
)
from kequn.web.guard import CatchAll, Failures, Guard
from kequn.web.jobs import Jobs
from kequn.web.render import invalid_page, page_or_json
from kequn.web.routes import (
    customers,
    identity,
    imports,
    journeys,
    pages,
    privacy,
    runs,
    segments,
    system,
    taxonomy,
    unsubscribe,
)
from kequn.web.settings import ServerSettings

# in this order in the OpenAPI description
_ROUTERS = (system, imports, runs, segments, customers, taxonomy, privacy, pages)
#: routers of their own: the journeys' and identity review's API and pages, the public
#: unsubscribe link
_MORE_ROUTERS = (
    system.docs,
    journeys.router,
    journeys.pages,
    identity.router,
    identity.pages,
    unsubscribe.router,
)


def create_app(
    settings: ServerSettings, on_start: Callable[[FastAPI], None] | None = None
) -> FastAPI:
    """An app serving the workspace of ``settings``.

    ``on_start(app)`` runs once the app starts, before the first request (the server
    process uses it to warm up, see :func:`kequn.web.server.settle`).
    """
    ws = Workspace.open(settings.workspace)
    # runs started from the server (any worker process) feed automation and erasures
    # reach its data, as from the CLI
    from kequn import automation

    automation.install()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # page handlers hold the GIL for most of their time: a few threads per process
        # serve as many requests as forty, without thrashing when hundreds arrive at once
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = 8
        if on_start is not None:
            on_start(app)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="kequn 客群",
        version="0.1.0",
        # no Swagger UI nor ReDoc: both load from a CDN (kequn.web.routes.system.docs)
        docs_url=None,
        redoc_url=None,
        description=(
            "Customer segmentation: segments, customers, runs, imports and the taxonomy of "
            "one workspace. Every route except /api/health needs `Authorization: Bearer "
            "<token>` (create one with `kequn user add NAME --role admin|analyst|viewer`)."
        ),
    )
    app.state.settings = settings
    app.state.ws = ws
    app.state.jobs = Jobs(ws, retention_days=ws.settings.job_retention_days)
    app.state.users = users = Users(ws)
    app.state.failures = failures = Failures(settings.max_failed_logins, settings.lockout_seconds)
    app.add_middleware(
        Guard,
        ws=ws,
        users=users,
        failures=failures,
        max_body=int(ws.settings.max_body_mb * 1e6),
        max_upload=int(ws.settings.max_upload_mb * 1e6),
    )
    app.add_middleware(CatchAll)  # added last: the outermost, around the guard too
    add_handlers(app)
    # a page's bad query answers the dashboard's error page, the API's its JSON
    app.exception_handler(RequestValidationError)(invalid_page)
    # and a workspace or taxonomy.yaml that cannot be read, its error page
    app.exception_handler(TaxonomyError)(page_or_json(taxonomy_error))
    app.exception_handler(WorkspaceError)(page_or_json(workspace_error))
    # a customer id a viewer may not ask for: as for no such customer (kequn.web.personal)
    app.exception_handler(UnknownCustomerError)(page_or_json(unknown_customer))
    # a page's ?run= naming no one run: the API's answer, or the error page saying it
    app.exception_handler(PageError)(page_or_json(api_error))
    # an address no page has (a typo, /worklists/ without its team) opened in a
    # signed-in browser: the error page, not the API's JSON shown raw
    app.exception_handler(StarletteHTTPException)(page_or_json(http_error))
    for module in _ROUTERS:
        app.include_router(module.router)
    for router in _MORE_ROUTERS:
        app.include_router(router)
    static = resources.files("kequn.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
