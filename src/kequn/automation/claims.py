"""Claiming messages for a delivery worker: who holds which message, for how long, and
which messages may no longer be sent (see :mod:`.deliver` for the whole cycle).

A batch is claimed in one short transaction: status ``sending``, a lease, the worker's
name, one more attempt. A message whose quiet hours have begun waits for their end. A
message that needs consent is cancelled instead when its customer opted out (under any
of their ids: a record or the person a run messaged) or no longer consents in the data
as it is now (a customers import that withdrew it after the message was planned; the
SMS answer for a channel with ``consent: sms``, :mod:`.consent`). A
worker holding a batch renews its lease while it sends (:func:`renew`); a message whose
lease ran out, or whose worker is known to be dead, is claimed again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
from pathlib import Path
from typing import Any

import duckdb

from kequn.automation import db
from kequn.automation.channels import single_address
from kequn.automation.consent import WITHDRAWN, consent_of
from kequn.automation.contacts import consenting, contacts_now, emails_now, opt_outs
from kequn.automation.digest import PURPOSE as DIGEST
from kequn.automation.journeys import FileChannel, Journey, Journeys, in_quiet_hours
from kequn.automation.plan import _tz
from kequn.store.workspace import Workspace

COLUMNS = (
    "message_id", "journey_id", "run_id", "customer_id", "channel", "channel_type", "purpose",
    "lang", "recipient", "subject", "body", "payload", "quiet_start", "quiet_end", "attempts",
)  # fmt: skip


#: why a planned e-mail was not sent: its customer has no e-mail address any more (kequn's
#: words, translated on display by :mod:`.reasons`)
NO_ADDRESS = "no e-mail address any more"
#: why a planned webhook or file message was not sent: its customer is no longer in the
#: data (erased, or gone with an import)
GONE = "customer no longer in the data"
#: why a planned file message was not sent: its customer has no phone or e-mail the file
#: takes any more
NO_CONTACT = "no phone or e-mail address any more"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def _gone(claimed_by: str | None) -> bool:
    """Whether the worker that claimed a message is known to be dead (same host, no such
    process any more)."""
    if not claimed_by:
        return True
    host, _, rest = claimed_by.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return status.rsplit(")", 1)[-1].split()[0] == "Z"


def claim(
    ws: Workspace,
    worker: str,
    *,
    limit: int,
    lease: float,
    now: dt.datetime | None = None,
    due_by: dt.datetime | None = None,
    journeys: Journeys | None = None,
    skip_channels: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Take up to ``limit`` messages due by ``due_by`` (default: now) for ``worker`` (see
    the module's description). A message that needs consent (its journey's
    ``needs_consent``; a marketing one when the journey is gone) is cancelled instead
    when its customer opted out (under any of their ids) or no longer consents in the
    data as it is now. Messages of ``skip_channels`` (down for this pass) are not taken."""
    now = now or db.utcnow()
    known = {j.id: j for j in (journeys.journeys if journeys else [])}
    channels = dict(journeys.channels) if journeys else {}
    due_by = due_by or now
    tz = _tz(ws)
    local_now = now.replace(tzinfo=dt.UTC).astimezone(tz)
    with db.connect(ws) as con, db.transaction(con):
        holders = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT claimed_by FROM outbox WHERE status = 'sending' "
                "AND lease_until > ?",
                [now],
            ).fetchall()
        ]
        dead = [h for h in holders if _gone(h)]
        con.execute(
            "UPDATE outbox SET status = 'cancelled', last_error = 'opted out' "
            "WHERE status IN ('pending', 'sending') AND purpose = 'marketing' "
            "AND customer_id IN (SELECT customer_id FROM opt_outs)"
        )
        chosen: list[dict[str, Any]] = []
        # messages cancelled or put off make room: look further until some can be sent
        # (else a worker would stop at a window of withdrawn consents with more due)
        window, seen = limit * 4, set[str]()
        while not chosen:
            rows = con.execute(
                f"SELECT {', '.join(COLUMNS)} FROM outbox WHERE "
                "((status = 'pending' AND next_attempt_at <= ?) OR "
                "(status = 'sending' AND (lease_until <= ? "
                "OR list_contains(CAST(? AS VARCHAR[]), claimed_by)))) "
                "AND NOT list_contains(CAST(? AS VARCHAR[]), channel) "
                "ORDER BY next_attempt_at, message_id LIMIT ?",
                [due_by, now, dead, skip_channels or [], window],
            ).fetchall()
            items = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
            fresh = {item["message_id"] for item in items} - seen
            chosen = _choose(ws, con, items, (known, channels), local_now, limit)
            if len(rows) < window or not fresh:
                break
            seen |= fresh
        ids = [item["message_id"] for item in chosen]
        if ids:
            con.execute(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
                "claimed_by = ?, lease_until = ? "
                "WHERE list_contains(CAST(? AS VARCHAR[]), message_id)",
                [worker, now + dt.timedelta(seconds=lease), ids],
            )
    for item in chosen:
        item["attempts"] += 1
    return chosen


def _choose(
    ws: Workspace,
    con: duckdb.DuckDBPyConnection,
    items: list[dict[str, Any]],
    config: tuple[dict[str, Journey], dict[str, Any]],
    local_now: dt.datetime,
    limit: int,
) -> list[dict[str, Any]]:
    """Up to ``limit`` of ``items`` that may be sent now; the others are cancelled (see
    :func:`_refused`, :func:`_readdressed`, :func:`_refreshed`) or put off to the end of
    their quiet hours. ``config``: the journeys and the channels, by name."""
    channels = config[1]
    refused = (
        _readdressed(ws, con, items)
        | _refreshed(ws, con, items, channels)
        | _refused(ws, con, items, config)
    )
    if refused:
        con.execute(
            "UPDATE outbox SET status = 'cancelled', last_error = r.reason, "
            "claimed_by = NULL, lease_until = NULL FROM (SELECT unnest(?::VARCHAR[]) AS id, "
            "unnest(?::VARCHAR[]) AS reason) r WHERE outbox.message_id = r.id",
            [list(refused), list(refused.values())],
        )
    chosen: list[dict[str, Any]] = []
    for item in items:
        if item["message_id"] in refused:
            continue
        quiet = (item["quiet_start"], item["quiet_end"]) if item["quiet_start"] else None
        ends = in_quiet_hours(quiet, local_now)
        if ends is not None:
            later = ends.astimezone(dt.UTC).replace(tzinfo=None)
            con.execute(
                "UPDATE outbox SET status = 'pending', next_attempt_at = ?, "
                "claimed_by = NULL, lease_until = NULL WHERE message_id = ?",
                [later, item["message_id"]],
            )
            continue
        if len(chosen) < limit:
            chosen.append(item)
    return chosen


def _refused(
    ws: Workspace,
    con: duckdb.DuckDBPyConnection,
    items: list[dict[str, Any]],
    config: tuple[dict[str, Journey], dict[str, Any]],
) -> dict[str, str]:
    """Message id -> why it may not be sent now: its customer opted out (a journey that
    honours opt-outs; a marketing one when the journey is gone) or no longer consents
    (a journey that needs consent) to what its channel asks (:mod:`.consent`: SMS, for
    a channel with ``consent: sms``). ``config``: the journeys and channels, by name."""
    journeys, channels = config

    def rule(m: dict[str, Any], what: str) -> bool:
        journey = journeys.get(m["journey_id"])
        if journey is None:
            return bool(m["purpose"] == "marketing")
        return bool(getattr(journey, what))

    stoppable = [m for m in items if rule(m, "honours_opt_out")]
    asking = [m for m in items if rule(m, "needs_consent")]
    if not stoppable and not asking:
        return {}
    stopping = sorted({m["customer_id"] for m in stoppable})
    opted = opt_outs(ws, con, stopping)
    refused: dict[str, str] = {}
    for kind in ("marketing", "sms"):
        theirs = [m for m in asking if consent_of(channels.get(m["channel"])) == kind]
        agreeing = consenting(ws, sorted({m["customer_id"] for m in theirs}), kind == "sms")
        refused |= {m["message_id"]: WITHDRAWN[kind] for m in theirs
                    if m["customer_id"] not in agreeing}  # fmt: skip
    # an address opted out (under another id, before an erasure) holds for whoever has it
    held = opted.by_address(stopping)
    refused |= {m["message_id"]: "opted out" for m in stoppable if m["customer_id"] in opted
                or m["customer_id"] in held or opted.blocks(m["recipient"])}  # fmt: skip
    return refused


def _readdressed(
    ws: Workspace, con: duckdb.DuckDBPyConnection, items: list[dict[str, Any]]
) -> dict[str, str]:
    """E-mails go to their customer's address as it is now, not as it was when they were
    planned: an import that changed it (the old one given up, perhaps someone else's now)
    readdresses the message; one that removed it leaves it unsent. Message id -> why it
    may not be sent (no address any more); the others' ``recipient`` is updated."""
    mails = [m for m in items if m["channel_type"] == "email"]
    now = emails_now(ws, sorted({m["customer_id"] for m in mails}))
    gone: dict[str, str] = {}
    for m in mails:
        address = now.get(m["customer_id"])
        if address is None:
            gone[m["message_id"]] = NO_ADDRESS
        elif address.lower() != str(m["recipient"] or "").strip().lower():
            m["recipient"] = address
            con.execute(
                "UPDATE outbox SET recipient = ? WHERE message_id = ?", [address, m["message_id"]]
            )
    return gone


def _refreshed(
    ws: Workspace,
    con: duckdb.DuckDBPyConnection,
    items: list[dict[str, Any]],
    channels: dict[str, Any],
) -> dict[str, str]:
    """Webhooks and drop files carry their customer's name, e-mail and phone as they are
    when the message is sent, not as they were planned (what :func:`_readdressed` does
    for e-mails): an import that changed them meanwhile is what the receiver or the file
    gets. A message whose customer the data no longer holds (erased, or gone with an
    import) is not sent, nor a file message to someone with no phone or e-mail the file
    takes any more. Message id -> why it may not be sent; the others' ``payload`` is
    updated in the item and in the outbox (a retry sends the same, and an erasure finds
    the drop file's row by it). Nothing of a customer's is logged."""
    # a journey's messages, not a team's digest (purpose "digest": no customer's)
    found = [
        m for m in items if m["channel_type"] in ("webhook", "file") and m["purpose"] != DIGEST
    ]
    now = contacts_now(ws, sorted({m["customer_id"] for m in found}))
    refused: dict[str, str] = {}
    changed: list[tuple[str, str]] = []
    for m in found:
        contact = now.get(m["customer_id"])
        if contact is None:
            refused[m["message_id"]] = GONE
            continue
        channel = channels.get(m["channel"])
        if isinstance(channel, FileChannel) and not _reaches(channel, contact):
            refused[m["message_id"]] = NO_CONTACT
            continue
        payload = json.loads(m["payload"] or "{}")
        if payload.get("customer") != contact:
            payload["customer"] = contact
            m["payload"] = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
            changed.append((m["payload"], m["message_id"]))
    if changed:
        con.executemany("UPDATE outbox SET payload = ? WHERE message_id = ?", changed)
    return refused


def _reaches(channel: FileChannel, contact: dict[str, Any]) -> bool:
    """Whether a drop file's row for ``contact`` has a phone or an e-mail in it (what
    planning asks of a file's customer: :func:`kequn.automation.plan.reachable_by`)."""
    phone = "phone" in channel.columns and str(contact.get("phone") or "").strip()
    email = "email" in channel.columns and single_address(contact.get("email"))
    return bool(phone or email)


class ErasedSince:
    """The customers of a claimed batch that an erasure removed while it was being sent.

    A message's customer is checked when the batch is claimed; a batch then takes up to
    its lease to send, and an erasure meanwhile deletes the queued rows, not the copies a
    worker holds. An erasure counts itself in the workspace (:meth:`~kequn.store.
    workspace.Workspace.erasures`) once the person is gone from the data, so before each
    message the count is read (one small file) and, when it moved, the batch's remaining
    customers are looked up in the data as it is now: one no longer there is not sent.
    """

    def __init__(self, ws: Workspace, seen: int, batch: list[dict[str, Any]]) -> None:
        self.ws, self.seen = ws, seen
        self.ids = sorted({str(m["customer_id"]) for m in batch if m.get("customer_id")})
        self.gone: set[str] = set()

    def erased(self, customer_id: str | None) -> bool:
        """Whether ``customer_id`` (a message's; none for a team's digest) was erased
        since the batch was claimed."""
        if not customer_id:
            return False
        now = self.ws.erasures()
        if now != self.seen:
            present = contacts_now(self.ws, self.ids)
            self.gone |= {cid for cid in self.ids if cid not in present}
            self.seen = now
        return customer_id in self.gone


def renew(
    ws: Workspace, worker: str, ids: list[str], lease: float, now: dt.datetime | None = None
) -> set[str]:
    """Extend ``worker``'s lease on ``ids``; the ids it still holds (a message another
    worker took over, or one cancelled meanwhile, is no longer this worker's to send)."""
    if not ids:
        return set()
    now = now or db.utcnow()
    with db.connect(ws) as con, db.transaction(con):
        rows = con.execute(
            "UPDATE outbox SET lease_until = ? WHERE status = 'sending' AND claimed_by = ? "
            "AND list_contains(CAST(? AS VARCHAR[]), message_id) RETURNING message_id",
            [now + dt.timedelta(seconds=lease), worker, ids],
        ).fetchall()
    return {r[0] for r in rows}
