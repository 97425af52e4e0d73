"""Retrying the quarantine does not take rows held as a source's customers as given: a
row naming ``C001``, stored only as ``crm:C001``, in a file imported with no source, is
held again (the retry made the second, empty customer ``C001`` the hold is there to
prevent); rows of an import with ``--no-source`` stay as given on a retry."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.mapping import MappingFile
from kequn.ingest.quarantine import retry
from kequn.store.workspace import Workspace

CUSTOMERS = "customer_id,name\nC001,Amy\nC002,Bob\n"
ORDERS = (
    "order_id,customer_id,ordered_at,amount,status\n"
    "O1,C001,2026-01-02,100,paid\nO2,C002,2026-01-03,50,paid\nO3,C003,2026-01-04,20,paid\n"
)


def _rows(ws: Workspace, query: str) -> list[tuple[object, ...]]:
    with ws.read() as con:
        return sorted(con.execute(query).fetchall())


def test_a_retry_holds_a_source_s_customers_again(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    import_file(ws, "customers", tmp_path / "c.csv", origin="crm")
    import_file(ws, "orders", tmp_path / "o.csv")
    for _ in range(2):  # each time the same: held, nobody made
        (report,) = retry(ws, "orders")
        assert report.rejected == 2
        assert report.accepted == 0
        assert _rows(ws, "SELECT customer_id FROM customers") == [
            ("C003",),
            ("crm:C001",),
            ("crm:C002",),
        ]
        assert _rows(ws, 'SELECT "row", reason FROM quarantine') == [
            (2, "customer_of_source"),
            (3, "customer_of_source"),
        ]
    # the way on the message names: the file again, with its source
    import_file(ws, "orders", tmp_path / "o.csv", origin="crm")
    assert ("crm:O1", "crm:C001") in _rows(ws, "SELECT order_id, customer_id FROM orders")
    assert ("customer_of_source",) not in _rows(ws, "SELECT reason FROM quarantine")


def test_a_retry_of_no_source_rows_keeps_their_ids(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(CUSTOMERS, encoding="utf-8")
    import_file(ws, "customers", tmp_path / "c.csv", origin="crm")
    # --no-source: the ids are the user's as given; a status nobody knows holds a row
    bad = ORDERS.replace("O2,C002,2026-01-03,50,paid", "O2,C002,2026-01-03,50,shipped?")
    (tmp_path / "o.csv").write_text(bad, encoding="utf-8")
    import_file(ws, "orders", tmp_path / "o.csv", default_origin=False, create_customers=True)
    held = _rows(ws, 'SELECT "row", reason FROM quarantine')
    assert held
    assert all(reason != "customer_of_source" for _, reason in held)
    (report,) = retry(ws, "orders", mapping=MappingFile(statuses={"shipped?": "paid"}))
    assert report.rejected == 0
    assert ("O2", "C002") in _rows(ws, "SELECT order_id, customer_id FROM orders")
