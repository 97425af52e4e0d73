"""Shopify's customers export carries two phones: Phone and Default Address Phone (the
newest header, as help.shopify.com and a public importer's test have it,
github-code-index:70334433202, whose row with Phone empty reads the address phone as the
customer's). A customer who left only her address phone at checkout was kept with no phone,
keyed by Shopify's Customer ID, while her orders, keyed by their Billing Phone (shopify.yaml's
buyer_key), made a second customer: now Phone, else Default Address Phone, is her phone."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.ingest.shape import pseudonym_id
from kequn.store.workspace import Workspace

CUSTOMERS = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,"
    "Tax Exempt,Tags\n"
    "'7285214281987,Jane,Doe,,no,,1 Main St,,New York,NY,US,'10001,'+1 212-555-0100,,no,"
    "65.00,1,,no,\n"
    "'7285214281988,Bob,Ray,bob@example.com,no,,,,Austin,TX,US,,'+1 512-555-0111,"
    "'+1 512-555-0199,no,0.00,0,,no,\n"
)
#: the orders export's columns a phone-only checkout fills (shopify.yaml: Phone mostly
#: empty while Billing Phone is set; an order with empty Email)
ORDERS = (
    "Name,Email,Financial Status,Paid at,Currency,Subtotal,Total,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Billing Phone,Id,Phone\n"
    "#1001,,paid,2025-01-05 10:00:00 -0500,USD,65.00,65.00,2025-01-05 10:00:00 -0500,1,"
    "Coat,65.00,Jane Doe,+1 (212) 555-0100,5001,\n"
)


def test_the_address_phone_is_her_phone_when_phone_is_empty(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    path = tmp_path / "customers_export.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert (report.accepted, report.rejected, report.warnings) == (2, 0, 0), report.examples
    assert report.mapping["phone"] == "Phone / Default Address Phone"
    orders = tmp_path / "orders_export_1.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    assert import_file(ws, "orders", orders).rejected == 0
    with ws.read() as con:
        rows = con.execute(
            """SELECT c.customer_id, c.phone, list(o.order_id) FILTER (WHERE o.order_id IS NOT NULL)
            FROM customers c LEFT JOIN orders o USING (customer_id) GROUP BY ALL ORDER BY 2"""
        ).fetchall()
    jane = "shopify:" + pseudonym_id(ws.secret_key(), "+12125550100")
    bob = "shopify:" + pseudonym_id(ws.secret_key(), "bob@example.com")
    # Bob's own Phone stands; his address phone stays among his attributes
    assert rows == [(jane, "+1 212-555-0100", ["shopify:#1001"]), (bob, "+1 512-555-0199", None)]
