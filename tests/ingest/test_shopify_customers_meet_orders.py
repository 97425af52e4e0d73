"""A Shopify shop's customers export and orders export meet on one customer.

Shopify's orders export has no customer id: kequn keys its buyer by the e-mail, case-folded,
else the phone, as a keyed pseudonym, under the source ``shopify`` (shopify.yaml's
buyer_key). Its customers export (help.shopify.com/en/manual/customers/import-export-customers)
was read as any customers file: keyed by Shopify's Customer ID, without a source. So the
same person was two customers, ``7285214281987`` with her consent, city and tags, and
``shopify:p-…`` with her orders: a prospect who never bought, and a buyer with nothing
known of her. Now the customers export is told by its headers and keyed as the orders
export keys its buyers; Shopify's Customer ID stays among her attributes.

Headers: the newest customers export (Customer ID, ... Default Address ..., Accepts Email
Marketing, Accepts SMS Marketing; the help page and public importers' tests), the one
before it (Customer ID, Company, Address1, ..., Accepts Email Marketing) and the oldest
(Accepts Marketing, no Customer ID: github.com/tramyardg/magento2ShopifyCSV
src/customers/header.js); the orders export's as its help page and real files have it
(shopify.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.mapping import MappingFile
from kequn.ingest.report import ImportReport
from kequn.ingest.shape import pseudonym_id
from kequn.ingest.summary import column_lines, found
from kequn.store.workspace import Workspace

NEWEST = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,"
    "Tax Exempt,Tags\n"
    "'7285214281987,Jane,Doe,Jane@Example.com,yes,,1 Main St,,New York,NY,US,'10001,,"
    '\'+1 212-555-0100,no,90.00,2,,no,"VIP, newsletter"\n'
    "'7285214281988,Bob,Ray,bob@example.com,no,,,,Austin,TX,US,,,,no,24.00,1,,no,\n"
)
#: with Customer ID and both answers, and the address columns without "Default Address"
MIDDLE = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Company,Address1,Address2,"
    "City,Province,Province Code,Country,Country Code,Zip,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Tags,Note,Tax Exempt\n"
    "'7285214281987,Jane,Doe,Jane@Example.com,yes,Acme Inc,1 Main St,,New York,New York,NY,"
    "United States,US,'10001,'+1 212-555-0100,no,90.00,2,\"VIP, newsletter\",,no\n"
    "'7285214281988,Bob,Ray,bob@example.com,no,,,,Austin,Texas,TX,United States,US,,,no,"
    "24.00,1,,,no\n"
)
#: the oldest: one marketing answer, no Customer ID
OLDEST = (
    "First Name,Last Name,Email,Company,Address1,Address2,City,Province,Province Code,Country,"
    "Country Code,Zip,Phone,Accepts Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt\n"
    "Jane,Doe,Jane@Example.com,Acme Inc,1 Main St,,New York,New York,NY,United States,US,'10001,"
    '\'+1 212-555-0100,yes,90.00,2,"VIP, newsletter",,no\n'
    "Bob,Ray,bob@example.com,,,,Austin,Texas,TX,United States,US,,,no,24.00,1,,,no\n"
)
#: Shopify's orders export (tests/ingest/test_order_export_given_as_customers.py), with the
#: Phone column newer exports have: one row per line item, order fields on the first row
ORDERS = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Total,"
    "Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,"
    "Refunded Amount,Id,Phone\n"
    "#1001,jane@example.com,paid,2025-01-05 10:00:00 -0500,fulfilled,USD,60.00,65.00,0.00,"
    "2025-01-05 10:00:00 -0500,2,T-shirt,20.00,Jane Doe,0.00,5001,\n"
    "#1001,jane@example.com,,,,,,,,2025-01-05 10:00:00 -0500,1,Mug,20.00,,,,\n"
    "#1002,JANE@example.com,paid,2025-02-05 10:00:00 -0500,fulfilled,USD,25.00,25.00,0.00,"
    "2025-02-05 10:00:00 -0500,1,Mug,25.00,Jane Doe,0.00,5002,\n"
    "#1003,bob@example.com,paid,2025-03-05 10:00:00 -0500,fulfilled,USD,24.00,24.00,0.00,"
    "2025-03-05 10:00:00 -0500,1,Cap,24.00,Bob Ray,0.00,5003,\n"
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _customers(ws: Workspace) -> dict[str, tuple[object, ...]]:
    """Each customer by e-mail, else phone: (id, origin, consent, city, Shopify's Customer
    ID, tags, the ids of their orders)."""
    with ws.read() as con:
        rows = con.execute(
            """SELECT coalesce(lower(c.email), c.phone), c.customer_id, c.origin, c.marketing_consent, c.city,
                c.attributes['Customer ID'], c.attributes['Tags'],
                list(o.order_id ORDER BY o.order_id) FILTER (WHERE o.order_id IS NOT NULL)
            FROM customers c LEFT JOIN orders o USING (customer_id)
            GROUP BY ALL ORDER BY 1"""
        ).fetchall()
    return {str(r[0]): tuple(r[1:]) for r in rows}


def _said(report: ImportReport, lang: str) -> str:
    return "\n".join(line.text for line in found(report, lang))


@pytest.mark.parametrize("first", ["customers", "orders"])
def test_the_customers_export_and_the_orders_export_make_one_customer(
    ws: Workspace, tmp_path: Path, first: str
) -> None:
    files = {
        "customers": _write(tmp_path / "customers_export.csv", NEWEST),
        "orders": _write(tmp_path / "orders_export_1.csv", ORDERS),
    }
    reports = {}
    for table in sorted(files, key=lambda t: t != first):
        reports[table] = import_file(ws, table, files[table])
        assert reports[table].rejected == 0, reports[table].examples
    key = ws.secret_key()
    jane = "shopify:" + pseudonym_id(key, "jane@example.com")
    bob = "shopify:" + pseudonym_id(key, "bob@example.com")
    assert _customers(ws) == {
        "bob@example.com": (bob, "shopify", False, "Austin", "7285214281988", None, ["shopify:#1003"]),
        "jane@example.com": (
            jane, "shopify", True, "New York", "7285214281987", "VIP, newsletter",
            ["shopify:#1001", "shopify:#1002"],
        ),
    }  # fmt: skip
    report = reports["customers"]
    if first == "orders":  # the records the orders made, given what the shop knows of them
        assert (report.inserted, report.updated) == (0, 2)
    # the summary says which key and which source
    assert report.buyer_key == ["Email", "Phone"]
    assert (report.origin, report.origin_defaulted) == ("shopify", True)
    assert "Customer ID" in report.attributes
    said = _said(report, "en")
    assert "Shopify customers export" in said
    assert "Buyer key: Email > Phone" in said
    assert "source shopify" in said
    said = _said(report, "zh")
    assert "Shopify 客户导出" in said
    assert "买家标识：Email > Phone" in said


@pytest.mark.parametrize("header", ["middle", "oldest"])
def test_the_older_customers_exports_meet_the_orders_too(
    ws: Workspace, tmp_path: Path, header: str
) -> None:
    text = MIDDLE if header == "middle" else OLDEST
    report = import_file(ws, "customers", _write(tmp_path / "customers_export.csv", text))
    assert report.rejected == 0, report.examples
    assert report.origin == "shopify"
    orders = import_file(ws, "orders", _write(tmp_path / "orders_export.csv", ORDERS))
    assert orders.rejected == 0, orders.examples  # no order of an unknown customer
    got = _customers(ws)
    assert set(got) == {"bob@example.com", "jane@example.com"}
    # the oldest export's one answer is Accepts Marketing; it has no Customer ID
    shopify_id = "7285214281987" if header == "middle" else None
    assert got["jane@example.com"][1:5] == ("shopify", True, "New York", shopify_id)
    assert got["jane@example.com"][6] == ["shopify:#1001", "shopify:#1002"]
    # named by her First Name and Last Name, not by the company she works for
    assert report.mapping["name"] == "First Name + Last Name"
    with ws.read() as con:
        names = con.execute(
            "SELECT name, attributes['Company'] FROM customers ORDER BY 1"
        ).fetchall()
    assert names == [("Bob Ray", None), ("Jane Doe", "Acme Inc")]


def test_a_customer_without_an_e_mail_meets_her_orders_by_phone(
    ws: Workspace, tmp_path: Path
) -> None:
    # a checkout by phone only (Shopify assigns such an order to the customer of that
    # phone); the customers export writes the number with a leading apostrophe
    customers = NEWEST.replace("Jane@Example.com", "")
    orders = ORDERS.replace("jane@example.com", "").replace("JANE@example.com", "")
    orders = orders.replace(",5001,\n", ",5001,+12125550100\n")
    orders = orders.replace(",5002,\n", ",5002,+1 (212) 555-0100\n")
    orders = orders.replace("Mug,20.00,,,,\n", "Mug,20.00,,,,+12125550100\n")
    report = import_file(ws, "customers", _write(tmp_path / "customers_export.csv", customers))
    assert report.rejected == 0, report.examples
    # the summary names both keys: Jane's id is made from her phone, not an e-mail
    said = "\n".join(line.text for line in column_lines(report, "en"))
    assert "Customer ids are made from Email > Phone" in said, said
    report = import_file(ws, "orders", _write(tmp_path / "orders_export_1.csv", orders))
    assert report.rejected == 0, report.examples
    got = _customers(ws)
    jane = "shopify:" + pseudonym_id(ws.secret_key(), "+12125550100")
    assert got["+1 212-555-0100"][0] == jane
    assert got["+1 212-555-0100"][6] == ["shopify:#1001", "shopify:#1002"]
    assert len(got) == 2


def test_a_source_named_or_none_is_the_customers_export_s_as_the_orders(
    ws: Workspace, tmp_path: Path
) -> None:
    customers = _write(tmp_path / "customers_export.csv", NEWEST)
    orders = _write(tmp_path / "orders_export_1.csv", ORDERS)
    # --source us_shop: both files that source's
    assert import_file(ws, "customers", customers, origin="us_shop").rejected == 0
    assert import_file(ws, "orders", orders, origin="us_shop").rejected == 0
    # --no-source: ids as given, and still the one key
    assert import_file(ws, "customers", customers, default_origin=False).rejected == 0
    assert import_file(ws, "orders", orders, default_origin=False).rejected == 0
    jane = pseudonym_id(ws.secret_key(), "jane@example.com")
    with ws.read() as con:
        rows = con.execute(
            "SELECT customer_id, c.origin, marketing_consent, count(o.order_id) FROM customers c "
            "LEFT JOIN orders o USING (customer_id) WHERE c.city = 'New York' GROUP BY ALL ORDER BY 1"
        ).fetchall()
    assert rows == [(jane, None, True, 2), ("us_shop:" + jane, "us_shop", True, 2)]


def test_a_member_list_keeps_its_own_ids(ws: Workspace, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "会员.csv",
        "会员编号,姓名,手机号,邮箱\nV1,王小明,13800138000,wang@example.com\n",
    )
    report = import_file(ws, "customers", path)
    assert report.rejected == 0, report.examples
    assert (report.format, report.buyer_key, report.origin) == (None, [], None)
    with ws.read() as con:
        got = con.execute("SELECT customer_id, origin, phone FROM customers").fetchall()
    assert got == [("V1", None, "13800138000")]
    # a sheet with a customer id of its own and Shopify-like columns is the user's too
    path = _write(
        tmp_path / "crm.csv",
        "Member ID,First Name,Last Name,Email,Accepts Email Marketing,Tax Exempt,Total Spent,"
        "Total Orders\nM7,Ann,Lee,ann@example.com,yes,no,10.00,1\n",
    )
    report = import_file(ws, "customers", path)
    assert report.rejected == 0, report.examples
    assert report.origin is None
    with ws.read() as con:
        assert con.execute(
            "SELECT customer_id FROM customers WHERE name = 'Ann Lee'"
        ).fetchall() == [("M7",)]


def test_a_customer_with_neither_e_mail_nor_phone_is_kept_by_shopify_s_id(
    ws: Workspace, tmp_path: Path
) -> None:
    # a customer added by hand in the admin, or at a till, with a name only: no order of
    # the orders export can be hers, and she was read (by her Customer ID) before, so
    # she is not quarantined for an empty Email
    customers = NEWEST.replace("bob@example.com", "")
    report = import_file(ws, "customers", _write(tmp_path / "customers_export.csv", customers))
    assert (report.rejected, report.accepted) == (0, 2), report.examples
    got = _customers(ws)
    assert got["None"][:4] == ("shopify:7285214281988", "shopify", False, "Austin")
    assert got["jane@example.com"][0] == "shopify:" + pseudonym_id(
        ws.secret_key(), "jane@example.com"
    )


def test_customers_stored_by_their_customer_id_are_not_stored_twice(
    ws: Workspace, tmp_path: Path
) -> None:
    # a workspace holding the export as it was read before (Customer ID, no source), as a
    # mapping file naming the id column still reads it: imported again, the same records
    # are updated, not joined by a second Jane under shopify:p-…
    mapping = _write(tmp_path / "mapping.yaml", "columns:\n  customer_id: Customer ID\n")
    path = _write(tmp_path / "customers_export.csv", NEWEST)
    first = import_file(ws, "customers", path, mapping=MappingFile.load(mapping))
    assert (first.rejected, first.inserted) == (0, 2), first.examples
    again = import_file(ws, "customers", _write(tmp_path / "customers_export.csv", NEWEST))
    assert (again.rejected, again.inserted, again.origin) == (0, 0, None), again.examples
    assert "import.source_kept_ids" in again.notes
    assert "Ids kept as given" in _said(again, "en")
    with ws.read() as con:
        ids = con.execute("SELECT customer_id, origin FROM customers ORDER BY 1").fetchall()
    assert ids == [("7285214281987", None), ("7285214281988", None)]
    # a source named is the user's word: the export is that source's, keyed as its orders
    named = import_file(ws, "customers", path, origin="shop")
    assert (named.rejected, named.inserted, named.origin) == (0, 2, "shop")
