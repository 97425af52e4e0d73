"""A platform's order export imported as customers (or interactions) is refused in words,
and nothing is imported. Before, ``kequn import customers orders_export_1.csv`` made a
customer of each Shopify order: named "#1001" (the order's Name), keyed by the order's Id,
its continuation rows quarantined for an empty Id.

Headers: Shopify's order export (help.shopify.com/en/manual/fulfillment/managing-orders/
exporting-orders: Name, Email, Financial Status, Paid at, ..., Lineitem quantity, Id) and
京东's 商家后台 export (github-code-index:44332149538, cited in jd.yaml: 订单号, 商品ID, 商品名称,
订购数量, 下单时间, 京东价, 订单金额, 应付金额, 订单状态, 下单帐号 ...). A Shopify customers
export (customers_export.csv: Customer ID, First Name, ..., Accepts Email Marketing, Total
Spent, Total Orders, Tags) is still read as customers."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.core import i18n
from kequn.ingest.importer import import_file
from kequn.ingest.source_error import SourceError
from kequn.store.workspace import Workspace

SHOPIFY_ORDERS = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Total,"
    "Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,"
    "Refunded Amount,Id\n"
    "#1001,jane@example.com,paid,2025-01-05 10:00:00 -0500,fulfilled,USD,60.00,65.00,0.00,"
    "2025-01-05 10:00:00 -0500,2,T-shirt,20.00,Jane Doe,0.00,5001\n"
    "#1001,jane@example.com,,,,,,,,2025-01-05 10:00:00 -0500,1,Mug,20.00,,,\n"
)
JD_ORDERS = (
    "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,"
    "订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话\n"
    "91234567890,100012345678,保温杯,1,在线支付,2025-01-05 10:00:00,99.00,99.00,99.00,0.00,"
    "99.00,完成,销售订单,jd_abc123,张三,上海市浦东新区,13800138000\n"
)
SHOPIFY_CUSTOMERS = (
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address City,"
    "Default Address Province Code,Default Address Country Code,Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags\n"
    "'7285214281987,Jane,Doe,jane@example.com,yes,New York,NY,US,'+12125550100,no,90.00,2,,"
    'no,"VIP, newsletter"\n'
)


def _counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.read() as con:
        row = con.execute(
            "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM events), "
            "(SELECT count(*) FROM quarantine)"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


@pytest.mark.parametrize(
    ("name", "text", "platform"),
    [("orders_export_1.csv", SHOPIFY_ORDERS, "Shopify"), ("京东订单.csv", JD_ORDERS, "京东")],
)
@pytest.mark.parametrize("table", ["customers", "events"])
def test_an_order_export_is_not_read_as_customers(
    ws: Workspace, tmp_path: Path, name: str, text: str, platform: str, table: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        import_file(ws, table, path)
    said = str(caught.value)
    for words in (name, platform, "kequn import orders"):
        assert words in said, said
    assert _counts(ws) == (0, 0, 0)
    i18n.set_lang("zh")
    try:
        with pytest.raises(SourceError, match="订单导出"):
            import_file(ws, table, path)
    finally:
        i18n.set_lang(None)


def test_the_shopify_customers_export_is_still_customers(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "customers_export.csv"
    path.write_text(SHOPIFY_CUSTOMERS, encoding="utf-8")
    result = import_file(ws, "customers", path)
    assert result.rejected == 0, result.examples
    assert _counts(ws)[0] == 1
