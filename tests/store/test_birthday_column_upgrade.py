"""A workspace written before birthdays were kept apart (``customers.birthday``, MM-DD)
gains the column filled from its birth dates: identity compares only the birth dates
that have a birthday, so an empty column left every stored customer's birth date out
of the evidence until each was imported again."""

from __future__ import annotations

import datetime as dt

from kequn.store.workspace import Workspace


def test_an_older_workspace_gets_its_birthdays(ws: Workspace) -> None:
    with ws.write() as con:
        con.execute(
            "INSERT INTO customers (customer_id, birth_date) VALUES "
            "('c1', DATE '1990-03-15'), ('c2', NULL)"
        )
        con.execute("ALTER TABLE customers DROP COLUMN birthday")  # as an older kequn made it
    with ws.write() as con:  # the next write brings the tables up to date
        rows = con.execute(
            "SELECT customer_id, birth_date, birthday FROM customers ORDER BY customer_id"
        ).fetchall()
        con.execute(
            "INSERT INTO customers (customer_id, birth_date) VALUES ('c3', DATE '1990-01-01')"
        )
    assert rows == [("c1", dt.date(1990, 3, 15), "03-15"), ("c2", None, None)]
    with ws.write() as con:  # once: a year alone stored later (no birthday) stays without
        assert con.execute(
            "SELECT birthday FROM customers WHERE customer_id = 'c3'"
        ).fetchone() == (None,)
