"""Identity resolution: which customer records, from which sources, are one person.

A step before features. :mod:`kequn.identity.resolve` links records (deterministic keys
first, then a splink model on DuckDB) and clusters them into persons;
:mod:`kequn.identity.workspace` stores the result, the model and people's decisions in
the workspace; :func:`persons_engine` hands the run's features customers, orders and
events keyed by person when ``[identity] enabled = true`` in kequn.toml (orders of all
of a person's sources together, so a person's value is the sum over their sources).
:mod:`kequn.identity.synthetic` makes multi-source data with known truth to measure it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.compute import Categories, Engine
from kequn.core.i18n import t
from kequn.identity.workspace import (
    SURVIVOR_RULE,
    IdentitySettings,
    decide,
    is_current,
    review,
    run,
    settings,
)
from kequn.store.workspace import Workspace, WorkspaceError

__all__ = [
    "SURVIVOR_RULE",
    "IdentitySettings",
    "decide",
    "ensure_current",
    "is_current",
    "persons_engine",
    "review",
    "run",
    "settings",
]


def ensure_current(ws: Workspace) -> dict[str, Any] | None:
    """With identity enabled, resolve again if the customers changed since the stored
    result (returns the report), else nothing. Called before a run opens its engine."""
    if not settings(ws).enabled or is_current(ws):
        return None
    return run(ws)


class PersonsEngine(Engine):
    """An engine whose tables are keyed by person: customers are the persons' surviving
    profiles (records not yet resolved stay as they are), orders and events carry their
    record's person id. ``identity`` gives the ``identity_map`` and ``identity_persons``
    tables on the inner engine's backend."""

    def __init__(self, inner: Engine, identity: Callable[[str], ir.Table]) -> None:
        self.inner = inner
        self.name = inner.name
        self._identity = identity

    def tables(self) -> dict[str, ir.Table]:
        tables = self.inner.tables()
        mapping = self._identity("identity_map").select("customer_id", "person_id")
        persons = self._identity("identity_persons")
        customers = tables["customers"]
        unresolved = customers.anti_join(mapping, customers.customer_id == mapping.customer_id)
        persons = persons.select(
            [
                (persons[c] if c in persons.columns else ibis.null())
                .cast(customers[c].type())
                .name(c)
                for c in customers.columns
            ]
        )
        out = {"customers": persons.union(unresolved.select(customers.columns))}
        for name in ("orders", "events"):
            table = tables[name]
            m = mapping.rename(person_customer="customer_id")
            joined = table.left_join(m, table.customer_id == m.person_customer)
            out[name] = joined.select(
                [
                    ibis.coalesce(joined.person_id, joined.customer_id).name(c)
                    if c == "customer_id"
                    else joined[c]
                    for c in table.columns
                ]
            )
        return out

    def materialize(
        self, expr: ir.Table, path: Path, categories: Categories | None = None
    ) -> ir.Table:
        return self.inner.materialize(expr, path, categories)

    def date_value(self, day: dt.date) -> ir.DateValue:
        """The inner engine's way of writing a date into queries, or a literal."""
        dates = getattr(self.inner, "date_value", None)
        return dates(day) if dates is not None else ibis.date(day)

    def scalar(self, expr: ir.Scalar) -> Any:
        return self.inner.scalar(expr)

    def close(self) -> None:
        self.inner.close()


def persons_engine(ws: Workspace, engine: Engine) -> Engine:
    """``engine`` itself with identity disabled; with it enabled, the same engine with its
    tables keyed by person.

    Resolution itself runs on DuckDB (:func:`run`, from the workspace's published data)
    whatever the run's engine: on DuckDB the run reads its result tables directly; on
    Spark it reads them as Parquet written next to the engine's own Parquet copies of the
    canonical tables (:func:`export_identity`), so a Spark run classifies persons too."""
    if not settings(ws).enabled:
        return engine
    con = getattr(engine, "con", None)
    if con is None:
        raise WorkspaceError(t("identity.duckdb_only"))
    if engine.name == "duckdb":
        if "identity_map" not in con.list_tables():
            raise WorkspaceError(t("identity.not_run"))
        return PersonsEngine(engine, con.table)
    folder = getattr(engine, "folder", None)
    if folder is None:
        raise WorkspaceError(t("identity.duckdb_only"))
    exported = export_identity(ws, Path(folder) / "identity")

    def read(name: str) -> ir.Table:
        return con.read_parquet(str(exported / f"{name}.parquet"), table_name=f"kequn_{name}")

    return PersonsEngine(engine, read)


def export_identity(ws: Workspace, folder: Path) -> Path:
    """Parquet copies of ``identity_map`` and of the persons' profiles (``identity_persons``,
    a view over the customers, materialised here) from the published generation, for an
    engine that reads Parquet (Spark). One folder per content of the map (decisions
    change it without changing the generation), so a run never reads files another
    run is writing."""
    with ws.read() as con:
        if "identity_map" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}:
            raise WorkspaceError(t("identity.not_run"))
        row = con.execute(
            "SELECT count(*), coalesce(sum(hash(customer_id, person_id)), 0) FROM identity_map"
        ).fetchone()
        # the generation too: a later import changes the persons' profiles, not the map
        generation = (ws.current_generation() or "none").removesuffix(".duckdb")
        key = f"{generation}-{row[0]}-{int(row[1]) % 10**12:012d}" if row else generation
        target = folder / key
        if (target / "DONE").exists():
            return target
        target.mkdir(parents=True, exist_ok=True)
        for name, query in (
            ("identity_map", "SELECT customer_id, person_id FROM identity_map"),
            ("identity_persons", "SELECT * FROM identity_persons"),
        ):
            path = str(target / f"{name}.parquet").replace("'", "''")
            # fixed table names; the path is ours (COPY takes no parameters)
            con.execute(f"COPY ({query}) TO '{path}' (FORMAT PARQUET)")
    (target / "DONE").write_text("ok")
    return target
