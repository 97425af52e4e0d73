"""Dashboard pages, rendered on the server (:mod:`kequn.web.render`); not in the OpenAPI
description."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kequn import pipeline
from kequn.core.i18n import local, t
from kequn.core.schema import ORDER_STATUSES
from kequn.snapshots import lookup, read, reports
from kequn.snapshots.runs import RunInfo, compared_with, list_runs
from kequn.store.access import User, audit, create_session, end_session, unfinished_erasures
from kequn.store.workspace import Workspace
from kequn.web.deps import (
    SESSION_COOKIE,
    TEAM_NAMES,
    PageUser,
    find_user,
    request_lang,
    workspace,
)
from kequn.web.guard import client_of
from kequn.web.lang import language_of
from kequn.web.personal import (
    asked_customer,
    hidden_literals,
    member_search,
    personal_view,
    sees_personal,
    shown_ids,
)
from kequn.web.render import error_page, render
from kequn.web.rule_privacy import masked_rule
from kequn.web.run_shown import Shown, current_href, shown_run

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50  # members per segment page
MAX_PAGE = 1_000_000  # beyond any segment; larger numbers are refused, not sent to DuckDB

#: the run a page shows (kequn.web.run_shown): an id or a unique prefix, as the API's
#: ``run``; empty or absent, the current run
RunAsked = Annotated[str | None, Query(description="a run's id or unique prefix")]


def _latest(request: Request) -> RunInfo | None:
    return lookup.ready_run(workspace(request))


@router.get("/login")
def login_page(request: Request, next: str = "/", error: bool = False) -> HTMLResponse:
    return render(request, "login.html", None, target=_safe_next(next), error=error)


@router.post("/login")
def login(
    request: Request, token: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    """Trade the API token for a session: the cookie holds a random session id (kept
    hashed in the workspace, expiring, revoked on sign-out), never the token itself."""
    ws = workspace(request)
    user = find_user(request, token.strip())
    if user is None:
        failures, client = request.app.state.failures, client_of(request.scope)
        wait = int(failures.locked(client))  # locked before this try
        failures.failed(client)
        audit(ws, "-", "login.failed", {"via": "form"})
        if wait:  # the form again, saying why (a valid token still signs in: see guard)
            page = render(request, "login.html", None, target=_safe_next(next), locked=wait)
            page.status_code = 429
            page.headers["Retry-After"] = str(wait)
            return page
        return RedirectResponse(f"/login?error=1&next={quote(_safe_next(next))}", status_code=303)
    hours = ws.settings.session_hours
    session = create_session(ws, user, hours * 3600)
    response = RedirectResponse(_safe_next(next), status_code=303)
    # served over HTTPS (directly, or behind a proxy whose forwarded scheme uvicorn
    # trusts), the session is never sent back over plain HTTP
    response.set_cookie(
        SESSION_COOKIE,
        session,
        httponly=True,
        samesite="strict",
        max_age=int(hours * 3600),
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/logout")
def logout(request: Request) -> Response:
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        end_session(workspace(request), session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _safe_next(target: str) -> str:
    """Only local paths: a login link cannot send the user to another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/")
def overview(request: Request, user: PageUser, run: RunAsked = None) -> HTMLResponse:
    ws = workspace(request)
    # an erasure cut short (kequn.store.access.erasure_started) is told to those who
    # erase, as every command tells it: the person may still be in runs and files
    erasures = unfinished_erasures(ws) if user.can("users") else []
    shown = shown_run(request, run)
    if shown is None:
        return render(request, "overview.html", user, run=None, erasures=erasures)
    lang = request_lang(request)
    data = read.segments(shown.run, lang=lang)
    runs = list_runs(ws)
    earlier = compared_with(shown.run, runs)
    flow = _flow(ws, shown.run, earlier, lang)
    taxonomy = shown.run.taxonomy()
    names = {d.id: {lab.id: local(lab, lang) for lab in d.labels} for d in taxonomy.dimensions}
    charts = {
        "dimensions": data["dimensions"],
        "rfm": read.rfm_grid(shown.run),
        "flow": flow,
        "flow_names": _flow_names(runs, flow, lang),
        "names": names,
        "text": {
            "r": t("web.rfm.r", lang),
            "f": t("web.rfm.f", lang),
            "customers": t("web.customers", lang),
        },
    }
    clusters = reports.discovered_clusters(shown.run, lang=lang)
    models = [
        *reports.run_notes(shown.run, lang),
        *reports.model_summary(shown.run.models or {}, lang),
    ]
    return render(
        request,
        "overview.html",
        user,
        **_run_context(request, shown),
        dimensions=data["dimensions"],
        charts=charts,
        clusters=clusters,
        models=models,
        erasures=erasures,
        # the run shown is the first in time though others were made (an older run, or
        # the current one before a backfill): no earlier run, rather than "two runs"
        first_of_several=earlier is None and len(runs) > 1,
    )


def _run_context(request: Request, shown: Shown) -> dict[str, Any]:
    """What every page of one run's data says and links with: the run, whether it is the
    current one (and the link to it), and its links keeping a run named."""
    return {
        "run": shown.run,
        "shown": shown,
        "link": shown.link,
        "current_href": current_href(request),
    }


def _flow(ws: Workspace, run: RunInfo, before: RunInfo | None, lang: str) -> dict[str, Any] | None:
    """The lifecycle movements into ``run`` from ``before``, the run it is compared with
    (:func:`~kequn.snapshots.runs.compared_with`: for the current run, the pair ``kequn
    history`` compares by default); None for the first."""
    if before is None:
        return None
    try:
        return reports.history(ws, "lifecycle", before=before.run_id, after=run.run_id, lang=lang)
    except ValueError:  # no lifecycle dimension in both runs
        return None


def _flow_names(runs: list[RunInfo], flow: dict[str, Any] | None, lang: str) -> Any:
    """The lifecycle labels' names on each side of the movement chart, each from its own
    run's taxonomy: a label the newer taxonomy renamed or removed is still named."""
    if flow is None:
        return None
    by_id = {info.run_id: info for info in runs}
    names: dict[str, dict[str, str]] = {}
    for side in ("before", "after"):
        info = by_id.get(flow[side]["run_id"])
        dims = info.taxonomy().dimensions if info is not None else []
        names[side] = {
            label.id: local(label, lang)
            for dim in dims
            if dim.id == "lifecycle"
            for label in [*dim.labels, *([dim.fallback] if dim.fallback else [])]
        }
    return names


# The two pages people open most, customer and segment, are answered on the event loop
# when their data comes from a ready run's SQLite lookups (about 1 ms of work; the rest is
# rendering). Handing such short work to the thread pool cost more than the work itself:
# every lookup and file check releases the GIL, and taking it back from 20 busy threads
# waited up to the interpreter's 5 ms switch interval each time (2026-11-30: 121 req/s
# for one worker at 20 clients). Anything that may take longer (building a run's lookup
# files, a search, a sort or page that needs DuckDB) still runs in the thread pool.


def _to_overview(request: Request) -> RedirectResponse:
    """Sent to the overview (no run yet, it says what to do), in the language the link
    asked for: ``?lang=en`` is kept, so the page answers in it and the choice sticks."""
    lang = language_of(request.query_params.get("lang"))
    return RedirectResponse(f"/?lang={lang}" if lang else "/", status_code=303)


@router.get("/segments/{dimension}/{label}")
async def segment_page(
    request: Request,
    dimension: str,
    label: str,
    user: PageUser,
    page: Annotated[int, Query(ge=0, le=MAX_PAGE)] = 0,
    q: Annotated[str, Query(max_length=100)] = "",
    run: RunAsked = None,
) -> Response:
    shown = shown_run(request, run)
    if shown is None:
        return _to_overview(request)
    size = PAGE_SIZE
    # on the loop only from built lookup files: a run without them (an older one, or
    # the current one until its files are built) is read from its Parquet, in a thread
    if (
        not q
        and lookup.is_ready(shown.run)
        and read.stored_page(shown.run, dimension, label, page * size, size)
    ):
        return _segment(request, shown, dimension, label, user, page, q)
    return await run_in_threadpool(_segment, request, shown, dimension, label, user, page, q)


def _segment(
    request: Request,
    shown: Shown,
    dimension: str,
    label: str,
    user: User,
    page: int,
    q: str,
) -> HTMLResponse:
    run = shown.run
    lang = request_lang(request)
    taxonomy = run.taxonomy()
    dim = taxonomy.dimension(dimension)
    found = dim.label(label) if dim else None
    if dim is None or found is None:
        message = t("web.error.unknown_segment", lang, segment=f"{dimension}={label}")
        return error_page(request, user, message, 404)
    size = PAGE_SIZE
    search, only_id = member_search(request, user, q)  # a viewer's: a token, opened
    members = read.members(
        run,
        dimension,
        label,
        offset=max(0, page) * size,
        limit=size,
        search=search,
        search_names=sees_personal(user),
        only_id=only_id,
    )
    members = personal_view(
        request, user, members, "segment.read", {"segment": f"{dimension}={label}"}
    )
    return render(
        request,
        "segment.html",
        user,
        **_run_context(request, shown),
        dim=dim,
        label=found,
        members=members,
        page=max(0, page),
        size=size,
        q=q,
    )


@router.get("/customers/{customer_id:path}")  # an id may hold a slash
async def customer_page(
    request: Request,
    customer_id: Annotated[str, Depends(asked_customer())],  # a viewer's token, opened
    user: PageUser,
    run: RunAsked = None,
) -> Response:
    shown = shown_run(request, run)
    if shown is None:
        return _to_overview(request)
    if lookup.is_ready(shown.run):  # (else read from the run's Parquet, in a thread)
        return _customer(request, shown, customer_id, user)
    return await run_in_threadpool(_customer, request, shown, customer_id, user)


def _customer(request: Request, shown: Shown, customer_id: str, user: User) -> HTMLResponse:
    lang = request_lang(request)
    data = read.profile(shown.run, customer_id, lang)
    if data is None:  # named as sent: a viewer's token stays one
        message = t("web.error.no_customer", lang, id=request.path_params["customer_id"])
        return error_page(request, user, message, 404)
    data = personal_view(request, user, data, "customer.read", {"customer_id": customer_id})
    timeline = [
        {"date": o["ordered_at"], "amount": o["amount"], "status": o["status"]}
        for o in reversed(data["orders"])
    ]
    context = _run_context(request, shown)
    return render(request, "customer.html", user, **context, c=data, timeline=timeline)


@router.get("/upload")
def upload_page(request: Request, user: PageUser) -> HTMLResponse:
    # what an unknown status word can be said to mean (the quarantine's retry)
    return render(request, "upload.html", user, statuses=ORDER_STATUSES)


@router.get("/taxonomy")
def taxonomy_page(
    request: Request, user: PageUser, dimension: Annotated[str, Query(max_length=64)] = ""
) -> HTMLResponse:
    current = pipeline.workspace_taxonomy(workspace(request))
    # none asked (or sent empty): the lifecycle, else the first; one the taxonomy lacks
    # is said, not replaced by another under its address
    first = current.dimension("lifecycle") or current.dimensions[0]
    dim = current.dimension(dimension) if dimension else first
    if dim is None:
        known = ", ".join(d.id for d in current.dimensions)
        said = t(
            "segments.unknown_dimension", request_lang(request), dimension=dimension, known=known
        )
        return error_page(request, user, said, 404)
    hidden = hidden_literals(request, user, [lab.when for lab in dim.labels])
    return render(
        request,
        "taxonomy.html",
        user,
        taxonomy=current,
        dim=dim,
        rules={lab.id: masked_rule(lab.when, hidden) for lab in dim.labels},
        has_run=_latest(request) is not None,
    )


@router.get("/worklists/{team}")
def worklist_page(request: Request, team: str, user: PageUser, run: RunAsked = None) -> Response:
    lang = request_lang(request)
    if team not in TEAM_NAMES:  # a 404 saying which teams there are, as the API's
        return error_page(request, user, t("web.error.unknown_team", lang), 404)
    shown = shown_run(request, run)
    if shown is None:
        return _to_overview(request)
    found = reports.worklist(shown.run, team, lang=lang, limit=100)
    items = shown_ids(request, user, found)
    said = {"team": team, "run": shown.run.run_id}
    audit(workspace(request), user.name, "worklist.read", said)
    context = _run_context(request, shown)
    return render(request, "worklist.html", user, **context, team=team, items=items)
