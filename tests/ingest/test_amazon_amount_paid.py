"""An Amazon order's amount is what its buyer paid, as every other platform's is.

The reports' item-price is the item's selling price times its quantity, before its
promotion (SP-API Orders API v0 OrderItem: ItemPrice "excludes ShippingPrice and
GiftWrapPrice", PromotionDiscount reported apart; the All Orders report's columns
item-price, item-tax, shipping-price, shipping-tax, gift-wrap-price, gift-wrap-tax,
item-promotion-discount, ship-promotion-discount: developer-docs.amazon.com/sp-api/docs/
order-tracking-reports-attributes). It was the order's amount alone, so an order of a
20.00 item with a 5.00 coupon counted 20.00 spent where Taobao's 实付 and Shopify's Total
count what was paid: an Amazon buyer looked worth more than the same buyer elsewhere, and
the shipping a buyer paid was not counted at all. Taxes stay out: the US adds sales tax
to the price, Japan and the EU include it (amazon.yaml)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kequn.ingest import formats
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

#: GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL's header, as the SP-API page lists it
HEADER = (
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t"
    "fulfillment-channel\tsales-channel\torder-channel\tship-service-level\tproduct-name\tsku\t"
    "asin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\t"
    "gift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount\t"
    "ship-city\tship-state\tship-postal-code\tship-country\tpromotion-ids\tis-business-order\t"
    "purchase-order-number\tprice-designation"
)


def _row(order: str, status: str, sku: str, money: tuple[str, ...], promo_ids: str = "") -> str:
    price, tax, ship, ship_tax, wrap, wrap_tax, item_promo, ship_promo = money
    return "\t".join(
        [order, "", "2024-03-05T13:05:11+00:00", "2024-03-06T10:00:00+00:00", status,
         "Merchant", "Amazon.com", "", "Standard", "Product " + sku, sku, "B00000" + sku,
         "Shipped" if status != "Cancelled" else "Cancelled", "1", "USD" if price else "",
         price, tax, ship, ship_tax, wrap, wrap_tax, item_promo, ship_promo, "SEATTLE", "WA",
         "98101", "US", promo_ids, "false", "", ""]
    )  # fmt: skip


CASES = [
    # (description, item rows' money, amount, discount)
    ("no promotion: the price and its shipping", [("20.00", "1.80", "4.99", "0", "", "", "", "")],
     "24.99", None),
    ("a coupon on the item, written as an amount off",
     [("20.00", "1.35", "0.00", "0", "", "", "5.00", "0.00")], "15.00", "5.00"),
    ("the same coupon written negative, as the shipments report writes it",
     [("20.00", "1.35", "0.00", "0", "", "", "-5.00", "0.00")], "15.00", "5.00"),
    ("free shipping: the shipping given back, no discount on the goods",
     [("30.00", "2.70", "5.99", "0.54", "", "", "0.00", "5.99")], "30.00", "0"),
    ("two items, one promoted, one gift-wrapped",
     [("39.98", "3.60", "4.99", "0", "", "", "10.00", "0.00"),
      ("10.00", "0.90", "0.00", "0", "3.99", "0.36", "0.00", "0.00")], "48.96", "10.00"),
]  # fmt: skip


@pytest.mark.parametrize(("description", "items", "amount", "discount"), CASES)
def test_the_amount_is_what_the_buyer_paid(
    ws: Workspace, tmp_path: Path, description: str, items: list[tuple[str, ...]], amount: str,
    discount: str | None,
) -> None:  # fmt: skip
    rows = [_row("111-0000001-0000001", "Shipped", f"S{n}", money) for n, money in enumerate(items)]
    # a cancelled order beside it: no price, no money
    rows.append(_row("111-0000002-0000002", "Cancelled", "C1", ("",) * 8))
    path = tmp_path / "All Orders Report.txt"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = import_file(ws, "orders", path)
    assert report.format == "amazon"
    assert report.rejected == 0, report.examples
    with ws.read() as con:
        got = {
            str(o).rsplit(":", 1)[-1]: (a, d)
            for o, a, d in con.execute("SELECT order_id, amount, discount FROM orders").fetchall()
        }
    want = (Decimal(amount), None if discount is None else Decimal(discount))
    assert got["111-0000001-0000001"] == want, description
    assert got["111-0000002-0000002"][0] == Decimal("0")


def test_amount_parts_need_an_amount_per_item_row() -> None:
    data = {"id": "x", "columns": {"amount": ["Total"], "shipping_fee": ["Shipping"]}}
    with pytest.raises(formats.ProfileError, match="amount_scope: line"):
        formats._load("x.yaml", data)


def test_an_unreadable_part_of_the_sum_is_told_by_row_and_header(
    ws: Workspace, tmp_path: Path
) -> None:
    # the second item row's shipping and its quantity are no numbers: the order keeps
    # what its other cells say, and each cell is told as a warning naming its row
    good = _row("111-0000001-0000001", "Shipped", "S1", ("20.00", "1.80", "4.99", "0",
                                                          "", "", "", ""))  # fmt: skip
    odd = _row("111-0000001-0000001", "Shipped", "S2", ("10.00", "0.90", "abc", "0",
                                                         "", "", "", "")).split("\t")  # fmt: skip
    odd[13] = "two"  # quantity
    path = tmp_path / "All Orders Report.txt"
    path.write_text("\n".join([HEADER, good, "\t".join(odd)]) + "\n", encoding="utf-8")
    report = import_file(ws, "orders", path)
    assert report.format == "amazon"
    assert report.rejected == 0, report.examples
    assert report.warnings_by_reason == {"bad_money": 1, "bad_number": 1}, report.examples
    with ws.read() as con:
        told = con.execute(
            'SELECT "row", "column", reason, value FROM quarantine ORDER BY reason'
        ).fetchall()
        (amount,) = con.execute("SELECT amount FROM orders").fetchone() or (None,)
    assert told == [(3, "shipping-price", "bad_money", "abc"), (3, "quantity", "bad_number", "two")]
    assert amount == Decimal("34.99")  # 20.00 + 4.99 + 10.00: the unreadable shipping left out
