"""A customer's SMS answer is read as its own column, beside the general one.

Shopify's customers export (https://help.shopify.com/en/manual/customers/import-export-customers)
has "Accepts Email Marketing" and "Accepts SMS Marketing", each yes or no. The second was
kept as an attribute, so a journey sending SMS asked the e-mail answer: someone who said
no to SMS and yes to e-mail got SMS. Now it is ``sms_consent``, read like
``marketing_consent``; a Chinese member list says it as 短信许可 and the like."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.ingest.importer import import_file
from kequn.ingest.mapping import match_headers
from kequn.store.workspace import Workspace

#: customers_export.csv's header as Shopify writes it
SHOPIFY = (
    "First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Default Address Zip,"
    "Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,"
    "Tax Exempt,Tags"
)


def _consents(ws: Workspace) -> dict[str, tuple[bool | None, bool | None, object]]:
    with ws.read() as con:
        rows = con.execute(
            "SELECT email, marketing_consent, sms_consent, attributes FROM customers"
        ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_shopify_s_customers_export_maps_both_consents(ws: Workspace, tmp_path: Path) -> None:
    header = SHOPIFY.split(",")
    found = match_headers("customers", header).columns
    assert header[found["marketing_consent"]] == "Accepts Email Marketing"
    assert header[found["sms_consent"]] == "Accepts SMS Marketing"
    rows = [
        "Ann,Lee,ann@example.com,no,,1 Main St,,Austin,TX,US,'78701,,'+15125550101,yes,45.00,1,,no,",
        "Bob,Ray,bob@example.com,yes,,,,,,,,,'+15125550102,no,0.00,0,,no,VIP",
        "Cy,Dee,cy@example.com,yes,,,,,,,,,,,0.00,0,,no,",
    ]
    path = tmp_path / "customers_export.csv"
    path.write_text("\n".join([SHOPIFY, *rows]) + "\n", encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert report.rejected == 0, report.examples
    assert report.warnings == 0, report.examples
    got = _consents(ws)
    assert {k: v[:2] for k, v in got.items()} == {
        "ann@example.com": (False, True),
        "bob@example.com": (True, False),
        "cy@example.com": (True, None),  # no SMS answer: unknown, not a refusal
    }
    # read as a column, no longer kept as an attribute
    assert all("Accepts SMS Marketing" not in (attributes or {}) for *_, attributes in got.values())


@pytest.mark.parametrize(
    "header", ["短信营销许可", "短信许可", "是否接受短信", "接收短信", "SMS consent"]
)
def test_a_member_list_s_sms_column_is_the_sms_consent(
    ws: Workspace, tmp_path: Path, header: str
) -> None:
    path = tmp_path / "会员.csv"
    lines = [f"会员编号,邮箱,营销许可,{header}", "V1,a@example.com,是,否", "V2,b@example.com,否,是"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(ws, "customers", path)
    assert report.rejected == 0, report.examples
    assert report.warnings == 0, report.examples
    got = _consents(ws)
    assert got["a@example.com"][:2] == (True, False)
    assert got["b@example.com"][:2] == (False, True)
