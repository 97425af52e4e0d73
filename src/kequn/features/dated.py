"""Which orders and interactions a run reads: those dated up to its as-of date, the
purchases among the orders, and the bounds of a window of days, as Ibis expressions
(:mod:`kequn.features.build` computes the features from them).

A row's date is compared with a day on the timestamp itself, against the day's first
instant (:func:`since`, :func:`until`): the same rows as comparing its date, and DuckDB
applies such a bound as it reads the table instead of taking every row's date first.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from kequn.core.schema import KEPT_STATUSES
from kequn.features.context import DateLike, day_value


def paid_orders(orders: ir.Table, as_of: DateLike | None) -> ir.Table:
    """Orders up to and including ``as_of`` (every dated order with None) that count as
    purchases (paid, partly refunded, or with a refund under way), their ``amount`` being
    the money kept: paid − refunded."""
    dated = dated_orders(orders, as_of)
    dated = dated.mutate(
        amount=(dated.amount - dated.refunded.fill_null(0)).cast(dated.amount.type())
    )
    return dated.filter(dated.status.isin(KEPT_STATUSES))


def dated_orders(orders: ir.Table, as_of: DateLike | None = None) -> ir.Table:
    """Orders with their ``order_date``, up to ``as_of`` (every dated order without)."""
    dated = orders.mutate(order_date=orders.ordered_at.date())
    if as_of is None:
        return dated.filter(dated.order_date.notnull())
    return dated.filter(until(dated.ordered_at, day_value(as_of)))


def dated_events(events: ir.Table, as_of: DateLike | None = None) -> ir.Table:
    """Events with their ``event_date``, up to ``as_of`` (every dated event without)."""
    dated = events.mutate(event_date=events.occurred_at.date())
    if as_of is None:
        return dated.filter(dated.event_date.notnull())
    return dated.filter(until(dated.occurred_at, day_value(as_of)))


def since(stamp: ir.TimestampValue, day: ir.DateValue, days: int) -> ir.BooleanValue:
    """Whether ``stamp`` falls on one of the ``days`` days up to ``day`` or later: the
    lower bound of a window, on the timestamp itself (its date is at most ``days - 1``
    days before ``day``). DuckDB applies it as it reads the table, instead of taking
    every row's date first (an interactions window at 8.2M rows: 0.33 s against
    0.44-0.47)."""
    return stamp >= (day - ibis.interval(days=days - 1)).cast("timestamp")


def until(stamp: ir.TimestampValue, day: ir.DateValue) -> ir.BooleanValue:
    """Whether ``stamp`` falls on ``day`` or before (its date is ``day`` at the latest),
    on the timestamp itself, as :func:`since`: the date of each of 10M orders taken and
    compared, and each one's days before ``day`` for the windows, were a quarter of the
    order features' CPU time at 1M customers."""
    return stamp < (day + ibis.interval(days=1)).cast("timestamp")
