"""Some of the demo's own orders written as the platforms export them, so the demo imports
them the way a shop owner would: a 淘宝/天猫 ExportOrderList CSV, a 京东 .xlsx, a 拼多多 CSV
and a Shopify orders_export CSV.

Each export holds every order of a bounded slice of buyers (individuals, disjoint between
platforms). The buyers' ids become what the platform's export identifies them by (the
淘宝 nick, the 京东 pin, the phone number 拼多多 keys on, the e-mail Shopify keys on) in the
customers, orders and events the generator writes, and their orders leave
``orders.parquet``: every order is imported exactly once, and what the importer reads back
from an export (id, buyer, time, amount, quantity, status) is :attr:`PlatformExport.orders`.

The header names come from the format profiles (:func:`kequn.ingest.formats.profiles`,
which cite the public sources); the guards are the platforms': ``="…"`` around 淘宝's order
ids, an apostrophe before its phones, GBK; tabs around 拼多多's numbers, UTF-8 with BOM;
one row per SKU for 京东 (ids stored as text) and per line item for Shopify, order fields
on the first row only. The slice's phone numbers are written in clear (as older exports
did); today's 拼多多 and 京东 exports mask them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kequn.demo._arrow import ORDER_SCHEMA, make_table
from kequn.ingest.shape import pseudonym_id

#: the formats the demo writes, in the order they are imported
FORMATS = ("taobao", "jd", "pdd", "shopify")
FILE_NAMES = {
    "taobao": "ExportOrderList202609301805.csv",
    "jd": "京东订单导出_20260930.xlsx",
    "pdd": "pdd_orders_export_20260930.csv",
    "shopify": "orders_export_1.csv",
}
_GOODS = [
    ("纯棉短袖T恤", "59.00"),
    ("316不锈钢保温杯", "89.00"),
    ("无线蓝牙降噪耳机", "199.00"),
    ("儿童绘本套装", "128.00"),
    ("氨基酸洗面奶", "45.90"),
    ("加厚收纳箱三件套", "36.80"),
    ("有机挂耳咖啡", "69.00"),
    ("真丝枕套", "159.00"),
]
_PRODUCTS = [
    ("Linen Throw Pillow - Sand", "LTP-SND"),
    ("Stoneware Mug Set of 4", "MUG-SET4"),
    ("Beeswax Candle - Large", "CND-L"),
    ("Walnut Serving Board", "WSB-01"),
    ("Oolong Tea Sampler", "TEA-OOL"),
]
_NICK_PREFIXES = ["tb", "小", "快乐的", "jessie_", "阿", "sun", "木木"]
_CENT = Decimal("0.01")


@dataclass
class PlatformExport:
    """One platform file and the orders kequn must read back from it (canonical order
    columns: ids as the platform writes them, times to the second, channel the platform)."""

    format: str
    path: Path
    orders: pa.Table
    customers: int = 0
    rows: int = 0


@dataclass
class _Order:
    order_id: str
    customer_id: str
    when: dt.datetime
    amount: Decimal
    discount: Decimal
    quantity: int
    status: str
    person: dict[str, Any]


def write_exports(
    rng: np.random.Generator,
    people: pa.Table,
    orders: pa.Table,
    events: pa.Table,
    b2b: np.ndarray,
    out_dir: Path,
    per_format: int,
    *,
    currency: str | None = "CNY",
    id_key: str | None = None,
) -> tuple[pa.Table, pa.Table, pa.Table, list[PlatformExport]]:
    """Write up to ``per_format`` orders per platform (whole buyers' histories) from one
    generated chunk; return the chunk's customers, orders and events with the slice's ids
    renamed and its orders taken out, and the exports written."""
    from kequn.ingest.formats import profiles

    known = profiles()
    chosen = _choose(rng, people, orders, b2b, per_format, id_key)
    renamed = {old: new for fmt in FORMATS for old, new in chosen[fmt].items()}
    if not renamed:
        return people, orders, events, []
    people = _rename(people, renamed)
    events = _rename(events, renamed)
    orders = _rename(orders, renamed)
    in_slice = pc.is_in(orders["customer_id"], value_set=pa.array(list(renamed.values())))
    sliced, orders = orders.filter(in_slice), orders.filter(pc.invert(in_slice))
    person = {
        row["customer_id"]: row
        for row in people.filter(
            pc.is_in(people["customer_id"], value_set=pa.array(list(renamed.values())))
        ).to_pylist()
    }
    by_customer: dict[str, list[dict[str, Any]]] = {}
    for row in sliced.to_pylist():
        by_customer.setdefault(row["customer_id"], []).append(row)
    out_dir.mkdir(parents=True, exist_ok=True)
    exports = []
    for fmt in FORMATS:
        rows = [
            _Order(
                order_id="",
                customer_id=new,
                when=r["ordered_at"].replace(microsecond=0),
                amount=r["amount"].quantize(_CENT),
                discount=(r["discount"] or Decimal(0)).quantize(_CENT),
                quantity=int(r["quantity"] or 1),
                status=r["status"],
                person=person[new],
            )
            for new in chosen[fmt].values()
            for r in by_customer.get(new, [])
        ]
        if not rows:
            continue
        rows.sort(key=lambda o: (o.when, o.customer_id))
        for k, o in enumerate(rows):
            o.order_id = _order_id(fmt, rng, k, o.when)
        profile = known[fmt]
        path = out_dir / FILE_NAMES[fmt]
        written = _WRITERS[fmt](rng, rows, path, _headers(profile.columns), currency)
        exports.append(
            PlatformExport(
                fmt,
                path,
                _truth(rows, str(profile.platform), discount=fmt in ("pdd", "shopify")),
                customers=len(chosen[fmt]),
                rows=written,
            )
        )
    return people, orders, events, exports


def _choose(
    rng: np.random.Generator,
    people: pa.Table,
    orders: pa.Table,
    b2b: np.ndarray,
    per_format: int,
    id_key: str | None = None,
) -> dict[str, dict[str, str]]:
    """Per platform, buyers (individuals, in random order) whose orders add up to about
    ``per_format``: their generated id -> the id the platform's export keys them by."""
    ids = people["customer_id"].to_pylist()
    counts: dict[str, int] = {}
    for cid in orders["customer_id"].to_pylist():
        counts[cid] = counts.get(cid, 0) + 1
    emails = people["email"].to_pylist()
    phones = people["phone"].to_pylist()
    chosen: dict[str, dict[str, str]] = {f: {} for f in FORMATS}
    used_phones: set[str] = set()
    filled = dict.fromkeys(FORMATS, 0)
    for i in rng.permutation(len(ids)):
        cid = ids[i]
        if b2b[i] or cid not in counts or counts[cid] > per_format:
            continue
        for fmt in FORMATS:
            usable = {
                "shopify": bool(emails[i]),
                "pdd": bool(phones[i]) and phones[i] not in used_phones,
            }.get(fmt, True)
            if filled[fmt] < per_format and usable:
                chosen[fmt][cid] = _buyer_id(fmt, rng, cid, emails[i], phones[i], id_key)
                used_phones.add(phones[i] if fmt == "pdd" else "")
                filled[fmt] += counts[cid]
                break
        if all(filled[f] >= per_format for f in FORMATS):
            break
    return chosen


def _headers(columns: dict[str, tuple[str, ...]]) -> Callable[[str], str]:
    """The profile's (first) header for a canonical column."""
    return lambda name: columns[name][0]


def _buyer_id(
    fmt: str,
    rng: np.random.Generator,
    cid: str,
    email: str,
    phone: str,
    id_key: str | None = None,
) -> str:
    """The id the importer gives this buyer: the platform's buyer id, or (拼多多, Shopify)
    the keyed pseudonym of the normalised phone or e-mail under the workspace's key."""
    number = int(cid.lstrip("C") or 0)
    if fmt == "taobao":
        return f"{_NICK_PREFIXES[int(rng.integers(len(_NICK_PREFIXES)))]}{number + 1000}"
    if fmt == "jd":
        return f"jd_{''.join(rng.choice(list('abcdefghkmnpqrstuvwxyz'), 4))}{number}"
    # 拼多多: the phone, normalised as the importer does; Shopify: the e-mail, case-folded
    key = "+86" + phone if fmt == "pdd" else email.strip().lower()
    return pseudonym_id(id_key, key) if id_key is not None else key


def _order_id(fmt: str, rng: np.random.Generator, k: int, when: dt.datetime) -> str:
    tail = int(rng.integers(0, 1_000_000))
    if fmt == "taobao":
        return f"29{k:09d}{tail:08d}"  # 19 digits
    if fmt == "jd":
        return f"{290_000_000_000 + k * 1000 + tail % 1000}"  # 12 digits
    if fmt == "pdd":
        return f"{when:%y%m%d}-{k:07d}{tail:06d}00"  # yymmdd-15 digits
    return f"#{1001 + k}"  # Shopify's order Name


def _rename(table: pa.Table, renamed: dict[str, str]) -> pa.Table:
    col = table["customer_id"]
    old = pa.array(list(renamed))
    new = pa.array(list(renamed.values()))
    where = pc.index_in(col, value_set=old)
    replaced = pc.if_else(pc.is_null(where), col, pc.take(new, where.fill_null(0)))
    return table.set_column(table.schema.get_field_index("customer_id"), "customer_id", replaced)


def _truth(rows: list[_Order], platform: str, *, discount: bool) -> pa.Table:
    return make_table(
        ORDER_SCHEMA,
        {
            "order_id": pa.array([o.order_id for o in rows], pa.string()),
            "customer_id": pa.array([o.customer_id for o in rows], pa.string()),
            "ordered_at": pa.array([o.when for o in rows], pa.timestamp("us")),
            "amount": pa.array([o.amount for o in rows], ORDER_SCHEMA.field("amount").type),
            "quantity": pa.array([o.quantity for o in rows], pa.int64()),
            "discount": pa.array(
                [o.discount if discount else None for o in rows],
                ORDER_SCHEMA.field("discount").type,
            ),
            "refunded": pa.array(
                [o.amount if o.status == "refunded" else Decimal(0) for o in rows],
                ORDER_SCHEMA.field("refunded").type,
            ),
            "channel": pa.array([platform] * len(rows), pa.string()),
            "status": pa.array([o.status for o in rows], pa.string()),
        },
    )


# -- writers: one per platform, each returning the number of rows written ------------------


def _ts(when: dt.datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M:%S}"


def _paid_at(rng: np.random.Generator, when: dt.datetime) -> dt.datetime:
    """Paid a few minutes after ordering, on the same day."""
    later = when + dt.timedelta(minutes=int(rng.integers(1, 30)), seconds=int(rng.integers(60)))
    return min(later, when.replace(hour=23, minute=59, second=59))


def _split(rng: np.random.Generator, quantity: int) -> list[int]:
    """A quantity spread over one to three lines (SKUs)."""
    lines = min(quantity, int(rng.integers(1, 4)))
    cuts = np.sort(rng.choice(np.arange(1, quantity), lines - 1, replace=False))
    edges = [0, *(int(c) for c in cuts), quantity]
    return [b - a for a, b in itertools.pairwise(edges)]


def _unit_prices(total: Decimal, parts: list[int]) -> list[Decimal]:
    """Unit prices whose lines add up to about ``total`` (list prices are indicative)."""
    share = total / len(parts)
    return [max((share / q).quantize(_CENT), _CENT) for q in parts]


def _address(p: dict[str, Any]) -> str:
    parts = [p.get("province") or "", p.get("address") or p.get("city") or ""]
    return " ".join(x for x in parts if x)


def _csv(header: list[str], rows: Iterator[list[str]], raw: Callable[[str], bool]) -> str:
    """CSV text, CRLF; cells for which ``raw`` holds are written as they are (the ``="…"``
    guard is text Excel evaluates, not a CSV-quoted field), the others quoted as needed."""
    out = [",".join(v if raw(v) else _quote(v) for v in line) for line in (header, *rows)]
    return "\r\n".join(out) + "\r\n"


def _quote(v: str) -> str:
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


_TAOBAO_WORDS = {"paid": "交易成功", "refunded": "交易关闭", "cancelled": "交易关闭"}


def _taobao(
    rng: np.random.Generator,
    rows: list[_Order],
    path: Path,
    h: Callable[[str], str],
    _currency: str | None,
) -> int:
    """ExportOrderList: one row per order, GBK, ids as ="…", phones after an apostrophe."""
    header = [
        h("order_id"),
        h("buyer_id"),
        h("list_amount"),
        h("amount"),
        h("status"),
        h("customer_name"),
        h("customer_address") + " ",  # the real header carries a trailing space
        h("customer_phone"),
        h("ordered_at"),
        h("paid_at") + " ",
        h("title") + " ",
        h("quantity"),
        "订单关闭原因",
        h("refund_amount"),
    ]
    lines = []
    for o in rows:
        title, _price = _GOODS[int(rng.integers(len(_GOODS)))]
        p = o.person
        closed = {"refunded": "退款", "cancelled": "买家未付款"}.get(o.status, "订单未关闭")
        lines.append(
            [
                f'="{o.order_id}"',
                o.customer_id,
                str(o.amount + o.discount),
                str(o.amount),
                _TAOBAO_WORDS[o.status],
                p["name"] or "",
                _address(p),
                "'" + (p["phone"] or ""),
                _ts(o.when),
                "" if o.status == "cancelled" else _ts(_paid_at(rng, o.when)),
                title,
                str(o.quantity),
                closed,
                str(o.amount if o.status == "refunded" else Decimal("0.00")),
            ]
        )
    text = _csv(header, iter(lines), lambda v: v.startswith('="'))
    path.write_bytes(text.encode("gbk", errors="replace"))
    return len(lines)


_JD_WORDS = {"paid": "完成", "refunded": "(删除)等待出库", "cancelled": "已取消"}


def _jd(
    rng: np.random.Generator,
    rows: list[_Order],
    path: Path,
    h: Callable[[str], str],
    _currency: str | None,
) -> int:
    """商家后台 order export (.xlsx): one row per SKU, order values repeated on each."""
    from openpyxl import Workbook

    header = [
        h("order_id"),
        h("sku"),
        h("title"),
        h("line_quantity"),
        "支付方式",
        h("ordered_at"),
        h("line_price"),
        h("list_amount"),
        h("amount"),
        h("status"),
        h("buyer_id"),
        h("customer_name"),
        h("customer_address"),
        h("customer_phone"),
    ]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("订单")
    sheet.append(header)
    written = 0
    for o in rows:
        parts = _split(rng, o.quantity)
        p = o.person
        for part, price in zip(parts, _unit_prices(o.amount + o.discount, parts), strict=True):
            g = int(rng.integers(len(_GOODS)))
            sheet.append(
                [
                    o.order_id,
                    str(100_012_000_000 + g * 7919),
                    _GOODS[g][0],
                    part,
                    "在线支付",
                    _ts(o.when),
                    str(price),
                    str(o.amount + o.discount),
                    str(o.amount),
                    _JD_WORDS[o.status],
                    o.customer_id,
                    p["name"] or "",
                    _address(p),
                    p["phone"] or "",
                ]
            )
            written += 1
    book.save(path)
    return written


_PDD_WORDS = {
    "paid": ("已签收", "无售后或售后取消"),
    "refunded": ("已签收，退款成功", "退款成功"),
    "cancelled": ("已取消", "无售后或售后取消"),
}


def _pdd(
    rng: np.random.Generator,
    rows: list[_Order],
    path: Path,
    h: Callable[[str], str],
    _currency: str | None,
) -> int:
    """商家后台 订单查询 export: one row per order, UTF-8 with BOM, numbers padded with tabs."""
    header = [
        h("title"),
        h("order_id"),
        h("status"),
        h("list_amount"),
        h("discount"),
        h("amount"),
        h("quantity"),
        h("customer_name"),
        h("customer_phone"),
        h("customer_province"),
        h("customer_city"),
        h("customer_address"),
        h("paid_at"),
        h("ordered_at"),
        h("sku"),
        h("refund_status"),
    ]
    lines = []
    for o in rows:
        title, _price = _GOODS[int(rng.integers(len(_GOODS)))]
        p = o.person
        word, after = _PDD_WORDS[o.status]
        lines.append(
            [
                title,
                "\t" + o.order_id,
                word,
                f"{o.amount + o.discount}\t",
                f"{o.discount}\t",
                f"{o.amount}\t",
                f"{o.quantity}\t",
                p["name"] or "",
                p["phone"] or "",
                p["province"] or "",
                p["city"] or "",
                p["address"] or "",
                "" if o.status == "cancelled" else _ts(_paid_at(rng, o.when)),
                _ts(o.when),
                "默认",
                after,
            ]
        )
    text = _csv(header, iter(lines), lambda _v: False)
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    return len(lines)


_SHOPIFY_WORDS = {"paid": "paid", "refunded": "refunded", "cancelled": "voided"}


def _shopify(
    rng: np.random.Generator,
    rows: list[_Order],
    path: Path,
    h: Callable[[str], str],
    currency: str | None,
) -> int:
    """Admin "Export orders": one row per line item; order fields on the first row only,
    Name, Email, Created at and the line items on every row."""
    first_only = [
        h("status"),
        h("paid_at"),
        "Fulfillment Status",
        *([h("currency")] if currency else []),
        h("list_amount"),
        h("discount"),
        h("amount"),
        h("refund_amount"),
        h("customer_name"),
        h("customer_city"),
        h("customer_country"),
    ]
    every_row = [h("order_id"), h("customer_email"), h("ordered_at")]
    lines_cols = [h("line_quantity"), h("title"), h("line_price"), h("sku")]
    header = every_row[:2] + first_only + every_row[2:] + lines_cols
    out = []
    for o in rows:
        p = o.person
        parts = _split(rng, o.quantity)
        listed = o.amount + o.discount
        first = {
            h("status"): _SHOPIFY_WORDS[o.status],
            h("paid_at"): "" if o.status == "cancelled" else _ts(_paid_at(rng, o.when)) + " +0800",
            "Fulfillment Status": "unfulfilled" if o.status == "cancelled" else "fulfilled",
            h("list_amount"): str(listed),
            h("discount"): str(o.discount),
            h("amount"): str(o.amount),
            h("refund_amount"): str(o.amount if o.status == "refunded" else Decimal("0.00")),
            h("customer_name"): p["name"] or "",
            h("customer_city"): p["city"] or "",
            h("customer_country"): p["country"] or "CN",
        }
        if currency:
            first[h("currency")] = currency
        for n, (part, price) in enumerate(zip(parts, _unit_prices(listed, parts), strict=True)):
            title, sku = _PRODUCTS[int(rng.integers(len(_PRODUCTS)))]
            cells = {
                h("order_id"): o.order_id,
                h("customer_email"): p["email"],
                h("ordered_at"): _ts(o.when) + " +0800",
                h("line_quantity"): str(part),
                h("title"): title,
                h("line_price"): str(price),
                h("sku"): sku,
            }
            if n == 0:
                cells.update(first)
            out.append([cells.get(c, "") for c in header])
    text = _csv(header, iter(out), lambda _v: False).replace("\r\n", "\n")
    path.write_bytes(text.encode("utf-8"))
    return len(out)


_WRITERS: dict[str, Callable[..., int]] = {
    "taobao": _taobao,
    "jd": _jd,
    "pdd": _pdd,
    "shopify": _shopify,
}
