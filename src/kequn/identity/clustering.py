"""Clustering accepted links into persons.

The rule (:func:`cluster`, the reference): links are taken strongest first (confirmed by
a person, then deterministic, then by probability) into connected components, refusing
any link that would put the two records of a rejected pair into one person, or (unless
confirmed) records whose known names disagree, so a record without a name cannot chain
two people who share a phone.

:func:`cluster_sql` gives the same result set-based, in DuckDB: connected components by
label propagation with pointer jumping (a few joins over the links, however many); a
component whose names all agree with one another and that holds no rejected pair is a
person as it is (every link in it would be taken), and only the rest, a small share, go
through :func:`cluster` in Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from kequn.identity.names import agree_sql, names_agree

#: a component with more distinct names than this is clustered by the reference rule
#: without checking its names pairwise in SQL (their pairs grow with the square)
MAX_NAMES_CHECKED = 16


class _Union:
    def __init__(self, forbidden: dict[str, set[str]], names: dict[str, tuple[str, str]]) -> None:
        self.parent: dict[str, str] = {}
        self.forbid = {k: set(v) for k, v in forbidden.items()}
        self.names: dict[str, set[tuple[str, str]]] = {k: {v} for k, v in names.items()}

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str, *, forced: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        fa, fb = self.forbid.get(ra), self.forbid.get(rb)
        if fa and any(self.find(x) == rb for x in fa):
            return False
        if fb and any(self.find(x) == ra for x in fb):
            return False
        na, nb = self.names.get(ra), self.names.get(rb)
        if not forced and na and nb and not all(names_agree(x, y) for x in na for y in nb):
            return False
        self.parent[rb] = ra
        if fb:
            self.forbid.setdefault(ra, set()).update(fb)
            del self.forbid[rb]
        if nb:
            self.names.setdefault(ra, set()).update(nb)
            del self.names[rb]
        return True


def cluster(
    ids: Iterable[str],
    edges: Iterable[tuple[str, str]],
    rejected: Iterable[tuple[str, str]] = (),
    *,
    names: dict[str, tuple[str, str]] | None = None,
    confirmed: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Each record's person id: connected components of the ``confirmed`` links, then
    of ``edges`` (taken in order, the strongest first), never joining the two records of
    a ``rejected`` pair, nor (except when confirmed) records whose known ``names``
    (pinyin, reversed) disagree. A person id is ``P`` and 12 hex digits of a hash of its
    smallest record id (stable while that record stays in the person)."""
    forbidden: dict[str, set[str]] = {}
    for a, b in rejected:
        forbidden.setdefault(a, set()).add(b)
        forbidden.setdefault(b, set()).add(a)
    uf = _Union(forbidden, names or {})
    for a, b in confirmed:
        uf.union(a, b, forced=True)
    for a, b in edges:
        uf.union(a, b)
    members: dict[str, str] = {}
    all_ids = list(ids)
    for x in all_ids:
        root = uf.find(x)
        if root not in members or x < members[root]:
            members[root] = x
    return {x: person_id(members[uf.find(x)]) for x in all_ids}


def person_id(smallest: str) -> str:
    return "P" + hashlib.sha1(smallest.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - an id, not security


def _pairs(con: duckdb.DuckDBPyConnection, name: str, pairs: Iterable[tuple[str, str]]) -> None:
    listed = list(pairs)
    arrow = pa.table(
        {"a": [p[0] for p in listed], "b": [p[1] for p in listed]},
        schema=pa.schema([("a", pa.string()), ("b", pa.string())]),
    )
    con.register(f"{name}_arrow", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def _components(con: duckdb.DuckDBPyConnection) -> int:
    """``_cl_lab(n, label)``: each linked record's component, labelled by its smallest
    record number, from ``_cl_e(x, y)``; returns the rounds it took."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _cl_adj AS
        SELECT x, y FROM _cl_e UNION ALL SELECT y, x FROM _cl_e"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _cl_lab AS
        SELECT x AS n, least(x, min(y)) AS label FROM _cl_adj GROUP BY x"""
    )
    rounds = 0
    while True:
        rounds += 1
        # each record takes the smallest label among its neighbours, then the label of
        # its label (pointer jumping: chains shorten by half each round)
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _cl_next AS
            WITH nb AS (
                SELECT a.x AS n, min(l.label) AS m
                FROM _cl_adj a JOIN _cl_lab l ON l.n = a.y GROUP BY a.x
            ), hop AS (
                SELECT l.n, least(l.label, nb.m) AS label FROM _cl_lab l JOIN nb USING (n)
            )
            SELECT h.n, least(h.label, coalesce(j.label, h.label)) AS label
            FROM hop h LEFT JOIN hop j ON j.n = h.label"""
        )
        row = con.execute(
            "SELECT count(*) FROM _cl_next x JOIN _cl_lab l USING (n) WHERE x.label <> l.label"
        ).fetchone()
        con.execute("DROP TABLE _cl_lab")
        con.execute("ALTER TABLE _cl_next RENAME TO _cl_lab")
        if not row or not row[0]:
            return rounds


def cluster_sql(
    con: duckdb.DuckDBPyConnection,
    *,
    records: str,
    edges: str,
    rejected: Iterable[tuple[str, str]] = (),
    confirmed: Iterable[tuple[str, str]] = (),
    split: Iterable[str] = (),
) -> dict[str, int]:
    """:func:`cluster` on tables of ``con``: ``records`` (customer_id, name_py,
    name_rev) and ``edges`` (a, b, ord: the accepted links, the strongest the lowest
    ord). Links touching a ``split`` record are left out. Leaves ``person_map(customer_id,
    person_id)``; returns counts (persons, components checked by the reference rule,
    label-propagation rounds)."""
    _pairs(con, "_cl_rejected", rejected)
    _pairs(con, "_cl_confirmed", confirmed)
    _pairs(con, "_cl_split", [(x, x) for x in split])
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _cl_ids AS
        SELECT customer_id AS id, row_number() OVER (ORDER BY customer_id) AS n,
               CAST(name_py AS VARCHAR) AS name_py, CAST(name_rev AS VARCHAR) AS name_rev
        FROM {records}"""
    )
    # the links to follow, as record numbers: confirmed first (forced), then accepted
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _cl_links AS
        WITH given AS (
            SELECT a, b, 0 AS stage, 0 AS ord FROM _cl_confirmed
            UNION ALL
            SELECT a, b, 1, ord FROM {edges}
            WHERE a NOT IN (SELECT a FROM _cl_split) AND b NOT IN (SELECT a FROM _cl_split)
        )
        SELECT ia.n AS x, ib.n AS y, g.stage, g.ord, g.a, g.b
        FROM given g JOIN _cl_ids ia ON ia.id = g.a JOIN _cl_ids ib ON ib.id = g.b
        WHERE ia.n <> ib.n"""
    )
    con.execute("CREATE OR REPLACE TEMP TABLE _cl_e AS SELECT DISTINCT x, y FROM _cl_links")
    rounds = _components(con)
    # components the reference rule might cut: a rejected pair inside, too many names
    # to check, or two names that do not agree (either way round)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _cl_dirty AS
        WITH named AS (
            SELECT DISTINCT l.label, i.name_py, i.name_rev
            FROM _cl_lab l JOIN _cl_ids i USING (n) WHERE i.name_py IS NOT NULL
        ), counted AS (
            SELECT *, count(*) OVER (PARTITION BY label) AS k FROM named
        )
        SELECT DISTINCT la.label FROM _cl_rejected r
            JOIN _cl_ids ia ON ia.id = r.a JOIN _cl_lab la ON la.n = ia.n
            JOIN _cl_ids ib ON ib.id = r.b JOIN _cl_lab lb ON lb.n = ib.n
            WHERE la.label = lb.label
        UNION
        SELECT label FROM counted WHERE k > {MAX_NAMES_CHECKED}
        UNION
        SELECT p.label FROM counted p JOIN counted q
            ON p.label = q.label AND (p.name_py, p.name_rev) <> (q.name_py, q.name_rev)
            WHERE p.k BETWEEN 2 AND {MAX_NAMES_CHECKED}
              AND NOT ({agree_sql("p.name_py", "q.name_py", "q.name_rev")})"""
    )
    dirty = _reference(con)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE person_map AS
        SELECT i.id AS customer_id,
               coalesce(d.person_id, 'P' || sha1(root.id)[1:12]) AS person_id
        FROM _cl_ids i
        LEFT JOIN _cl_lab l ON l.n = i.n
        LEFT JOIN _cl_ids root ON root.n = coalesce(l.label, i.n)
        LEFT JOIN _cl_fixed d ON d.customer_id = i.id"""
    )
    row = con.execute("SELECT count(DISTINCT person_id) FROM person_map").fetchone()
    for table in ("_cl_adj", "_cl_e", "_cl_lab", "_cl_links", "_cl_ids", "_cl_fixed"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return {"persons": int(row[0]) if row else 0, "checked": dirty, "rounds": rounds}


def _reference(con: duckdb.DuckDBPyConnection) -> int:
    """``_cl_fixed(customer_id, person_id)`` for the records of the components in
    ``_cl_dirty``, by :func:`cluster`; returns how many components those were."""
    members = con.execute(
        """SELECT i.id, i.name_py, i.name_rev FROM _cl_lab l
        JOIN _cl_dirty d USING (label) JOIN _cl_ids i USING (n)"""
    ).fetchall()
    links = con.execute(
        """SELECT k.a, k.b, k.stage FROM _cl_links k
        JOIN _cl_lab l ON l.n = k.x JOIN _cl_dirty d USING (label)
        ORDER BY k.stage, k.ord"""
    ).fetchall()
    inside = {m[0] for m in members}
    rejected = [
        (a, b)
        for a, b in con.execute("SELECT a, b FROM _cl_rejected").fetchall()
        if a in inside and b in inside
    ]
    mapping = cluster(
        [m[0] for m in members],
        [(a, b) for a, b, stage in links if stage == 1],
        rejected,
        names={m[0]: (m[1], m[2]) for m in members if m[1] is not None},
        confirmed=[(a, b) for a, b, stage in links if stage == 0],
    )
    arrow = pa.table(
        {"customer_id": list(mapping), "person_id": list(mapping.values())},
        schema=pa.schema([("customer_id", pa.string()), ("person_id", pa.string())]),
    )
    con.register("_cl_fixed_arrow", arrow)
    con.execute("CREATE OR REPLACE TEMP TABLE _cl_fixed AS SELECT * FROM _cl_fixed_arrow")
    con.unregister("_cl_fixed_arrow")
    row = con.execute("SELECT count(*) FROM _cl_dirty").fetchone()
    return int(row[0]) if row else 0
