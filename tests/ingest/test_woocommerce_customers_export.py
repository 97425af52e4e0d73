"""The customers file of WooCommerce's Customer/Order/Coupon Export, with the header its
generator writes (get_customers_csv_headers, github-code-index:7096952065): the buyer's
registration date, phone and billing address are read as theirs, not kept as attributes."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = [
    "customer_id", "first_name", "last_name", "email", "date_registered", "billing_first_name",
    "billing_last_name", "billing_company", "billing_email", "billing_phone", "billing_address_1",
    "billing_address_2", "billing_postcode", "billing_city", "billing_state", "billing_country",
    "shipping_first_name", "shipping_last_name", "shipping_company", "shipping_address_1",
    "shipping_address_2", "shipping_postcode", "shipping_city", "shipping_state",
    "shipping_country",
]  # fmt: skip


def test_the_woocommerce_customers_export_is_read_column_by_column(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "customers-export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerow([
            "7", "Ann", "Lee", "ann@example.com", "2024-01-05 13:05:11", "Ann", "Lee", "",
            "ann@example.com", "+49 30 1234567", "Hauptstr 1", "", "10115", "Berlin", "BE", "DE",
            "Ann", "Lee", "", "Hauptstr 1", "", "10115", "Berlin", "BE", "DE",
        ])  # fmt: skip
    result = import_file(ws, "customers", path)
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = con.execute(
            "SELECT customer_id, name, created_at, phone, address, city, province, country "
            "FROM customers"
        ).fetchall()
    assert got == [
        ("7", "Ann Lee", datetime(2024, 1, 5, 13, 5, 11), "+49 30 1234567", "Hauptstr 1",
         "Berlin", "BE", "DE"),
    ]  # fmt: skip
