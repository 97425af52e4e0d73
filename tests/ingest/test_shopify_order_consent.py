"""The buyer's e-mail marketing answer in a Shopify orders export becomes the consent of
the customer made from it.

Shopify's orders export (help.shopify.com/en/manual/fulfillment/managing-orders/
exporting-orders) has "Accepts Marketing", yes or no, on the first row of an order only;
the other rows of a several-item order leave it blank, as a real export shows
(github.com/oks234/customer_vip orders_export_1.csv: "#1410,...,no,USD,..." then five rows
of Name, Email, Created at and Lineitem columns). It was left unused, so a buyer who
said no had no answer stored and the one who said yes could not be reached: journeys
send only where ``marketing_consent`` is true. Now yes and no are stored, a no on any
order wins, and a no is never undone by a later file that says nothing."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

#: the real export's header (oks234/customer_vip orders_export_1.csv, 2022)
HEADER_LINE = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
    "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,"
    "Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,"
    "Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,"
    "Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Id,Tags,Risk Level,"
    "Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,"
    "Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,"
    "Billing Province Name,Shipping Province Name,Payment Terms Name,Next Payment Due At"
)
HEADER = HEADER_LINE.split(",")
#: what Shopify repeats on an order's other rows; every other column is blank there
REPEATED = {
    "Name", "Email", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
    "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Vendor", "Lineitem discount",
}  # fmt: skip


def _order(name: str, email: str, accepts: str, day: str, items: list[tuple[str, str]]) -> str:
    """One order as Shopify writes it: its fields on the first row, then a row per other
    item with only the repeated columns filled."""
    total = sum(float(price) for _, price in items)
    created = f"2022-01-{day} 10:00:00 -0500"
    first = {
        "Name": name, "Email": email, "Financial Status": "paid", "Paid at": created,
        "Fulfillment Status": "fulfilled", "Accepts Marketing": accepts, "Currency": "USD",
        "Subtotal": f"{total:.2f}", "Shipping": "0.00", "Taxes": "0.00",
        "Total": f"{total:.2f}", "Discount Code": '""', "Discount Amount": "0.00",
        "Shipping Method": "Free Shipping", "Billing Name": email.partition("@")[0].title(),
        "Billing City": "San Jose", "Billing Province": "CA", "Billing Country": "US",
        "Payment Method": "Stripe", "Refunded Amount": "0.00", "Id": f"40{day}0000",
        "Tags": '""', "Risk Level": "Low", "Source": "web", "Note Attributes": '""',
        "Billing Province Name": "California",
    }  # fmt: skip
    rows = []
    for n, (title, price) in enumerate(items):
        item = {
            "Name": name, "Email": email, "Created at": created, "Lineitem quantity": "1",
            "Lineitem name": title, "Lineitem price": price, "Lineitem sku": title[:3].upper(),
            "Lineitem requires shipping": "true", "Lineitem taxable": "true",
            "Lineitem fulfillment status": "fulfilled", "Vendor": "Enavant",
            "Lineitem discount": "0.00",
        }  # fmt: skip
        cells = {**first, **item} if n == 0 else item
        assert n == 0 or set(cells) <= REPEATED
        rows.append(",".join(cells.get(h, "") for h in HEADER))
    return "\n".join(rows)


def _write(path: Path, orders: list[str]) -> Path:
    path.write_text(HEADER_LINE + "\n" + "\n".join(orders) + "\n", encoding="utf-8")
    return path


def _consent(ws: Workspace) -> dict[str, bool | None]:
    with ws.read() as con:
        rows = con.execute("SELECT email, marketing_consent FROM customers").fetchall()
    return {str(e): c for e, c in rows}


def test_accepts_marketing_is_the_consent_of_the_customers_made(
    ws: Workspace, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "orders_export_1.csv",
        [
            # newest first, as Shopify lists them
            _order("#1412", "amie@example.com", "yes", "20", [("Senna Pant", "91.00")]),
            _order(
                "#1411",
                "meena@example.com",
                "yes",
                "19",
                [("Verte Short", "92.00"), ("Verte Bra", "84.00"), ("City Jacket", "212.00")],
            ),
            _order(
                "#1410",
                "brian@example.com",
                "no",
                "18",
                [("Omni Legging", "74.00"), ("Omni Bra", "84.00")],
            ),
            # said yes on one order and no on another: the no stands
            _order("#1409", "amie@example.com", "no", "10", [("Lotus Top", "84.00")]),
            # a checkout that did not ask (a draft or POS order): nothing said
            _order("#1408", "sara@example.com", "", "05", [("Haven Pant", "98.00")]),
        ],
    )
    report = import_file(ws, "orders", path)
    assert report.rejected == 0, report.examples
    assert report.warnings == 0, report.examples
    assert report.mapping["customer_marketing_consent"] == "Accepts Marketing"
    assert _consent(ws) == {
        "meena@example.com": True,  # her second and third rows leave the column blank
        "brian@example.com": False,
        "amie@example.com": False,
        "sara@example.com": None,
    }


def test_a_later_orders_export_keeps_a_no_and_records_a_new_one(
    ws: Workspace, tmp_path: Path
) -> None:
    first = [
        _order("#1001", "ann@example.com", "no", "01", [("Mug", "24.00"), ("Candle", "18.00")]),
        _order("#1002", "bob@example.com", "yes", "02", [("Mug", "24.00")]),
        _order("#1003", "cy@example.com", "", "03", [("Mug", "24.00")]),
    ]
    import_file(ws, "orders", _write(tmp_path / "orders_export.csv", first))
    later = [
        _order("#1004", "ann@example.com", "yes", "11", [("Pillow", "38.00")]),
        _order("#1005", "bob@example.com", "no", "12", [("Pillow", "38.00")]),
        _order("#1006", "cy@example.com", "yes", "13", [("Pillow", "38.00")]),
    ]
    report = import_file(ws, "orders", _write(tmp_path / "orders_export_1.csv", later))
    assert report.rejected == 0, report.examples
    assert _consent(ws) == {
        "ann@example.com": False,  # her no is not undone by a later checkout's box
        "bob@example.com": False,  # a no given later is stored
        "cy@example.com": True,  # unknown until now
    }


def test_a_customers_export_that_says_nothing_keeps_the_orders_no(
    ws: Workspace, tmp_path: Path
) -> None:
    orders = [
        _order("#1001", "ann@example.com", "no", "01", [("Mug", "24.00"), ("Candle", "18.00")]),
        _order("#1002", "bob@example.com", "no", "02", [("Mug", "24.00")]),
    ]
    # the same records (ids as given, not a source's), so the customers export updates them
    import_file(ws, "orders", _write(tmp_path / "orders_export.csv", orders), default_origin=False)
    # Shopify's customers export (help.shopify.com/en/manual/customers/import-export-customers)
    customers = tmp_path / "customers_export.csv"
    customers.write_text(
        "First Name,Last Name,Email,Accepts Email Marketing,Default Address City,Phone,"
        "Accepts SMS Marketing,Total Spent,Total Orders,Tags\n"
        "Ann,Lee,ann@example.com,,Austin,,,42.00,1,\n"
        "Bob,Ray,bob@example.com,yes,Austin,,,24.00,1,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", customers)
    assert report.rejected == 0, report.examples
    assert report.inserted == 0  # the records the orders made
    assert _consent(ws) == {
        "ann@example.com": False,  # a blank answer is no answer: her no stays
        "bob@example.com": True,  # the shop's customer record says yes now
    }
