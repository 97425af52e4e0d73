"""Who a message may go to, read from the published data under the run's own ids.

A run keys its customers by person when identity resolution is enabled (``[identity]``
in kequn.toml): then a customer id in the labels, the assignments and the outbox is a
person id, and contacts (name, e-mail, phone, language) come from the person's surviving
profile, consent included (a refusal on any of their records stands, see
:data:`kequn.identity.SURVIVOR_RULE`). Without identity, they come from the customers
table. Opt-outs are recorded under whatever id a link or a person named; they are read
through :func:`kequn.identity.workspace.linked_ids`, so one recorded under a record
reaches its person and the other way round.

An erasure keeps no one's id, but an opt-out must survive it (so that the same person
imported again is not written to): it is kept as a keyed hash of the id
(:func:`kequn.privacy.pseudonym`, source ``erased``), checked here against each
candidate's hash.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from kequn.automation.channels import single_address
from kequn.automation.compose import plain
from kequn.identity.workspace import consenting_sql, has_map, linked_ids, profiles_sql
from kequn.privacy import pseudonymiser
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import Workspace

#: treated customers rendered per batch: their full label rows and contacts are read in
#: batches of this size, so memory does not grow with the audience
BATCH = 20_000

CONTACT = ("customer_id", "name", "email", "phone", "country", "attributes")

#: the opt-out source of an erased person's opt-out, kept as a keyed hash of their id
ERASED = "erased"
#: the opt-out source of an address (an e-mail or a phone) that must get no marketing,
#: kept as a keyed hash (:func:`address_key`): whoever holds it later, under whatever id
#: (an import that spells the ids otherwise, another shop's export, a person erased and
#: imported again), is not written to
ADDRESS = "address"


def address_key(ws: Workspace, kind: str, value: Any) -> str | None:
    """The keyed hash an opted-out address is kept as: an e-mail trimmed and in lower
    case, a phone as its digits (and a leading ``+``); None for no address."""
    return _address_keys(pseudonymiser(ws), [(kind, value)]).pop() if value else None


def _address_keys(hash_: Any, pairs: Iterable[tuple[str, Any]]) -> set[str | None]:
    out: set[str | None] = set()
    for kind, value in pairs:
        text = str(value or "").strip()
        if kind == "phone":
            text = ("+" if text.startswith("+") else "") + "".join(c for c in text if c.isdigit())
        text = text.lower()
        out.add(hash_(f"{kind}:{text}") if text else None)
    return out


def held_addresses(ws: Workspace, ids: Iterable[str]) -> set[str]:
    """The keyed hashes (:func:`address_key`) of the e-mails and phones ``ids`` have now,
    in the customers table and, with identity resolved, in their persons' profiles."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    with ws.read() as con:
        con.register("wanted", _wanted(wanted))
        rows = con.execute(
            "SELECT email, phone FROM customers JOIN wanted USING (customer_id) UNION ALL "
            "SELECT c.email, c.phone "
            f"FROM {profiles_sql(ws, con)} c JOIN wanted USING (customer_id)"
        ).fetchall()
    hash_ = pseudonymiser(ws)
    found = _address_keys(hash_, [p for r in rows for p in (("email", r[0]), ("phone", r[1]))])
    return {k for k in found if k}


class OptOuts:
    """Who must get no marketing: opted-out ids (with their persons' and records' ids)
    and the hashes of erased people who had opted out."""

    def __init__(
        self, ws: Workspace, rows: list[tuple[str, str | None]], among: list[str] | None = None
    ) -> None:
        self.ws = ws
        self.hashed = {cid for cid, source in rows if source == ERASED}
        self.addresses = {cid for cid, source in rows if source == ADDRESS}
        # the key read once: an HMAC per candidate, not a key file read per candidate too
        self._hash = pseudonymiser(ws) if self.hashed else None
        plain_ids = {cid for cid, source in rows if source not in (ERASED, ADDRESS)}
        self.records: dict[str, list[str]] = {}
        if plain_ids or self.hashed:
            with ws.read() as con:
                plain_ids = linked_ids(ws, con, plain_ids)
                if self.hashed and has_map(con):
                    self._map_records(con, among)
        self.ids = plain_ids

    def _map_records(self, con: duckdb.DuckDBPyConnection, among: list[str] | None) -> None:
        """Each person's records (only ``among``'s, when given: a batch of messages)."""
        query = "SELECT customer_id, person_id FROM identity_map"
        if among is not None:
            con.register("_opt_among", _wanted(among))
            query += " WHERE person_id IN (SELECT customer_id FROM _opt_among)"
        try:
            for record, person in con.execute(query).fetchall():
                self.records.setdefault(person, []).append(record)
        finally:
            if among is not None:
                con.unregister("_opt_among")

    def by_address(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` hold an opted-out address now (an e-mail or a phone)."""
        if not self.addresses or not ids:
            return set()
        return self._held_by(sorted(set(ids)))

    def _held_by(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` hold an opted-out address, in one read."""
        with self.ws.read() as con:
            con.register("wanted", _wanted(ids))
            rows = con.execute(
                "SELECT customer_id, email, phone FROM customers JOIN wanted USING (customer_id) "
                "UNION ALL SELECT c.customer_id, c.email, c.phone "
                f"FROM {profiles_sql(self.ws, con)} c JOIN wanted USING (customer_id)"
            ).fetchall()
        hash_ = pseudonymiser(self.ws)
        return {
            r[0]
            for r in rows
            if _address_keys(hash_, [("email", r[1]), ("phone", r[2])]) & self.addresses
        }

    def blocks(self, email: Any) -> bool:
        """Whether ``email`` (the address a message was planned for) opted out."""
        if not self.addresses or not email:
            return False
        return bool(_address_keys(pseudonymiser(self.ws), [("email", email)]) & self.addresses)

    def __contains__(self, customer_id: object) -> bool:
        if customer_id in self.ids:
            return True
        if self._hash is None:
            return False
        cid = str(customer_id)
        return any(self._hash(x) in self.hashed for x in [cid, *self.records.get(cid, [])])


def opt_outs(
    ws: Workspace, con: duckdb.DuckDBPyConnection, among: list[str] | None = None
) -> OptOuts:
    """The opt-outs in the automation database ``con`` (to be asked about ``among`` only,
    when given)."""
    return OptOuts(
        ws,
        [(r[0], r[1]) for r in con.execute("SELECT customer_id, source FROM opt_outs").fetchall()],
        among,
    )


def _wanted(ids: list[str]) -> pa.Table:
    return pa.table({"customer_id": pa.array(sorted(set(ids)), pa.string())})


def addresses(ws: Workspace, ids: list[str]) -> tuple[set[str], set[str]]:
    """Which of ``ids`` have an e-mail (exactly one address: a cell such as ``a@x.com,
    b@y.com`` is none, see :func:`~kequn.automation.channels.single_address`), which a
    phone (non-empty)."""
    if not ids:
        return set(), set()
    with ws.read() as con:
        con.register("wanted", _wanted(ids))
        rows = con.execute(
            "SELECT c.customer_id, c.email, coalesce(c.phone, '') != '' "
            f"FROM {profiles_sql(ws, con)} c JOIN wanted USING (customer_id)"
        ).fetchall()
    return {r[0] for r in rows if single_address(r[1])}, {r[0] for r in rows if r[2]}


def contacts_now(ws: Workspace, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The name, e-mail and phone of each of ``ids`` in the data as it is now (their
    profile's, as planning reads them, cells as they are); an id the data no longer
    holds (erased, or gone with an import) is left out."""
    if not ids:
        return {}
    with ws.read() as con:
        con.register("wanted", _wanted(ids))
        rows = con.execute(
            f"SELECT c.customer_id, c.name, c.email, c.phone FROM {profiles_sql(ws, con)} c "
            "JOIN wanted USING (customer_id)"
        ).fetchall()
    return {r[0]: {"name": r[1], "email": r[2], "phone": r[3]} for r in rows}


def emails_now(ws: Workspace, ids: list[str]) -> dict[str, str | None]:
    """Each of ``ids``'s e-mail in the data as it is now (their profile's, as planning
    reads it), when it is exactly one address; None for the others."""
    found = contacts_now(ws, ids)
    return {cid: single_address(found.get(cid, {}).get("email")) for cid in ids}


def consenting(ws: Workspace, ids: list[str], sms: bool = False) -> set[str]:
    """Which of ``ids`` agree to marketing now (``marketing_consent`` true in the data as
    it is, not as it was when their message was planned); ``sms``: to SMS marketing
    (``sms_consent``, or ``marketing_consent`` where it is unknown: :mod:`.consent`)."""
    if not ids:
        return set()
    with ws.read() as con:
        columns = {r[0] for r in con.execute("DESCRIBE customers").fetchall()}
        if "marketing_consent" not in columns:
            return set()
        con.register("wanted", _wanted(ids))
        # a customers table without the SMS column (an older workspace): the general answer
        sms = sms and "sms_consent" in columns
        rows = con.execute(consenting_sql(ws, con, sms)).fetchall()
    return {r[0] for r in rows}


def treated_rows(
    mem: duckdb.DuckDBPyConnection, run: RunInfo, ids: list[str]
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(full label row, contact) of each of ``ids``, by id, read ``BATCH`` at a time."""
    ids = sorted(ids)
    # each file read for the batch's customers only (our own folder, not user text)
    source = run.rows_sql(among="SELECT customer_id FROM wanted")
    picked = ", ".join(f"c.{k}" for k in CONTACT[1:])
    ws = run.workspace
    with ws.read() as con:
        profiles = profiles_sql(ws, con)
        for first in range(0, len(ids), BATCH):
            wanted = _wanted(ids[first : first + BATCH])
            mem.register("wanted", wanted)
            con.register("wanted", wanted)
            try:
                rows = mem.execute(
                    f"SELECT * FROM {source} ORDER BY customer_id"
                ).fetch_arrow_table()
                found = con.execute(
                    f"SELECT c.customer_id, {picked} FROM {profiles} c JOIN wanted "
                    "USING (customer_id)"
                ).fetchall()
            finally:
                mem.unregister("wanted")
                con.unregister("wanted")
            contacts = {r[0]: r for r in found}
            maps = [f.name for f in rows.schema if pa.types.is_map(f.type)]
            for row in _without_nan(rows).to_pylist():
                cid = row["customer_id"]
                contact: dict[str, Any] = {"customer_id": cid}
                if cid in contacts:
                    contact = dict(zip(CONTACT, contacts[cid], strict=True))
                    contact["attributes"] = plain(contact["attributes"]) or {}
                for name in maps:
                    row[name] = plain(row[name])
                yield row, contact


def _without_nan(table: pa.Table) -> pa.Table:
    """NaN as null in every float column (what :func:`plain` does, by column)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_floating(field.type):
            column = table.column(i)
            table = table.set_column(
                i, field, pc.if_else(pc.is_nan(column), pa.scalar(None, field.type), column)
            )
    return table
