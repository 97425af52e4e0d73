"""Shopify admin "Export orders" CSV, written the way Shopify writes it.

Built from:
  https://help.shopify.com/zh-CN/manual/fulfillment/managing-orders/exporting-orders
  https://help.shopify.com/en/manual/migrating-to-shopify/transporter-app/csv-orders
  https://shopify.dev/docs/api/admin-graphql/latest/enums/OrderDisplayFinancialStatus
  https://docs.xbp.app/docs/development/integrations/shopify/order-format
  https://github.com/oks234/customer_vip/blob/2865b4aa09178735046d1d6c6a97001467094af4/orders_export_1.csv
  https://github.com/zhangerson/shopify_parsing/blob/7177a96858152423f89ba15a31bf85e9b3428957/orders_export.csv

What the real exports show and this file reproduces: the current 79-column header; one row per line
item; on the 2nd..nth row of an order only Name, Email, Created at, the Lineitem columns, Vendor,
Lineitem discount and Phone are repeated, everything else is blank; Total is the original total and
Refunded Amount carries the refund; Paid at is blank on partially_refunded orders; phones that start
with "+" and contain spaces get a leading apostrophe; empty Discount Code / Tags / Note Attributes /
Payment Reference are written as ""; UTF-8 without BOM, LF line ends; dates "2025-03-04 10:15:22 -0500".

Truth: "paid" is the order's Total (the `amount` column) whatever the status - the status says
whether it was collected; "refunded" is Refunded Amount; "quantity" sums Lineitem quantity;
"buyers" counts true people over every order in the file.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FORMAT = "shopify"

HEADER = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]
# columns Shopify repeats on every row of an order (all others are first-row only)
REPEATED = {
    "Name",
    "Email",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Vendor",
    "Lineitem discount",
    "Phone",
}
# text columns Shopify writes quoted even when empty ("")
ALWAYS_QUOTED = {"Discount Code", "Note Attributes", "Tags", "Payment Reference"}

PRODUCTS = [  # title, sku, price, compare-at, vendor
    ("Linen Throw Pillow - Sand", "LTP-SND", "38.00", "45.00", "Hearth & Loom"),
    ("Linen Throw Pillow - Sage", "LTP-SGE", "38.00", "45.00", "Hearth & Loom"),
    ("Stoneware Mug - Speckled", "MUG-SPK", "24.00", "", "Kiln Street"),
    ("Stoneware Mug Set of 4", "MUG-SET4", "84.00", "96.00", "Kiln Street"),
    ("Beeswax Candle - Large", "CND-L", "32.50", "", "Hearth & Loom"),
    ("Beeswax Candle - Small", "CND-S", "18.00", "", "Hearth & Loom"),
    ("Walnut Serving Board", "WSB-01", "68.00", "80.00", "Grain Co"),
    ("Cotton Tea Towel 2-Pack", "TT-2PK", "22.00", "", "Hearth & Loom"),
    ("Ceramic Planter - 6 in", "PLT-6", "29.00", "", "Kiln Street"),
    ("Wool Blanket - Charcoal", "WB-CHR", "149.00", "179.00", "Grain Co"),
    ("Linen Napkins Set of 4", "NAP-4", "36.00", "", "Hearth & Loom"),
    ("Olive Wood Spoon", "OWS-1", "14.00", "", "Grain Co"),
]
STATES = [  # city, province code, province name, zip, tax name, tax rate
    ("Los Angeles", "CA", "California", "90066", "California State Tax 7.25%", "0.0725"),
    ("Brooklyn", "NY", "New York", "11205", "New York State Tax 4%", "0.04"),
    ("Austin", "TX", "Texas", "78704", "Texas State Tax 6.25%", "0.0625"),
    ("Portland", "OR", "Oregon", "97211", "", "0"),
    ("Seattle", "WA", "Washington", "98122", "Washington State Tax 6.5%", "0.065"),
    ("Chicago", "IL", "Illinois", "60614", "Illinois State Tax 6.25%", "0.0625"),
    ("Denver", "CO", "Colorado", "80205", "Colorado State Tax 2.9%", "0.029"),
    ("Boston", "MA", "Massachusetts", "02118", "Massachusetts State Tax 6.25%", "0.0625"),
]
FIRST = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "James",
    "Sophia",
    "Lucas",
    "Mia",
    "Ethan",
    "Harper",
    "Daniel",
    "Chloe",
    "Henry",
    "Grace",
    "Owen",
    "Zoe",
    "Jack",
    "Nora",
    "Leo",
    "Ruby",
    "Caleb",
    "Ivy",
    "Miles",
    "Hazel",
    "Isaac",
]
LAST = [
    "Garcia",
    "Nguyen",
    "Patel",
    "Kim",
    "Rossi",
    "Walker",
    "Lopez",
    "Turner",
    "Cohen",
    "Reyes",
    "Foster",
    "Hughes",
    "Bennett",
    "Price",
    "Ward",
    "Sullivan",
    "Ortiz",
    "Ramsey",
    "Fischer",
    "Moreau",
    "Lee",
    "Park",
    "Hayes",
    "Doyle",
    "Quinn",
    "Silva",
]
STREETS = [
    "Maple Ave",
    "Oak Street",
    "Cedar Lane",
    "Pine Road",
    "Elm Court",
    "Harbor Blvd",
    "Summit Dr",
]
D2 = Decimal("0.01")


def _m(x: Decimal) -> str:
    return str(x.quantize(D2, ROUND_HALF_UP))


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S ") + ("-0400" if 3 <= t.month <= 10 else "-0500")


def _cell(col: str, value: str) -> str:
    if col in ALWAYS_QUOTED or any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _buyers(rng: random.Random) -> list[dict]:
    buyers: list[dict] = []

    def add(
        label: str,
        first: str,
        last: str,
        emails: list[str] | None,
        phone: str = "",
        billing_phone: str = "",
        n_orders: int = 1,
    ) -> None:
        city = rng.choice(STATES)
        buyers.append(
            {
                "label": label,
                "name": f"{first} {last}",
                "emails": emails or [""],
                "phone": phone,
                "billing_phone": billing_phone,
                "state": city,
                "n": n_orders,
                "street": f"{rng.randint(12, 9800)} {rng.choice(STREETS)}",
                "marketing": rng.choice(["yes", "no"]),
            }
        )

    # the traps
    add(
        "b01",
        "Sarah",
        "Miller",
        ["sarah.miller@gmail.com", "Sarah.Miller@gmail.com", "SARAH.MILLER@GMAIL.COM"],
        billing_phone="(310) 555-0148",
        n_orders=4,
    )
    add(
        "b02",
        "Michael",
        "Brown",
        ["michael.brown@outlook.com"],
        billing_phone="(212) 555-0191",
        n_orders=2,
    )
    add(
        "b03",
        "Michael",
        "Brown",
        ["mbrown1987@yahoo.com"],
        billing_phone="(512) 555-0107",
        n_orders=2,
    )
    add(
        "b04", "Tyler", "Jensen", None, phone="", billing_phone="(415) 555-0134", n_orders=2
    )  # Phone empty
    add(
        "b05",
        "Priya",
        "Raman",
        None,
        phone="+14155550188",
        billing_phone="'+1 415-555-0188",
        n_orders=2,
    )
    add(
        "b06",
        "Hannah",
        "Schultz",
        ["Hannah.Schultz@Web.de", "hannah.schultz@web.de"],
        billing_phone="'+49 160 90350980",
        n_orders=3,
    )
    # ordinary buyers, some repeat
    used = set()
    i = 7
    while len(buyers) < 31:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if (first, last) in used or (first, last) in {("Sarah", "Miller"), ("Michael", "Brown")}:
            continue
        used.add((first, last))
        dom = rng.choice(["gmail.com", "yahoo.com", "icloud.com", "hotmail.com", "outlook.com"])
        email = (
            f"{first.lower()}.{last.lower()}{rng.choice(['', '', str(rng.randint(1, 99))])}@{dom}"
        )
        n = rng.choice([1, 1, 1, 1, 2, 2, 3])
        bp = rng.choice(
            [
                "",
                f"({rng.randint(201, 989)}) 555-01{rng.randint(10, 99)}",
                f"{rng.randint(201, 989)}555{rng.randint(1000, 9999)}",
            ]
        )
        add(f"b{i:02d}", first, last, [email], billing_phone=bp, n_orders=n)
        i += 1
    return buyers


def _orders(rng: random.Random) -> list[dict]:
    buyers = _buyers(rng)
    slots: list[dict] = []
    for b in buyers:
        for k in range(b["n"]):
            slots.append({"buyer": b, "k": k})
    rng.shuffle(slots)
    # every status word at least once, then mostly paid
    forced = (
        ["pending"] * 3
        + ["authorized"]
        + ["partially_paid"]
        + ["partially_refunded"] * 4
        + ["refunded"] * 3
        + ["voided"] * 2
        + ["expired"]
    )
    statuses = forced + ["paid"] * (len(slots) - len(forced))
    rng.shuffle(statuses)
    start = datetime(2025, 1, 6, 9, 0, 0)
    orders = []
    for n, (slot, status) in enumerate(zip(slots, statuses, strict=True)):
        created = start + timedelta(
            days=n * 5 + rng.randint(0, 4),
            hours=rng.randint(0, 12),
            minutes=rng.randint(0, 59),
            seconds=rng.randint(0, 59),
        )
        b = slot["buyer"]
        k = min(slot["k"], len(b["emails"]) - 1)
        lines = []
        for prod in rng.sample(PRODUCTS, rng.choice([1, 1, 2, 2, 3, 4])):
            lines.append({"p": prod, "qty": rng.choice([1, 1, 1, 2, 3])})
        orders.append(
            {
                "buyer": b,
                "email": b["emails"][k],
                "created": created,
                "status": status,
                "lines": lines,
            }
        )
    # chronological, Shopify numbers them in order; export lists newest first
    orders.sort(key=lambda o: o["created"])
    for n, o in enumerate(orders):
        o["name"] = f"#{1001 + n}"
        o["id"] = str(6104412340000 + n * 37 + rng.randint(0, 30))
    orders.reverse()
    return orders


def _rows(rng: random.Random, o: dict) -> tuple[list[dict], dict]:
    b = o["buyer"]
    city, prov, prov_name, zipc, tax_name, rate = b["state"]
    gross = sum(Decimal(p[2]) * line["qty"] for line in o["lines"] for p in [line["p"]])
    code, disc = "", Decimal("0")
    if rng.random() < 0.25:
        code = rng.choice(["WELCOME10", "SPRING15", "VIP20"])
        disc = (gross * Decimal(code[-2:]) / 100).quantize(D2, ROUND_HALF_UP)
    subtotal = gross - disc
    shipping = Decimal("0.00") if subtotal >= 75 else Decimal("8.95")
    taxes = (subtotal * Decimal(rate)).quantize(D2, ROUND_HALF_UP)
    total = subtotal + shipping + taxes
    status = o["status"]
    created = o["created"]
    paid_at = created + timedelta(seconds=rng.randint(1, 5))
    cancelled = ""
    refunded = Decimal("0")
    outstanding = Decimal("0")
    if status == "partially_refunded":
        line = rng.choice(o["lines"])
        refunded = min(Decimal(line["p"][2]), total - Decimal("1.00"))
    elif status == "refunded":
        refunded = total
        if rng.random() < 0.5:
            cancelled = _ts(created + timedelta(hours=rng.randint(1, 30)))
    elif status in ("pending", "authorized", "voided", "expired"):
        outstanding = total
        if status == "voided":
            cancelled = _ts(created + timedelta(days=rng.randint(1, 3)))
    elif status == "partially_paid":
        outstanding = (total / 2).quantize(D2, ROUND_HALF_UP)
    fulfilled = status in ("paid", "partially_refunded") or (status == "refunded" and not cancelled)
    method = {
        "pending": rng.choice(["Cash on Delivery (COD)", "Bank Deposit"]),
        "partially_paid": "manual",
    }.get(status, rng.choice(["Shopify Payments", "Shopify Payments", "PayPal Express Checkout"]))
    ref = "" if status in ("pending", "expired") else f"c{o['id'][:11]}{rng.randint(100, 999)}.1"
    first = {
        "Financial Status": status,
        "Paid at": _ts(paid_at) if status in ("paid", "refunded", "partially_paid") else "",
        "Fulfillment Status": "fulfilled" if fulfilled else "unfulfilled",
        "Fulfilled at": _ts(created + timedelta(days=rng.randint(1, 4), hours=3))
        if fulfilled
        else "",
        "Accepts Marketing": b["marketing"],
        "Currency": "USD",
        "Subtotal": _m(subtotal),
        "Shipping": _m(shipping),
        "Taxes": _m(taxes),
        "Total": _m(total),
        "Discount Code": code,
        "Discount Amount": _m(disc),
        "Shipping Method": "Standard Shipping" if shipping else "Free Shipping",
        "Billing Name": b["name"],
        "Billing Street": b["street"],
        "Billing Address1": b["street"],
        "Billing City": city,
        "Billing Zip": zipc,
        "Billing Province": prov,
        "Billing Country": "US",
        "Billing Phone": b["billing_phone"],
        "Shipping Name": b["name"],
        "Shipping Street": b["street"],
        "Shipping Address1": b["street"],
        "Shipping City": city,
        "Shipping Zip": zipc,
        "Shipping Province": prov,
        "Shipping Country": "US",
        "Shipping Phone": b["billing_phone"],
        "Cancelled at": cancelled,
        "Payment Method": method,
        "Payment Reference": ref,
        "Refunded Amount": _m(refunded),
        "Outstanding Balance": _m(outstanding),
        "Id": o["id"],
        "Tags": "",
        "Risk Level": "Low",
        "Source": "web",
        "Tax 1 Name": tax_name if taxes else "",
        "Tax 1 Value": _m(taxes) if taxes else "",
        "Billing Province Name": prov_name,
        "Shipping Province Name": prov_name,
        "Payment ID": ref,
        "Payment References": ref,
    }
    rows = []
    for n, line in enumerate(o["lines"]):
        title, sku, price, compare, vendor = line["p"]
        row = dict.fromkeys(HEADER, "")
        row.update(
            {
                "Name": o["name"],
                "Email": o["email"],
                "Created at": _ts(created),
                "Lineitem quantity": str(line["qty"]),
                "Lineitem name": title,
                "Lineitem price": price,
                "Lineitem compare at price": compare,
                "Lineitem sku": sku,
                "Lineitem requires shipping": "true",
                "Lineitem taxable": "true" if taxes else "false",
                "Lineitem fulfillment status": "fulfilled" if fulfilled else "pending",
                "Vendor": vendor,
                "Lineitem discount": "0.00",
                "Phone": b["phone"],
            }
        )
        if n == 0:
            row.update(first)
        rows.append(row)
    truth = {
        "status": {
            "pending": "pending",
            "authorized": "pending",
            "partially_paid": "pending",
            "paid": "paid",
            "partially_refunded": "partially_refunded",
            "refunded": "refunded",
            "voided": "cancelled",
            "expired": "cancelled",
        }[status],
        "paid": _m(total),
        "refunded": _m(refunded),
        "quantity": sum(line["qty"] for line in o["lines"]),
        "buyer": b["label"],
    }
    return rows, truth


def build(folder: Path) -> dict:
    """Write the export into `folder` and return the truth about it."""
    rng = random.Random(20250306)
    path = Path(folder) / "orders_export_1.csv"
    truth: dict[str, dict] = {}
    lines = [",".join(HEADER)]
    for o in _orders(rng):
        rows, t = _rows(rng, o)
        truth[o["name"]] = t
        for row in rows:
            lines.append(
                ",".join(
                    _cell(c, row[c]) if (c in REPEATED or row is rows[0] or row[c]) else ""
                    for c in HEADER
                )
            )
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    buyers = {t["buyer"] for t in truth.values()}
    return {
        "files": [path],
        "format": FORMAT,
        "buyers": len(buyers),
        "orders": truth,
        "skipped_rows": 0,
    }
