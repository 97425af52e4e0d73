"""A platform's order export derives the buyers a customers file does not hold yet.

A Shopify shop imports its customers export (help.shopify.com/en/manual/customers/
import-export-customers), then each day's orders export (help.shopify.com/en/manual/
fulfillment/managing-orders/exporting-orders). Both are read under the source
``shopify`` and key a buyer by Email, so they meet on one customer; but a buyer whose
first order came after the customers export was taken was quarantined as an unknown
customer, with every later order of theirs: the orders export names its buyers (e-mail,
name, phone), and they are customers all the same. A hand-made order sheet keyed by a
member list's ids is still checked against that list."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

CUSTOMERS = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags\n"
    "'7285214281987,Jane,Doe,jane@example.com,yes,New York,NY,US,'+12125550100,no,90.00,2,,"
    "no,VIP\n"
)
ORDERS = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Total,"
    "Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,"
    "Refunded Amount,Id\n"
    "#1001,jane@example.com,paid,2025-01-05 10:00:00 -0500,fulfilled,USD,40.00,40.00,0.00,"
    "2025-01-05 10:00:00 -0500,2,T-shirt,20.00,Jane Doe,0.00,5001\n"
    "#1002,newbie@example.com,paid,2025-01-06 11:00:00 -0500,fulfilled,USD,20.00,20.00,0.00,"
    "2025-01-06 11:00:00 -0500,1,Mug,20.00,New Bie,0.00,5002\n"
    "#1002,newbie@example.com,,,,,,,,2025-01-06 11:00:00 -0500,1,Candle,0.00,,,\n"
)


def _rows(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    path = ws.data_dir / str(ws.current_generation())
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_buyer_new_since_the_customers_export_is_a_customer(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    (tmp_path / "customers_export.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "orders_export_1.csv").write_text(ORDERS, encoding="utf-8")
    import_file(ws, "customers", tmp_path / "customers_export.csv")
    report = import_file(ws, "orders", tmp_path / "orders_export_1.csv")
    assert report.rejected == 0, report.examples
    assert report.derived_customers == 1
    owners = _rows(
        ws,
        "SELECT c.name, count(*) FROM orders o JOIN customers c "
        "USING (customer_id) GROUP BY 1 ORDER BY 1",
    )
    assert owners == [("Jane Doe", 1), ("New Bie", 1)]
    assert _rows(ws, "SELECT count(*) FROM customers") == [(2,)]


def test_asked_not_to_the_platform_export_still_checks(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    (tmp_path / "customers_export.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "orders_export_1.csv").write_text(ORDERS, encoding="utf-8")
    import_file(ws, "customers", tmp_path / "customers_export.csv")
    report = import_file(ws, "orders", tmp_path / "orders_export_1.csv", create_customers=False)
    assert report.rejected == 1  # New Bie's order
    assert _rows(ws, "SELECT count(*) FROM customers") == [(1,)]


def test_a_hand_made_sheet_is_held_to_its_member_list(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    members = tmp_path / "会员.csv"
    members.write_text("会员编号,姓名,手机号\nM1,张三,13800138000\n", encoding="utf-8")
    sheet = tmp_path / "订单.csv"
    sheet.write_text(
        "订单编号,会员编号,下单时间,金额\nO1,M1,2025-01-05 10:00:00,100\n"
        "O2,M9,2025-01-06 10:00:00,50\n",
        encoding="utf-8",
    )
    import_file(ws, "customers", members)
    report = import_file(ws, "orders", sheet)
    assert report.rejected == 1  # M9: an id the member list does not know
    assert _rows(ws, "SELECT customer_id FROM orders") == [("M1",)]
