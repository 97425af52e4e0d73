"""Amazon's Fulfilled Shipments report (FBA): one row per shipped item, the quantity in
``quantity-shipped`` and each item's promotion in ``item-promotion-discount``, written
negative. The rows are a real report's (Amazon.co.jp, 2017) dumped in a NetSuite script
(github-code-index:19512733061: shipping-price 175 with ship-promotion-discount -175; an
order shipped in two shipments on two rows; buyer-email ...@marketplace.amazon.co.jp),
trimmed to the columns that matter and with one item promotion set (-1000).

Before, the order's quantity was empty (only ``quantity`` and ``quantity-purchased`` were
read), so the order-size labels had nothing to go on, and no Amazon order ever had a
discount: the price-sensitive tag could not be given to an Amazon buyer."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = (
    "amazon-order-id\tmerchant-order-id\tshipment-id\tshipment-item-id\tamazon-order-item-id\t"
    "merchant-order-item-id\tpurchase-date\tpayments-date\tshipment-date\treporting-date\t"
    "buyer-email\tbuyer-name\tbuyer-phone-number\tsku\tproduct-name\tquantity-shipped\tcurrency\t"
    "item-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\t"
    "ship-service-level\trecipient-name\tship-address-1\tship-address-2\tship-address-3\t"
    "ship-city\tship-state\tship-postal-code\tship-country\tship-phone-number\tbill-address-1\t"
    "bill-address-2\tbill-address-3\tbill-city\tbill-state\tbill-postal-code\tbill-country\t"
    "item-promotion-discount\tship-promotion-discount\tcarrier\ttracking-number\t"
    "estimated-arrival-date\tfulfillment-center-id\tfulfillment-channel\tsales-channel\t"
    "points-granted"
)


def _row(order: str, shipment: str, bought: str, email: str, sku: str, price: str,
         ship: str, item_promo: str, ship_promo: str) -> str:  # fmt: skip
    return "\t".join(
        [order, "", shipment, "D" + shipment[1:], "5.10141E+13", "", bought,
         "2017-06-05T15:20:55+09:00", "2017-06-05T15:20:55+09:00", "2017-06-05T18:21:00+09:00",
         email, "buyer " + email[:4], "", sku, "BALMUDA " + sku, "1", "JPY", price, "0", ship,
         "0", "0", "0", "Standard", "", "泉北郡忠岡町忠岡南3-1514-7", "", "", "--", "大阪府",
         "595-0813", "JP", "", "", "", "", "", "", "", "", item_promo, ship_promo, "YAMATO",
         "4.43658E+11", "2017-06-06T20:00:00+09:00", "HND3", "AFN", "Amazon.co.jp", "0"]
    )  # fmt: skip


ROWS = [
    # one order of two fans, shipped in two shipments: two rows
    _row("503-8346168-3395065", "DRwkrVYzk", "2017-06-04T22:25:26+09:00",
         "d1f684xlg5nt87p@marketplace.amazon.co.jp", "EGF-1600-WC", "38880", "175", "0", "-175"),
    _row("503-8346168-3395065", "DPwxr2Yzk", "2017-06-04T22:25:26+09:00",
         "d1f684xlg5nt87p@marketplace.amazon.co.jp", "EGF-1600-WC", "38880", "175", "0", "-175"),
    # one order of two products; the second item had a promotion
    _row("249-5507672-9257449", "DM0lr8Yrk", "2017-06-05T09:15:37+09:00",
         "k23k5gfnxc489wx@marketplace.amazon.co.jp", "EGF-1600-WG", "38880", "0", "0", "0"),
    _row("249-5507672-9257449", "DsxK3j0Qb", "2017-06-05T09:15:37+09:00",
         "k23k5gfnxc489wx@marketplace.amazon.co.jp", "EGF-P100", "10584", "0", "-1000", "0"),
]  # fmt: skip


def test_an_fba_shipments_report_has_quantities_and_promotions(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "AmazonFulfilledShipments.txt"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = {
            str(o).rsplit(":", 1)[-1]: (a, q, d, s)
            for o, a, q, d, s in con.execute(
                "SELECT order_id, amount, quantity, discount, status FROM orders"
            ).fetchall()
        }
        buyers = con.execute("SELECT count(DISTINCT customer_id) FROM orders").fetchone()
    assert buyers == (2,)
    # each shipped row's item-price is its items': the order's amount is their sum (the
    # shipping of 175 a row is given back by its ship-promotion-discount of -175)
    assert got["503-8346168-3395065"] == (Decimal("77760"), 2, Decimal("0"), "paid")
    # the item's promotion of -1000 is the order's discount of 1000, whatever row it is on,
    # and what the buyer did not pay: 38880 + 10584 - 1000
    assert got["249-5507672-9257449"] == (Decimal("48464"), 2, Decimal("1000"), "paid")
