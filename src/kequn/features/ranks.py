"""Ranks among the buyers and thresholds (discrete quantiles), the same on DuckDB and Spark.

- ranks are computed on the buyers alone, so the engines' different NULL ordering in
  window functions never matters, and ties get equal ranks (``percent_rank``), never an
  arbitrary order (``ntile`` would split ties differently on each engine);
- the R score's ties take the middle of the ranks they span (:func:`_mid_rank`): buyers
  of the same day tie, and scored at the bottom of their span the buyers of a shop's
  latest day would be its stalest (everyone R 1, "lost", when all bought on one day);
  the F and M scores keep ties at the bottom (one order is the fewest there is: F 1);
- thresholds are discrete quantiles (the smallest value whose ``cume_dist`` reaches q),
  which both engines compute exactly.

On Spark (a cluster) nothing may force every customer through one partition: a window
without ``PARTITION BY`` or a global sort does (``Exchange SinglePartition``). There,
ranks and thresholds are computed from each distinct value's count and the count of rows
below it, found per bucket of values (:func:`_counts_below`): the same exact numbers as
the window functions, at any size (tests/engines/test_spark_plans.py checks the plans).
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

#: q as DuckDB's ``quantile_disc`` takes it exactly (a DOUBLE q would be multiplied by
#: the row count in floating point)
_Q = dt.Decimal(18, 6)


@ibis.udf.agg.builtin(name="quantile_disc")
def _quantile_disc(value: float, q: _Q) -> float:  # type: ignore[valid-type, empty-body]
    """DuckDB's exact discrete quantile: the element at ``max(1, ceil(n * q))`` of the
    sorted values, n the non-NULL count, computed with integer arithmetic for a DECIMAL
    ``q``: the smallest value whose ``cume_dist`` reaches ``q``."""


def distributed(table: ir.Table) -> bool:
    """Whether ``table`` runs on Spark, where whole-table windows and sorts are avoided."""
    try:
        return bool(ibis.get_backend(table).name == "pyspark")
    except Exception:  # an unbound expression: the default (DuckDB) rules
        return False


def discrete_quantile(table: ir.Table, column: str, q: float) -> ir.FloatingScalar:
    """The smallest value whose cumulative share reaches ``q``: exact and engine-independent
    (on Spark from the counts of distinct values, :func:`_counts_below`, instead of a
    global sort; ``percentile_approx`` would differ from DuckDB's value beyond 10,000
    rows, its default accuracy)."""
    values = table.filter(table[column].notnull())
    if distributed(table):
        counted = _counts_below(values.select(v=values[column]))
        # the share as cume_dist computes it: rows up to the value over all rows, in float64
        share = (counted.below + counted.c).cast("float64") / counted.n.cast("float64")
        return counted.filter(share >= q).v.min().cast("float64")
    exact = _exact_q(q)
    if exact is not None:
        # the same value without a window over every row (a sort, and each row's share):
        # 0.24 -> 0.06 s over 1M values; tests/features/test_quantiles.py compares them
        return _quantile_disc(values[column].cast("float64"), ibis.literal(exact, type=_Q))
    values = values.mutate(_cd=ibis.cume_dist().over(order_by=values[column]))
    return values.filter(values._cd >= q)[column].min().cast("float64")


def _exact_q(q: float) -> Decimal | None:
    """``q`` as a decimal of at most six places (as a taxonomy writes it: 0.8, 0.95), or
    None (another q is compared in floating point, as ``cume_dist`` does)."""
    try:
        exact = Decimal(repr(float(q)))
    except (TypeError, ValueError):
        return None
    exponent = exact.as_tuple().exponent
    if not exact.is_finite() or not isinstance(exponent, int) or exponent < -6:
        return None
    return exact if 0 <= exact <= 1 else None


def with_ranks(t: ir.Table) -> ir.Table:
    """Percentiles and RFM quintile scores, computed among buyers only."""
    return join_ranks(t, rank_columns(t.filter(t.orders > 0)))


def rank_columns(buyers: ir.Table) -> ir.Table:
    """``customer_id`` and the percentiles and RFM quintile scores of ``buyers`` (every
    customer with an order, once each), among themselves: a narrow table that a caller
    can write out on its own and join (:func:`join_ranks`)."""
    if distributed(buyers):
        return _distributed_rank_columns(buyers)

    # the three columns of many distinct values are ranked by windows over a narrow
    # table of their own, joined back by customer: a window sorts every column it
    # carries, and over the buyers with the counts below joined (ten more columns) the
    # three took 0.7 of the stage's 0.9 s at 1M buyers, against 0.35 s alone
    narrow = buyers.select("customer_id", "spend", "avg_order_value", "max_order_value")
    windows = narrow.select(
        "customer_id",
        **{
            name: ibis.percent_rank().over(order_by=narrow[column])
            for name, column in (
                ("spend_pct", "spend"),
                ("aov_pct", "avg_order_value"),
                ("max_order_pct", "max_order_value"),
            )
        },
    )

    # columns of few distinct values (a count of orders, a mean quantity, days) are ranked
    # from their distinct values' counts (:func:`_ranked_values`) joined back by value:
    # the windows over every buyer sorted all of them once per column (five of the seven
    # windows: 0.7 of 1.2 CPU-s at 1M buyers), the counts are a hash aggregate
    ranked = buyers.mutate(_q=buyers.avg_quantity.fill_null(0))
    for key, column, latest_first in (
        ("o", "orders", False),
        ("q", "_q", False),
        ("d", "days_since_last_order", True),
    ):
        counts = _ranked_values(ranked[column], key, descending=latest_first)
        joined = ranked.left_join(counts, ranked[column] == counts[f"{key}_v"])
        ranked = joined.select(*ranked.columns, *[c for c in counts.columns if c != f"{key}_v"])
    counted = ranked.select(
        "customer_id",
        orders_pct=_percent_rank(ranked.o_below, ranked.o_n),
        quantity_pct=_percent_rank(ranked.q_below, ranked.q_n),
        # buyers who last bought earlier are below, ties take the middle
        r_score=_score(_mid_rank(ranked.d_below, ranked.d_c, ranked.d_n)),
    )
    joined = windows.join(counted, "customer_id")
    ranks = joined.select(
        "customer_id",
        joined.spend_pct,
        joined.orders_pct,
        joined.aov_pct,
        joined.max_order_pct,
        joined.quantity_pct,
        joined.r_score,
    )
    # the F and M scores from the ranks above: the same windows again cost a tenth
    return ranks.mutate(f_score=_score(ranks.orders_pct), m_score=_score(ranks.spend_pct))


def _ranked_values(value: ir.Value, key: str, *, descending: bool = False) -> ir.Table:
    """Each distinct ``value`` (``<key>_v``) with its rows (``<key>_c``), the rows ranked
    below it (``<key>_below``: smaller values, or larger ones if ``descending``) and all
    rows (``<key>_n``): what ``percent_rank`` and ``rank`` over the values count."""
    values = value.name("v").as_table()
    distinct = values.group_by("v").aggregate(c=values.count())
    order = ibis.desc(distinct.v) if descending else distinct.v
    # the values are distinct: a running sum over rows counts every smaller one
    running = ibis.cumulative_window(order_by=order)
    counted = distinct.mutate(
        below=distinct.c.sum().over(running) - distinct.c, n=distinct.c.sum().over()
    )
    return counted.select(
        **{f"{key}_v": counted.v, f"{key}_c": counted.c},
        **{f"{key}_below": counted.below, f"{key}_n": counted.n},
    )


def _percent_rank(below: ir.IntegerValue, n: ir.IntegerValue) -> ir.FloatingValue:
    """``percent_rank()`` from the rows below and all rows: (rank − 1) / (n − 1), 0 alone."""
    return ibis.cases((n > 1, below.cast("float64") / (n - 1).cast("float64")), else_=0.0)


def with_percent_rank(table: ir.Table, column: str, name: str) -> ir.Table:
    """``table`` (one row per ``customer_id``) with ``name``: ``percent_rank()`` over
    ``column`` ascending, the same on both engines; on Spark from the counts below each
    value (:func:`_distributed_percent_rank`) instead of a window over the whole table."""
    if not distributed(table):
        return table.mutate(**{name: ibis.percent_rank().over(order_by=table[column])})
    part = _distributed_percent_rank(table, table[column], name)
    joined = table.left_join(part, "customer_id")
    return joined.select(*[joined[c] for c in table.columns], joined[name])


def _mid_rank(
    below: ir.IntegerValue, ties: ir.IntegerValue, n: ir.IntegerValue
) -> ir.FloatingValue:
    """The percent rank of a value in the middle of its ties: (rows below + (ties − 1) / 2)
    / (n − 1), 0.5 for a single row (one expression on both engines, so the same float)."""
    middle = below.cast("float64") + (ties - 1).cast("float64") / 2.0
    return ibis.cases((n > 1, middle / (n - 1).cast("float64")), else_=0.5)


def _score(rank: ir.FloatingValue) -> ir.IntegerValue:
    return ibis.least(5, (rank * 5).floor().cast("int64") + 1)


def join_ranks(t: ir.Table, ranks: ir.Table) -> ir.Table:
    """``t`` with the columns of :func:`rank_columns` (NULL for those who never bought)."""
    joined = t.left_join(ranks, "customer_id")
    return joined.select(
        *[joined[c] for c in t.columns], *[joined[c] for c in ranks.columns if c != "customer_id"]
    )


#: value buckets per distributed rank (each bucket's values are ranked in their own task)
RANK_BUCKETS = 32


def _distributed_percent_rank(
    buyers: ir.Table, value: ir.NumericValue, name: str, *, middle: bool = False
) -> ir.Table:
    """``customer_id`` and ``name``: ``percent_rank()`` over ``value`` ascending, exactly,
    without a window over the whole table: (buyers with a smaller value) / (buyers − 1);
    with ``middle``, :func:`_mid_rank`."""
    values = buyers.select("customer_id", v=value)
    ranked = _counts_below(values)
    if middle:
        pct = _mid_rank(ranked.below, ranked.c, ranked.n)
    else:
        pct = ibis.cases(
            (ranked.n > 1, ranked.below.cast("float64") / (ranked.n - 1)),
            else_=0.0,
        )
    ranked = ranked.select("v", pct=pct)
    joined = values.join(ranked, "v")
    return joined.select("customer_id", **{name: joined.pct})


def _counts_below(values: ir.Table) -> ir.Table:
    """For each distinct ``v`` of ``values`` (non-NULL): ``c`` its rows, ``below`` the rows
    with a smaller value and ``n`` all rows, without a window over the whole table.

    The distinct values are counted (partitioned by value), cut into buckets at
    approximate quantiles, counted below each value within its bucket (a window
    partitioned by bucket) and offset by the buckets below (a join of two small tables).
    """
    distinct = values.group_by("v").aggregate(c=values.count())
    # the cuts and the count are computed once, here (a small job on the materialised
    # stage), and enter the query as literals: Spark evaluates a subquery once per
    # reference, and percentile_approx merges its partial sketches in the order rows
    # arrive, so the buckets of the counts below and those of the bucket sizes could be
    # cut differently (aov_pct off by up to 2e-4 for 763,393 of 1M buyers)
    found = (
        distinct.aggregate(
            cuts=distinct.v.cast("float64").approx_quantile(
                [i / RANK_BUCKETS for i in range(1, RANK_BUCKETS)]
            ),
            n=distinct.c.sum(),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    cuts = sorted({float(c) for c in found["cuts"] or [] if c is not None})
    placed = distinct.mutate(n=ibis.literal(int(found["n"] or 0), "int64"))
    bucket = sum(
        ((placed.v.cast("float64") >= cut).cast("int64") for cut in cuts),
        ibis.literal(0, "int64"),
    )
    placed = placed.select("v", "c", "n", b=bucket)
    within = ibis.cumulative_window(group_by=placed.b, order_by=placed.v)
    placed = placed.mutate(below=placed.c.sum().over(within) - placed.c)
    sizes = placed.group_by("b").aggregate(size=placed.c.sum())
    lower = sizes.view()
    offsets = sizes.left_join(lower, lower.b < sizes.b)
    offsets = offsets.group_by(b=offsets.b).aggregate(offset=offsets.size_right.sum().fill_null(0))
    counted = placed.join(offsets, "b")
    return counted.select("v", "c", "n", below=counted.offset + counted.below)


def _distributed_rank_columns(buyers: ir.Table) -> ir.Table:
    """:func:`rank_columns` for Spark: the same numbers, each from
    :func:`_distributed_percent_rank`, joined by customer (no unpartitioned window)."""
    parts = {
        "spend_pct": buyers.spend,
        "orders_pct": buyers.orders,
        "aov_pct": buyers.avg_order_value,
        "max_order_pct": buyers.max_order_value,
        "quantity_pct": buyers.avg_quantity.fill_null(0),
        "recency_pct": -buyers.days_since_last_order,  # descending: the latest ranks highest
    }
    ranks = buyers.select("customer_id")
    for name, value in parts.items():
        part = _distributed_percent_rank(buyers, value, name, middle=name == "recency_pct")
        joined = ranks.join(part, "customer_id")
        ranks = joined.select(*ranks.columns, joined[name])
    return ranks.mutate(
        r_score=_score(ranks.recency_pct),
        f_score=_score(ranks.orders_pct),
        m_score=_score(ranks.spend_pct),
    ).drop("recency_pct")
