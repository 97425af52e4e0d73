"""Server-side rendering of the dashboard: the Jinja templates and their helpers.

Charts are drawn in the browser by the vendored ECharts from data the page carries; every
other piece of a page is rendered here, in the reader's language.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kequn.automation.schedule.text import step_detail
from kequn.core import display
from kequn.core.i18n import local, t
from kequn.features.countries import country_name
from kequn.features.reftables import group_of, load_reference
from kequn.snapshots import lookup
from kequn.store.access import User
from kequn.web.deps import request_user, workspace
from kequn.web.errors import invalid_json, invalid_message
from kequn.web.lang import LANG_COOKIE, language_of, request_lang

_templates = Environment(
    loader=FileSystemLoader(str(resources.files("kequn.web").joinpath("templates"))),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,  # packaged templates do not change under a running server
)
# chart data goes into <script type="application/json"> with the `tojson` filter, which
# escapes < > & ' so a label or a channel named "</script>..." cannot end the element
_templates.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
# a customer id as one segment of a link's path: every character that means something in
# a URL encoded, the slash too (Jinja's urlencode keeps it), so VIP/001, A#1, B?2 and
# C%41 open their own page
_templates.filters["id_path"] = lambda value: quote(str(value), safe="")


def money(value: Any, lang: str, currency: str = "CNY") -> str:
    """¥12,345 in English; ¥1.2万 / ¥3.4亿 in Chinese for large amounts."""
    return display.money(value, lang, currency)


def number(value: Any, lang: str) -> str:
    """A count or measure; 万 for large ones in Chinese."""
    return display.number(value, lang)


def channel_group(channel: Any, lang: str) -> str:
    """The group (线上 / Online) of an order's or an interaction's channel as the shop
    wrote it (抖音), to show beside it; "" for a channel code the catalogue names (web:
    网站 / website) and for words of no group (:func:`kequn.core.display.group_name`)."""
    if channel is None or channel == "" or display.known("channel", channel):
        return ""
    group = group_of(channel, load_reference("channels"))
    return display.group_name("channel_group", group, str(channel), lang)


#: the customer fields a reference table groups by their words alone (the table, the
#: feature holding the run's group): the page decides their group from the words it shows,
#: the customer's record as imported now, which a re-import may have changed since the
#: run (百度推广 was shown with the run's group of 合作伙伴推荐, Partner referral)
_WORD_GROUPS = {
    "source": ("sources", "source_group"),
    "preferred_channel": ("channels", "preferred_channel_group"),
}


def field_group(name: str, raw: Any, features: dict[str, Any] | None, lang: str) -> str:
    """What to name beside a customer field's value as written: its group
    (:func:`kequn.core.display.field_group`), or for a country its name in ``lang``
    (CN: China / 中国), unless the value already says it."""
    if name in _WORD_GROUPS and raw is not None:
        table, column = _WORD_GROUPS[name]
        features = {**(features or {}), column: group_of(raw, load_reference(table))}
    if name != "country":
        return display.field_group(name, raw, features, lang)
    shown = "" if raw is None else str(raw).strip()
    named = country_name(shown, lang) if shown else None
    return "" if named is None or named.casefold() == shown.casefold() else named


def render(request: Request, name: str, user: User | None, **context: Any) -> HTMLResponse:
    """Template ``name`` in the request's language; a ``?lang=`` choice is remembered."""
    lang = request_lang(request)
    currency = workspace(request).settings.currency

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
        pct=lambda v: display.pct(v, lang),
        days=lambda v: display.days(v, lang),
        seconds=display.seconds,
        when=lambda v: display.when(v, lang),
        day=display.day,
        value=lambda domain, code: display.value(domain, code, lang),
        values=lambda domain, codes: display.values(domain, codes or (), lang),
        field=lambda name, table="customers": display.field(name, lang, table),
        heading=lambda name, table="customers": display.heading(name, lang, table),
        step_detail=lambda step: step_detail(step, lang),
        field_value=lambda name, v: display.field_value(name, v, lang, currency),
        field_group=lambda name, v, features: field_group(name, v, features, lang),
        channel_group=lambda channel: channel_group(channel, lang),
        local=lambda item: local(item, lang),
        path=request.url.path,
        # the language switch keeps the rest of the page's query (its page, its search)
        switch_query=urlencode(
            [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
            + [("lang", "en" if lang == "zh" else "zh")]
        ),
        can=(lambda p: user is not None and user.can(p)),
        **context,
    )
    response = HTMLResponse(html)
    if language_of(request.query_params.get("lang")) is not None:
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 86400)
    return response


def error_page(request: Request, user: User | None, message: str, status: int) -> HTMLResponse:
    """The dashboard's error page saying ``message``, answered with HTTP ``status``
    (404 for what is not there, 403 for what the role may not see)."""
    response = render(request, "error.html", user, message=message)
    response.status_code = status
    return response


def _browser_page(request: Request) -> User | None:
    """The signed-in user of a dashboard page opened in a browser (a session, no bearer
    token: a client with a token keeps the JSON it can read), else None."""
    browser = "authorization" not in request.headers
    if request.method == "GET" and browser and not request.url.path.startswith("/api/"):
        return request_user(request)
    return None


def page_or_json(
    handler: Callable[[Request, Any], Awaitable[JSONResponse]],
) -> Callable[[Request, Any], Awaitable[Response]]:
    """An error handler answering the API's JSON (``handler``'s), or, for a dashboard
    page opened in a signed-in browser, the error page saying the same message with the
    same status (a broken taxonomy.yaml on /taxonomy was raw JSON in the browser)."""

    async def answer(request: Request, exc: Any) -> Response:
        response = await handler(request, exc)
        user = _browser_page(request)
        if user is None:
            return response
        message = json.loads(bytes(response.body))["error"]["message"]
        return error_page(request, user, message, response.status_code)

    return answer


async def invalid_page(request: Request, exc: RequestValidationError) -> Response:
    """A request with a value it cannot take: for a dashboard page opened in a signed-in
    browser (``?page=-1``), the error page saying which value, in the reader's language
    (the API's JSON, which a browser showed raw, before); otherwise the API's JSON."""
    user = _browser_page(request)
    if user is not None:  # (without one, the page's sign-in comes first)
        return error_page(request, user, invalid_message(request, exc), 422)
    return await invalid_json(request, exc)


def warm(app: FastAPI) -> None:
    """Compile the templates and load the shown run's taxonomy before the first request."""
    for name in _templates.list_templates(filter_func=lambda n: n.endswith(".html")):
        _templates.get_template(name)
    run = lookup.ready_run(app.state.ws, wait=False)
    if run is not None:
        run.taxonomy()
