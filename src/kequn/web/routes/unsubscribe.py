"""The public unsubscribe link of marketing e-mails: ``/unsubscribe/{token}``.

No sign-in: the token is the customer's id signed with the workspace's key
(:mod:`kequn.automation.unsubscribe`), so only a link this workspace sent works.

* ``GET`` asks for confirmation and records nothing: mail scanners and link previews
  open every link in a message, and must not unsubscribe anyone.
* ``POST`` records the opt-out. It is what the page's button sends, and what a mail
  client's one-click button sends (RFC 8058: ``List-Unsubscribe=One-Click`` to the URL
  of the ``List-Unsubscribe`` header that :func:`kequn.automation.channels.build_email`
  writes, with ``List-Unsubscribe-Post``). The guard lets it through from other origins.

The page is in the customer's language (the one their messages were written in), unless
``?lang=`` asks otherwise, else the browser's. It shows no personal data, not even the
customer id. A bad or forged token is a 400: an HTML page for a browser, JSON otherwise.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kequn.automation import db
from kequn.automation.unsubscribe import read_token, record_opt_out
from kequn.core.i18n import t
from kequn.store.workspace import WorkspaceError
from kequn.web import journeys_text  # noqa: F401 - registers the page's messages
from kequn.web.deps import request_lang, workspace
from kequn.web.lang import language_of

router = APIRouter(include_in_schema=False)

PREFIX = "/unsubscribe/"
MAX_TOKEN = 512  # a customer id of a few hundred bytes, base64, and a 32-digit MAC

# a page of its own, without the dashboard's navigation or any session
_pages = Environment(
    loader=FileSystemLoader(str(resources.files("kequn.web").joinpath("templates"))),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)


def _customer_lang(request: Request, customer_id: str) -> str:
    """``?lang=``, else the language of the customer's newest message, else the
    browser's."""
    chosen = language_of(request.query_params.get("lang"))
    if chosen is not None:
        return chosen
    ws = workspace(request)
    if db.exists(ws):
        with db.connect(ws) as con:
            row = con.execute(
                "SELECT lang FROM outbox WHERE customer_id = ? AND lang IS NOT NULL "
                "ORDER BY created_at DESC LIMIT 1",
                [customer_id],
            ).fetchone()
        if row and row[0] in ("zh", "en"):
            return str(row[0])
    return request_lang(request)


def _page(
    lang: str, state: str, status: int = 200, token: str = "", chosen: str | None = None
) -> HTMLResponse:
    def tr(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    # the confirmation keeps a language the reader chose
    action = PREFIX + token + (f"?lang={chosen}" if chosen in ("zh", "en") else "")
    html = _pages.get_template("unsubscribe.html").render(
        lang=lang, t=tr, state=state, action=action
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _bad(request: Request) -> Response:
    lang = request_lang(request)
    if "text/html" in request.headers.get("accept", ""):
        return _page(lang, "bad", 400)
    return JSONResponse(
        {"error": {"code": "bad_token", "message": t("web.unsubscribe.bad_token", lang)}},
        status_code=400,
    )


def _confirm(request: Request, token: str) -> Response:
    if len(token) > MAX_TOKEN:
        return _bad(request)
    try:
        customer_id = read_token(workspace(request), token)
    except WorkspaceError:
        return _bad(request)
    chosen = language_of(request.query_params.get("lang"))
    return _page(_customer_lang(request, customer_id), "ask", token=token, chosen=chosen)


def _record(request: Request, token: str) -> Response:
    if len(token) > MAX_TOKEN:
        return _bad(request)
    try:
        customer_id = record_opt_out(workspace(request), token, source="link", who="link")
    except WorkspaceError:
        return _bad(request)
    return _page(_customer_lang(request, customer_id), "done")


@router.get("/unsubscribe/{token}")
async def unsubscribe_page(request: Request, token: str) -> Response:
    """Ask to confirm (records nothing)."""
    return await run_in_threadpool(_confirm, request, token)


@router.post("/unsubscribe/{token}")
async def unsubscribe(request: Request, token: str) -> Response:
    """Record the opt-out: the page's button, or a mail client's RFC 8058 one-click."""
    return await run_in_threadpool(_record, request, token)
