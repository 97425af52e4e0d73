"""One customer: attributes, labels with reasons and strategies, features, predictions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kequn.core.i18n import t
from kequn.identity.evidence import evidence_local
from kequn.snapshots import linked, read
from kequn.web.deps import Reader, request_lang, run_or_404, workspace
from kequn.web.errors import ApiError
from kequn.web.personal import personal_view

router = APIRouter(prefix="/api", tags=["customers"])


# ``:path``: an id may hold a slash (VIP/001), sent encoded (%2F) and decoded before
# routing; ``/records`` is matched first, so only an id ending in "/records" is shadowed
@router.get("/customers/{customer_id:path}/records")
def records(request: Request, customer_id: str, _user: Reader) -> dict[str, Any]:
    """The customer's sources and source records: each record's source, its id there and
    its lineage (file or query, row, import), and, once identity resolution has linked
    them into a person, the links between them with rule, probability, evidence and a
    person's decision. Nothing personal is in it (names and phones stay in the profile,
    masked for viewers), so every reader gets the same answer."""
    found = linked.linked_records(workspace(request), customer_id)
    lang = request_lang(request)
    if not found["records"]:
        raise ApiError(404, "no_customer", t("web.error.no_records", lang, id=customer_id))
    for link in found["links"]:  # the evidence in the reader's language (stored in English)
        link["evidence"] = evidence_local(link.get("evidence"), lang)
    return found


@router.get("/customers/{customer_id:path}")
def customer(
    request: Request, customer_id: str, user: Reader, run: str | None = None
) -> dict[str, Any]:
    """Attributes, labels with reasons and strategies, features, predictions, timeline."""
    lang = request_lang(request)
    # the id a platform shows is found under its source too (tb_amy → taobao:tb_amy)
    customer_id, data, _ = read.find_profile(run_or_404(request, run), customer_id, lang)
    if data is None:
        raise ApiError(404, "no_customer", t("web.error.no_customer", lang, id=customer_id))
    return personal_view(request, user, data, "customer.read", {"customer_id": customer_id})
