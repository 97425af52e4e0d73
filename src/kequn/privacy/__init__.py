"""Privacy operations on a workspace (PIPL / GDPR), shared by the CLI and the API.

- :func:`export_person`: everything the workspace holds about one person (the customer
  rows, their orders and order lines, interactions, rejected rows that mention them, and
  their labels in every stored run);
- :func:`erase_person`: removes them from the current data (a new generation written
  through :meth:`Workspace.write`, so readers never see half of it), from every run's
  labels, from background job reports and staged files under ``.tmp``; the runs' lookup
  files are removed (rebuilt from the cleaned data when next opened). The audit log
  records that an erasure happened under a pseudonymous reference (a keyed hash of the
  id, see :func:`pseudonym`), never the data;
- :mod:`kequn.privacy.retention`: rejected rows older than the retention period, and a
  whole run with its lookup files.

What is matched as "mentioning" a person: their customer id (as a whole word), and each
name, phone (also with its digits written apart) and e-mail address stored for them.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kequn.core.i18n import t
from kequn.features import state as feature_state
from kequn.identity.workspace import forget as forget_identity
from kequn.identity.workspace import has_map
from kequn.identity.workspace import held as identity_rows
from kequn.ingest import refund_ledger
from kequn.privacy.mentions import (
    Identity,
    _files,
    _replace_parquet,
    _scrub_job,
    _scrub_staged,
    identity,
    rejected_rows_of,
)
from kequn.snapshots import lookup
from kequn.snapshots.read import plain
from kequn.snapshots.runs import META_FILE, RunInfo, list_runs
from kequn.store.access import (
    audit,
    erasure_finished,
    erasure_started,
    pseudonymise_audit,
    unfinished_erasures,
)
from kequn.store.workspace import SECRET_KEY_FILE, Workspace, WorkspaceError, _atomic_write

KEY_FILE = SECRET_KEY_FILE


class NoSuchPersonError(WorkspaceError):
    """An erasure of an id the workspace holds nothing of (the API answers 404)."""


def pseudonym(ws: Workspace, customer_id: str) -> str:
    """A stable reference to a person that does not reveal them: an HMAC of the id under
    the workspace's own random key (``privacy.key``, readable by its owner only), so only
    someone holding the key and the id can tell whom an audit entry is about."""
    return pseudonymiser(ws)(customer_id)


def pseudonymiser(ws: Workspace) -> Callable[[str], str]:
    """:func:`pseudonym` with the key read once (for many ids)."""
    key = ws.secret_key().encode("utf-8")

    def of(customer_id: str) -> str:
        return "p_" + hmac.new(key, customer_id.encode("utf-8"), hashlib.sha256).hexdigest()[:20]

    return of


# -- export ----------------------------------------------------------------------------
def export_person(ws: Workspace, customer_id: str, who: str = "cli") -> dict[str, Any] | None:
    """Everything held about one customer (None when nothing is), as JSON-ready data."""
    if not customer_id.strip():  # no one: every quarantined row "mentions" the empty text
        return None
    with ws.read() as con:
        person = identity(con, customer_id)
        out: dict[str, Any] = {
            "customer_id": customer_id,
            "exported_at": dt.datetime.now().isoformat(timespec="seconds"),
            "customers": _rows(con, "SELECT * FROM customers WHERE customer_id = ?", customer_id),
            "orders": _rows(con, "SELECT * FROM orders WHERE customer_id = ?", customer_id),
            "order_lines": _rows(
                con,
                "SELECT * FROM order_lines WHERE order_id IN "
                "(SELECT order_id FROM orders WHERE customer_id = ?)",
                customer_id,
            ),
            "events": _rows(con, "SELECT * FROM events WHERE customer_id = ?", customer_id),
            "aftersale_refunds": refund_ledger.held(con, customer_id),
            "quarantine": [
                {k: v for k, v in row.items() if k != "rowid"} for row in _quarantined(con, person)
            ],
        }
    out["runs"] = []
    scratch = duckdb.connect()
    try:
        for run in list_runs(ws):
            # the run's own folder (SQL takes it as text)
            labels = _rows(
                scratch, f"SELECT * FROM {run.rows_sql()} WHERE customer_id = ?", customer_id
            )
            if labels:
                out["runs"].append({"run_id": run.run_id, "as_of": run.as_of, "labels": labels})
    finally:
        scratch.close()
    held = any(out[k] for k in ("customers", "orders", "events", "quarantine", "runs"))
    if not held:
        return None
    audit(ws, who, "privacy.export", {"subject": pseudonym(ws, customer_id)})
    return plain_all(out)


def plain_all(value: Any) -> Any:
    """JSON-ready all the way down (:func:`kequn.snapshots.read.plain` per value)."""
    if isinstance(value, dict):
        return {str(k): plain_all(v) for k, v in value.items()}
    if isinstance(value, list) and not (value and isinstance(value[0], tuple)):
        return [plain_all(v) for v in value]
    return plain(value)


def _rows(con: duckdb.DuckDBPyConnection, query: str, *params: Any) -> list[dict[str, Any]]:
    found = con.execute(query, list(params))
    names = [d[0] for d in found.description or []]
    return [dict(zip(names, row, strict=True)) for row in found.fetchall()]


def _quarantined(con: duckdb.DuckDBPyConnection, person: Identity) -> list[dict[str, Any]]:
    """Rejected rows whose value, detail or a cell of its source record is the person's
    (:func:`kequn.privacy.mentions.rejected_rows_of`)."""
    text = "concat_ws(chr(10), value, detail, record)"
    params: dict[str, Any] = {"pattern": person.pattern}
    where = [f"regexp_matches({text}, $pattern)"]
    for i, phone in enumerate(sorted(person.phones)):
        params[f"p{i}"] = phone
        where.append(f"contains(regexp_replace({text}, '[^0-9]', '', 'g'), $p{i})")
    found = con.execute(
        'SELECT rowid, import_id, "table", file, "row", "column", reason, severity, value, '
        "detail, record FROM quarantine WHERE " + " OR ".join(where),
        params,
    )
    names = [d[0] for d in found.description or []]
    rows = [dict(zip(names, row, strict=True)) for row in found.fetchall()]
    # cell by cell, the id in the id's column: a short id as a word, or as any cell, is in
    # other people's rows too (their quantity of 1)
    return [
        {k: v for k, v in row.items() if k != "import_id"}
        for row in rejected_rows_of(con, person, rows)
    ]


# -- erasure ---------------------------------------------------------------------------
#: what else keeps data about people (automation's outbox ...): ``eraser(ws, id) -> rows``
_ERASERS: list[Callable[[Workspace, str], int]] = []


def on_erase(eraser: Callable[[Workspace, str], int]) -> None:
    """Register a part of kequn above this module that keeps personal data of its own, so
    an erasure reaches it too (idempotent)."""
    if eraser not in _ERASERS:
        _ERASERS.append(eraser)


#: what must hear of an erasure before it, with the person's records that stay:
#: ``hook(ws, erased ids, kept record ids)`` (an opt-out under an erased record must go on
#: holding for the records left)
_BEFORE: list[Callable[[Workspace, list[str], list[str]], None]] = []


def before_erase(hook: Callable[[Workspace, list[str], list[str]], None]) -> None:
    """Register a hook run before an erasure's erasers (idempotent)."""
    if hook not in _BEFORE:
        _BEFORE.append(hook)


#: what must know the erased records' addresses, read before they go: ``hook(ws,
#: [(email, phone), ...])`` (an erased address must get no marketing under a new id)
_CONTACTS: list[Callable[[Workspace, list[tuple[Any, Any]]], None]] = []


def before_erase_contacts(hook: Callable[[Workspace, list[tuple[Any, Any]]], None]) -> None:
    """Register a hook given the erased records' (e-mail, phone), before the erasers run
    (idempotent)."""
    if hook not in _CONTACTS:
        _CONTACTS.append(hook)


def _kept_records(
    con: duckdb.DuckDBPyConnection, records: list[str], persons: list[str]
) -> list[str]:
    """The records of ``persons`` an erasure of ``records`` leaves."""
    if not persons:
        return []
    rows = con.execute(
        "SELECT customer_id FROM identity_map WHERE list_contains(?::VARCHAR[], person_id) "
        "AND NOT list_contains(?::VARCHAR[], customer_id) ORDER BY 1",
        [persons, records],
    ).fetchall()
    return [r[0] for r in rows]


def _subjects(con: duckdb.DuckDBPyConnection, customer_id: str) -> tuple[list[str], list[str]]:
    """(customer records, person ids) an erasure of ``customer_id`` reaches. A person id
    (identity resolution) stands for all its records; a record that belongs to a person
    takes that person's rows with it too (runs' labels, messages, feature state): they
    were computed from, and addressed with, the record's data."""
    if not has_map(con):
        return [customer_id], []
    records = [
        r[0]
        for r in con.execute(
            "SELECT customer_id FROM identity_map WHERE person_id = ? ORDER BY 1", [customer_id]
        ).fetchall()
    ]
    if records:
        return records, [customer_id]
    persons = con.execute(
        "SELECT DISTINCT person_id FROM identity_map WHERE customer_id = ? ORDER BY 1",
        [customer_id],
    ).fetchall()
    return [customer_id], [r[0] for r in persons]


def _erase_rows(
    con: duckdb.DuckDBPyConnection, record: str, person: Identity, count: Callable[[str, int], None]
) -> None:
    """Delete one customer record's rows from the data (on the erasing write connection):
    order lines, refunds, orders, events, the customer, identity resolution's rows, and the
    quarantined rows that mention the person; ``count`` is told how many of each."""
    orders = "SELECT order_id FROM orders WHERE customer_id = ?"
    count(
        "order_lines", _delete(con, f"DELETE FROM order_lines WHERE order_id IN ({orders})", record)
    )
    count(refund_ledger.TABLE, refund_ledger.forget(con, record))  # before the orders go
    for table in ("orders", "events", "customers"):
        count(table, _delete(con, f"DELETE FROM {table} WHERE customer_id = ?", record))
    count("identity", forget_identity(con, record))
    rowids = [int(r["rowid"]) for r in _quarantined(con, person)]
    if rowids:
        sql = "DELETE FROM quarantine WHERE list_contains(?::BIGINT[], rowid)"
        count("quarantine", _delete(con, sql, rowids))
    else:
        count("quarantine", 0)


def _held(ws: Workspace, customer_id: str) -> tuple[list[str], list[str], list[Identity], int]:
    """The subjects (:func:`_subjects`) and identities of an erasure of ``customer_id``
    as the published data has them, and how many of its rows name them (customers,
    orders, events, identity resolution's, quarantined rows mentioning them)."""
    if ws.current_generation() is None:
        return [customer_id], [], [Identity(customer_id, frozenset({customer_id}), frozenset())], 0
    with ws.read() as con:
        records, persons = _subjects(con, customer_id)
        people = [identity(con, record) for record in records]
        found = len(persons)
        for record, person in zip(records, people, strict=True):
            for table in ("orders", "events", "customers"):
                row = con.execute(
                    f"SELECT count(*) FROM {table} WHERE customer_id = ?", [record]
                ).fetchone()
                found += int(row[0]) if row else 0
            found += identity_rows(con, record) + len(_quarantined(con, person))
    return records, persons, people, found


def erase_person(ws: Workspace, customer_id: str, who: str = "cli") -> dict[str, Any]:
    """Remove one customer from everything the workspace keeps; what was removed, counted.
    ``customer_id`` is a record's id or, with identity resolution, a person's (see
    :func:`_subjects`)."""
    if not customer_id.strip():
        raise NoSuchPersonError(t("privacy.no_customer", id=customer_id))
    removed: dict[str, int] = {}
    # marked until the end (:func:`unfinished_erasures`): the steps below are published
    # one by one, and a process killed between them leaves the person in the later ones
    subject = pseudonym(ws, customer_id)
    resumed = any(ref == subject for ref, _when in unfinished_erasures(ws))
    erasure_started(ws, subject)

    def count(what: str, n: int) -> None:
        removed[what] = removed.get(what, 0) + n

    # the data is copied and rewritten only if it holds the person: an id it does not
    # hold (traces left in runs, messages or files, or a typing mistake) costs no new
    # generation of every table (seconds and the data's size again on disk, at scale)
    records, persons, people, found = _held(ws, customer_id)
    kept: list[str] = []
    contacts: list[tuple[Any, ...]] = []
    if found:
        with ws.write() as con:
            records, persons = _subjects(con, customer_id)
            kept = _kept_records(con, records, persons)
            people = [identity(con, record) for record in records]
            contacts = con.execute(
                "SELECT email, phone FROM customers WHERE list_contains(?::VARCHAR[], customer_id)",
                [records],
            ).fetchall()
            for record, person in zip(records, people, strict=True):
                _erase_rows(con, record, person, count)
            compact(con)
    subjects = records + persons
    # a run still reading the data from before is refused when it publishes; those
    # published until now are cleaned here, no run publishing meanwhile
    with ws.erasing():
        runs = list_runs(ws)
        removed["run_labels"] = sum(_erase_from_run(run, s) for run in runs for s in subjects)
        if removed["run_labels"] and ws.runs_dir.is_dir():
            os.utime(ws.runs_dir)  # every process's listing of runs (and counts) is re-read
        # no lookup build from now on starts from files made before this point (see lookup)
        lookup.mark_erasure(ws.root)
        removed["lookup_files"] = sum(_drop_lookups(run) for run in list_runs(ws))
    # the per-customer totals runs bring up to date (spend, dates, channels) go at once
    removed["feature_state"] = sum(_forget_state(ws, s) for s in subjects)
    for hook in _BEFORE:
        hook(ws, subjects, kept)
    for addresses in _CONTACTS:
        addresses(ws, contacts)
    for eraser in _ERASERS:
        name = eraser.__module__.rsplit(".", 1)[-1]
        removed[name] = sum(eraser(ws, s) for s in subjects)
    if not resumed and not any(n for what, n in removed.items() if what != "lookup_files"):
        erasure_finished(ws, subject)
        raise NoSuchPersonError(t("privacy.no_customer", id=customer_id))
    # job reports and files being imported, only for someone the workspace holds: they
    # are searched as text, where an id nobody has ('x', '1') is a word of other
    # people's rows, and the erasure of no one removed those rows and answered 200
    removed["job_reports"] = sum(
        _scrub_job(path, person) for person in people for path in _files(ws.root / "jobs")
    )
    removed["staged_files"] = sum(_scrub_staged(ws, person) for person in people)
    # the copy of the data before the erasure goes once its readers (a page reading one
    # customer) are done; one still read after a few seconds goes at the next write
    removed["old_data_copies_left"] = ws.drop_old_generations()
    removed["audit_entries"] = sum(pseudonymise_audit(ws, s, pseudonym(ws, s)) for s in subjects)
    audit(ws, who, "privacy.erase", {"subject": subject, "removed": removed})
    erasure_finished(ws, subject)
    return {"subject": subject, "removed": removed}


def compact(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite every table of the generation being written into fresh blocks.

    A DuckDB file keeps deleted rows' bytes in its blocks (and the new generation starts
    as a copy of the old one), so deleting is not erasing: the tables are copied out,
    dropped (the emptied file is truncated at the checkpoint) and written back."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    con.execute("ATTACH ':memory:' AS _compact")
    try:
        for name in tables:
            con.execute(f"CREATE TABLE _compact.{_q(name)} AS FROM main.{_q(name)}")
            con.execute(f"DROP TABLE main.{_q(name)}")
        con.execute("CHECKPOINT")
        for name in tables:
            con.execute(f"CREATE TABLE main.{_q(name)} AS FROM _compact.{_q(name)}")
    finally:
        con.execute("DETACH _compact")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _delete(con: duckdb.DuckDBPyConnection, query: str, param: Any) -> int:
    found = con.execute(query, [param]).fetchone()
    return int(found[0]) if found else 0


def _erase_from_run(run: RunInfo, customer_id: str) -> int:
    """Rewrite the run's labels and features without the customer, and its counts
    without them."""
    # the features file, and what a Spark run of an earlier build left beside it (the
    # features with the predictions, features2/features3): every copy of the rows; and
    # the attributes file (another name of the feature state's: replaced, not rewritten
    # in place, so the state's own file and other runs' are rewritten each on their own)
    found = [*sorted(Path(run.path).glob("features*.parquet")), run.attributes_path]
    parts = [p for f in found for p in _parquet_files(f)]
    for path in parts:
        _without(path, customer_id)
    erased = [
        row for path in _parquet_files(run.labels_path) for row in _without(path, customer_id)
    ]
    if erased:
        meta_path = Path(run.path) / META_FILE
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["customers"] = max(0, int(meta.get("customers", 0)) - len(erased))
        taxonomy = run.taxonomy()
        for row in erased:
            for dim in taxonomy.dimensions:
                counts = meta.get("counts", {}).get(dim.id, {})
                if dim.type == "exclusive":
                    hits = [str(row.get(dim.id))]
                else:
                    hits = [lab.id for lab in dim.labels if row.get(dim.tag_column(lab.id))]
                for label in hits:
                    if counts.get(label):
                        counts[label] -= 1
        _atomic_write(meta_path, json.dumps(meta, ensure_ascii=False, indent=2, default=str))
    return len(erased)


def _without(path: Path, customer_id: str) -> list[dict[str, Any]]:
    """Rewrite the Parquet file ``path`` without the customer's rows, if it has any; the
    rows removed."""
    table = pq.read_table(path)
    hit = pc.equal(table["customer_id"], customer_id).fill_null(False)
    if not pc.any(hit).as_py():
        return []
    _replace_parquet(path, table.filter(pc.invert(hit)))
    return list(table.filter(hit).to_pylist())


def _parquet_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(path.rglob("*.parquet")) if path.is_dir() else []


def _forget_state(ws: Workspace, customer_id: str) -> int:
    """Take the customer out of the feature state; if a run holds it past the wait, the
    state goes whole (the next run builds it again) rather than the erasure stopping
    half-way with the database already cleaned and no audit entry."""
    folder = ws.root / feature_state.FOLDER
    try:
        return feature_state.forget(folder, customer_id)
    except OSError:
        return feature_state.discard(folder)


def _drop_lookups(run: RunInfo) -> int:
    """Remove the run's lookup files (they hold the person's labels, profile and orders),
    partial ones of an interrupted build included; the next reader builds them again from
    the cleaned data. This process's shared connections to them are closed; a reader in
    any thread or process that still has one open notices at its next use that the file
    it opened is gone (:func:`kequn.snapshots.lookup.points`, ``cursor``) and opens the
    new one."""
    index = lookup.index_path(run)
    folder = index.parent
    removed = 0
    with index.with_suffix(".lock").open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # a build in progress finishes first
        for con in lookup._forget(folder):
            con.close()
        # the digests too: customer ids with hashes of their rows, for incremental builds
        for target in lookup.lookup_files(folder):
            if target.exists():
                target.unlink()
                removed += 1
    return removed
