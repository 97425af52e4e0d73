"""The automation database: ``automation/automation.duckdb`` in the workspace.

It holds what happens after runs: which runs were processed, the journeys' assignments
(treated, holdout, excluded and why), the outbox of messages to deliver and the opt-outs
recorded by unsubscribe links. Each processed run's segment events are a Parquet file of
their own beside it, ``automation/events/<run id>.parquet`` (:func:`event_file`), read
together with the table older versions kept them in through :func:`with_events`. The
generation database stays the importers' alone; this file is written by the
after-publish hook, the delivery worker and the unsubscribe command.

DuckDB lets one process at a time open a file for writing, so every connection is taken
under an exclusive ``flock`` on ``automation/automation.lock`` and kept only for one short
transaction: the worker never holds it while it talks to a receiver. A process that dies
releases the lock with its file descriptors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from kequn.store.workspace import Workspace, exclusive, fsync_path

FOLDER = "automation"
DB_NAME = "automation.duckdb"
LOCK_NAME = "automation.lock"
log = logging.getLogger("kequn.automation")
EVENTS_FOLDER = "events"
#: the events' columns, in the order of the table and of every run's events file
EVENT_TABLE_COLUMNS = (
    "run_id", "previous_run_id", "as_of", "customer_id", "dimension", "label", "change",
    "from_label", "to_label",
)  # fmt: skip

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


def event_file(ws: Workspace, run_id: str) -> Path:
    """Where the segment events of the run ``run_id`` are kept (written when the run is
    processed, :func:`kequn.automation.plan.process_run`)."""
    if not _RUN_ID.fullmatch(run_id):
        raise ValueError(f"not a run id: {run_id!r}")
    return ws.root / FOLDER / EVENTS_FOLDER / f"{run_id}.parquet"


#: kequn's run ids (:func:`kequn.snapshots.runs.new_run_id`), the only file names here
_RUN_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,120}")


def event_files(ws: Workspace) -> list[Path]:
    """Every run's events file, oldest run first."""
    found = ws.root / FOLDER / EVENTS_FOLDER
    return sorted(found.glob("*.parquet")) if found.is_dir() else []


def with_events(
    con: duckdb.DuckDBPyConnection,
    ws: Workspace,
    run_id: str | None = None,
    *,
    prefix: bool = False,
    unrecorded: bool = False,
) -> str:
    """Create the temporary view ``all_events`` on ``con``: the rows of the table
    ``segment_events`` (where kequn kept them before) and of the runs' events files
    (with ``run_id``, of that run's only; with ``prefix`` too, of the runs whose id starts
    with it), in the table's columns; its name.

    A file is read once its run is recorded in ``processed_runs``: it is kept just before
    that commit, so a processing killed in between leaves a file of a run that is not
    processed (processing it again replaces it). Only retention reads those too
    (``unrecorded``), to remove them with the period's other events.

    Each run's events are a file of their own: at 1M customers a day's ~900k events took
    0.65 s to insert and 0.3-0.6 s more when the database was closed (its checkpoint),
    and every day made the file an erasure copies whole a million rows longer."""
    columns = ", ".join(EVENT_TABLE_COLUMNS)
    parts = [f"SELECT {columns} FROM segment_events"]
    if run_id is None:
        files = event_files(ws)
    elif prefix:  # one run's file, or a few, not every day's of the year
        files = [f for f in event_files(ws) if f.stem.startswith(run_id)]
    else:
        files = [f for f in [event_file(ws, run_id)] if f.is_file()]
    if files and not unrecorded:
        recorded = {r[0] for r in con.execute("SELECT run_id FROM processed_runs").fetchall()}
        files = [f for f in files if f.stem in recorded]
    if files:
        # our own folder and run ids (a view takes no parameters)
        listed = ", ".join(_lit(p) for p in files)
        parts.append(f"SELECT {columns} FROM read_parquet([{listed}])")
    con.execute("CREATE OR REPLACE TEMP VIEW all_events AS " + " UNION ALL ".join(parts))
    return "all_events"


def replace_file(source: Path, target: Path) -> None:
    """Put the file ``source`` in ``target``'s place whole and on disk (a reader, or a
    power cut, finds the old file or the new one, never an empty or a half-written one):
    a rename, or, from another file system (``.tmp`` mounted elsewhere), a copy beside
    ``target`` renamed in its turn. The file and its folder are flushed: the caller
    records the file as kept right after (the run's processing commits)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        source.replace(target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        copy = _beside(target)
        try:
            shutil.copyfile(source, copy)
            fsync_path(copy)
            copy.replace(target)
        except BaseException:
            copy.unlink(missing_ok=True)
            raise
        source.unlink(missing_ok=True)
    fsync_path(target)
    fsync_path(target.parent)


def _beside(target: Path) -> Path:
    """A name for a file being written to replace ``target``: hidden, and ending in
    ``.tmp`` so no reader lists it (an erasure removes any a killed process left)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


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
    """Before an erasure: every erased id stays opted out, as a keyed hash (see
    :func:`erase`): an erasure asks to be left alone, and the same id imported again (an
    old export, a sync from the shop that still has them) must not be written to; and
    when any of the erased ids or the records their person keeps opted out, the kept
    records stay opted out too, in plain: an opt-out recorded under the one record
    erased held for the whole person, and must go on holding for the records left.
    Registered with :func:`kequn.privacy.before_erase`."""
    from kequn.privacy import pseudonym

    if not exists(ws):
        return
    with connect(ws) as con, transaction(con):
        everyone = [*erased, *kept]
        found = con.execute(
            "SELECT count(*) FROM opt_outs WHERE list_contains(?::VARCHAR[], customer_id)",
            [everyone],
        ).fetchone()
        now = utcnow()
        rows = [(pseudonym(ws, c), "erased") for c in erased]
        if found and found[0]:
            rows += [(cid, "kept") for cid in kept]
        con.executemany(
            "INSERT INTO opt_outs VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(cid, now, source) for cid, source in rows],
        )


def erase(ws: Workspace, customer_id: str) -> int:
    """Remove one customer from the automation database (events, assignments, messages
    with their recipient and text, opt-outs), then rewrite the database file so the
    deleted rows' bytes do not survive in it, and the runs' events files that hold them
    without them; how many rows were removed (the drop files are cleaned first, by
    :func:`kequn.automation.drops.erase`). Registered with
    :func:`kequn.privacy.on_erase`.

    The erasure leaves an opt-out as a keyed hash of the id (source ``erased``, kept by
    :func:`carry_opt_outs` before it): the same customer imported again is not written
    to, and the hash names no one without the workspace's key."""

    if not exists(ws):  # (the events files outlive a database removed to start afresh)
        if not (ws.root / FOLDER / EVENTS_FOLDER).is_dir():
            return 0
        with exclusive(folder(ws) / LOCK_NAME, 120.0):
            return _erase_from_event_files(ws, customer_id)
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
        removed += _erase_from_event_files(ws, customer_id)
    return removed


def _erase_from_event_files(ws: Workspace, customer_id: str) -> int:
    """Rewrite each run's events file holding the customer without them (found in one
    scan of the files' id columns); how many events went. The caller holds the lock.

    Copies a killed rewrite or move left beside the files are removed (they may hold
    anyone), and so is a file that cannot be read as Parquet: it may hold the person,
    and no reader can use it."""
    found = ws.root / FOLDER / EVENTS_FOLDER
    if not found.is_dir():
        return 0
    removed = 0
    for stale in found.glob(".*.tmp"):
        stale.unlink(missing_ok=True)
    files = event_files(ws)
    if not files:
        return 0
    with ws.scratch() as mem:
        hits, unreadable = _holding(mem, files, customer_id)
        for path in unreadable:
            log.warning("events file %s cannot be read; an erasure removed it", path)
            path.unlink(missing_ok=True)
            removed += 1
        for path, count in hits:
            mem.execute(
                f"CREATE OR REPLACE TEMP TABLE kept AS FROM read_parquet({_lit(path)}) "
                "WHERE customer_id IS DISTINCT FROM ?",
                [customer_id],
            )
            copy = _beside(path)
            try:
                mem.execute(f"COPY kept TO {_lit(copy)} (FORMAT parquet)")
                replace_file(copy, path)
            except BaseException:
                copy.unlink(missing_ok=True)
                raise
            removed += count
    return removed


def _holding(
    mem: duckdb.DuckDBPyConnection, files: list[Path], customer_id: str
) -> tuple[list[tuple[Path, int]], list[Path]]:
    """The files holding the customer with how many of their events, in one scan; and
    the files that cannot be read (then each file is scanned alone)."""
    query = "SELECT filename, count(*) FROM read_parquet([{}], filename = true) "
    query += "WHERE customer_id = ? GROUP BY ALL"
    try:
        # our own folder and run ids (read_parquet's list takes no parameters)
        rows = mem.execute(
            query.format(", ".join(_lit(p) for p in files)), [customer_id]
        ).fetchall()
        return [(Path(r[0]), int(r[1])) for r in rows], []
    except duckdb.InvalidInputException:
        pass
    hits: list[tuple[Path, int]] = []
    unreadable: list[Path] = []
    for path in files:
        try:
            rows = mem.execute(query.format(_lit(path)), [customer_id]).fetchall()
        except duckdb.InvalidInputException:
            unreadable.append(path)
            continue
        hits += [(path, int(r[1])) for r in rows]
    return hits, unreadable


def _lit(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
