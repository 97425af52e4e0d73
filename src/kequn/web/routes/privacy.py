"""Privacy requests (PIPL / GDPR), for admins: everything held about a person, and
erasing them (see :mod:`kequn.privacy`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from kequn import privacy
from kequn.core.i18n import t
from kequn.store.access import User
from kequn.web.deps import current_user, forbidden, request_lang, workspace
from kequn.web.errors import ApiError, refuse_blank_id
from kequn.web.personal import cipher

router = APIRouter(prefix="/api/privacy", tags=["privacy"])


def admin(request: Request, user: Annotated[User, Depends(current_user)]) -> User:
    """Only admins answer privacy requests (a JSON 403 for anyone else)."""
    if user.role != "admin":
        lang = request_lang(request)
        raise ApiError(403, "forbidden", forbidden(lang, user.role, "privacy"))
    return user


Admin = Annotated[User, Depends(admin)]


def _subject(request: Request, given: str) -> str:
    """The customer id a request names: the id given, the one a token stands for (a
    viewer's link, ``c-…``: :func:`kequn.web.personal.shown_ids`, opened as the customer
    routes open it), or the one customer whose phone or e-mail it is
    (:func:`kequn.privacy.contact.subjects`); a JSON 404 for none, a 409 listing the ids
    when several customers share it."""
    from kequn.privacy.contact import subjects

    refuse_blank_id(given, "web.error.empty_contact")
    opened = cipher(request).open(given)
    found = subjects(workspace(request), given if opened is None else opened)
    lang = request_lang(request)
    if not found:
        raise ApiError(404, "no_customer", t("privacy.no_customer", lang, id=given))
    if len(found) > 1:
        said = t("privacy.several", lang, n=len(found), contact=given, ids=", ".join(found))
        raise ApiError(409, "several_customers", said)
    return found[0]


class Erasure(BaseModel):
    # "" is said to be empty (422 empty_id) as " " is, not refused by its length
    customer_id: str = Field(max_length=200)


@router.post("/erase")
def erase(request: Request, body: Erasure, user: Admin) -> dict[str, Any]:
    """Erase one customer (an id, or the customer's phone or e-mail) from the data, every
    run, job reports and staged files. The audit log keeps a pseudonymous reference
    (``subject``) that it happened."""
    try:
        subject = _subject(request, body.customer_id)
        return privacy.erase_person(workspace(request), subject, who=user.name)
    except privacy.NoSuchPersonError:
        lang = request_lang(request)
        message = t("privacy.no_customer", lang, id=body.customer_id)
        raise ApiError(404, "no_customer", message) from None


@router.get("/export/{customer_id:path}")  # an id may hold a slash
def export(request: Request, customer_id: str, user: Admin) -> dict[str, Any]:
    """Everything held about one customer (an id, or their phone or e-mail), as JSON."""
    customer_id = _subject(request, customer_id)
    data = privacy.export_person(workspace(request), customer_id, who=user.name)
    if data is None:
        lang = request_lang(request)
        raise ApiError(404, "no_customer", t("privacy.no_customer", lang, id=customer_id))
    return data
