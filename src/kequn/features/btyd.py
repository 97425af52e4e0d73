"""The summaries buy-till-you-die models need, as Ibis expressions (DuckDB or Spark).

Per customer, as of a date: ``frequency`` (repeat purchase days: distinct purchase days
minus one), ``recency`` (first to last purchase day), ``T`` (first purchase to the as-of
date) in a chosen unit, and ``monetary_value`` (mean value of the repeat purchase days,
the first one excluded, as Fader, Hardie & Lee define it). Several orders on one day are
one transaction, their amounts summed.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir

#: fewer repeat buyers than this and their repeat purchases do not stand for the
#: business's: the BG/NBD's dropout process is not identified
#: (:mod:`kequn.models.predict`), and a purchase cycle taken as their median rests on a
#: handful of customers (:mod:`kequn.taxonomy.thresholds` says so in the run's notes)
MIN_REPEATERS = 30


def purchase_days(
    orders: ir.Table,
    upto: dt.date,
    *,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    amount_col: str = "amount",
) -> ir.Table:
    """One row per customer and purchase day up to and including ``upto``."""
    dated = orders.select(
        customer_id=orders[customer_col],
        day=orders[date_col].cast("date"),
        amount=orders[amount_col].cast("float64"),
    )
    dated = dated.filter(dated.day <= ibis.date(upto))
    return dated.group_by(["customer_id", "day"]).aggregate(amount=dated.amount.sum())


def btyd_summary(
    orders: ir.Table,
    as_of: dt.date,
    *,
    unit_days: float = 1.0,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    amount_col: str = "amount",
) -> ir.Table:
    """Frequency, recency, T and monetary value per customer who bought by ``as_of``."""
    days = purchase_days(
        orders, as_of, customer_col=customer_col, date_col=date_col, amount_col=amount_col
    )
    agg = days.group_by("customer_id").aggregate(
        first_day=days.day.min(),
        last_day=days.day.max(),
        n_days=days.count(),
        total=days.amount.sum(),
        first_amount=days.amount.argmin(days.day),
    )
    unit = float(unit_days)
    frequency = (agg.n_days - 1).cast("float64")
    return agg.select(
        "customer_id",
        frequency=frequency,
        recency=agg.last_day.delta(agg.first_day, unit="day").cast("float64") / unit,
        T=ibis.date(as_of).delta(agg.first_day, unit="day").cast("float64") / unit,
        monetary_value=ibis.cases(
            (frequency > 0, (agg.total - agg.first_amount) / frequency), else_=0.0
        ),
        first_day=agg.first_day,
    )


def holdout_counts(
    orders: ir.Table,
    calibration_end: dt.date,
    holdout_end: dt.date,
    *,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    amount_col: str = "amount",
) -> ir.Table:
    """Purchase days per customer after ``calibration_end`` up to ``holdout_end``."""
    days = purchase_days(
        orders, holdout_end, customer_col=customer_col, date_col=date_col, amount_col=amount_col
    )
    later = days.filter(days.day > ibis.date(calibration_end))
    return later.group_by("customer_id").aggregate(holdout_purchases=later.count())
