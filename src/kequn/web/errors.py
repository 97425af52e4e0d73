"""The errors routes raise, and the handlers that turn them into responses.

The API answers every error with the same JSON shape, ``{"error": {"code", "message"}}``
(FastAPI's own ``{"detail": …}`` included), so a client reads one format; a dashboard
page opened without a session redirects to the login page instead.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kequn.store.workspace import WorkspaceError


class ApiError(HTTPException):
    """An error the API reports as JSON: ``{"error": {"code", "message"}}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status_code=status, detail=message)
        self.code = code


class LoginRequiredError(Exception):
    """A page was opened without a valid session; the handler redirects to /login."""

    def __init__(self, target: str) -> None:
        self.target = target


async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": exc.code, "message": exc.detail}}, status_code=exc.status_code
    )


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": "http_" + str(exc.status_code), "message": str(exc.detail)}},
        status_code=exc.status_code,
        headers=exc.headers,  # a 405's Allow, a 401's WWW-Authenticate
    )


async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return JSONResponse(
        {"error": {"code": "invalid_request", "message": problems}}, status_code=422
    )


async def _workspace_error(_request: Request, exc: WorkspaceError) -> JSONResponse:
    return JSONResponse({"error": {"code": "workspace", "message": str(exc)}}, status_code=409)


async def _login(_request: Request, exc: LoginRequiredError) -> RedirectResponse:
    # the page's own query too (its page, search, language), as one encoded parameter
    return RedirectResponse(f"/login?next={quote(exc.target, safe='/')}", status_code=303)


def add_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``.

    Starlette picks the handler of the nearest class in an exception's MRO, so an
    ApiError gets its own code although it is an HTTPException too.
    """
    app.exception_handler(ApiError)(_api_error)
    # Starlette's own (a path no route has, a method a route does not take) too
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(RequestValidationError)(_invalid)
    app.exception_handler(WorkspaceError)(_workspace_error)
    app.exception_handler(LoginRequiredError)(_login)
