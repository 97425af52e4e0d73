"""Finding the person a privacy request names by a phone number or e-mail address.

A person asking to see or erase their data gives their phone or e-mail, not kequn's id,
and an id made from a phone or e-mail (an order export's buyer, a member list without
member numbers) is a keyed pseudonym, ``p-…``, that no one can read back. So a request
that is no id held is looked up as a contact: the customers whose phone or e-mail is
that contact, normalised as the import normalises them (136 1111 2222 is 13611112222,
e-mails compare case-insensitively), and the pseudonym an import made of it."""

from __future__ import annotations

from kequn.ingest.shape import install_macros
from kequn.store.workspace import Workspace

#: the tables whose customer_id an id is looked for in (a buyer known only from orders)
_HOLDERS = ("customers", "orders", "events")


def subjects(ws: Workspace, given: str) -> list[str]:
    """The customer ids a privacy request for ``given`` is about: ``given`` itself when it
    is an id the workspace holds (or no phone or e-mail), else the ids of the customers
    with that phone or e-mail (none, one, or several sharing it), sorted."""
    given = given.strip()
    if not given or ws.current_generation() is None:
        return [given]
    with ws.read() as con:
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        holders = [t for t in (*_HOLDERS, "identity_map") if t in tables]
        for table in holders:
            columns = "customer_id = ?" + (" OR person_id = ?" if table == "identity_map" else "")
            given_twice = [given] * columns.count("?")
            found = con.execute(f"SELECT 1 FROM {table} WHERE {columns} LIMIT 1", given_twice)
            if found.fetchone():
                return [given]
        install_macros(con, ws.secret_key())
        row = con.execute(
            "SELECT kq_phone(?), kq_email(?), kq_pseudo(kq_phone(?)), kq_pseudo(kq_email(?))",
            [given] * 4,
        ).fetchone()
        phone, email, *pseudonyms = row if row else (None, None)
        if phone is None and email is None:
            return [given]
        keyed = [p for p in pseudonyms if p is not None]
        queries = [
            # an import with a source keeps its ids as SOURCE:ID (taobao:p-…)
            f"SELECT customer_id FROM {t} WHERE list_contains(?::VARCHAR[], "
            "regexp_replace(customer_id, '^.*:', ''))"
            for t in holders
            if t != "identity_map"
        ]
        params: list[object] = [keyed] * len(queries)
        if "customers" in tables:
            names = {r[0] for r in con.execute("DESCRIBE customers").fetchall()}
            contacts = (("phone", phone, "kq_phone"), ("email", email, "kq_email"))
            for column, value, macro in contacts:
                if column in names and value is not None:
                    queries.append(f"SELECT customer_id FROM customers WHERE {macro}({column}) = ?")
                    params.append(value)
        rows = con.execute(" UNION ".join(queries) + " ORDER BY 1", params).fetchall()
    return [str(r[0]) for r in rows]
