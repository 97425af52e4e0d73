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

from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.compute import Engine
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
    record's person id."""

    def __init__(self, inner: Engine, con: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self._con = con

    def tables(self) -> dict[str, ir.Table]:
        tables = self.inner.tables()
        mapping = self._con.table("identity_map").select("customer_id", "person_id")
        persons = self._con.table("identity_persons")
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

    def materialize(self, expr: ir.Table, path: Path) -> ir.Table:
        return self.inner.materialize(expr, path)

    def scalar(self, expr: ir.Scalar) -> Any:
        return self.inner.scalar(expr)

    def close(self) -> None:
        self.inner.close()


def persons_engine(ws: Workspace, engine: Engine) -> Engine:
    """``engine`` itself with identity disabled; with it enabled, the same engine with its
    tables keyed by person (DuckDB only for now)."""
    if not settings(ws).enabled:
        return engine
    con = getattr(engine, "con", None)
    if engine.name != "duckdb" or con is None:
        raise WorkspaceError(t("identity.duckdb_only"))
    if "identity_map" not in con.list_tables():
        raise WorkspaceError(t("identity.not_run"))
    return PersonsEngine(engine, con)
