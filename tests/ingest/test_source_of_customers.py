"""Customers imported with ``--source crm``, then their orders or interactions without a
source: a row naming ``C001``, stored nowhere as given but as ``crm:C001``, is
quarantined with a message naming the stored id and the ways on, not made a second,
empty customer beside ``crm:C001`` without a word, nor joined to crm's customer on a
coincidence of ids (two systems' numbered customers)."""

from __future__ import annotations

from pathlib import Path

from kequn.core.i18n import on_web, t
from kequn.ingest.importer import import_file
from kequn.ingest.quarantine import quarantine_rows
from kequn.store.workspace import Workspace
from kequn.web import web_variants  # noqa: F401 - registers the web's words


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _rows(ws: Workspace, query: str) -> list[tuple[object, ...]]:
    with ws.read() as con:
        return sorted(con.execute(query).fetchall())


CUSTOMERS = "customer_id,name\nC001,Amy\nC002,Bob\n"
ORDERS = (
    "order_id,customer_id,ordered_at,amount,status\n"
    "O1,C001,2026-01-02,100,paid\nO2,C002,2026-01-03,50,paid\nO3,C003,2026-01-04,20,paid\n"
)


def test_orders_of_a_source_s_customers_are_held_until_the_source_is_named(
    ws: Workspace, tmp_path: Path
) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS), origin="crm")
    report = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS))
    # no second, empty customer beside crm:C001 and crm:C002; C003 is nobody's: derived
    assert _rows(ws, "SELECT customer_id FROM customers") == [
        ("C003",),
        ("crm:C001",),
        ("crm:C002",),
    ]
    assert _rows(ws, "SELECT order_id, customer_id FROM orders") == [("O3", "C003")]
    assert report.rejected == 2
    held = _rows(ws, 'SELECT "row", reason, value FROM quarantine')
    assert held == [(2, "customer_of_source", "C001"), (3, "customer_of_source", "C002")]
    # the message names the stored id and both ways on, in both languages
    for lang in ("en", "zh"):
        said = [r["message"] for r in quarantine_rows(ws, table="orders", lang=lang)]
        assert any("crm:C001" in m and "--source" in m and "--no-source" in m for m in said)
    # named: the rows are crm's
    named = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS), origin="crm")
    assert ("crm:O1", "crm:C001") in _rows(ws, "SELECT order_id, customer_id FROM orders")
    assert named.rejected == 1  # crm:C003 is no customer of crm's


def test_no_source_keeps_the_ids_as_given(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS), origin="crm")
    kept = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS), default_origin=False)
    assert kept.rejected == 0
    assert ("O1", "C001") in _rows(ws, "SELECT order_id, customer_id FROM orders")
    # C001 is now stored as given: the next file naming it is not held
    more = "order_id,customer_id,ordered_at,amount,status\nO4,C001,2026-02-02,10,paid\n"
    report = import_file(ws, "orders", _csv(tmp_path / "o2.csv", more))
    assert report.rejected == 0


def test_interactions_are_held_too_and_two_sources_are_named(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS), origin="crm")
    import_file(ws, "customers", _csv(tmp_path / "s.csv", CUSTOMERS), origin="shop")
    events = _csv(
        tmp_path / "e.csv",
        "event_id,customer_id,occurred_at,type\nE1,C001,2026-01-02,view\n",
    )
    report = import_file(ws, "events", events)
    assert report.rejected == 1
    assert _rows(ws, "SELECT reason, value, detail FROM quarantine") == [
        ("customer_of_source", "C001", "crm:C001, shop:C001")
    ]
    assert _rows(ws, "SELECT count(*) FROM events") == [(0,)]


def test_a_workspace_without_sources_is_unchanged(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS))
    report = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS))
    assert report.rejected == 1
    assert _rows(ws, "SELECT reason FROM quarantine") == [("unknown_customer",)]


def test_the_web_names_the_upload_s_parameters() -> None:
    for lang in ("zh", "en"):
        assert "--source" in t("reason.customer_of_source", lang, value="C1", detail="crm:C1")
        with on_web():
            said = t("reason.customer_of_source", lang, value="C1", detail="crm:C1")
        assert "--" not in said
        assert "source" in said
        assert "no_source=true" in said
