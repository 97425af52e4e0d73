"""The four platform exports the demo writes (淘宝/天猫, 京东, 拼多多, Shopify): one writer per
platform, each with the platform's status words, columns and guards, and the helpers
they share (see :mod:`kequn.demo.exports`, which chooses the buyers and orders)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

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
CENT = Decimal("0.01")


@dataclass
class Order:
    order_id: str
    customer_id: str
    when: dt.datetime
    amount: Decimal
    discount: Decimal
    quantity: int
    status: str
    person: dict[str, Any]


def ts(when: dt.datetime) -> str:
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
    return [max((share / q).quantize(CENT), CENT) for q in parts]


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
    rows: list[Order],
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
                ts(o.when),
                "" if o.status == "cancelled" else ts(_paid_at(rng, o.when)),
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
    rows: list[Order],
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
                    ts(o.when),
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
    rows: list[Order],
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
                "" if o.status == "cancelled" else ts(_paid_at(rng, o.when)),
                ts(o.when),
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
    rows: list[Order],
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
            h("paid_at"): "" if o.status == "cancelled" else ts(_paid_at(rng, o.when)) + " +0800",
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
                h("ordered_at"): ts(o.when) + " +0800",
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


WRITERS: dict[str, Callable[..., int]] = {
    "taobao": _taobao,
    "jd": _jd,
    "pdd": _pdd,
    "shopify": _shopify,
}
