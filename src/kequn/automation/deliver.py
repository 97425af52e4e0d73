"""The delivery worker: the outbox's messages out through their channels, at least once.

A batch is claimed in one short transaction (status ``sending``, a lease, the worker's
name, one more attempt: :mod:`.claims`), sent with the database closed, and the results
recorded in a second transaction: ``sent``; or ``pending`` again after an exponential
backoff; or ``dead`` with the reason after the journeys' ``max_attempts``. A batch that
takes longer than a third of its lease records what it sent so far and renews the lease
on the rest (:class:`Lease`), so a second worker never takes over a batch still being
sent. A worker killed with
SIGKILL leaves its claimed messages ``sending``: another worker takes them back as soon
as it sees the claiming process is gone (same host) or when the lease ends, and sends
them again under the same idempotency key, so an idempotent receiver acts on each
message exactly once and nothing is lost. Quiet hours are checked again when a message
is due, and a message needing consent is cancelled when its customer unsubscribed or
withdrew consent meanwhile.

Group robots (:mod:`.robots`) add two rules: a failure that sending again cannot fix (a
wrong key, a bad signature: :class:`~kequn.automation.robots.PermanentSendError`) is
dead-lettered at once, and a robot's rate limit is waited out where it happens (the
back-off its answer asks for, bounded, a few times: no attempt spent); a robot still
limiting after that fails that message's attempt, and the rest of the batch for that
channel waits for the backoff without being sent, or any attempt spent
(:data:`THROTTLED`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa

from kequn.automation import db
from kequn.automation.channels import (
    ChannelError,
    SendError,
    build_email,
    send_email,
    send_webhook,
)
from kequn.automation.claims import GONE, ErasedSince, claim, renew, worker_name
from kequn.automation.drops import drop_journal, drop_path, file_contacts, write_drop
from kequn.automation.journeys import (
    ROBOT_TYPES,
    EmailChannel,
    FileChannel,
    Journeys,
    JourneysError,
    WebhookChannel,
    load_journeys,
)
from kequn.automation.robots import PermanentSendError, RateLimitedError, redact, send_robot
from kequn.pipeline import workspace_taxonomy
from kequn.store.workspace import Workspace

log = logging.getLogger("kequn.automation")

#: failures of a channel itself (:class:`~kequn.automation.channels.ChannelError`) in a
#: row after which the rest of its messages wait, untried, for the next delivery pass
DOWN_AFTER = 3
#: the reason of a message not tried because its channel is down (kequn's words,
#: translated on display by :mod:`.reasons`), followed by the channel's last failure
CHANNEL_DOWN = "not tried, the channel failed {n} times in a row (did not answer): "


#: the reason of a robot's message not tried because the robot was rate limited for an
#: earlier message of the batch (kequn's words, translated on display by :mod:`.reasons`),
#: followed by the robot's answer: no attempt spent
THROTTLED = "not tried, the robot is rate limited: "


class Outages:
    """The channels that failed :data:`DOWN_AFTER` times in a row during one delivery
    pass, each with its last failure: a receiver that hangs costs the pass a few
    timeouts, not one per message, and an SMTP server refusing the login is not logged
    in to once per message. A robot still rate limited after waiting it out (``limited``,
    with its answer) is left alone for the rest of the pass too."""

    def __init__(self) -> None:
        self._streak: dict[str, int] = {}
        self.down: dict[str, str] = {}
        self.limited: dict[str, str] = {}

    def skipped(self) -> list[str]:
        """The channels whose messages are not claimed for the rest of the pass."""
        return sorted({*self.down, *self.limited})

    def failed(self, channel: str, reason: str) -> None:
        self._streak[channel] = self._streak.get(channel, 0) + 1
        if self._streak[channel] >= DOWN_AFTER:
            self.down[channel] = reason

    def answered(self, channel: str) -> None:
        self._streak.pop(channel, None)

    def reason(self, channel: str) -> str | None:
        """Why ``channel``'s messages are not tried now; None while it is not down."""
        last = self.down.get(channel)
        return None if last is None else (CHANNEL_DOWN.format(n=DOWN_AFTER) + last)[:500]


#: seconds between recordings of what a batch sent so far: a worker killed mid-batch
#: leaves at most this long of sent messages to be sent again (an e-mail has no
#: idempotency key a mail server honours: each would reach its customer twice)
RECORD_EVERY = 1.0


class Lease:
    """A worker's hold on the batch it is sending. A heartbeat thread records what was
    sent so far every :data:`RECORD_EVERY` seconds (when something was) and, every third
    of the lease, extends the lease on the rest, however long one message takes (a slow
    SMTP server), so another worker never takes over a batch still being sent; a message
    another worker did take (this one was presumed dead) is skipped. :meth:`close` stops
    the heartbeat and records the rest."""

    def __init__(
        self,
        ws: Workspace,
        journeys: Journeys,
        worker: str,
        batch: list[dict[str, Any]],
        lease: float,
        since: float | None = None,
    ) -> None:
        self.ws, self.journeys, self.worker, self.lease = ws, journeys, worker, lease
        self.attempts = {m["message_id"]: m["attempts"] for m in batch}
        self.mine = frozenset(self.attempts)
        self.results: list[Result] = []
        self._recorded = 0
        # when the lease was taken (time.monotonic()), so a slow claim counts against it
        self._since = time.monotonic() if since is None else since
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, daemon=True, name="kequn-lease")
        self._beat.start()

    def holds(self, message_id: str) -> bool:
        return message_id in self.mine

    def _heartbeat(self) -> None:
        renew_at = self._since + self.lease / 3
        while not self._stop.wait(max(0.0, min(RECORD_EVERY, renew_at - time.monotonic()))):
            try:
                self._flush()
            except Exception:  # the next beat records them; the lease is renewed still
                log.exception("delivery: worker %s could not record its results", self.worker)
            if time.monotonic() < renew_at:
                continue
            renew_at = time.monotonic() + self.lease / 3
            try:
                self.mine = frozenset(renew(self.ws, self.worker, sorted(self.mine), self.lease))
            except Exception:  # the next beat tries again; the batch goes on
                log.exception("delivery: the lease of worker %s was not renewed", self.worker)

    def _flush(self) -> None:
        fresh = self.results[self._recorded :]
        if fresh:
            # counted as recorded once they are: a failed write is tried again next beat
            record(self.ws, self.journeys, fresh, self.attempts, worker=self.worker)
            self.mine = self.mine - {mid for mid, _, _ in fresh}
        self._recorded += len(fresh)

    def close(self) -> None:
        self._stop.set()
        self._beat.join()
        self._flush()


#: (message id, None when accepted else the reason, whether to try again)
Result = tuple[str, str | None, bool]


def _held(batch: list[dict[str, Any]], lease: Lease | None) -> Iterator[dict[str, Any]]:
    """The batch's messages, each as it comes up if this worker still holds it."""
    for item in batch:
        if lease is None or lease.holds(item["message_id"]):
            yield item


def send_batch(
    ws: Workspace,
    journeys: Journeys,
    batch: list[dict[str, Any]],
    lease: Lease | None = None,
    outages: Outages | None = None,
    erasures: int | None = None,
) -> list[Result]:
    """Send each claimed message; (message id, None, _) when accepted, else the reason
    and whether another attempt may succeed. With a ``lease``, a message this worker no
    longer holds is skipped (no result). A message whose channel is down (``outages``,
    kept for a whole pass) is not tried. ``erasures``: the workspace's count of them
    when the batch was claimed; a message whose customer was erased since is not sent
    (:class:`~kequn.automation.claims.ErasedSince`)."""
    results: list[Result] = [] if lease is None else lease.results
    outages = outages or Outages()
    erased = ErasedSince(ws, ws.erasures() if erasures is None else erasures, batch)
    files: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for item in _held(batch, lease):
        channel = journeys.channels.get(item["channel"])
        mid = item["message_id"]
        if erased.erased(item.get("customer_id")):
            results.append((mid, GONE, False))
            continue
        down = outages.reason(item["channel"])
        if down is not None:
            results.append((mid, down, True))
            continue
        if item["channel"] in outages.limited:
            results.append((mid, (THROTTLED + outages.limited[item["channel"]])[:500], True))
            continue
        try:
            if channel is None:
                raise SendError(f"channel {item['channel']!r} is no longer in journeys.yaml")
            if isinstance(channel, FileChannel):
                key = (item["channel"], item["journey_id"], item["run_id"])
                files.setdefault(key, []).append(item)
                continue
            _send_one(ws, channel, item)
        except RateLimitedError as exc:
            outages.limited[item["channel"]] = str(exc)[:300]
            results.append((mid, str(exc)[:500], True))
            continue
        except PermanentSendError as exc:
            outages.answered(item["channel"])
            results.append((mid, str(exc)[:500], False))
            continue
        except ChannelError as exc:
            outages.failed(item["channel"], str(exc)[:300])
            results.append((mid, str(exc)[:500], True))
            continue
        except Exception as exc:
            # anything else is recorded too (so the batch's sent messages are not sent
            # again after the lease) and retried, with what could be a secret cut out
            known = isinstance(exc, (SendError, JourneysError, OSError))
            reason = str(exc)[:500] or type(exc).__name__ if known else _unexpected(exc)
            results.append((mid, reason, True))
            continue
        outages.answered(item["channel"])
        results.append((mid, None, True))
    for (name, journey, run_id), items in files.items():
        # (a file is written once the batch is through: erasures until then count too)
        gone = [m for m in items if erased.erased(m.get("customer_id"))]
        results += [(m["message_id"], GONE, False) for m in gone]
        kept = [m for m in items if m not in gone]
        if kept:
            results += _send_files(ws, journeys.channels[name], journey, run_id, kept)
    return results


def _send_one(ws: Workspace, channel: Any, item: dict[str, Any]) -> None:
    """Send one message through a robot, a webhook or e-mail; raise when it was not."""
    mid = item["message_id"]
    if channel.type in ROBOT_TYPES:
        send_robot(
            channel, item["subject"] or "", item["body"] or "", item["lang"] or "zh", mid, ws
        )
    elif isinstance(channel, WebhookChannel):
        send_webhook(channel, item["payload"].encode("utf-8"), mid, ws)
    elif isinstance(channel, EmailChannel):
        payload = json.loads(item["payload"])
        msg = build_email(
            channel,
            to=item["recipient"],
            subject=item["subject"],
            body=item["body"],
            lang=item["lang"],
            message_id=mid,
            unsubscribe_url=payload.get("unsubscribe_url"),
        )
        send_email(channel, msg, ws)


def _send_files(
    ws: Workspace, channel: Any, journey: str, run_id: str, items: list[dict[str, Any]]
) -> list[Result]:
    """One journey's and run's messages of a batch, appended to its drop file together."""
    assert isinstance(channel, FileChannel)
    path = drop_path(ws, channel, journey, run_id)
    # only a message tried before can already be in the file (see .drops)
    again = any(item["attempts"] > 1 for item in items)
    try:
        contacts = file_contacts(items)
        write_drop(path, channel, contacts, journal=drop_journal(ws, path), look_up=again)
        error = None
    except OSError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    except Exception as exc:  # another writer holding the file too long, a bad payload
        error = _unexpected(exc)
    return [(item["message_id"], error, True) for item in items]


def _unexpected(exc: Exception) -> str:
    """An unexpected error's text for the outbox: no URL (a webhook's may carry its
    credential) and no key, token or signature parameter."""
    text = re.sub(r"[a-z][a-z0-9+.-]*://\S+", "<url>", f"{type(exc).__name__}: {exc}", flags=re.I)
    return redact(text)[:500]


def record(
    ws: Workspace,
    journeys: Journeys,
    results: list[Result],
    attempts: dict[str, int],
    now: dt.datetime | None = None,
    *,
    worker: str | None = None,
) -> None:
    """Record results of messages being sent (by ``worker``, when given: a message
    another worker took over is that worker's to record). A message not tried because
    its channel was down (:class:`Outages`) or its robot rate limited (:data:`THROTTLED`)
    waits for its backoff without spending an attempt: a long outage does not
    dead-letter messages that were never sent."""
    now = now or db.utcnow()
    settings = journeys.delivery
    rows: list[tuple[str, str, str | None, dt.datetime | None, dt.datetime | None]] = []
    untried: list[int] = []  # 1 for a message not tried (its channel down): no attempt spent
    down = CHANNEL_DOWN.format(n=DOWN_AFTER)
    for mid, error, again in results:
        tries = attempts[mid]
        untried.append(int(error is not None and error.startswith((down, THROTTLED))))
        if error is None:
            rows.append((mid, "sent", None, None, now))
        elif not again:
            rows.append((mid, "dead", f"not retried: {error}", None, None))
        elif tries >= settings.max_attempts and not untried[-1]:
            rows.append((mid, "dead", f"after {tries} attempts: {error}", None, None))
        else:
            wait = min(settings.backoff_seconds * 2 ** (tries - 1), settings.backoff_max_seconds)
            rows.append((mid, "pending", error, now + dt.timedelta(seconds=wait), None))
    if not rows:
        return
    names = ("message_id", "status", "last_error", "next_attempt_at", "sent_at")
    table = pa.table(
        {
            **{
                name: pa.array([r[i] for r in rows], pa.timestamp("us") if i >= 3 else pa.string())
                for i, name in enumerate(names)
            },
            "untried": pa.array(untried, pa.int32()),
        }
    )
    with db.connect(ws) as con, db.transaction(con):
        con.register("results", table)
        # only messages still being sent: a message cancelled meanwhile stays cancelled
        con.execute(
            "UPDATE outbox SET status = r.status, last_error = r.last_error, "
            "attempts = outbox.attempts - r.untried, "
            "next_attempt_at = coalesce(r.next_attempt_at, outbox.next_attempt_at), "
            "sent_at = r.sent_at, claimed_by = NULL, lease_until = NULL "
            "FROM results r WHERE outbox.message_id = r.message_id AND outbox.status = 'sending' "
            "AND (CAST(? AS VARCHAR) IS NULL OR outbox.claimed_by = ?)",
            [worker, worker],
        )
        con.unregister("results")


def deliver(
    ws: Workspace,
    *,
    batch: int | None = None,
    lease: float = 300.0,
    watch: bool = False,
    poll: float = 5.0,
    max_seconds: float | None = None,
    progress: Callable[[dict[str, int]], None] | None = None,
) -> dict[str, int]:
    """Send every message due now, each at most once (a failure waits for its backoff and
    the next call); with ``watch``, keep going, retries included, until stopped or
    ``max_seconds`` have passed. Returns the counts sent and failed."""
    journeys = load_journeys(ws, workspace_taxonomy(ws))
    worker = worker_name()
    size = batch or journeys.delivery.batch
    totals = {"sent": 0, "failed": 0, "batches": 0}
    started = time.monotonic()
    # one pass sends what is due now; a failure is due again only after its backoff, so
    # it waits for the next pass (with ``watch``, every loop is a new pass)
    pass_started = db.utcnow()
    # a channel down, or a robot still rate limited, is left alone for the rest of the pass
    outages = Outages()
    while True:
        taken = time.monotonic()
        seen = ws.erasures()  # (before the claim checks who is still in the data)
        claimed = claim(
            ws,
            worker,
            limit=size,
            lease=lease,
            due_by=None if watch else pass_started,
            journeys=journeys,
            skip_channels=outages.skipped(),
        )
        if not claimed:
            if not watch or (max_seconds is not None and time.monotonic() - started > max_seconds):
                break
            time.sleep(poll)
            outages = Outages()  # watching: the next round is a new pass
            continue
        held = Lease(ws, journeys, worker, claimed, lease, since=taken)
        try:
            results = send_batch(ws, journeys, claimed, held, outages, seen)
        finally:
            held.close()
        totals["batches"] += 1
        totals["sent"] += sum(1 for _, e, _ in results if e is None)
        totals["failed"] += sum(1 for _, e, _ in results if e is not None)
        if progress:
            progress(dict(totals))
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            break
    return totals


def replay(ws: Workspace, message_id: str) -> bool:
    """Put a dead-lettered message back in the queue, due now, with its attempts reset."""
    with db.connect(ws) as con, db.transaction(con):
        found = con.execute(
            "SELECT status FROM outbox WHERE message_id = ?", [message_id]
        ).fetchone()
        if not found or found[0] != "dead":
            return False
        con.execute(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? "
            "WHERE message_id = ?",
            [db.utcnow(), message_id],
        )
    return True


def outbox_status(ws: Workspace, *, status: str | None = None, limit: int = 50) -> dict[str, Any]:
    """Counts per journey, channel and status, the next due time, and messages (without
    their text) with the given status."""
    if not db.exists(ws):
        return {"counts": [], "messages": [], "next_due": None}
    with db.connect(ws) as con:
        counts = con.execute(
            "SELECT journey_id, channel, status, count(*) FROM outbox GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        due = con.execute(
            "SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'"
        ).fetchone()
        where = "status = ?" if status else "true"
        rows = con.execute(
            "SELECT message_id, journey_id, run_id, customer_id, channel, status, attempts, "
            f"created_at, next_attempt_at, sent_at, last_error FROM outbox WHERE {where} "
            "ORDER BY created_at, message_id LIMIT ?",
            [status, limit] if status else [limit],
        ).fetchall()
    keys = (
        "message_id", "journey_id", "run_id", "customer_id", "channel", "status", "attempts",
        "created_at", "next_attempt_at", "sent_at", "last_error",
    )  # fmt: skip
    return {
        "counts": [
            {"journey": r[0], "channel": r[1], "status": r[2], "messages": int(r[3])}
            for r in counts
        ],
        "next_due": due[0].isoformat() if due and due[0] else None,
        "messages": [
            {
                k: (v.isoformat() if isinstance(v, dt.datetime) else v)
                for k, v in zip(keys, r, strict=True)
            }
            for r in rows
        ],
    }
