"""One customer: attributes, labels with reasons and strategies, features, predictions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from kequn.core.i18n import t
from kequn.identity.evidence import evidence_local
from kequn.snapshots import linked, read
from kequn.web.deps import Reader, request_lang, run_or_404, workspace
from kequn.web.errors import ApiError
from kequn.web.personal import asked_customer, personal_view, shown_ids

router = APIRouter(prefix="/api", tags=["customers"])

#: the id asked for: a viewer's token opened back into its id (kequn.web.personal)
Customer = Annotated[str, Depends(asked_customer())]
Records = Annotated[str, Depends(asked_customer("web.error.no_records"))]


# ``:path``: an id may hold a slash (VIP/001), sent encoded (%2F) and decoded before
# routing; ``/records`` is matched first, so only an id ending in "/records" is shadowed
@router.get("/customers/{customer_id:path}/records")
def records(request: Request, customer_id: Records, user: Reader) -> dict[str, Any]:
    """The customer's sources and source records: each record's source, its id there and
    its lineage (file or query, row, import), and, once identity resolution has linked
    them into a person, the links between them with rule, probability, evidence and a
    person's decision. Names and phones stay in the profile; the ids, which may be
    buyers' nicknames, are tokens for viewers (:func:`shown_ids`)."""
    found = linked.linked_records(workspace(request), customer_id)
    lang = request_lang(request)
    if not found["records"]:
        asked = request.path_params["customer_id"]  # as sent: a viewer's token stays one
        raise ApiError(404, "no_customer", t("web.error.no_records", lang, id=asked))
    for link in found["links"]:  # the evidence in the reader's language (stored in English)
        link["evidence"] = evidence_local(link.get("evidence"), lang)
    return shown_ids(request, user, found)


@router.get("/customers/{customer_id:path}")
def customer(
    request: Request, customer_id: Customer, user: Reader, run: str | None = None
) -> dict[str, Any]:
    """Attributes, labels with reasons and strategies, features, predictions, timeline."""
    lang = request_lang(request)
    # the id a platform shows is found under its source too (tb_amy → taobao:tb_amy)
    customer_id, data, _ = read.find_profile(run_or_404(request, run), customer_id, lang)
    if data is None:
        asked = request.path_params["customer_id"]  # as sent: a viewer's token stays one
        raise ApiError(404, "no_customer", t("web.error.no_customer", lang, id=asked))
    return personal_view(request, user, data, "customer.read", {"customer_id": customer_id})
