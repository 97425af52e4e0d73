"""The errors routes raise, and the handlers that turn them into responses.

The API answers every error with the same JSON shape, ``{"error": {"code", "message"}}``
(FastAPI's own ``{"detail": …}`` included), so a client reads one format; a dashboard
page opened without a session redirects to the login page instead.
"""

from __future__ import annotations

import os
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kequn.core import validation
from kequn.core.i18n import t
from kequn.core.invisible import blank
from kequn.store.workspace import WorkspaceError
from kequn.taxonomy.model import TaxonomyError
from kequn.web.lang import request_lang


class ApiError(HTTPException):
    """An error the API reports as JSON: ``{"error": {"code", "message"}}``, and any
    ``extra`` fields beside them (the runs an ambiguous prefix names)."""

    def __init__(
        self, status: int, code: str, message: str, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(status_code=status, detail=message)
        self.code = code
        self.extra = extra or {}


class PageError(ApiError):
    """An :class:`ApiError` a dashboard page raises (a ``?run=`` naming no one run): the
    error page with the same status and message in a signed-in browser, the API's JSON
    for a client with a token (:func:`kequn.web.render.page_or_json`)."""


class UnknownCustomerError(Exception):
    """A customer id a route was given that names no customer the reader may ask for (a
    viewer's text that is no token of :mod:`kequn.privacy.shown_ids`): answered as for
    an id no customer has, a JSON 404 (``message``, the key saying it, names ``given``),
    or the error page for a dashboard page. A blank id (:func:`refuse_blank_id`) is a 422
    ``empty_id`` instead, as ``kequn show " "`` is a usage error saying the id is empty."""

    def __init__(
        self,
        given: str,
        message: str = "web.error.no_customer",
        *,
        status: int = 404,
        code: str = "no_customer",
    ) -> None:
        self.given = given
        self.message = message
        self.status = status
        self.code = code


def refuse_blank_id(given: str, message: str = "web.error.empty_id") -> None:
    """A customer id of nothing but spaces (or characters that print as nothing, a
    zero-width space: :func:`kequn.core.invisible.blank`) is said to be empty (422
    ``empty_id``, in the asker's language), whoever asks: it was looked up and answered
    "Customer   is not in this run.", naming no id, where the CLI says the id is empty
    (exit 2)."""
    if blank(given):
        raise UnknownCustomerError(given, message, status=422, code="empty_id")


class LoginRequiredError(Exception):
    """A page was opened without a valid session; the handler redirects to /login."""

    def __init__(self, target: str) -> None:
        self.target = target


async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": exc.code, "message": exc.detail, **exc.extra}},
        status_code=exc.status_code,
    )


async def unknown_customer(request: Request, exc: UnknownCustomerError) -> JSONResponse:
    message = t(exc.message, request_lang(request), id=exc.given)
    return JSONResponse({"error": {"code": exc.code, "message": message}}, status_code=exc.status)


#: Starlette's own errors (no such path, a method the path does not take), in the
#: request's language; any other HTTPException carries a message of its own
_STARLETTE = {404: "web.error.not_found", 405: "web.error.method"}
#: FastAPI's and Starlette's own 400s are all bodies they could not read (bytes that are
#: no UTF-8, a form or multipart upload they cannot parse: "Missing boundary in
#: multipart.", "Too many files. …"), said in the request's language too; kequn's own
#: refusals are ApiErrors, answered by their own handler
_BODY = "web.error.body"


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    message = str(exc.detail)
    key = _STARLETTE.get(exc.status_code)
    if key and message == HTTPStatus(exc.status_code).phrase:
        message = t(key, request_lang(request))
    elif exc.status_code == 400:
        message = t(_BODY, request_lang(request))
    return JSONResponse(
        {"error": {"code": "http_" + str(exc.status_code), "message": message}},
        status_code=exc.status_code,
        headers=exc.headers,  # a 405's Allow, a 401's WWW-Authenticate
    )


async def invalid_json(request: Request, exc: RequestValidationError) -> JSONResponse:
    """Which fields were wrong and why (:mod:`kequn.core.validation`), under a sentence,
    all in the request's language (a dashboard page answers its error page instead:
    :func:`kequn.web.render.invalid_page`)."""
    message = invalid_message(request, exc)
    return JSONResponse({"error": {"code": "invalid_request", "message": message}}, status_code=422)


def invalid_message(request: Request, exc: RequestValidationError) -> str:
    lang = request_lang(request)
    return t("web.error.invalid", lang, problems=validation.problems(exc.errors(), lang))


def _in_workspace(request: Request, message: str) -> str:
    """``message`` naming the workspace's files from its folder: its messages are worded
    for the CLI, whose user knows where the workspace is, but the server's folders are
    not for every reader of the API."""
    root = request.app.state.ws.root
    for folder in dict.fromkeys((str(root), str(root.resolve()))):
        message = message.replace(folder + os.sep, "").replace(folder, root.name)
    return message


async def workspace_error(request: Request, exc: WorkspaceError) -> JSONResponse:
    message = _in_workspace(request, str(exc))
    return JSONResponse({"error": {"code": "workspace", "message": message}}, status_code=409)


async def taxonomy_error(request: Request, exc: TaxonomyError) -> JSONResponse:
    """The workspace's taxonomy.yaml does not parse (a route that checks text it was sent
    answers that itself): its problem, already in the request's language; to a reader
    without personal data only that there is one, since the problem quotes the rule, and
    a rule may name a person (``name = '张伟'``, see :mod:`kequn.web.rule_privacy`)."""
    # who asked, as the request's authentication found them (kequn.web.deps, which
    # raises this module's errors); nobody found yet reads the problem as a viewer would
    user = getattr(request.state, "kequn_user", None)
    if user is None or not user.can("personal"):
        name = request.app.state.ws.taxonomy_path.name
        message = t("web.error.taxonomy_hidden", request_lang(request), file=name)
        return JSONResponse(
            {"error": {"code": "invalid_taxonomy", "message": message}}, status_code=409
        )
    message = _in_workspace(request, str(exc))
    return JSONResponse(
        {"error": {"code": "invalid_taxonomy", "message": message}}, status_code=409
    )


async def _login(_request: Request, exc: LoginRequiredError) -> RedirectResponse:
    # the page's own query too (its page, search, language), as one encoded parameter
    return RedirectResponse(f"/login?next={quote(exc.target, safe='/')}", status_code=303)


def add_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``.

    Starlette picks the handler of the nearest class in an exception's MRO, so an
    ApiError gets its own code although it is an HTTPException too.
    """
    app.exception_handler(ApiError)(api_error)
    # Starlette's own (a path no route has, a method a route does not take) too
    app.exception_handler(StarletteHTTPException)(http_error)
    app.exception_handler(RequestValidationError)(invalid_json)
    app.exception_handler(WorkspaceError)(workspace_error)
    app.exception_handler(TaxonomyError)(taxonomy_error)
    app.exception_handler(LoginRequiredError)(_login)
