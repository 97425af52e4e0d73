"""WooCommerce Customer/Order/Coupon Export's "Default" order format - the extension's
default - writes one row per order and packs its items into ``line_items``: each item
``key:value`` pairs joined by ``|``, the items joined by ``;`` (SkyVerge's
class-wc-customer-order-csv-export-formats.php, cited in woocommerce.yaml: format
'default', row_type order, items_format pipe_delimited, columns order_id ... line_items,
shipping_items, fee_items, tax_items, coupon_items, refunds, order_notes,
download_permissions_granted; the generator's line item keys id, name, product_id, sku,
quantity, subtotal, subtotal_tax, total, total_tax, refunded, refunded_qty, meta).

Before, such an order had no quantity at all (only the one-row-per-item format's
item_quantity was read), so no WooCommerce buyer of this format had an order size."""

from __future__ import annotations

from pathlib import Path

from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

HEADER = (
    "order_id,order_number,order_number_formatted,date,status,shipping_total,"
    "shipping_tax_total,fee_total,fee_tax_total,tax_total,discount_total,order_total,"
    "refunded_total,order_currency,payment_method,shipping_method,customer_id,"
    "billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,"
    "billing_address_1,billing_address_2,billing_postcode,billing_city,billing_state,"
    "billing_country,shipping_first_name,shipping_last_name,shipping_address_1,"
    "shipping_address_2,shipping_postcode,shipping_city,shipping_state,shipping_country,"
    "shipping_company,customer_note,line_items,shipping_items,fee_items,tax_items,"
    "coupon_items,refunds,order_notes,download_permissions_granted"
)


def _item(n: int, name: str, sku: str, qty: int, total: str, meta: str = "") -> str:
    return (
        f"id:{n}|name:{name}|product_id:{n + 6}|sku:{sku}|quantity:{qty}|subtotal:{total}|"
        f"subtotal_tax:0.00|total:{total}|total_tax:0.00|refunded:0.00|refunded_qty:0|meta:{meta}"
    )


def _row(order: str, status: str, total: str, email: str, items: list[str]) -> str:
    return (
        f'{order},{order},{order},"2025-01-0{order[-1]} 10:00:00",{status},5.00,0.00,0.00,0.00,'
        f'0.00,0.00,{total},0.00,USD,stripe,"Flat rate",0,Gail,Guest,,{email},,"1 Main St",,'
        f'94105,"San Francisco",CA,US,Gail,Guest,"1 Main St",,94105,"San Francisco",CA,US,,,'
        f'"{";".join(items)}","id:9|method_id:flat_rate|method_title:Flat rate|total:5.00",,,,,,1'
    )


def test_the_default_format_s_packed_items_give_the_quantity(ws: Workspace, tmp_path: Path) -> None:
    rows = [
        _row("101", "completed", "45.00", "gail@example.com",
             [_item(1, "Shirt", "SH-1", 1, "20.00"), _item(2, "Sock", "SO-1", 2, "20.00")]),
        _row("102", "processing", "105.00", "gail@example.com",
             [_item(3, "Mug", "MG-1", 4, "100.00", "Colour=Blue")]),
    ]  # fmt: skip
    path = tmp_path / "orders-export-2025_04_01_10_00_00.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = import_file(ws, "orders", path)
    assert result.rejected == 0, result.examples
    with ws.read() as con:
        got = dict(con.execute("SELECT order_id, quantity FROM orders").fetchall())
    assert got == {"woocommerce:101": 3, "woocommerce:102": 4}
