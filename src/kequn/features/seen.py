"""Which customers a run as of a date knows: a replay as of an earlier date sees the
business as it was then, without the customers it met later."""

from __future__ import annotations

import ibis.expr.types as ir

from kequn.features.context import DateLike, day_value


def first_seen(orders: ir.Table, events: ir.Table) -> ir.Table:
    """``customer_id`` and ``first_seen``: the date of each customer's first order (of any
    status) or interaction, over every dated one."""
    o = orders.mutate(day=orders.ordered_at.date())
    e = events.mutate(day=events.occurred_at.date())
    both = o.select("customer_id", "day").union(e.select("customer_id", "day"))
    both = both.filter(both.day.notnull())
    return both.group_by("customer_id").aggregate(first_seen=both.day.min())


def known_on(t: ir.Table, orders: ir.Table, events: ir.Table, as_of: DateLike) -> ir.Table:
    """``t`` (features with ``created_at`` and ``first_order_date`` as of ``as_of``)
    without the customers not yet known on ``as_of``: no creation date, and their first
    order or interaction after it. Customers imported from an order export have no
    creation date: a replay as of a date before their first order listed every one of
    them as a prospect ('no paid order yet')."""
    seen = first_seen(orders, events)
    joined = t.left_join(seen, "customer_id")
    kept = joined.filter(
        joined.created_at.notnull()
        | joined.first_order_date.notnull()
        | joined.first_seen.isnull()
        | (joined.first_seen <= day_value(as_of))
    )
    return kept.select(*t.columns)
