"""One customer: attributes, labels with reasons and strategies, features, predictions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kequn.core.i18n import t
from kequn.snapshots import read
from kequn.web.deps import Reader, request_lang, run_or_404
from kequn.web.errors import ApiError
from kequn.web.personal import personal_view

router = APIRouter(prefix="/api", tags=["customers"])


@router.get("/customers/{customer_id}")
def customer(
    request: Request, customer_id: str, user: Reader, run: str | None = None
) -> dict[str, Any]:
    """Attributes, labels with reasons and strategies, features, predictions, timeline."""
    lang = request_lang(request)
    data = read.profile(run_or_404(request, run), customer_id, lang)
    if data is None:
        raise ApiError(404, "no_customer", t("web.error.no_customer", lang, id=customer_id))
    return personal_view(request, user, data, "customer.read", {"customer_id": customer_id})
