"""Whose answer a message that needs consent asks, by its channel.

A customer may agree to e-mail marketing and refuse SMS, or the other way round (Shopify's
customers export has both answers: ``marketing_consent`` and ``sms_consent``). A webhook
or file channel that reaches phones says ``consent: sms`` in ``journeys.yaml``; it then
asks the SMS answer, or the general one where the data has no SMS answer (a member list
with only 营销许可): :data:`kequn.identity.workspace.SMS_CONSENT`. Every other channel,
e-mail always, asks ``marketing_consent``. Planning reads the answer from the run's rows
(:func:`agreed`), sending from the data as it is then
(:func:`kequn.automation.contacts.consenting`); both say which consent was missing.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.automation.channel_models import ConsentKind

#: the outcome of a customer a journey leaves out for want of the channel's consent
REFUSED = {"marketing": "no_consent", "sms": "no_sms_consent"}
#: the reason a message is not sent when its customer withdrew the channel's consent after
#: it was planned (stored in English, shown in the reader's language: :mod:`.reasons`)
WITHDRAWN = {"marketing": "no marketing consent any more", "sms": "no SMS consent any more"}


def consent_of(channel: Any) -> ConsentKind:
    """The consent ``channel`` asks (``marketing`` for one that names none: e-mail, robots,
    or a channel gone from ``journeys.yaml``)."""
    return "sms" if getattr(channel, "consent", "marketing") == "sms" else "marketing"


def agreed(rows: ir.Table, kind: ConsentKind) -> ir.BooleanValue:
    """Whether each of ``rows`` (a run's label rows) agreed to what ``kind`` asks: unknown
    (NULL) when the rows have no answer at all (a run made before the column existed)."""
    general = (
        rows.marketing_consent.cast("boolean")
        if "marketing_consent" in rows.columns
        else ibis.null("boolean")
    )
    if kind == "sms" and "sms_consent" in rows.columns:
        return ibis.coalesce(rows.sms_consent.cast("boolean"), general)
    return general
