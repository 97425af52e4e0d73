"""Personal data (names, phones, emails, addresses) as each user may see it.

The rule is the same wherever a route shows such data, API or page: a user holding the
``personal`` permission sees it and the read goes to the workspace's audit log; anyone
else sees it masked (:func:`kequn.store.access.mask`) and nothing is logged. Keeping that
rule in one function means a new route cannot show it unmasked or unaudited by forgetting
half of it. What is masked depends on what is shown; the audit action names both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request

from kequn.snapshots.read import mask_personal
from kequn.store.access import User, audit
from kequn.web.deps import workspace

PERSONAL = "personal"  # the permission to see personal data

Shown = TypeVar("Shown", dict[str, Any], list[dict[str, Any]])


def sees_personal(user: User) -> bool:
    """Whether ``user`` sees personal data (and may search customers by name)."""
    return user.can(PERSONAL)


def _members(page: dict[str, Any]) -> dict[str, Any]:
    """A page of a segment's members (``read.members``)."""
    return {**page, "rows": [mask_personal(row) for row in page["rows"]]}


def _profile(data: dict[str, Any]) -> dict[str, Any]:
    """A customer's profile (``read.profile``)."""
    return {
        **data,
        "attributes": mask_personal(data["attributes"]),
        "features": mask_personal(data["features"]),
    }


def _quarantine(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rejected rows: the offending value hidden, the whole source record dropped."""
    return [
        {**row, "value": "***" if row.get("value") else row.get("value"), "record": None}
        for row in rows
    ]


#: For each audit action, how what it shows is masked.
_MASKS: dict[str, Callable[[Any], Any]] = {
    "segment.read": _members,
    "customer.read": _profile,
    "quarantine.read": _quarantine,
}


def personal_view(
    request: Request, user: User, data: Shown, what: str, details: dict[str, Any]
) -> Shown:
    """``data`` as ``user`` may see it: audited as ``what`` with ``details``, or masked.

    ``what`` is one of the actions in :data:`_MASKS` (``segment.read`` for a page of
    members, ``customer.read`` for a profile, ``quarantine.read`` for rejected rows).
    """
    mask = _MASKS[what]
    if sees_personal(user):
        audit(workspace(request), user.name, what, details)
        return data
    masked: Shown = mask(data)
    return masked
