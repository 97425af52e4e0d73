"""The order of customers tied on a page's sort (SQL, for DuckDB).

Pages of a segment were ordered by the sort, then by the customer id. A viewer sees ids
only as tokens (:mod:`kequn.privacy.shown_ids`), but that order told them the real ids'
order behind the tokens: a segment whose members tie on the sort (the prospects, all of
spend 0) came out in id order, and with ids numbered in sequence (C00000001...) the
k-th token was the k-th id. Ties are now ordered by a hash of the id keyed with the
workspace's secret (``privacy.key``), then by the id: the same order on every page and
in the lookup files' stored first pages, and none a reader can relate to the ids."""

from __future__ import annotations

import functools
import hashlib
import hmac

from kequn.store.workspace import Workspace

__all__ = ["tie_key", "tie_order"]


def tie_order(ws: Workspace | None) -> str:
    """The SQL of the order of ties (after a page's sort) for ``ws``'s customers, reading
    the column ``customer_id``; the id alone for a run read without its workspace or a
    workspace without a key it can make (a read-only one: it has no tokens either)."""
    key = tie_key(ws)
    # our own hex digits, not a user's text (and no parameter: these orders sit in
    # queries whose parameters other functions number)
    return "customer_id" if key is None else f"hash(customer_id || '{key}'), customer_id"


def tie_key(ws: Workspace | None) -> str | None:
    """What :func:`tie_order` appends to each id before hashing it (hex digits), or None
    (ties by the id alone)."""
    if ws is None:
        return None
    try:
        secret = ws.secret_key()
    except OSError:
        return None
    return _derived(secret)


@functools.lru_cache(maxsize=16)
def _derived(secret: str) -> str:
    """A key derived from the secret for this use alone (the secret itself is never in
    a query's text)."""
    return hmac.new(secret.encode("utf-8"), b"kequn: the order of ties", hashlib.sha256).hexdigest()
