"""Unsubscribe links: a token naming the customer, signed with the workspace's own key,
and the function that records the opt-out (the CLI's ``kequn unsubscribe TOKEN`` and the
server's public ``/unsubscribe/{token}`` page, whose confirmation or an RFC 8058 one-click
POST records it).

An opt-out is kept in the automation database (the customers table belongs to the
importers) and wins over ``customers.marketing_consent``: no marketing journey selects
the customer again, and their messages still waiting in the outbox are cancelled. With
identity resolution, a token names a person; their records are recorded too, so the
opt-out holds however the records are linked later (and one recorded under a record
reaches its person: :func:`kequn.identity.workspace.linked_ids`), and so are the
records holding an address the customer's messages went to (a person split after the
e-mail was sent still has that address on one of their records).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

import pyarrow as pa

from kequn.automation import db
from kequn.automation.contacts import ADDRESS, address_key, held_addresses
from kequn.core.i18n import t
from kequn.identity.workspace import linked_ids
from kequn.store.access import audit
from kequn.store.workspace import Workspace, WorkspaceError


def _key(ws: Workspace) -> bytes:
    # the workspace's own key (privacy.key, owner-only); the MAC below is domain-separated
    return ws.secret_key().encode("utf-8")


def _mac(key: bytes, customer_id: str) -> str:
    return hmac.new(key, b"unsubscribe:" + customer_id.encode("utf-8"), hashlib.sha256).hexdigest()[
        :32
    ]


def make_token(ws: Workspace, customer_id: str) -> str:
    encoded = base64.urlsafe_b64encode(customer_id.encode("utf-8")).decode("ascii").rstrip("=")
    return f"{encoded}.{_mac(_key(ws), customer_id)}"


def read_token(ws: Workspace, token: str) -> str:
    """The customer a token names; WorkspaceError for a token this workspace did not sign."""
    encoded, _, mac = token.strip().partition(".")
    try:
        customer_id = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise WorkspaceError(t("automation.bad_token")) from None
    # compare_digest takes only ASCII text (else a TypeError): a forged signature of any
    # other characters is as wrong as one of the right letters
    if not customer_id or not mac.isascii():
        raise WorkspaceError(t("automation.bad_token"))
    if not hmac.compare_digest(_mac(_key(ws), customer_id), mac):
        raise WorkspaceError(t("automation.bad_token"))
    return customer_id


def unsubscribe_url(template: str | None, ws: Workspace, customer_id: str) -> str | None:
    if not template:
        return None
    return template.replace("{token}", make_token(ws, customer_id))


def record_opt_out(ws: Workspace, token: str, *, source: str = "link", who: str = "link") -> str:
    """Record that the token's customer wants no more marketing; returns the customer id.
    Recording it twice is harmless."""
    customer_id = read_token(ws, token)
    now = db.utcnow()
    mailed: list[str] = []
    if db.exists(ws):
        with db.connect(ws) as con:
            mailed = [
                r[0].strip().lower()
                for r in con.execute(
                    "SELECT DISTINCT recipient FROM outbox WHERE customer_id = ? "
                    "AND recipient IS NOT NULL",
                    [customer_id],
                ).fetchall()
            ]
    try:
        with ws.read() as data:
            # a person's records too: the opt-out holds when they are linked otherwise
            ids = linked_ids(ws, data, {customer_id})
            if mailed:  # and whoever has the address it was sent to (a person split since)
                data.register("mailed", pa.table({"email": pa.array(mailed, pa.string())}))
                ids |= {
                    r[0]
                    for r in data.execute(
                        "SELECT customer_id FROM customers "
                        "WHERE lower(trim(email)) IN (SELECT email FROM mailed)"
                    ).fetchall()
                }
    except WorkspaceError:
        ids = {customer_id}
    # and the addresses: whoever has them later, under whatever id, gets no marketing
    try:
        held = held_addresses(ws, ids)
    except WorkspaceError:
        held = set()
    held |= {key for key in (address_key(ws, "email", m) for m in mailed) if key}
    with db.connect(ws) as con, db.transaction(con):
        for cid in sorted(ids):
            con.execute(
                "INSERT INTO opt_outs VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [cid, now, source]
            )
        for key in sorted(held):
            con.execute(
                "INSERT INTO opt_outs VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [key, now, ADDRESS]
            )
        con.execute(
            "UPDATE outbox SET status = 'cancelled', last_error = 'opted out' "
            "WHERE list_contains(?::VARCHAR[], customer_id) AND purpose = 'marketing' "
            "AND status = 'pending'",
            [sorted(ids)],
        )
    audit(ws, who, "unsubscribe", {"customer_id": customer_id, "source": source})
    return customer_id


def opted_out(ws: Workspace) -> set[str]:
    """The ids recorded as opted out (not the hashes of erased ids or of addresses)."""
    if not db.exists(ws):
        return set()
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT customer_id FROM opt_outs WHERE source IS DISTINCT FROM ?", [ADDRESS]
        ).fetchall()
    return {r[0] for r in rows}


def carry_addresses(ws: Workspace, contacts: list[tuple[Any, Any]]) -> None:
    """Before an erasure: the erased records' e-mails and phones (``contacts``, read
    before they went) stay opted out, as keyed hashes (like the erased ids,
    :func:`kequn.automation.db.carry_opt_outs`), so the same person imported again under
    another id (another shop's export, ids spelled otherwise) gets no marketing.
    Registered with :func:`kequn.privacy.before_erase_contacts`."""
    keys = {address_key(ws, kind, value) for email, phone in contacts
            for kind, value in (("email", email), ("phone", phone))}  # fmt: skip
    keys.discard(None)
    if not keys:
        return
    now = db.utcnow()
    with db.connect(ws) as con, db.transaction(con):
        con.executemany(
            "INSERT INTO opt_outs VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(key, now, ADDRESS) for key in sorted(k for k in keys if k)],
        )
