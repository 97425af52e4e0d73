"""Days between a customer's purchase days: the gaps (one row per gap) and their mean and
deviation from exact sums (:mod:`kequn.features.build` uses them; the feature state adds
a day's gaps to the same sums, :mod:`kequn.features.state_rows`)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def purchase_gaps(paid: ir.Table) -> ir.Table:
    """Days between consecutive purchase days of each customer (one row per gap)."""
    days = paid.group_by(["customer_id", "order_date"]).aggregate()
    window = ibis.window(group_by=days.customer_id, order_by=days.order_date)
    days = days.mutate(previous_date=days.order_date.lag().over(window))
    days = days.filter(days.previous_date.notnull())
    # a double holding a whole number of days: summed exactly (a sum of int64 is 128-bit
    # on DuckDB, written as a double to Parquet all the same)
    return days.select(
        "customer_id",
        gap_days=days.order_date.delta(days.previous_date, unit="day").cast("float64"),
    )


def gap_mean(gap_sum: ir.FloatingValue, gaps: ir.IntegerValue) -> ir.FloatingValue:
    """The mean of a customer's ``gaps`` days between purchase days from their exact sum
    (NULL without a gap): computed from sums, not by ``mean()``, so that the feature state
    adding a day's orders to its sums (:mod:`kequn.features.state_rows`) gets the same double
    as a build from every order."""
    return ibis.cases((gaps > 0, gap_sum / gaps.cast("float64")), else_=None)


def gap_std(
    gap_sum: ir.FloatingValue, gap_squares: ir.FloatingValue, gaps: ir.IntegerValue
) -> ir.FloatingValue:
    """The sample standard deviation of ``gaps`` days between purchase days (NULL with
    fewer than two) from the exact sums of the gaps and of their squares:
    (n·Σg² − (Σg)²) / (n(n − 1)), whole numbers held exactly in doubles (the gaps sum to
    at most the days between the first and last purchase, so every term stays far below
    2⁵³): the same double on every engine and for the state's merged sums
    (``stddev_samp`` adds in the order the rows come, which a merge cannot repeat)."""
    n = gaps.cast("float64")
    spread = n * gap_squares - gap_sum * gap_sum
    return ibis.cases((gaps > 1, (spread / (n * (n - 1.0))).sqrt()), else_=None)
