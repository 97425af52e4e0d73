"""Shopify's financial statuses as the admin displays them. Shopify documents each
status with the words it is displayed as (https://shopify.dev/docs/api/admin-graphql/
latest/enums/OrderDisplayFinancialStatus: PARTIALLY_PAID "Displayed as Partially paid",
PARTIALLY_REFUNDED "Partially refunded", AUTHORIZED "Authorized", EXPIRED "Expired" ...);
an orders file written with those words, rather than the export's partially_paid, had
every displayed status read but "Partially paid", whose orders were refused as unknown.

The file follows the order export's layout (https://help.shopify.com/en/manual/
fulfillment/managing-orders/exporting-orders: one row per line item, the order-level
columns such as Financial Status and Total on its first row only)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,"
    "Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
    "Lineitem sku,Billing Name,Refunded Amount,Outstanding Balance,Id"
)
ROWS = [
    # a two-item order only partly paid: Total 65.00 on its first row, 40.00 outstanding
    (
        "#2001,ann@example.com,Partially paid,,unfulfilled,USD,60.00,5.00,0.00,65.00,0.00,"
        "2025-03-01 10:00:00 -0500,2,T-shirt,20.00,TS-1,Ann Lee,0.00,40.00,7001"
    ),
    "#2001,ann@example.com,,,,,,,,,,2025-03-01 10:00:00 -0500,1,Mug,20.00,MG-1,,,,",
    # beside it, the other displayed words: a paid order and a partly refunded one
    (
        "#2002,bo@example.com,Paid,2025-03-02 10:00:00 -0500,fulfilled,USD,30.00,0.00,0.00,"
        "30.00,0.00,2025-03-02 10:00:00 -0500,1,Cap,30.00,CP-1,Bo Chen,0.00,0.00,7002"
    ),
    (
        "#2003,bo@example.com,Partially refunded,2025-03-03 10:00:00 -0500,fulfilled,USD,"
        "50.00,0.00,0.00,50.00,0.00,2025-03-03 10:00:00 -0500,1,Hoodie,50.00,HD-1,Bo Chen,"
        "20.00,0.00,7003"
    ),
]


def test_displayed_words_of_the_financial_status(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "orders_export.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    result = import_file(ws, "orders", path)
    assert result.format == "shopify"
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        rows = con.execute("SELECT order_id, status, amount, refunded FROM orders").fetchall()
    got = {str(o).rsplit(":", 1)[-1]: (s, a, r) for o, s, a, r in rows}
    assert got == {
        # one order of two line items, its total once; not paid in full, no sale yet
        "#2001": ("pending", Decimal("65.00"), Decimal("0.00")),
        "#2002": ("paid", Decimal("30.00"), Decimal("0.00")),
        "#2003": ("partially_refunded", Decimal("50.00"), Decimal("20.00")),
    }
