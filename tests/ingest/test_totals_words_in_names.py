"""A customer whose name begins with, or is, a totals word in English is a customer, not
a totals row: "Sum" is a Cantonese surname (岑, 沈), and a Shopify customers export
(help.shopify.com/en/manual/customers/import-export-customers: Customer ID, First Name,
Last Name, Email ...) with Last Name "Sum", or a member sheet's "Sum Ying", "Total Wong"
or "Grand Total Ltd", was left out as a totals row (listed as skipped, not quarantined:
nothing to retry). A totals row still is one: 合计 and its figures, Total alone or with
a figure, Grand Total beside the sums."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

SHOPIFY = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags\n"
    "'7285214281987,Ying,Sum,ying@example.com,yes,Hong Kong,,HK,'+85291234567,no,90.00,2,,no,\n"
    "'7285214281988,Sum,Chan,chan@example.com,no,Kowloon,,HK,'+85291234568,no,20.00,1,,no,\n"
    "Total,,,,,,,,,,110.00,3,,,\n"
)


def test_a_shopify_customer_named_sum_is_a_customer(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "customers_export.csv"
    path.write_text(SHOPIFY, encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert report.accepted == 2
    assert [s["row"] for s in report.skipped] == [4]


def test_names_beginning_with_totals_words_are_kept(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "会员.csv"
    path.write_text(
        "客户编号,姓名,手机,城市\n"
        "C1,Sum Ying,85291234567,Hong Kong\n"
        "C2,Total Wong,85291234568,Hong Kong\n"
        "C3,Grand Total Ltd,85291234569,Kowloon\n"
        "合计,,3,\n"
        "Grand Total,,3,\n"
        "TOTAL: 3,,,\n",
        encoding="utf-8",
    )
    report = import_file(ws, "customers", path)
    assert report.accepted == 3
    assert [s["row"] for s in report.skipped] == [5, 6, 7]
    with ws.read() as con:
        names = con.execute("SELECT name FROM customers ORDER BY customer_id").fetchall()
    assert names == [("Sum Ying",), ("Total Wong",), ("Grand Total Ltd",)]
