"""A US shop's Shopify orders export, end to end: ``kequn init --currency USD``, import,
run, and what the owner reads in ``kequn show`` - the spend is the shop's dollars.

The file follows Shopify's order export (help.shopify.com/en/manual/fulfillment/
managing-orders/exporting-orders: one row per line item, order-level fields such as
Financial Status, Currency, Total, Discount Amount and Refunded Amount on the first row of
an order only; Name, Email, Created at and the Lineitem columns on every row) and the
column descriptions of help.shopify.com/en/manual/migrating-to-shopify/transporter-app/
csv-orders (Financial Status paid / partially_refunded; Currency an ISO 4217 code).
Before, the reasons of ``show`` put every amount in yuan: "total spend ¥90"."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import kequn_words
from kequn.store.workspace import Workspace

HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Accepts Marketing,Currency,"
    "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing City,"
    "Billing Province,Billing Country,Refunded Amount,Vendor,Id"
)
ROWS = [
    # a two-item order: Total 65.00 on the first row only
    (
        "#1001,jane@example.com,paid,2025-01-05 10:00:00 -0500,fulfilled,yes,USD,60.00,5.00,"
        "0.00,65.00,,0.00,2025-01-05 10:00:00 -0500,2,T-shirt,20.00,TS-1,Jane Doe,New York,NY,"
        "US,0.00,Acme,5001"
    ),
    "#1001,jane@example.com,,,,,,,,,,,,2025-01-05 10:00:00 -0500,1,Mug,20.00,MG-1,,,,,,Acme,",
    # partly refunded: Total stays 45.00, Refunded Amount 20.00 -> 25.00 kept
    (
        "#1002,JANE@example.com,partially_refunded,2025-02-05 10:00:00 -0500,fulfilled,yes,USD,"
        "40.00,5.00,0.00,45.00,SAVE10,10.00,2025-02-05 10:00:00 -0500,1,Hoodie,50.00,HD-1,"
        "Jane Doe,New York,NY,US,20.00,Acme,5002"
    ),
]


@pytest.mark.parametrize(("lang", "spend"), [("en", "total spend $90"), ("zh", "累计消费 $90")])
def test_show_states_a_usd_shops_spend_in_dollars(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    spend: str,
) -> None:
    ws = tmp_path / "shop"
    code, said = kequn_words(
        capsys, "init", ws, "--currency", "USD", "--home-country", "US",
        "--home-city", "New York", "--home-province", "NY", "--timezone", "America/New_York",
    )  # fmt: skip
    assert code == 0, said
    path = tmp_path / "orders_export_1.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    code, said = kequn_words(capsys, "import", "orders", path, "-w", ws)
    assert code == 0, said
    assert "accepted 2" in said, said
    code, said = kequn_words(capsys, "run", "-w", ws, "--as-of", "2025-04-01", "--no-models")
    assert code == 0, said
    with Workspace.open(ws).read() as con:
        rows = con.execute("SELECT DISTINCT customer_id FROM orders").fetchall()
    assert len(rows) == 1  # the e-mail in other capitals is the same buyer
    monkeypatch.setenv("KEQUN_LANG", lang)
    code, said = kequn_words(capsys, "show", rows[0][0], "-w", ws)
    assert code == 0, said
    # 65.00 once for the two-item order, 45.00 - 20.00 refunded for the other
    assert spend in said, said
    assert "¥" not in said, said
