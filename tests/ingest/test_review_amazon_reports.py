"""Amazon Seller Central's order reports, tab-separated as downloaded: the All Orders
report (order-status, one row per item, no buyer) and the report of orders to ship
(buyer-email, no status). Columns from the SP-API report attribute pages; the status
words from public analyses of the All Orders report (sources in amazon.yaml)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

ALL_ORDERS = [
    "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
    "fulfillment-channel", "sales-channel", "order-channel", "ship-service-level", "product-name",
    "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax",
    "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax",
    "item-promotion-discount", "ship-promotion-discount", "ship-city", "ship-state",
    "ship-postal-code", "ship-country", "promotion-ids", "is-business-order",
    "purchase-order-number", "price-designation",
]  # fmt: skip

TO_SHIP = [
    "order-id", "order-item-id", "purchase-date", "payments-date", "buyer-email", "buyer-name",
    "buyer-phone-number", "sku", "product-name", "quantity-purchased", "currency", "item-price",
    "item-tax", "shipping-price", "shipping-tax", "ship-service-level", "recipient-name",
    "ship-address-1", "ship-address-2", "ship-address-3", "ship-city", "ship-state",
    "ship-postal-code", "ship-country", "ship-phone-number",
]  # fmt: skip


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    lines = ["\t".join(header)]
    lines += ["\t".join(row.get(h, "") for h in header) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _item(order: str, status: str, sku: str, qty: str, price: str) -> dict[str, str]:
    return {
        "amazon-order-id": order, "purchase-date": "2024-01-05T13:05:11+00:00",
        "last-updated-date": "2024-01-06T10:00:00+00:00", "order-status": status,
        "fulfillment-channel": "Amazon", "sales-channel": "Amazon.com", "product-name": sku,
        "sku": sku, "asin": "B000000001", "item-status": "Shipped", "quantity": qty,
        "currency": "USD" if price else "", "item-price": price, "ship-city": "SEATTLE",
        "ship-state": "WA", "ship-postal-code": "98101", "ship-country": "US",
        "is-business-order": "false",
    }  # fmt: skip


WORDS = {  # order-status -> kequn's status
    "Shipped": "paid",
    "Shipped - Delivered to Buyer": "paid",
    "Shipped - Picked Up": "paid",
    "Shipped - Out for Delivery": "paid",
    "Shipping": "paid",
    "Pending": "pending",
    "Pending - Waiting for Pick Up": "pending",
    "Shipped - Returned to Seller": "refunded",
    "Shipped - Rejected by Buyer": "refunded",
    "Shipped - Returning to Seller": "refunding",
    "Shipped - Lost in Transit": "refunding",
    "Shipped - Damaged": "refunding",
}


def test_the_all_orders_report_is_read_as_amazon(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        # two items of one order: its money is both item rows'
        _item("111-0000001-0000001", "Shipped", "WA-1", "2", "39.98"),
        _item("111-0000001-0000001", "Shipped", "WB-1", "1", "10.00"),
        # a cancelled order: no currency, no price, quantity 0
        _item("111-0000002-0000002", "Cancelled", "WA-1", "0", ""),
    ]
    rows += [
        _item(f"112-0000000-{n:07d}", word, "WC-1", "1", "5.00") for n, word in enumerate(WORDS)
    ]
    path = _write(tmp_path / "All Orders Report.txt", ALL_ORDERS, rows)
    result = import_file(ws, "orders", path)
    assert result.format == "amazon"
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = {
            str(o).split(":", 1)[1]: (s, a, q, c)
            for o, s, a, q, c in con.execute(
                "SELECT order_id, status, amount, quantity, channel FROM orders"
            ).fetchall()
        }
    assert got.pop("111-0000001-0000001") == ("paid", Decimal("49.98"), 3, "amazon")
    assert got.pop("111-0000002-0000002") == ("cancelled", Decimal("0.00"), 0, "amazon")
    assert {k: v[0] for k, v in got.items()} == {
        f"112-0000000-{n:07d}": status for n, status in enumerate(WORDS.values())
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_of_orders_to_ship_keys_buyers_on_their_email(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    def row(order: str, item: str, email: str, sku: str, qty: str, price: str) -> dict[str, str]:
        return {
            "order-id": order, "order-item-id": item,
            "purchase-date": "2024-01-05T13:05:11-08:00",
            "payments-date": "2024-01-05T13:06:00-08:00", "buyer-email": email,
            "buyer-name": "Jane Doe", "sku": sku, "product-name": sku,
            "quantity-purchased": qty, "currency": "USD", "item-price": price,
            "recipient-name": "Jane Doe", "ship-address-1": "1 Main St", "ship-city": "SEATTLE",
            "ship-state": "WA", "ship-postal-code": "98101", "ship-country": "US",
        }  # fmt: skip

    rows = [
        row("114-0000001-0000001", "1", "abc123@marketplace.amazon.com", "WA-1", "2", "39.98"),
        row("114-0000001-0000001", "2", "abc123@marketplace.amazon.com", "WB-1", "1", "10.00"),
        row("114-0000002-0000002", "3", "ABC123@marketplace.amazon.com", "WC-1", "1", "5.00"),
    ]
    path = _write(tmp_path / "orders_to_ship.txt", TO_SHIP, rows)
    ws_path = tmp_path / "ws"
    Workspace.init(ws_path)
    code, said = kequn_words(capsys, "--lang", lang, "import", "orders", path, "-w", ws_path)
    assert code == 0, said
    assert ("亚马逊" if lang == "zh" else "Amazon") in said
    with Workspace.open(ws_path).read() as con:
        got = con.execute("SELECT status, amount, customer_id FROM orders ORDER BY 2").fetchall()
    # no status column: a report of orders to ship lists paid orders only; one buyer
    assert [(s, a) for s, a, _ in got] == [("paid", Decimal("5.00")), ("paid", Decimal("49.98"))]
    assert len({c for _, _, c in got}) == 1
