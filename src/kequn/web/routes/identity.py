"""Identity review: the uncertain pairs of records with their evidence, and people's
decisions on them; the API under ``/api/identity`` and the dashboard's ``/identity`` page.

For admins and analysts (the ``run`` permission: a decision changes who is one person in
every later run). Deciding calls :func:`kequn.identity.decide`, as ``kequn identity
confirm`` / ``reject`` do, so a decision made here holds for every later import and run.
Names follow the personal-data rule of :mod:`kequn.web.personal`: shown and audited for
those who may see personal data, masked for the others.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from kequn import identity
from kequn.core.i18n import t
from kequn.identity.evidence import evidence_local
from kequn.store.access import User, audit, mask
from kequn.store.workspace import WorkspaceError
from kequn.web import identity_text  # noqa: F401 - registers the page's messages
from kequn.web.deps import PageUser, forbidden, need, request_lang, workspace
from kequn.web.errors import ApiError
from kequn.web.personal import sees_personal
from kequn.web.render import error_page, render

router = APIRouter(prefix="/api", tags=["identity"])
pages = APIRouter(include_in_schema=False)

Reviewer = Annotated[User, Depends(need("run", what="identity"))]
#: the review's largest page
REVIEW_MAX = 500
_PERSONAL = ("name_a", "name_b")


class Decision(BaseModel):
    a: str = Field(min_length=1, max_length=200)
    b: str = Field(min_length=1, max_length=200)
    decision: Literal["confirm", "reject"]


def _pairs(request: Request, user: User, limit: int) -> list[dict[str, Any]] | None:
    """The uncertain pairs as ``user`` may see them (None: identity has not run)."""
    ws = workspace(request)
    try:
        pairs = identity.review(ws, limit=limit)
    except WorkspaceError:
        return None
    if sees_personal(user):
        audit(ws, user.name, "identity.review", {"pairs": len(pairs)})
        return pairs
    return [{**p, **{k: mask(p.get(k), "name") for k in _PERSONAL}} for p in pairs]


def _in_lang(pairs: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The evidence in the reader's language (it is stored in English)."""
    return [{**p, "evidence": evidence_local(p.get("evidence"), lang)} for p in pairs]


@router.get("/identity/review")
def review(
    request: Request,
    user: Reviewer,
    limit: Annotated[int, Query(ge=1, le=REVIEW_MAX)] = 50,
) -> list[dict[str, Any]]:
    """Uncertain pairs, most probable first: both records (id, source, name, city), the
    model's probability, whether it linked them, and the evidence, comparison by comparison."""
    pairs = _pairs(request, user, limit)
    lang = request_lang(request)
    if pairs is None:
        raise ApiError(409, "identity_not_run", t("web.identity.not_run", lang))
    return _in_lang(pairs, lang)


@router.post("/identity/decisions")
def decide(request: Request, body: Decision, user: Reviewer) -> dict[str, Any]:
    """Confirm (one person) or reject (different people) a pair of records; kept for every
    later import and run. Answers with the number of persons now and the message."""
    ws = workspace(request)
    lang = request_lang(request)
    if body.a == body.b:
        raise ApiError(400, "same_record", t("web.identity.same", lang))
    with ws.read() as con:
        known = {
            str(r[0])
            for r in con.execute(
                "SELECT customer_id FROM customers WHERE customer_id IN (?, ?)", [body.a, body.b]
            ).fetchall()
        }
    for record in (body.a, body.b):
        if record not in known:
            raise ApiError(404, "unknown_record", t("web.identity.unknown", lang, id=record))
    try:
        result = identity.decide(ws, body.a, body.b, body.decision, who=user.name)
    except WorkspaceError as exc:
        raise ApiError(409, "identity_not_run", t("web.identity.not_run", lang)) from exc
    audit(ws, user.name, f"identity.{body.decision}", {"a": body.a, "b": body.b})
    key = "web.identity.confirmed" if body.decision == "confirm" else "web.identity.rejected"
    persons = int(result["persons"])
    return {
        "ok": True,
        "decision": body.decision,
        "persons": persons,
        "message": t(key, lang, a=body.a, b=body.b, persons=persons),
    }


@pages.get("/identity")
def review_page(request: Request, user: PageUser) -> HTMLResponse:
    lang = request_lang(request)
    if not user.can("run"):
        # said as the review's API says it: "运行分群" told a viewer opening the review
        # that they may not classify
        message = forbidden(lang, user.role, "identity")
        return error_page(request, user, message, 403)
    pairs = _pairs(request, user, 100)
    if pairs is not None:
        pairs = _in_lang(pairs, lang)
    return render(request, "identity.html", user, pairs=pairs)
