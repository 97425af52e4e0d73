"""The automation database: ``automation/automation.duckdb`` in the workspace.

It holds what happens after runs: the segment events of each processed run, the journeys'
assignments (treated, holdout, excluded and why), the outbox of messages to deliver and
the opt-outs recorded by unsubscribe links. The generation database stays the importers'
alone; this file is written by the after-publish hook, the delivery worker and the
unsubscribe command.

DuckDB lets one process at a time open a file for writing, so every connection is taken
under an exclusive ``flock`` on ``automation/automation.lock`` and kept only for one short
transaction: the worker never holds it while it talks to a receiver. A process that dies
releases the lock with its file descriptors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb

from kequn.store.workspace import Workspace, exclusive

FOLDER = "automation"
DB_NAME = "automation.duckdb"
LOCK_NAME = "automation.lock"

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS processed_runs (
        run_id VARCHAR PRIMARY KEY, previous_run_id VARCHAR, as_of DATE,
        processed_at TIMESTAMP, events BIGINT, messages BIGINT, note VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS segment_events (
        run_id VARCHAR NOT NULL, previous_run_id VARCHAR NOT NULL, as_of DATE NOT NULL,
        customer_id VARCHAR NOT NULL, dimension VARCHAR NOT NULL, label VARCHAR NOT NULL,
        change VARCHAR NOT NULL, from_label VARCHAR, to_label VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS assignments (
        journey_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, as_of DATE NOT NULL,
        customer_id VARCHAR NOT NULL, grp VARCHAR NOT NULL, outcome VARCHAR NOT NULL,
        message_id VARCHAR, assigned_at TIMESTAMP NOT NULL,
        PRIMARY KEY (journey_id, run_id, customer_id))""",
    """CREATE TABLE IF NOT EXISTS outbox (
        message_id VARCHAR PRIMARY KEY, journey_id VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
        customer_id VARCHAR NOT NULL, channel VARCHAR NOT NULL, channel_type VARCHAR NOT NULL,
        purpose VARCHAR NOT NULL, lang VARCHAR, recipient VARCHAR, subject VARCHAR,
        body VARCHAR, payload VARCHAR, quiet_start VARCHAR, quiet_end VARCHAR,
        status VARCHAR NOT NULL, attempts INTEGER NOT NULL, created_at TIMESTAMP NOT NULL,
        next_attempt_at TIMESTAMP NOT NULL, claimed_by VARCHAR, lease_until TIMESTAMP,
        sent_at TIMESTAMP, last_error VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS opt_outs (
        customer_id VARCHAR PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, source VARCHAR)""",
)


def folder(ws: Workspace) -> Path:
    path = ws.root / FOLDER
    path.mkdir(exist_ok=True)
    return path


def utcnow() -> dt.datetime:
    """Now in UTC, without a zone: how every time in the automation database is kept."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextlib.contextmanager
def connect(ws: Workspace, *, timeout: float = 120.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """The automation database, exclusively, for one short unit of work. Work inside a
    ``BEGIN``/``COMMIT`` is atomic; a process killed half-way leaves the last commit."""
    base = folder(ws)
    with exclusive(base / LOCK_NAME, timeout):
        con = duckdb.connect(str(base / DB_NAME))
        try:
            con.execute("SET TimeZone = 'UTC'")
            for statement in SCHEMA:
                con.execute(statement)
            yield con
        finally:
            con.close()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def exists(ws: Workspace) -> bool:
    return (ws.root / FOLDER / DB_NAME).is_file()


def carry_opt_outs(ws: Workspace, erased: list[str], kept: list[str]) -> None:
    """Before an erasure: when any of the erased ids or the records their person keeps
    opted out, every one of them stays opted out (the kept records in plain, the erased
    as keyed hashes, see :func:`erase`): an opt-out recorded under the one record erased
    held for the whole person, and must go on holding for the records left. Registered
    with :func:`kequn.privacy.before_erase`."""
    from kequn.privacy import pseudonym

    if not exists(ws):
        return
    with connect(ws) as con, transaction(con):
        everyone = [*erased, *kept]
        found = con.execute(
            "SELECT count(*) FROM opt_outs WHERE list_contains(?::VARCHAR[], customer_id)",
            [everyone],
        ).fetchone()
        if not found or not found[0]:
            return
        now = utcnow()
        rows = [(cid, "kept") for cid in kept] + [(pseudonym(ws, c), "erased") for c in erased]
        con.executemany(
            "INSERT INTO opt_outs VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(cid, now, source) for cid, source in rows],
        )


def erase(ws: Workspace, customer_id: str) -> int:
    """Remove one customer from the automation database (events, assignments, messages
    with their recipient and text, opt-outs), then rewrite the database file so the
    deleted rows' bytes do not survive in it; how many rows were removed (the drop files
    are cleaned first, by :func:`kequn.automation.drops.erase`). Registered with
    :func:`kequn.privacy.on_erase`.

    An opt-out outlives the erasure as a keyed hash of the id (source ``erased``, kept by
    :func:`carry_opt_outs` before the erasure): the same customer imported again is still
    not written to, and the hash names no one without the workspace's key."""

    if not exists(ws):
        return 0
    base = folder(ws)
    fresh = base / "automation.compact.duckdb"
    with exclusive(base / LOCK_NAME, 120.0):
        con = duckdb.connect(str(base / DB_NAME))
        try:
            removed = 0
            for table in ("segment_events", "assignments", "outbox", "opt_outs"):
                row = con.execute(
                    f"DELETE FROM {table} WHERE customer_id = ?", [customer_id]
                ).fetchone()
                removed += int(row[0]) if row else 0
            fresh.unlink(missing_ok=True)
            # our own file name, not user text (ATTACH takes no parameters)
            con.execute("ATTACH '" + str(fresh).replace("'", "''") + "' AS fresh")
            name = con.execute("SELECT current_database()").fetchone()
            con.execute(f'COPY FROM DATABASE "{name[0] if name else DB_NAME}" TO fresh')
            con.execute("DETACH fresh")
        finally:
            con.close()
        fresh.replace(base / DB_NAME)
        Path(str(base / DB_NAME) + ".wal").unlink(missing_ok=True)
    return removed
