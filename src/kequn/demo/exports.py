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
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kequn.demo._arrow import ORDER_SCHEMA, make_table
from kequn.demo.platforms import CENT, WRITERS, Order
from kequn.ingest.shape import pseudonym_id

#: the formats the demo writes, in the order they are imported
FORMATS = ("taobao", "jd", "pdd", "shopify")
FILE_NAMES = {
    "taobao": "ExportOrderList202609301805.csv",
    "jd": "京东订单导出_20260930.xlsx",
    "pdd": "pdd_orders_export_20260930.csv",
    "shopify": "orders_export_1.csv",
}
_NICK_PREFIXES = ["tb", "小", "快乐的", "jessie_", "阿", "sun", "木木"]


@dataclass
class PlatformExport:
    """One platform file and the orders kequn must read back from it (canonical order
    columns: ids as the platform writes them, times to the second, channel the platform)."""

    format: str
    path: Path
    orders: pa.Table
    customers: int = 0
    rows: int = 0


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
            Order(
                order_id="",
                customer_id=new,
                when=r["ordered_at"].replace(microsecond=0),
                amount=r["amount"].quantize(CENT),
                discount=(r["discount"] or Decimal(0)).quantize(CENT),
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
        written = WRITERS[fmt](rng, rows, path, _headers(profile.columns), currency)
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


def _truth(rows: list[Order], platform: str, *, discount: bool) -> pa.Table:
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
