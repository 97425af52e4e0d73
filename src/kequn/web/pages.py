"""Dashboard pages, rendered on the server; charts are drawn by the vendored ECharts."""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kequn import pipeline
from kequn.core.i18n import t
from kequn.snapshots import lookup, read, reports
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.access import User, audit
from kequn.store.workspace import Workspace
from kequn.web.app import LANG_COOKIE, TOKEN_COOKIE, page_user, request_lang

router = APIRouter(include_in_schema=False)

_templates = Environment(
    loader=FileSystemLoader(str(resources.files("kequn.web").joinpath("templates"))),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,  # packaged templates do not change under a running server
)
# chart data goes into <script type="application/json"> with the `tojson` filter, which
# escapes < > & ' so a label or a channel named "</script>..." cannot end the element
_templates.policies["json.dumps_kwargs"] = {"ensure_ascii": False}

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


def money(value: Any, lang: str, currency: str = "CNY") -> str:
    """¥12,345 in English; ¥1.2万 / ¥3.4亿 in Chinese for large amounts."""
    if value is None:
        return "–"
    amount = float(value)
    symbol = SYMBOLS.get(currency, currency + " ")
    if lang == "zh" and abs(amount) >= 1e8:
        return f"{symbol}{amount / 1e8:.2f}亿"
    if lang == "zh" and abs(amount) >= 1e4:
        return f"{symbol}{amount / 1e4:.1f}万"
    return f"{symbol}{amount:,.0f}"


def number(value: Any, lang: str) -> str:
    if value is None:
        return "–"
    amount = float(value)
    if lang == "zh" and abs(amount) >= 1e4:
        return f"{amount / 1e4:.1f}万"
    return f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"


def _render(request: Request, name: str, user: User | None, **context: Any) -> HTMLResponse:
    lang = request_lang(request)
    ws: Workspace = request.app.state.ws
    currency = ws.settings.currency

    def tr(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    template = _templates.get_template(name)
    html = template.render(
        lang=lang,
        other_lang="en" if lang == "zh" else "zh",
        t=tr,
        user=user,
        money=lambda v: money(v, lang, currency),
        number=lambda v: number(v, lang),
        pct=lambda v: "–" if v is None else f"{float(v):.1%}",
        path=request.url.path,
        can=(lambda p: user is not None and user.can(p)),
        **context,
    )
    response = HTMLResponse(html)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 86400)
    return response


def warm(app: FastAPI) -> None:
    """Compile the templates and load the shown run's taxonomy before the first request."""
    for name in _templates.list_templates(filter_func=lambda n: n.endswith(".html")):
        _templates.get_template(name)
    run = lookup.ready_run(app.state.ws, wait=False)
    if run is not None:
        run.taxonomy()


def _latest(request: Request) -> RunInfo | None:
    return lookup.ready_run(request.app.state.ws)


PageUser = Annotated[User, Depends(page_user)]


@router.get("/login")
def login_page(request: Request, next: str = "/", error: bool = False) -> HTMLResponse:
    return _render(request, "login.html", None, target=_safe_next(next), error=error)


@router.post("/login")
def login(
    request: Request, token: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    user = request.app.state.users.find(token.strip())
    if user is None:
        return RedirectResponse(f"/login?error=1&next={_safe_next(next)}", status_code=303)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        TOKEN_COOKIE, token.strip(), httponly=True, samesite="strict", max_age=30 * 86400
    )
    return response


@router.get("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response


def _safe_next(target: str) -> str:
    """Only local paths: a login link cannot send the user to another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/")
def overview(request: Request, user: PageUser) -> HTMLResponse:
    ws: Workspace = request.app.state.ws
    run = _latest(request)
    if run is None:
        return _render(request, "overview.html", user, run=None)
    lang = request_lang(request)
    data = read.segments(run, lang=lang)
    flow = None
    runs = list_runs(ws)
    if len(runs) >= 2:
        try:
            flow = reports.history(ws, "lifecycle")
        except ValueError:
            flow = None
    taxonomy = run.taxonomy()
    names = {
        d.id: {lab.id: (lab.zh if lang == "zh" else lab.en) for lab in d.labels}
        for d in taxonomy.dimensions
    }
    charts = {
        "dimensions": data["dimensions"],
        "rfm": read.rfm_grid(run),
        "flow": flow,
        "names": names,
        "text": {
            "r": t("web.rfm.r", lang),
            "f": t("web.rfm.f", lang),
            "customers": t("web.customers", lang),
        },
    }
    clusters = reports.discovered_clusters(run, lang=lang)
    models = reports.model_summary(run.models or {}, lang)
    return _render(
        request,
        "overview.html",
        user,
        run=run,
        dimensions=data["dimensions"],
        charts=charts,
        clusters=clusters,
        models=models,
    )


# The two pages people open most, customer and segment, are answered on the event loop
# when their data comes from a ready run's SQLite lookups (about 1 ms of work; the rest is
# rendering). Handing such short work to the thread pool cost more than the work itself:
# every lookup and file check releases the GIL, and taking it back from 20 busy threads
# waited up to the interpreter's 5 ms switch interval each time (2026-11-30: 121 req/s
# for one worker at 20 clients). Anything that may take longer (building a run's lookup
# files, a search, a sort or page that needs DuckDB) still runs in the thread pool.


def _loop_can_answer(request: Request) -> RunInfo | None:
    """The run to show, if finding it cannot block (some run's lookup files are ready)."""
    return lookup.ready_run(request.app.state.ws, wait=False)


@router.get("/segments/{dimension}/{label}")
async def segment_page(
    request: Request, dimension: str, label: str, user: PageUser, page: int = 0, q: str = ""
) -> HTMLResponse:
    run = _loop_can_answer(request)
    size = 50
    if run is not None and not q and read.stored_page(run, dimension, label, page * size, size):
        return _segment(request, run, dimension, label, user, page, q)
    return await run_in_threadpool(_segment, request, None, dimension, label, user, page, q)


def _segment(
    request: Request,
    run: RunInfo | None,
    dimension: str,
    label: str,
    user: User,
    page: int,
    q: str,
) -> HTMLResponse:
    run = run or _latest(request)
    if run is None:
        return RedirectResponse("/", status_code=303)  # type: ignore[return-value]
    lang = request_lang(request)
    taxonomy = run.taxonomy()
    dim = taxonomy.dimension(dimension)
    found = dim.label(label) if dim else None
    if dim is None or found is None:
        return _render(
            request,
            "error.html",
            user,
            message=t("web.error.unknown_segment", lang, segment=f"{dimension}={label}"),
        )
    size = 50
    members = read.members(
        run,
        dimension,
        label,
        offset=max(0, page) * size,
        limit=size,
        search=q or None,
        search_names=user.can("personal"),
    )
    if user.can("personal"):
        audit(request.app.state.ws, user.name, "segment.read", {"segment": f"{dimension}={label}"})
    else:
        members["rows"] = [read.mask_personal(r) for r in members["rows"]]
    return _render(
        request,
        "segment.html",
        user,
        run=run,
        dim=dim,
        label=found,
        members=members,
        page=max(0, page),
        size=size,
        q=q,
    )


@router.get("/customers/{customer_id}")
async def customer_page(request: Request, customer_id: str, user: PageUser) -> HTMLResponse:
    run = _loop_can_answer(request)
    if run is not None:
        return _customer(request, run, customer_id, user)
    return await run_in_threadpool(_customer, request, None, customer_id, user)


def _customer(request: Request, run: RunInfo | None, customer_id: str, user: User) -> HTMLResponse:
    run = run or _latest(request)
    lang = request_lang(request)
    if run is None:
        return RedirectResponse("/", status_code=303)  # type: ignore[return-value]
    data = read.profile(run, customer_id, lang)
    if data is None:
        return _render(
            request, "error.html", user, message=t("web.error.no_customer", lang, id=customer_id)
        )
    if user.can("personal"):
        audit(request.app.state.ws, user.name, "customer.read", {"customer_id": customer_id})
    else:
        data["attributes"] = read.mask_personal(data["attributes"])
    timeline = [
        {"date": o["ordered_at"], "amount": o["amount"], "status": o["status"]}
        for o in reversed(data["orders"])
    ]
    return _render(
        request,
        "customer.html",
        user,
        run=run,
        c=data,
        timeline=timeline,
    )


@router.get("/upload")
def upload_page(request: Request, user: PageUser) -> HTMLResponse:
    return _render(request, "upload.html", user)


@router.get("/taxonomy")
def taxonomy_page(request: Request, user: PageUser, dimension: str = "lifecycle") -> HTMLResponse:
    ws: Workspace = request.app.state.ws
    current = pipeline.workspace_taxonomy(ws)
    dim = current.dimension(dimension) or current.dimensions[0]
    return _render(
        request,
        "taxonomy.html",
        user,
        taxonomy=current,
        dim=dim,
        has_run=_latest(request) is not None,
    )


@router.get("/worklists/{team}")
def worklist_page(request: Request, team: str, user: PageUser) -> HTMLResponse:
    lang = request_lang(request)
    run = _latest(request)
    if team not in ("marketing", "sales", "service") or run is None:
        return RedirectResponse("/", status_code=303)  # type: ignore[return-value]
    items = reports.worklist(run, team, lang=lang, limit=100)
    return _render(request, "worklist.html", user, run=run, team=team, items=items)


@router.get("/runs")
def runs_page(request: Request, user: PageUser) -> HTMLResponse:
    return _render(request, "runs.html", user, runs=list_runs(request.app.state.ws))
