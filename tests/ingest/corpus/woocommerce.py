"""WooCommerce order export: the Customer/Order/Coupon Export extension (SkyVerge), format
"Default - One Row per Item", written the way its generator writes it.

Built from:
  https://github.com/lafranceinsoumise/woocommerce-customer-order-csv-export/blob/ad4585d833069e968858587392aa139759c011ab/includes/class-wc-customer-order-csv-export-formats.php
  https://github.com/lafranceinsoumise/woocommerce-customer-order-csv-export/blob/ad4585d833069e968858587392aa139759c011ab/includes/class-wc-customer-order-csv-export-generator.php
  https://tw.godaddy.com/help/about-customerordercoupon-exports-export-formats-40232?lc=en-US
  https://woocommerce.github.io/code-reference/classes/Automattic-WooCommerce-Enums-OrderStatus.html
  https://github.com/woocommerce/woocommerce/blob/01a5871bd7ad20981fe18d9429c1b407847a3e9e/plugins/woocommerce/includes/wc-order-functions.php

Reproduced: the v5.5.0 column keys and order; every item row repeats all order columns; status is
the slug without "wc-"; date "Y-m-d H:i:s"; customer_id 0 for guests; order_total is the original
total and refunded_total the refunds; a partial refund leaves the status processing/completed;
values starting with = + - @ get a leading apostrophe (phones "+1 ...", item_refunded_qty "-1");
PHP fputcsv quoting (a field with a space, comma, quote, tab or newline is quoted); UTF-8 without
BOM; LF line ends; file name orders-export-YYYY_MM_DD_HH_MM_SS.csv; order_number empty (no
sequential-numbers plugin).

Truth: "paid" is order_total (the `amount` column) whatever the status; "refunded" is
refunded_total; status "partially_refunded" for processing/completed orders with
0 < refunded_total < order_total; "quantity" sums item_quantity; "buyers" counts true people over
every order in the file.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FORMAT = "woocommerce"

HEADER = [
    "order_id",
    "order_number",
    "date",
    "status",
    "shipping_total",
    "shipping_tax_total",
    "fee_total",
    "fee_tax_total",
    "tax_total",
    "discount_total",
    "order_total",
    "refunded_total",
    "order_currency",
    "payment_method",
    "shipping_method",
    "customer_id",
    "billing_first_name",
    "billing_last_name",
    "billing_company",
    "billing_email",
    "billing_phone",
    "billing_address_1",
    "billing_address_2",
    "billing_postcode",
    "billing_city",
    "billing_state",
    "billing_country",
    "shipping_first_name",
    "shipping_last_name",
    "shipping_address_1",
    "shipping_address_2",
    "shipping_postcode",
    "shipping_city",
    "shipping_state",
    "shipping_country",
    "shipping_company",
    "customer_note",
    "item_id",
    "item_product_id",
    "item_name",
    "item_sku",
    "item_quantity",
    "item_subtotal",
    "item_subtotal_tax",
    "item_total",
    "item_total_tax",
    "item_refunded",
    "item_refunded_qty",
    "item_meta",
    "shipping_items",
    "fee_items",
    "tax_items",
    "coupon_items",
    "order_notes",
    "download_permissions_granted",
]
PRODUCTS = [  # product id, name, sku, price, meta
    (311, "Organic Cold Brew Coffee 1kg", "CB-1KG", "24.90", ""),
    (312, "Ethiopia Yirgacheffe Beans 250g", "ETH-250", "16.50", "Grind=Whole bean"),
    (312, "Ethiopia Yirgacheffe Beans 250g", "ETH-250", "16.50", "Grind=Espresso"),
    (318, "Pour-Over Dripper", "DRP-01", "29.00", ""),
    (320, "Gooseneck Kettle", "KTL-GN", "64.00", "Color=Matte Black"),
    (327, "Paper Filters (100)", "FLT-100", "7.50", ""),
    (331, "Colombia Huila Beans 500g", "COL-500", "21.00", "Grind=Whole bean"),
    (335, "Ceramic Travel Cup", "CUP-TR", "19.00", "Color=Sand"),
    (340, "Barista Scale", "SCL-01", "48.00", ""),
    (344, "Subscription Box - Monthly", "SUB-M", "32.00", ""),
]
STATES = [
    ("Seattle", "WA", "98103"),
    ("Denver", "CO", "80211"),
    ("Atlanta", "GA", "30307"),
    ("Minneapolis", "MN", "55408"),
    ("San Diego", "CA", "92104"),
    ("Columbus", "OH", "43201"),
    ("Raleigh", "NC", "27601"),
    ("Madison", "WI", "53703"),
]
FIRST = [
    "Amelia",
    "Benjamin",
    "Charlotte",
    "David",
    "Ella",
    "Felix",
    "Georgia",
    "Hugo",
    "Isla",
    "Jonah",
    "Katie",
    "Logan",
    "Maya",
    "Nathan",
    "Piper",
    "Reid",
    "Sadie",
    "Theo",
    "Violet",
    "Wyatt",
    "Aria",
    "Elliot",
    "Lena",
    "Marcus",
]
LAST = [
    "Anderson",
    "Brooks",
    "Carter",
    "Diaz",
    "Evans",
    "Flores",
    "Gray",
    "Howard",
    "Jenkins",
    "Kelly",
    "Long",
    "Morgan",
    "Nelson",
    "Perry",
    "Ross",
    "Sanders",
    "Torres",
    "Vaughn",
    "Watson",
    "Young",
]
STREETS = [
    "N 45th St",
    "Tennyson St",
    "Euclid Ave",
    "Lyndale Ave S",
    "30th St",
    "High St",
    "Fayetteville St",
]
D2 = Decimal("0.01")


def _m(x: Decimal) -> str:
    return str(x.quantize(D2, ROUND_HALF_UP))


def _guard(value: str) -> str:
    """The extension's CSV-injection guard (escape_cell_formulas)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _fputcsv(values: list[str]) -> str:
    """PHP fputcsv with delimiter ',' and enclosure '"'."""
    out = [
        '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\\\n\r\t ') else v
        for v in values
    ]
    return ",".join(out) + "\n"


def _buyers(rng: random.Random) -> list[dict]:
    buyers: list[dict] = []

    def add(label, first, last, emails, ids, phone, n):
        city, state, zipc = rng.choice(STATES)
        buyers.append(
            {
                "label": label,
                "first": first,
                "last": last,
                "emails": emails,
                "ids": ids,
                "phone": phone,
                "n": n,
                "city": city,
                "state": state,
                "zip": zipc,
                "street": f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
            }
        )

    # registered customer, e-mail typed with different capitals
    add(
        "w01",
        "Emily",
        "Johnson",
        ["emily.johnson@gmail.com", "Emily.Johnson@gmail.com"],
        [14],
        "(206) 555-0114",
        4,
    )
    # a different Emily Johnson, guest
    add("w02", "Emily", "Johnson", ["emilyj.design@outlook.com"], [0], "+1 303 555 0172", 2)
    # guest first, registered later (same e-mail, customer_id 0 then 31)
    add(
        "w03",
        "Daniel",
        "Wright",
        ["dwright@protonmail.com", "dwright@protonmail.com", "DWright@protonmail.com"],
        [0, 31, 31],
        "(404) 555-0139",
        3,
    )
    # repeat guest, mixed case
    add(
        "w04",
        "Sofia",
        "Alvarez",
        ["Sofia.Alvarez@icloud.com", "sofia.alvarez@icloud.com"],
        [0],
        "",
        3,
    )
    # registered customer with a "+" phone (guarded with an apostrophe)
    add("w05", "Kenji", "Watanabe", ["kenji.w@fastmail.com"], [52], "+1 612 555 0190", 2)
    used = {("Emily", "Johnson"), ("Daniel", "Wright"), ("Sofia", "Alvarez"), ("Kenji", "Watanabe")}
    next_id, i = 60, 6
    while len(buyers) < 30:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if (first, last) in used:
            continue
        used.add((first, last))
        email = (
            f"{first[0].lower()}{last.lower()}{rng.choice(['', str(rng.randint(1, 90))])}@"
            + rng.choice(["gmail.com", "yahoo.com", "hotmail.com", "icloud.com", "aol.com"])
        )
        registered = rng.random() < 0.45
        cid = [next_id] if registered else [0]
        next_id += rng.randint(1, 9)
        phone = rng.choice(
            [
                "",
                f"({rng.randint(201, 989)}) 555-01{rng.randint(10, 99)}",
                f"+1 {rng.randint(201, 989)} 555 01{rng.randint(10, 99)}",
            ]
        )
        add(f"w{i:02d}", first, last, [email], cid, phone, rng.choice([1, 1, 1, 2, 2, 3]))
        i += 1
    return buyers


def _orders(rng: random.Random) -> list[dict]:
    slots = [(b, k) for b in _buyers(rng) for k in range(b["n"])]
    rng.shuffle(slots)
    # w03's guest order must come before the registered ones: sort each buyer's slots by k later
    forced = (
        ["pending"] * 2
        + ["on-hold"] * 2
        + ["failed"] * 2
        + ["cancelled"] * 2
        + ["refunded"] * 3
        + ["checkout-draft"]
        + ["completed_partial"] * 3
        + ["processing_partial"]
        + ["processing"] * 4
    )
    kinds = forced + ["completed"] * (len(slots) - len(forced))
    rng.shuffle(kinds)
    start = datetime(2025, 2, 3, 8, 0, 0)
    dates = sorted(
        start
        + timedelta(
            days=n * 5 + rng.randint(0, 4),
            hours=rng.randint(0, 13),
            minutes=rng.randint(0, 59),
            seconds=rng.randint(0, 59),
        )
        for n in range(len(slots))
    )
    # give each buyer's k-th order a later date than its (k-1)-th
    order_of: dict[str, list[int]] = {}
    for pos, (b, _k) in enumerate(slots):
        order_of.setdefault(b["label"], []).append(pos)
    for positions in order_of.values():
        ks = sorted(slots[p][1] for p in positions)
        for p, k in zip(sorted(positions), ks, strict=True):
            slots[p] = (slots[p][0], k)
    orders = []
    post_id = 2140
    for (b, k), kind, when in zip(slots, kinds, dates, strict=True):
        post_id += rng.randint(
            2, 9
        )  # order ids are post ids: refunds/notes/other posts take numbers in between
        lines = [
            {"p": p, "qty": rng.choice([1, 1, 1, 2, 3])}
            for p in rng.sample(PRODUCTS, rng.choice([1, 1, 2, 2, 3]))
        ]
        orders.append(
            {
                "buyer": b,
                "k": k,
                "kind": kind,
                "date": when,
                "order_id": str(post_id),
                "lines": lines,
            }
        )
    orders.reverse()  # the export lists newest first
    return orders


def _rows(rng: random.Random, o: dict, item_id: list[int]) -> tuple[list[list[str]], dict]:
    b, k, kind = o["buyer"], o["k"], o["kind"]
    email = b["emails"][min(k, len(b["emails"]) - 1)]
    cid = b["ids"][min(k, len(b["ids"]) - 1)]
    status = {"completed_partial": "completed", "processing_partial": "processing"}.get(kind, kind)
    coupon = ""
    gross = sum(Decimal(line["p"][3]) * line["qty"] for line in o["lines"])
    if rng.random() < 0.3:
        coupon = rng.choice(["welcome10", "brewday"])
    discount = (gross * Decimal("0.10")).quantize(D2, ROUND_HALF_UP) if coupon else Decimal("0")
    shipping = Decimal("0.00") if gross >= 60 else Decimal("6.95")
    tax_rate = Decimal("0.06") if b["state"] in ("WA", "GA", "OH", "NC") else Decimal("0")
    # split the discount over the lines, the last line takes the rounding rest
    line_totals, rest = [], discount
    for n, line in enumerate(o["lines"]):
        sub = Decimal(line["p"][3]) * line["qty"]
        share = (
            rest
            if n == len(o["lines"]) - 1
            else (discount * sub / gross).quantize(D2, ROUND_HALF_UP)
        )
        rest -= share
        line_totals.append((sub, sub - share))
    line_tax = [(t * tax_rate).quantize(D2, ROUND_HALF_UP) for _, t in line_totals]
    tax_total = sum(line_tax, Decimal("0"))
    total = sum((t for _, t in line_totals), Decimal("0")) + shipping + tax_total
    refunded = Decimal("0")
    refund_line = None
    if kind == "refunded":
        refunded = total
    elif kind in ("completed_partial", "processing_partial"):
        refund_line = rng.randrange(len(o["lines"]))
        sub, t = line_totals[refund_line]
        per_unit = (t / o["lines"][refund_line]["qty"]).quantize(D2, ROUND_HALF_UP)
        refunded = per_unit + (line_tax[refund_line] / o["lines"][refund_line]["qty"]).quantize(
            D2, ROUND_HALF_UP
        )
        if refunded >= total:
            refunded = (total / 2).quantize(D2, ROUND_HALF_UP)
    method = {"on-hold": "bacs", "pending": "cheque", "checkout-draft": ""}.get(
        status, rng.choice(["stripe", "stripe", "paypal", "woocommerce_payments"])
    )
    ship_title = "Free shipping" if not shipping else "Flat rate"
    method_id = "free_shipping" if not shipping else "flat_rate"
    ship_item = (
        f"id:{item_id[0] + 90}|method_id:{method_id}|method_title:{ship_title}|total:{_m(shipping)}"
    )
    tax_item = (
        (
            f"id:{item_id[0] + 91}|rate_id:3|code:US-{b['state']}-TAX-1|title:Tax"
            f"|total:{_m(tax_total)}|compound:"
        )
        if tax_rate
        else ""
    )
    coupon_item = (
        f"id:{item_id[0] + 92}|code:{coupon}|amount:{_m(discount)}|description:" if coupon else ""
    )
    notes = {
        "completed": "Order status changed from Processing to Completed.",
        "processing": "Payment via Stripe. Order status changed from Pending payment to Processing.",
        "refunded": f"Refunded ${_m(refunded)} - Order fully refunded.|Order status changed from Completed to Refunded.",
        "failed": "Order status changed from Pending payment to Failed.",
        "cancelled": "Unpaid order cancelled - time limit reached. Order status changed from Pending payment to Cancelled.",
        "on-hold": "Awaiting BACS payment Order status changed from Pending payment to On hold.",
        "pending": "",
        "checkout-draft": "",
    }[status]
    if refund_line is not None:
        notes = f"Refunded ${_m(refunded)}|" + notes
    base = {
        "order_id": o["order_id"],
        "order_number": "",
        "date": o["date"].strftime("%Y-%m-%d %H:%M:%S"),
        "status": status,
        "shipping_total": _m(shipping),
        "shipping_tax_total": "0.00",
        "fee_total": "0.00",
        "fee_tax_total": "0.00",
        "tax_total": _m(tax_total),
        "discount_total": _m(discount),
        "order_total": _m(total),
        "refunded_total": _m(refunded),
        "order_currency": "USD",
        "payment_method": method,
        "shipping_method": ship_title,
        "customer_id": str(cid),
        "billing_first_name": b["first"],
        "billing_last_name": b["last"],
        "billing_company": "",
        "billing_email": email,
        "billing_phone": b["phone"],
        "billing_address_1": b["street"],
        "billing_address_2": "",
        "billing_postcode": b["zip"],
        "billing_city": b["city"],
        "billing_state": b["state"],
        "billing_country": "US",
        "shipping_first_name": b["first"],
        "shipping_last_name": b["last"],
        "shipping_address_1": b["street"],
        "shipping_address_2": "",
        "shipping_postcode": b["zip"],
        "shipping_city": b["city"],
        "shipping_state": b["state"],
        "shipping_country": "US",
        "shipping_company": "",
        "customer_note": rng.choice(["", "", "", "Please leave at the back door."]),
        "shipping_items": ship_item,
        "fee_items": "",
        "tax_items": tax_item,
        "coupon_items": coupon_item,
        "order_notes": notes,
        "download_permissions_granted": "0",
    }
    rows = []
    for n, line in enumerate(o["lines"]):
        pid, name, sku, _price, meta = line["p"]
        item_id[0] += 1
        sub, t = line_totals[n]
        if kind == "refunded":
            r_amt, r_qty = t, -line["qty"]
        elif n == refund_line:
            r_amt, r_qty = (t / line["qty"]).quantize(D2, ROUND_HALF_UP), -1
        else:
            r_amt, r_qty = Decimal("0"), 0
        row = dict(base)
        row.update(
            {
                "item_id": str(item_id[0]),
                "item_product_id": str(pid),
                "item_name": name,
                "item_sku": sku,
                "item_quantity": str(line["qty"]),
                "item_subtotal": _m(sub),
                "item_subtotal_tax": _m((sub * tax_rate).quantize(D2, ROUND_HALF_UP)),
                "item_total": _m(t),
                "item_total_tax": _m(line_tax[n]),
                "item_refunded": _m(r_amt),
                "item_refunded_qty": str(r_qty),
                "item_meta": meta,
            }
        )
        rows.append([_guard(row[c]) for c in HEADER])
    item_id[0] += 3
    if refund_line is not None and refunded < total:
        truth_status = "partially_refunded"
    else:
        truth_status = {
            "pending": "pending",
            "processing": "paid",
            "on-hold": "pending",
            "completed": "paid",
            "cancelled": "cancelled",
            "refunded": "refunded",
            "failed": "cancelled",
            "checkout-draft": "pending",
        }[status]
    truth = {
        "status": truth_status,
        "paid": _m(total),
        "refunded": _m(refunded),
        "quantity": sum(line["qty"] for line in o["lines"]),
        "buyer": b["label"],
    }
    return rows, truth


def build(folder: Path) -> dict:
    """Write the export into `folder` and return the truth about it."""
    rng = random.Random(20250419)
    path = Path(folder) / "orders-export-2025_12_30_09_41_07.csv"
    truth: dict[str, dict] = {}
    text = [_fputcsv(HEADER)]
    item_id = [5310]
    for o in _orders(rng):
        rows, t = _rows(rng, o, item_id)
        truth[o["order_id"]] = t
        text.extend(_fputcsv(r) for r in rows)
    path.write_bytes("".join(text).encode("utf-8"))
    buyers = {t["buyer"] for t in truth.values()}
    return {
        "files": [path],
        "format": FORMAT,
        "buyers": len(buyers),
        "orders": truth,
        "skipped_rows": 0,
    }
