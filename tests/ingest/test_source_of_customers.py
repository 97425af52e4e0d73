"""Customers imported with ``--source crm``, then their orders or interactions without a
source: the rows are the source's (as ``--source crm`` would make them), not new empty
customers ``C001`` beside ``crm:C001``. Where that is not clear (several sources hold
the ids, few of them match, or some are stored as given) the ids stay as given and a
note says to name the source."""

from __future__ import annotations

from pathlib import Path

from kequn.core.i18n import t
from kequn.ingest.importer import import_file
from kequn.ingest.summary import format_lines
from kequn.store.workspace import Workspace


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


def test_orders_without_a_source_take_their_customers_source(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS), origin="crm")
    report = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS))
    assert report.origin == "crm"
    assert "import.source_of_customers" in report.notes
    # no second, empty customer beside crm:C001; the orders are crm's
    assert _rows(ws, "SELECT customer_id FROM customers") == [("crm:C001",), ("crm:C002",)]
    assert _rows(ws, "SELECT order_id, customer_id, origin FROM orders") == [
        ("crm:O1", "crm:C001", "crm"),
        ("crm:O2", "crm:C002", "crm"),
    ]
    # C003 is no customer of crm's: quarantined as unknown, as with --source crm, and said
    assert report.rejected == 1
    assert _rows(ws, "SELECT reason, value FROM quarantine") == [("unknown_customer", "crm:C003")]
    # the summary names the source and the ways out, in both languages
    for lang in ("en", "zh"):
        said = " ".join(line.text for line in format_lines(report, lang))
        assert "crm:" in said
        assert "--source crm" in said
        assert "--no-source" in said
    # the same file again: nothing new, nobody duplicated
    again = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS))
    assert (again.inserted, again.unchanged) == (0, 2)
    assert _rows(ws, "SELECT count(*) FROM customers") == [(2,)]
    # and with --source crm named: the same rows
    named = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS), origin="crm")
    assert (named.inserted, named.unchanged) == (0, 2)


def test_interactions_without_a_source_take_their_customers_source(
    ws: Workspace, tmp_path: Path
) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS), origin="crm")
    events = _csv(
        tmp_path / "e.csv",
        "event_id,customer_id,occurred_at,type\nE1,C001,2026-01-02,view\nE2,C002,2026-01-03,view\n",
    )
    report = import_file(ws, "events", events)
    assert report.origin == "crm"
    assert _rows(ws, "SELECT customer_id FROM events") == [("crm:C001",), ("crm:C002",)]
    assert _rows(ws, "SELECT count(*) FROM customers") == [(2,)]


def test_ids_of_two_sources_stay_as_given_with_a_note(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS), origin="crm")
    import_file(ws, "customers", _csv(tmp_path / "s.csv", CUSTOMERS), origin="shop")
    report = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS))
    assert report.origin is None
    assert "import.source_ids_elsewhere" in report.notes
    assert ("O1", "C001") in _rows(ws, "SELECT order_id, customer_id FROM orders")
    said = " ".join(line.text for line in format_lines(report, "en"))
    assert "--source" in said
    assert "--source" in t("import.source_ids_elsewhere", "zh")


def test_few_matching_ids_stay_as_given(ws: Workspace, tmp_path: Path) -> None:
    """One id of three is crm's: a coincidence as likely as a source, so nothing moves."""
    import_file(
        ws, "customers", _csv(tmp_path / "c.csv", "customer_id,name\nC001,Amy\n"), origin="crm"
    )
    report = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS))
    assert report.origin is None
    assert "import.source_ids_elsewhere" in report.notes
    assert _rows(ws, "SELECT origin FROM orders") == [(None,), (None,), (None,)]


def test_ids_stored_as_given_or_no_source_asked_are_kept(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS), origin="crm")
    # --no-source: the ids as given, no note
    kept = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS), default_origin=False)
    assert kept.origin is None
    assert not kept.notes
    assert ("O1", "C001") in _rows(ws, "SELECT order_id, customer_id FROM orders")
    # now C001 is stored as given too: the next file's ids stay as given
    more = "order_id,customer_id,ordered_at,amount,status\nO4,C001,2026-02-02,10,paid\n"
    report = import_file(ws, "orders", _csv(tmp_path / "o2.csv", more))
    assert report.origin is None
    assert ("O4", "C001") in _rows(ws, "SELECT order_id, customer_id FROM orders")


def test_a_workspace_without_sources_is_unchanged(ws: Workspace, tmp_path: Path) -> None:
    import_file(ws, "customers", _csv(tmp_path / "c.csv", CUSTOMERS))
    report = import_file(ws, "orders", _csv(tmp_path / "o.csv", ORDERS))
    assert report.origin is None
    assert not report.notes
    assert _rows(ws, "SELECT order_id FROM orders") == [("O1",), ("O2",)]


def test_the_web_names_no_option() -> None:
    """The upload has no source parameter: on the web the notes send to the command."""
    from kequn.core.i18n import on_web
    from kequn.web import web_variants  # noqa: F401 - registers the variants

    for key in ("import.source_of_customers", "import.source_ids_elsewhere"):
        for lang in ("zh", "en"):
            assert "--" in t(key, lang, source="crm")
            with on_web():
                said = t(key, lang, source="crm")
            assert "--" not in said
            assert "kequn import" in said
