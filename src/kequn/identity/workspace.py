"""Identity resolution in a workspace: settings, the stored result, people's decisions.

Everything is kept in the workspace's published generation (written through
``Workspace.write()``, so imports copy it forward and it is atomic like an import), except
the trained model, ``identity/model.json``:

- ``identity_map(customer_id, person_id, origin)``: each record's person;
- ``identity_persons``: a view, one row per person with the customers table's columns
  (the surviving profile, see :data:`SURVIVOR_RULE`), ``customer_id`` being the person
  id; a view, so it holds no copy of anyone's personal data;
- ``identity_links(a, b, rule, probability, weight, evidence, accepted)``: every candidate
  link with its evidence (deterministic rule, or each comparison's level);
- ``identity_decisions(a, b, decision, who, decided_at)``: confirm / reject / split, by
  people; they apply to every later run, whatever is imported meanwhile;
- ``identity_state``: what the result was computed from (to tell when it is stale).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from kequn.core.i18n import t
from kequn.core.yamlfile import load_toml
from kequn.identity import resolve as linker
from kequn.identity.model import evidence_sql as model_evidence_sql
from kequn.store.settings import refusal
from kequn.store.workspace import CONFIG_NAME, Workspace, WorkspaceError

#: which source wins each field of a person's profile
SURVIVOR_RULE = (
    "Each field comes from the person's most recently imported record that has it (ties: "
    "the larger record id); a name written in 汉字 wins over a Latin one; created_at is the "
    "earliest; origin lists every source."
)

_SRC_COLUMNS = (
    "customer_id",
    "origin",
    "name",
    "phone",
    "email",
    "city",
    "address",
    "birth_date",
    "attributes",
)


#: a birth date given whole (it has a birthday) is evidence; one stored as the 1 January
#: of a year given alone (1990) is not the same date as another's (kequn.ingest.birthday)
_SRC_SELECT = ", ".join(
    "CASE WHEN birthday IS NOT NULL THEN birth_date END AS birth_date" if c == "birth_date" else c
    for c in _SRC_COLUMNS
)


@dataclass(frozen=True)
class IdentitySettings:
    enabled: bool = False
    threshold: float = 0.95


def settings(ws: Workspace) -> IdentitySettings:
    """``[identity]`` in kequn.toml: ``enabled`` (false), ``threshold`` (0.95)."""
    path = ws.root / CONFIG_NAME
    try:
        section = load_toml(path).get("identity") or {}
    except (OSError, ValueError):  # unreadable: Workspace.open has said why
        section = {}
    enabled, threshold = section.get("enabled", False), section.get("threshold", 0.95)
    # a string ("yes", "high") was taken as true, or stopped the run with a traceback
    problems = []
    if not isinstance(enabled, bool):
        problems.append(("enabled", enabled, t("validation.boolean")))
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 < threshold <= 1
    ):
        problems.append(("threshold", threshold, t("identity.bad_threshold")))
    if problems:
        raise refusal(path, [("[identity]", *problem) for problem in problems])
    return IdentitySettings(enabled=enabled, threshold=float(threshold))


def model_path(ws: Workspace) -> Path:
    return ws.root / "identity" / "model.json"


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary", [table]
    ).fetchone()
    return bool(row and row[0])


def _signature(con: duckdb.DuckDBPyConnection) -> str:
    cols = ", ".join(f'"{c}"' for c in _SRC_COLUMNS)
    row = con.execute(f"SELECT count(*), sum(hash({cols})) FROM customers").fetchone()
    assert row is not None
    return f"{row[0]}:{row[1]}"


def _decisions(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, str]]:
    if not _exists(con, "identity_decisions"):
        return []
    return [
        (r[0], r[1], r[2])
        for r in con.execute(
            "SELECT a, b, decision FROM identity_decisions ORDER BY decided_at"
        ).fetchall()
    ]


def _create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """CREATE TABLE IF NOT EXISTS identity_decisions (
            a VARCHAR, b VARCHAR, decision VARCHAR, who VARCHAR, decided_at TIMESTAMP)"""
    )
    con.execute(
        """CREATE TABLE IF NOT EXISTS identity_state (
            signature VARCHAR, threshold DOUBLE, resolved_at TIMESTAMP, report VARCHAR)"""
    )


def is_current(ws: Workspace) -> bool:
    """Whether the stored result was computed from the customers as they are now."""
    with ws.read() as con:
        if not _exists(con, "identity_state") or not _exists(con, "identity_map"):
            return False
        row = con.execute("SELECT signature, threshold FROM identity_state").fetchone()
        if row is None:
            return False
        return bool(row[0] == _signature(con) and row[1] == settings(ws).threshold)


def run(ws: Workspace, *, retrain: bool = False, who: str = "cli") -> dict[str, Any]:
    """Resolve every customer record to a person and store the result (see the module).
    The model is trained on the first run (or with ``retrain``, or once the records more
    than doubled since it was trained) and reused otherwise."""
    threshold = settings(ws).threshold
    with ws.read() as con:
        src = con.execute(f"SELECT {_SRC_SELECT} FROM customers").to_arrow_table()
        decisions = _decisions(con)
        signature = _signature(con)
    with ws.scratch() as scratch:
        src_rows = src.num_rows
        scratch.register("src_arrow", src)
        scratch.execute("CREATE TEMP TABLE src AS SELECT * FROM src_arrow")
        scratch.unregister("src_arrow")
        del src
        path = model_path(ws)
        info_path = path.with_name("model-info.json")
        trained_on = (
            json.loads(info_path.read_text()).get("records", 0) if info_path.is_file() else 0
        )
        # train when asked, when there is no model, or when the data more than doubled
        retrain = retrain or not path.is_file() or src_rows > 2 * trained_on
        report = linker.resolve(
            scratch, threshold=threshold, model_path=path, retrain=retrain, decisions=decisions
        )
        if report.get("trained"):
            info_path.write_text(json.dumps({"records": report["trained_on"]}))
        links = _links_table(scratch)
        names = scratch.execute("SELECT customer_id, origin FROM rec").to_arrow_table()
        mapping = scratch.execute("SELECT customer_id, person_id FROM person_map").to_arrow_table()
    with ws.write() as con:
        _create(con)
        con.register("links_arrow", links)
        con.execute("CREATE OR REPLACE TABLE identity_links AS SELECT * FROM links_arrow")
        con.unregister("links_arrow")
        con.register("names_arrow", names)
        con.register("map_arrow", mapping)
        con.execute(
            """CREATE OR REPLACE TABLE identity_map AS
            SELECT n.customer_id, m.person_id, n.origin
            FROM names_arrow n JOIN map_arrow m USING (customer_id)"""
        )
        con.unregister("names_arrow")
        con.unregister("map_arrow")
        _persons(con)
        review = _count_review(con)
        report = {**report, "review": review, "threshold": threshold}
        con.execute("DELETE FROM identity_state")
        con.execute(
            "INSERT INTO identity_state VALUES (?, ?, ?, ?)",
            [signature, threshold, dt.datetime.now(), repr(report)],
        )
    return report


def _links_table(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The candidate links with their evidence as text (computed in SQL: a million
    links are not a million Python dicts)."""
    rows = con.execute(
        f"""SELECT a, b, rule, probability, weight, accepted,
               CASE WHEN rule <> 'model' THEN 'deterministic: ' || rule
                    ELSE {model_evidence_sql()} END AS evidence
        FROM links"""
    ).to_arrow_table()
    schema = pa.schema(
        [
            ("a", pa.string()),
            ("b", pa.string()),
            ("rule", pa.string()),
            ("probability", pa.float64()),
            ("weight", pa.float64()),
            ("accepted", pa.bool_()),
            ("evidence", pa.string()),
        ]
    )
    return rows.cast(schema)


def _persons(con: duckdb.DuckDBPyConnection) -> None:
    """The ``identity_persons`` view: each person's surviving profile
    (:data:`SURVIVOR_RULE`), read from the customers as they are."""
    columns = [r[0] for r in con.execute("DESCRIBE customers").fetchall()]
    rank = "coalesce(c.import_id, '') || '|' || c.customer_id"
    parts = []
    for col in columns:
        q = f'c."{col}"'
        if col == "customer_id":
            parts.append('m.person_id AS "customer_id"')
        elif col == "origin":
            parts.append(f"string_agg(DISTINCT {q}, ',' ORDER BY {q}) AS \"origin\"")
        elif col == "created_at":
            parts.append(f'min({q}) AS "created_at"')
        elif col == "marketing_consent":
            # a refusal on any record stands: a newer import elsewhere does not undo it
            parts.append(f'bool_and({q}) AS "marketing_consent"')
        elif col == "sms_consent":
            # unknown while no record has an SMS answer (the general one then holds);
            # else what SMS_CONSENT says of every record, so a record whose only answer
            # is a general no (a member list with 营销许可 only) refuses SMS too
            parts.append(
                f"CASE WHEN bool_or({q} IS NOT NULL) THEN bool_and({SMS_CONSENT}) END "
                'AS "sms_consent"'
            )
        elif col == "name":
            hz = f"(regexp_matches({q}, '[\\x{{4e00}}-\\x{{9fff}}]'))::INT::VARCHAR"
            parts.append(f'arg_max({q}, {hz} || {rank}) FILTER (WHERE {q} IS NOT NULL) AS "name"')
        else:
            parts.append(f'arg_max({q}, {rank}) FILTER (WHERE {q} IS NOT NULL) AS "{col}"')
    con.execute(
        f"""CREATE OR REPLACE VIEW identity_persons AS
        SELECT {", ".join(parts)}
        FROM customers c JOIN identity_map m ON c.customer_id = m.customer_id
        GROUP BY m.person_id"""
    )


def has_map(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether identity resolution ever stored its records-to-persons map here."""
    return _exists(con, "identity_map")


def _resolved(ws: Workspace, con: duckdb.DuckDBPyConnection) -> bool:
    return settings(ws).enabled and has_map(con)


def profiles_sql(ws: Workspace, con: duckdb.DuckDBPyConnection) -> str:
    """A relation (SQL text, no user input) with one customers-like row per id a run keys
    its customers by: with identity enabled and resolved, each person's surviving profile
    under the person id plus the records not yet resolved; else the customers table. What
    automation reads contacts and consent from, so they match the run's ids."""
    if not _resolved(ws, con):
        return "customers"
    return (
        "(SELECT * FROM identity_persons UNION ALL BY NAME "
        "SELECT c.* FROM customers c ANTI JOIN identity_map m USING (customer_id))"
    )


#: a customer record's answer for SMS: its own SMS answer when it has one, else its
#: general marketing consent (an export such as Shopify's has both; a member list only 营销许可)
SMS_CONSENT = "coalesce(c.sms_consent, c.marketing_consent)"


def consenting_sql(ws: Workspace, con: duckdb.DuckDBPyConnection, sms: bool = False) -> str:
    """SQL (no user input) for the ids among a registered table ``wanted(customer_id)``
    whose profile (:func:`profiles_sql`) agrees to marketing (``sms``: to SMS marketing,
    :data:`SMS_CONSENT`), reading only their records: the delivery worker asks this for
    every batch, and the persons' view aggregates every record. A person agrees when their
    records do, the rule :func:`_persons` applies. ``sms`` needs the customers table's
    ``sms_consent`` column (the caller has looked: a workspace not written since the
    column came has the general answer only)."""
    agreed = SMS_CONSENT if sms else "c.marketing_consent"
    if not _resolved(ws, con):
        return (
            "SELECT c.customer_id FROM customers c JOIN wanted USING (customer_id) "
            f"WHERE {agreed} IS TRUE"
        )
    return (
        "SELECT m.person_id FROM identity_map m "
        "JOIN wanted w ON w.customer_id = m.person_id "
        "JOIN customers c ON c.customer_id = m.customer_id "
        f"GROUP BY m.person_id HAVING bool_and({agreed}) IS TRUE "
        "UNION ALL SELECT c.customer_id FROM customers c JOIN wanted USING (customer_id) "
        f"WHERE {agreed} IS TRUE "
        "AND c.customer_id NOT IN (SELECT customer_id FROM identity_map)"
    )


def linked_ids(ws: Workspace, con: duckdb.DuckDBPyConnection, ids: set[str]) -> set[str]:
    """``ids`` with, when identity is resolved, the person of each record among them and
    the records of each person among them: an opt-out recorded under a record reaches
    the person a run messages, and one recorded under a person reaches their records."""
    if not ids or not has_map(con):
        return set(ids)
    con.register("_linked_ids", pa.table({"id": pa.array(sorted(ids), pa.string())}))
    try:
        rows = con.execute(
            "SELECT person_id FROM identity_map WHERE customer_id IN (SELECT id FROM _linked_ids) "
            "UNION SELECT customer_id FROM identity_map "
            "WHERE person_id IN (SELECT id FROM _linked_ids)"
        ).fetchall()
    finally:
        con.unregister("_linked_ids")
    return set(ids) | {r[0] for r in rows}


def _count_review(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(f"SELECT count(*) FROM ({_REVIEW_SQL})").fetchone()
    return int(row[0]) if row else 0


#: uncertain pairs: scored by the model, not yet decided by a person, and either left in
#: two persons or joined with a probability below 0.99
_REVIEW_SQL = """
    SELECT l.*, ma.person_id AS person_a, mb.person_id AS person_b FROM identity_links l
    JOIN identity_map ma ON ma.customer_id = l.a
    JOIN identity_map mb ON mb.customer_id = l.b
    WHERE l.rule = 'model'
      AND ((NOT l.accepted AND ma.person_id <> mb.person_id)
           OR (l.accepted AND l.probability < 0.99))
      AND NOT EXISTS (SELECT 1 FROM identity_decisions d
                      WHERE d.a = l.a AND d.b = l.b AND d.decision IN ('confirm', 'reject'))
"""


def _require(con: duckdb.DuckDBPyConnection) -> None:
    if not _exists(con, "identity_map"):
        raise WorkspaceError(t("identity.not_run"))


def review(ws: Workspace, limit: int = 50) -> list[dict[str, Any]]:
    """The uncertain pairs, most probable first, each with both records and the evidence."""
    with ws.read() as con:
        _require(con)
        rows = con.execute(
            f"""SELECT r.a, r.b, r.probability, r.accepted, r.evidence,
                   r.person_a, r.person_b,
                   ca.origin AS origin_a, ca.name AS name_a, ca.city AS city_a,
                   cb.origin AS origin_b, cb.name AS name_b, cb.city AS city_b
            FROM ({_REVIEW_SQL}) r
            LEFT JOIN customers ca ON ca.customer_id = r.a
            LEFT JOIN customers cb ON cb.customer_id = r.b
            ORDER BY r.probability DESC, r.a, r.b LIMIT ?""",
            [limit],
        ).to_arrow_table()
    return list(rows.to_pylist())


def decide(ws: Workspace, a: str, b: str | None, decision: str, who: str = "cli") -> dict[str, Any]:
    """Record a person's decision (``confirm`` or ``reject`` a pair of records, ``split``
    a record or a person into its records) and apply it at once; it is kept for every
    later run."""
    if decision not in ("confirm", "reject", "split"):
        raise ValueError(decision)
    with ws.write() as con:
        _create(con)
        _require(con)
        if decision == "split":
            assert b is None
            targets = [
                r[0]
                for r in con.execute(
                    "SELECT customer_id FROM identity_map WHERE person_id = ? OR customer_id = ?",
                    [a, a],
                ).fetchall()
            ]
            if not targets:
                raise WorkspaceError(t("identity.unknown", id=a))
            now = dt.datetime.now()
            for x in targets:
                con.execute(
                    "INSERT INTO identity_decisions VALUES (?, NULL, 'split', ?, ?)", [x, who, now]
                )
                # a split ends what was confirmed for that record before
                con.execute(
                    "DELETE FROM identity_decisions"
                    " WHERE decision = 'confirm' AND (a = ? OR b = ?)",
                    [x, x],
                )
        else:
            assert b is not None
            for x in (a, b):
                found = con.execute(
                    "SELECT count(*) FROM customers WHERE customer_id = ?", [x]
                ).fetchone()
                if not found or not found[0]:
                    raise WorkspaceError(t("identity.unknown", id=x))
            lo, hi = min(a, b), max(a, b)
            con.execute(
                "DELETE FROM identity_decisions WHERE a = ? AND b = ? AND decision <> 'split'",
                [lo, hi],
            )
            if decision == "confirm":
                con.execute(
                    "DELETE FROM identity_decisions WHERE decision = 'split' AND a IN (?, ?)",
                    [lo, hi],
                )
            con.execute(
                "INSERT INTO identity_decisions VALUES (?, ?, ?, ?, ?)",
                [lo, hi, decision, who, dt.datetime.now()],
            )
        persons = _recluster(con)
    return {"persons": persons}


def _recluster(con: duckdb.DuckDBPyConnection) -> int:
    """Cluster the stored links again under the decisions (no new scoring)."""
    names = linker.record_names(con)
    ids = [r[0] for r in con.execute("SELECT customer_id FROM identity_map").fetchall()]
    con.register(
        "_recluster_names",
        pa.table(
            {
                "customer_id": ids,
                "name_py": [names[x][0] if x in names else None for x in ids],
                "name_rev": [names[x][1] if x in names else None for x in ids],
            },
            schema=pa.schema(
                [("customer_id", pa.string()), ("name_py", pa.string()), ("name_rev", pa.string())]
            ),
        ),
    )
    con.execute(
        """CREATE OR REPLACE TEMP VIEW _recluster_edges AS
        SELECT a, b, row_number() OVER (ORDER BY rule = 'model', probability DESC, a, b) AS ord
        FROM identity_links WHERE accepted"""
    )
    confirmed, rejected, split = linker.decisions_of(_decisions(con))
    counted = linker.cluster_sql(
        con,
        records="_recluster_names",
        edges="_recluster_edges",
        rejected=rejected,
        confirmed=confirmed,
        split=split,
    )
    con.execute(
        """UPDATE identity_map SET person_id = m.person_id FROM person_map m
        WHERE identity_map.customer_id = m.customer_id"""
    )
    con.execute("DROP VIEW _recluster_edges")
    con.execute("DROP TABLE person_map")
    con.unregister("_recluster_names")
    _persons(con)
    return counted["persons"]


#: identity resolution's tables that name a customer record, and how
_RECORD_ROWS = (
    ("identity_map", "customer_id = ?"),
    ("identity_links", "a = ? OR b = ?"),
    ("identity_decisions", "a = ? OR b = ?"),
)


def held(con: duckdb.DuckDBPyConnection, customer_id: str) -> int:
    """How many rows of identity resolution's tables name one customer record (what
    :func:`forget` would remove)."""
    found = 0
    for table, where in _RECORD_ROWS:
        if _exists(con, table):
            params = [customer_id] * where.count("?")
            row = con.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()
            found += int(row[0]) if row else 0
    return found


def forget(con: duckdb.DuckDBPyConnection, customer_id: str) -> int:
    """Remove one customer record from identity resolution's tables (for an erasure, on
    the erasing write connection); the rows removed, counted."""
    removed = held(con, customer_id)
    for table, where in _RECORD_ROWS:
        if _exists(con, table):
            params = [customer_id] * where.count("?")
            con.execute(f"DELETE FROM {table} WHERE {where}", params)
    return removed
