"""The order-level values of a platform export's rows, as SQL over the staged rows of
one order (see :mod:`kequn.ingest.shape`): its amount, refunds, quantity, status word,
currency and buyer key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kequn.ingest import reasons
from kequn.ingest.formats import STATUSES, Profile


@dataclass
class Shaped:
    """How an export was shaped: canonical column -> index of the shaped column."""

    columns: dict[str, int] = field(default_factory=dict)
    buyer_key: list[str] = field(default_factory=list)  # the columns that identified buyers
    notes: list[str] = field(default_factory=list)  # message keys for the summary
    orders: int = 0
    lines: int = 0
    currencies: dict[str, int] = field(default_factory=dict)
    #: after-sale words the profile does not know, and their item rows (read as none)
    unknown_refund_words: dict[str, int] = field(default_factory=dict)
    #: orders with nothing that identifies the buyer, kept as guests of their own
    guests: int = 0
    #: orders partly refunded whose refunded money no column tells (read as 0)
    partial_unknown: int = 0


def order_values(
    profile: Profile, col: Any, grouped: bool, first: Any, total: Any, out: Shaped
) -> dict[str, str]:
    """The order-level values: amount, refunds, quantity, status word, currency, buyer."""
    derived: dict[str, str] = {}
    line_amount = col("line_amount")
    amount = col("amount")
    priced = _priced(col)
    derived["amount"] = "CAST(NULL AS VARCHAR)"
    if amount:
        if profile.amount_scope == "line" and grouped:
            derived["amount"] = f"CAST({total(_paid(profile, col, amount))} AS VARCHAR)"
        else:
            derived["amount"] = first(amount)
    elif line_amount and grouped:
        # an export of item rows without the order's amount (Youzan's 商品维度): its lines'
        derived["amount"] = f"CAST({total(f'kq_money({line_amount})')} AS VARCHAR)"
    elif priced:
        # an export whose only money is the unit price (抖店's 商品金额 in a custom export)
        derived["amount"] = f"CAST({total(priced)} AS VARCHAR)"
    refund = col("refund_amount")
    derived["refund_raw"] = "CAST(NULL AS VARCHAR)"
    if refund:
        if profile.refund_scope == "line" and grouped:
            derived["refund_raw"] = f"CAST({total(f'kq_money({refund})')} AS VARCHAR)"
        else:
            derived["refund_raw"] = first(refund)
    discount = col("discount")
    if discount and grouped and profile.discount_scope == "line":
        # Amazon writes each item's promotion as a negative amount: the order's is the sum
        derived["discount"] = f"CAST(abs(sum(kq_money({discount}))) AS VARCHAR)"
    # what the item rows say of refunds: all lines refunded, some, or one under way
    money = line_amount or amount
    amount_of_line = f"kq_money({money})" if money else priced or "CAST(NULL AS DECIMAL(18, 2))"
    if grouped:
        derived["lines_refunded"] = (
            f"CAST(sum({amount_of_line}) FILTER (WHERE k_rs = 'refunded') AS VARCHAR)"
        )
        derived["refund_state"] = (
            "CASE WHEN count(*) FILTER (WHERE k_rs = 'refunded') = count(*) THEN 'refunded' "
            "WHEN count(*) FILTER (WHERE k_rs IN ('refunded', 'partially_refunded')) > 0 "
            "THEN 'partially_refunded' WHEN bool_or(k_rs = 'refunding') THEN 'refunding' END"
        )
        # every line's after-sale word says there was no refund (退款关闭, 售后关闭)
        derived["refund_none"] = "count(*) FILTER (WHERE k_rs = 'none') = count(*)"
    else:
        derived["lines_refunded"] = "CAST(NULL AS VARCHAR)"
        derived["refund_state"] = "k_rs"
        derived["refund_none"] = "coalesce(k_rs = 'none', false)"
    quantity = _quantity(col, grouped, first, total)
    if quantity:
        derived["quantity"] = quantity
    derived["status_word"] = _status_word(profile, col("status"), grouped, first)
    # a payment time on the order: with a refund amount missing, whether a close word of
    # closed_when_paid was a refund after payment (淘宝's TRADE_CLOSED) or a close before
    paid = col("paid_at") if profile.closed_when_paid else None
    derived["paid_seen"] = f"NOT kq_blank({first(paid)})" if paid else "false"
    currency = col("currency")
    derived["currency"] = first(currency) if currency else "CAST(NULL AS VARCHAR)"
    derived["buyer"] = first(_buyer_sql(profile, col, out))
    derived["lines"] = "count(*)" if grouped else "1"
    return derived


def _quantity(col: Any, grouped: bool, first: Any, total: Any) -> str | None:
    """SQL for an order's quantity: its item rows' summed, else the order's column, else
    the items packed in one cell summed; None without any."""
    quantity = col("line_quantity") if grouped and col("line_quantity") else col("quantity")
    if quantity:
        summed = grouped and quantity == col("line_quantity")
        return f"CAST({total(f'kq_int({quantity})')} AS VARCHAR)" if summed else first(quantity)
    if packed := col("packed_items"):
        # one row per order, its items packed in one cell: WooCommerce's Default format
        # writes "id:1|name:Shirt|sku:SH-1|quantity:1|...;id:2|...|quantity:2|..."
        # (its import format the same as JSON, "quantity":2): the order's is their sum
        pieces = f"""regexp_extract_all({packed}, '(^|[|;{{,])"?quantity"?:\\s*([0-9]+)', 2)"""
        summed_pieces = f"list_sum(list_transform({pieces}, lambda q: CAST(q AS BIGINT)))"
        return str(first(f"CAST({summed_pieces} AS VARCHAR)"))
    return None


def _status_word(profile: Profile, status: str | None, grouped: bool, first: Any) -> str:
    """SQL for an order's status word (as the file writes it)."""
    if status and grouped:
        # lines of one order each with its status (千牛's 子订单, 抖店's, 有赞's 订单商品状态):
        # a line closed or refunded while another is kept leaves the order kept (and
        # partly refunded), so the order's word is its first line's not closed, if any
        return (
            f"arg_min({status}, [CASE WHEN k_st IN ('cancelled', 'refunded') THEN 1 ELSE 0 END, "
            f"_row]) FILTER (WHERE ({status}) IS NOT NULL)"
        )
    if status:
        return str(first(status))
    if profile.status_missing in STATUSES:
        # one of kequn's six words (checked when the profile was read), never a file's
        return f"'{profile.status_missing}'"
    return "CAST(NULL AS VARCHAR)"


def _paid(profile: Profile, col: Any, amount: str) -> str:
    """SQL for an item row's money paid: its amount with the charges the profile names
    beside it (shipping, gift wrap) and less its promotions: the item's own where the
    amount is before it (``amount_before_discount``), the shipping's. A promotion is
    taken by its size: Amazon's shipments report writes it negative (-175), and one
    written as a positive amount off reads the same. A row without its amount has none
    (a cancelled item): its charges alone are no sale."""
    parts = [f"kq_money({amount})"]
    for name in ("shipping_fee", "wrap_fee"):
        if charge := col(name):
            parts.append(f"+ coalesce(kq_money({charge}), 0)")
    less = ["discount"] if profile.amount_before_discount else []
    for name in [*less, "shipping_discount"]:
        if promotion := col(name):
            parts.append(f"- abs(coalesce(kq_money({promotion}), 0))")
    return "(" + " ".join(parts) + ")"


def _priced(col: Any) -> str | None:
    """SQL for a row's money from its unit price: price times quantity (one piece where
    the quantity is not given), or None without a price column."""
    price = col("line_price")
    if not price:
        return None
    pieces = col("line_quantity") or col("quantity")
    return f"kq_money({price}) * " + (f"coalesce(kq_int({pieces}), 1)" if pieces else "1")


def _buyer_sql(profile: Profile, col: Any, out: Shaped) -> str:
    """The buyer key: the first usable of the profile's buyer columns, normalised; when
    only masked values exist, all of them together (never one masked value alone)."""
    parts: list[str] = []
    for key in profile.buyer_key:
        expr = col(key)
        if expr is None:
            continue
        out.buyer_key.append(key)
        # a phone or e-mail serving as an id is personal: the id is a keyed hash of it
        # (the value itself stays in the customer's phone / email, masked for viewers)
        if key == "customer_phone":
            parts.append(f"kq_pseudo(kq_phone({expr}))")
        elif key == "customer_email":
            parts.append(f"kq_pseudo(kq_email({expr}))")
        else:
            parts.append(f"kq_id({expr})")
    nickname = col("buyer_nickname")
    if nickname and (profile.nickname_only or not parts):
        out.buyer_key.append("buyer_nickname")
        out.notes.append(reasons.note("import.key_nickname"))
        parts.append(f"kq_id({nickname})")
    evidence = [
        e
        for e in (col("customer_phone"), col("customer_name"), col("customer_address"))
        if e is not None
    ]
    if len(evidence) >= 2 and profile.masked_key:
        combined = " || '|' || ".join(f"coalesce({e}, '')" for e in evidence)
        parts.append(
            f"CASE WHEN {' OR '.join(f'kq_masked({e})' for e in evidence)} "
            f"THEN 'm-' || right(kq_pseudo({combined}), 16) END"
        )
    return "coalesce(" + ", ".join(parts) + ")" if parts else "CAST(NULL AS VARCHAR)"
