"""The service itself: liveness, who is asking, and what the workspace holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from kequn.core.i18n import t
from kequn.service import workspace_status
from kequn.store.access import PERMISSIONS, User, unfinished_erasures
from kequn.web.deps import Reader, current_user, request_lang, workspace
from kequn.web.errors import ApiError
from kequn.web.personal import shown_ids

router = APIRouter(prefix="/api", tags=["service"])
#: FastAPI's /docs (Swagger UI) and /redoc load their scripts from a CDN: a blank page on
#: an intranet (and on this project's machines), English only, and a page policy that had
#: to let a CDN's scripts run. They are turned off (``create_app``); the addresses say
#: where the API's description is instead.
docs = APIRouter(include_in_schema=False)


@docs.get("/docs")
@docs.get("/docs/oauth2-redirect")
@docs.get("/redoc")
def no_docs(request: Request) -> None:
    """A JSON 404 pointing to /openapi.json, in the request's language."""
    raise ApiError(404, "no_docs", t("web.no_docs", request_lang(request)))


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Liveness, without a token: the server answers and the workspace opens (HEAD too,
    which monitors send). Nothing about the data: the generation it showed counted the
    workspace's writes for anyone, telling when a shop imports (``/api/status`` has it,
    for readers)."""
    workspace(request).current_generation()
    return {"status": "ok"}


# a route of its own: one route taking GET and HEAD gave both operations the same
# operationId, which OpenAPI requires to be unique (client generators refuse the file)
@router.head("/health")
def health_head(request: Request) -> dict[str, Any]:
    """:func:`health` for HEAD (the same headers, no body)."""
    return health(request)


@router.get("/me")
def me(user: Annotated[User, Depends(current_user)]) -> dict[str, Any]:
    return {"name": user.name, "role": user.role, "permissions": sorted(PERMISSIONS[user.role])}


@router.get("/status")
def status(request: Request, user: Reader) -> dict[str, Any]:
    """Row counts, imports and runs of the workspace (named by its folder's name: the
    server's paths are not shown); for administrators, the erasures cut short
    (``unfinished_erasures``), as every command and the overview tell them."""
    ws = workspace(request)
    found = workspace_status(ws)
    if user.can("users"):  # those who erase, and so can finish one
        lang = request_lang(request)
        found["unfinished_erasures"] = [
            {
                "reference": subject,
                "began": when,
                "message": t("web.erase_unfinished", lang, subject=subject, when=when),
            }
            for subject, when in unfinished_erasures(ws)
        ]
    found["workspace"] = ws.root.name
    run = found["settings"]["run"]
    if run.get("taxonomy"):  # kequn.toml may give a path anywhere on the server
        run["taxonomy"] = Path(str(run["taxonomy"])).name
    return shown_ids(request, user, found)  # a viewer: the imported files' names masked
