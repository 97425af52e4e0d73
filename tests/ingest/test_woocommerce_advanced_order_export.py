"""The export of "Advanced Order Export For WooCommerce" (algolplus' woo-order-export-lite,
the free WooCommerce order exporter) with its default fields, as the plugin writes it.

Headers are the default fields' labels (WOE_Core_Extractor_UI, github-code-index:
830160226: Order Number, Order Status, Order Date, ... Email (Billing), Phone (Billing),
products as rows with Item #, Item Name, Quantity (- Refund), Item Cost, coupons as rows,
Cart Discount Amount, Order Subtotal Amount, Order Refund Amount, Order Total Amount);
values as WC_Order_Export_Order_Fields::get makes them (github-code-index:11787881747:
Order Total Amount = get_total(), Order Refund Amount = get_total_refunded(), Order Status
the label of wc_get_order_statuses()); the default settings (github-code-index:3346134381)
write .xlsx, repeat the order's columns on every product row, and dates as Y-m-d H:i.

Before, such a file was refused whole: "required column(s) customer_id, amount not found"."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = [
    "Order Number", "Order Status", "Order Date", "Customer Note", "First Name (Billing)",
    "Last Name (Billing)", "Company (Billing)", "Address 1&2 (Billing)", "City (Billing)",
    "State Code (Billing)", "Postcode (Billing)", "Country Code (Billing)", "Email (Billing)",
    "Phone (Billing)", "First Name (Shipping)", "Last Name (Shipping)", "Address 1&2 (Shipping)",
    "City (Shipping)", "State Code (Shipping)", "Postcode (Shipping)", "Country Code (Shipping)",
    "Payment Method Title", "Cart Discount Amount", "Order Subtotal Amount",
    "Shipping Method Title", "Order Shipping Amount", "Order Refund Amount",
    "Order Total Amount", "Order Total Tax Amount", "Item #", "Item Name",
    "Quantity (- Refund)", "Item Cost", "Coupon Code", "Discount Amount",
]  # fmt: skip

# (order, status, date, first, last, email, phone, discount, subtotal, refund, total, items)
ORDERS = [
    ("101", "Completed", "2025-01-05 10:00", "Gail", "Guest", "gail@example.com",
     "+1 415 555 0132", "0", "40.00", "0", "45.00", [("Shirt", 1, "20.00"), ("Sock", 2, "10.00")]),
    # the same buyer, her e-mail typed with capitals; partly refunded: the status stays
    ("102", "Completed", "2025-02-05 10:00", "Gail", "Guest", "Gail@Example.com", "",
     "5.00", "50.00", "15.00", "50.00", [("Hat", 1, "50.00")]),
    ("103", "Refunded", "2025-02-06 10:00", "Rex", "Reg", "rex@example.com", "", "0", "20.00",
     "25.00", "25.00", [("Cap", 1, "20.00")]),
    ("104", "Cancelled", "2025-02-07 10:00", "Rex", "Reg", "rex@example.com", "", "0", "20.00",
     "0", "25.00", [("Cap", 1, "20.00")]),
    ("105", "Pending payment", "2025-03-07 10:00", "Dee", "Day", "dee@example.com", "", "0",
     "20.00", "0", "25.00", [("Cap", 1, "20.00")]),
    ("106", "On hold", "2025-03-08 10:00", "Dee", "Day", "dee@example.com", "", "0", "20.00",
     "0", "25.00", [("Cap", 1, "20.00")]),
    ("107", "Processing", "2025-03-09 10:00", "Dee", "Day", "dee@example.com", "", "0", "20.00",
     "0", "25.00", [("Cap", 1, "20.00")]),
    ("108", "Failed", "2025-03-10 10:00", "Dee", "Day", "dee@example.com", "", "0", "20.00",
     "0", "25.00", [("Cap", 1, "20.00")]),
]  # fmt: skip

WANT = {
    "101": ("paid", Decimal("45.00"), Decimal("0.00"), 3),
    "102": ("partially_refunded", Decimal("50.00"), Decimal("15.00"), 1),
    "103": ("refunded", Decimal("25.00"), Decimal("25.00"), 1),
    "104": ("cancelled", Decimal("25.00"), Decimal("0.00"), 1),
    "105": ("pending", Decimal("25.00"), Decimal("0.00"), 1),
    "106": ("pending", Decimal("25.00"), Decimal("0.00"), 1),
    "107": ("paid", Decimal("25.00"), Decimal("0.00"), 1),
    "108": ("cancelled", Decimal("25.00"), Decimal("0.00"), 1),
}


def _rows(populate: bool) -> list[list[str]]:
    """The file's rows: with ``populate`` (the default) every product row repeats the
    order's columns, else they are on the order's first row only."""
    rows = []
    for order, status, date, first, last, email, phone, disc, sub, refund, total, items in ORDERS:
        for n, (name, qty, cost) in enumerate(items, start=1):
            filled = populate or n == 1
            head = [status, date, "", first, last, "", "1 Main St", "Springfield", "CA",
                    "94105", "US", email, phone, first, last, "1 Main St", "Springfield",
                    "CA", "94105", "US", "Stripe", disc, sub, "Flat rate", "5.00", refund,
                    total, "0"]  # fmt: skip
            rows.append(
                [order, *(head if filled else [""] * len(head)), str(n), name, str(qty), cost,
                 "SAVE5" if disc != "0" and n == 1 else "", disc if disc != "0" else ""]
            )  # fmt: skip
    return rows


def _write(path: Path, populate: bool) -> None:
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Orders"
        sheet.append(HEADER)
        for row in _rows(populate):
            sheet.append(row)
        book.save(path)
    else:
        lines = [
            ",".join(f'"{c}"' if " " in c else c for c in r) for r in [HEADER, *_rows(populate)]
        ]
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))


@pytest.mark.parametrize(
    ("name", "populate"),
    [("orders-2025-04-01.xlsx", True), ("orders-2025-04-01.csv", False)],
)
def test_the_plugin_s_default_export_is_read(
    ws: Workspace, tmp_path: Path, name: str, populate: bool
) -> None:
    path = tmp_path / name
    _write(path, populate)
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        rows = con.execute(
            "SELECT order_id, status, amount, refunded, quantity, discount, customer_id FROM orders"
        ).fetchall()
        emails = con.execute("SELECT email FROM customers ORDER BY email").fetchall()
    got = {str(o).rsplit(":", 1)[-1]: (s, a, r, q) for o, s, a, r, q, _, _ in rows}
    assert got == WANT
    discount = {str(o).rsplit(":", 1)[-1]: d for o, _, _, _, _, d, _ in rows}
    assert discount["102"] == Decimal("5.00")
    # three buyers: Gail's two orders are one customer whatever the e-mail's capitals
    assert len({c for *_, c in rows}) == 3
    assert [e for (e,) in emails] == ["dee@example.com", "gail@example.com", "rex@example.com"]
