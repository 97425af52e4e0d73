"""A journey's message quotes a customer's labels with their reasons: in a shop whose
workspace currency is USD, the money in them is dollars, as ``kequn show`` states it.
Before, a message read "total spend ¥90" to a US shop's buyer of $90.

The shop's orders are a Shopify order export as the help center describes it
(help.shopify.com/en/manual/fulfillment/managing-orders/exporting-orders: one row per line
item; Financial Status, Total, Refunded Amount on the order's first row only)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cli_helpers import kequn_words
from kequn.automation.compose import Composer
from kequn.automation.journeys import parse_journeys
from kequn.snapshots import lookup
from kequn.snapshots.runs import get_run
from kequn.store.workspace import Workspace

ORDERS = (
    "Name,Email,Financial Status,Currency,Total,Discount Amount,Created at,"
    "Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Refunded Amount\n"
    "#1001,jane@example.com,paid,USD,65.00,0.00,2025-01-05 10:00:00 -0500,2,T-shirt,20.00,"
    "Jane Doe,0.00\n"
    "#1001,jane@example.com,,,,,2025-01-05 10:00:00 -0500,1,Mug,20.00,,\n"
    "#1002,jane@example.com,partially_refunded,USD,45.00,10.00,2025-02-05 10:00:00 -0500,1,"
    "Hoodie,50.00,Jane Doe,20.00\n"
)
JOURNEYS = {
    "channels": {"crm": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}},
    "journeys": [
        {"id": "value", "trigger": {"rule": "orders >= 1"}, "channel": "crm",
         "purpose": "service",
         "templates": {lang: {"subject": "{{ customer.customer_id }}",
                              "body": "{{ labels.value.reason }}"} for lang in ("zh", "en")}},
    ],
}  # fmt: skip


@pytest.mark.parametrize(("lang", "said"), [("en", "total spend $90"), ("zh", "累计消费 $90")])
def test_a_message_states_a_usd_shops_money_in_dollars(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, said: str
) -> None:
    root = tmp_path / "shop"
    code, out = kequn_words(capsys, "init", root, "--currency", "USD", "--home-country", "US")
    assert code == 0, out
    path = tmp_path / "orders_export_1.csv"
    path.write_text(ORDERS, encoding="utf-8")
    code, out = kequn_words(capsys, "import", "orders", path, "-w", root)
    assert code == 0, out
    code, out = kequn_words(capsys, "run", "-w", root, "--as-of", "2025-04-01", "--no-models")
    assert code == 0, out
    run = get_run(Workspace.open(root))
    assert run is not None
    journeys = parse_journeys(yaml.safe_dump(JOURNEYS), run.taxonomy())
    composer = Composer(run, journeys)
    with Workspace.open(root).read() as con:
        (customer,) = con.execute("SELECT DISTINCT customer_id FROM orders").fetchall()
    with lookup.reader(run) as db:
        row = db.record("labels", customer[0])
    assert row is not None
    journey = journeys.journeys[0]
    _, body = composer.render(journey, lang, composer.context(journey, row, {}, lang))
    assert said in body, body
    assert "¥" not in body, body
