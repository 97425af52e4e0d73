"""Per-customer features as Ibis expressions: the same code runs on DuckDB and on Spark.

Nothing here executes: every function takes ``ibis.Table`` expressions and returns one.
Conventions that keep both engines giving the same answer:

- days are counted between *dates* (``date.delta(other, unit="day")``), never timestamps;
- money is summed exactly (decimal) and only then cast to ``float64``;
- ranks are computed on the buyers alone, so the engines' different NULL ordering in
  window functions never matters, and ties get equal ranks (``percent_rank``), never an
  arbitrary order (``ntile`` would split ties differently on each engine);
- thresholds are discrete quantiles (the smallest value whose ``cume_dist`` reaches q),
  which both engines compute exactly.

On Spark (a cluster) nothing may force every customer through one partition: a window
without ``PARTITION BY`` or a global sort does (``Exchange SinglePartition``). There,
ranks are computed per bucket of values (:func:`_distributed_percent_rank`, the same exact
numbers) and thresholds with ``percentile_approx`` (exact up to its accuracy, 10,000
distinct ranks: below that many buyers the same value; tests/engines/test_spark_plans.py
checks the plans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.core.schema import KEPT_STATUSES
from kequn.features import reference as ref

EVENT_COUNTS = {
    "views": "view",
    "inquiries": "inquiry",
    "shares": "share",
    "referrals": "referral",
    "reviews": "review",
    "tickets": "ticket",
    "complaints": "complaint",
    "email_opens": "email_open",
    "clicks": "click",
}
_CHINA = (
    "cn",
    "chn",
    "中国",
    "china",
    "prc",
    "中华人民共和国",
    "中国大陆",
    "mainland china",
    "p.r.c.",
)


@dataclass(frozen=True)
class FeatureContext:
    """What the features depend on besides the data: the date and the business."""

    as_of: dt.date
    home_city: str = "上海"
    home_province: str = "上海"
    home_country: str = "CN"
    cny_per_unit: float = 1.0
    eur_per_unit: float = 0.13
    references: dict[str, Any] = field(default_factory=dict)

    def reference(self, name: str) -> dict[str, Any]:
        if name not in self.references:
            self.references[name] = ref.load_reference(name)
        return self.references[name]


def normalise_city(text: str | None) -> str | None:
    """The Python twin of :func:`city_norm_expr`, for settings such as the home city."""
    if text is None:
        return None
    out = text.strip()
    if out.endswith("市"):
        out = out[:-1]
    return out.lower() or None


def city_norm_expr(city: ir.StringValue) -> ir.StringValue:
    return city.strip().re_replace("市$", "").lower().nullif("")


def country_norm_expr(country: ir.StringValue) -> ir.StringValue:
    folded = country.strip().lower()
    return ibis.cases((folded.isin(_CHINA), "CN"), else_=country.strip().upper()).nullif("")


def paid_orders(orders: ir.Table, as_of: dt.date) -> ir.Table:
    """Orders up to and including ``as_of`` that count as purchases (paid, partly refunded,
    or with a refund under way), their ``amount`` being the money kept: paid − refunded."""
    dated = orders.mutate(
        order_date=orders.ordered_at.date(),
        amount=(orders.amount - orders.refunded.fill_null(0)).cast(orders.amount.type()),
    )
    return dated.filter(dated.order_date <= ibis.date(as_of), dated.status.isin(KEPT_STATUSES))


def purchase_gaps(paid: ir.Table) -> ir.Table:
    """Days between consecutive purchase days of each customer (one row per gap)."""
    days = paid.group_by(["customer_id", "order_date"]).aggregate()
    window = ibis.window(group_by=days.customer_id, order_by=days.order_date)
    days = days.mutate(previous_date=days.order_date.lag().over(window))
    days = days.filter(days.previous_date.notnull())
    return days.select(
        "customer_id",
        gap_days=days.order_date.delta(days.previous_date, unit="day").cast("float64"),
    )


def distributed(table: ir.Table) -> bool:
    """Whether ``table`` runs on Spark, where whole-table windows and sorts are avoided."""
    try:
        return bool(ibis.get_backend(table).name == "pyspark")
    except Exception:  # an unbound expression: the default (DuckDB) rules
        return False


def discrete_quantile(table: ir.Table, column: str, q: float) -> ir.FloatingScalar:
    """The smallest value whose cumulative share reaches ``q``: exact and engine-independent
    (on Spark ``percentile_approx``, one partial aggregate per partition instead of a
    global sort; the same value while the buyers are fewer than its accuracy)."""
    values = table.filter(table[column].notnull())
    if distributed(table):
        return values[column].cast("float64").approx_quantile(q).cast("float64")
    values = values.mutate(_cd=ibis.cume_dist().over(order_by=values[column]))
    return values.filter(values._cd >= q)[column].min().cast("float64")


def order_features(paid: ir.Table, orders: ir.Table, ctx: FeatureContext) -> ir.Table:
    as_of = ibis.date(ctx.as_of)
    channel_group = ref.channel_group_expr(paid.channel, ctx.reference("channels"))
    facts = paid.mutate(
        days_ago=as_of.delta(paid.order_date, unit="day"),
        discounted=(paid.discount.fill_null(0) > 0).cast("int64"),
        online=(channel_group == "online").cast("int64"),
        offline=(channel_group == "offline").cast("int64"),
        quantity_f=paid.quantity.cast("float64"),
    )
    agg = facts.group_by("customer_id").aggregate(
        orders=facts.count(),
        purchase_days=facts.order_date.nunique(),
        spend=facts.amount.sum().cast("float64"),
        max_order_value=facts.amount.max().cast("float64"),
        avg_quantity=facts.quantity_f.mean(),
        max_quantity=facts.quantity_f.max(),
        first_order_date=facts.order_date.min(),
        last_order_date=facts.order_date.max(),
        orders_90d=(facts.days_ago < 90).cast("int64").sum(),
        orders_365d=(facts.days_ago < 365).cast("int64").sum(),
        spend_365d=ibis.cases((facts.days_ago < 365, facts.amount), else_=0).sum().cast("float64"),
        discounted_orders=facts.discounted.sum(),
        online_orders=facts.online.sum(),
        offline_orders=facts.offline.sum(),
    )
    gaps = purchase_gaps(paid)
    gap_stats = gaps.group_by("customer_id").aggregate(
        mean_days_between_orders=gaps.gap_days.mean(),
        std_days_between_orders=gaps.gap_days.std(),
    )
    refunds = orders.mutate(order_date=orders.ordered_at.date())
    refunds = refunds.filter(
        refunds.order_date <= as_of, refunds.status.isin(("refunded", "partially_refunded"))
    )
    refunds = refunds.group_by("customer_id").aggregate(refunds=refunds.count())
    joined = agg.left_join(gap_stats, "customer_id").left_join(refunds, "customer_id")
    joined = joined.select(
        *[joined[c] for c in agg.columns],
        joined.mean_days_between_orders,
        joined.std_days_between_orders,
        joined.refunds,
    )
    return joined.mutate(
        avg_order_value=joined.spend / joined.orders,
        days_since_last_order=as_of.delta(joined.last_order_date, unit="day"),
        days_since_first_order=as_of.delta(joined.first_order_date, unit="day"),
        # rounded: engines compute a standard deviation in different orders, and a CV that
        # is exactly a rule's bound (gaps 7,12,16,10,9,8,12,12,4: 3.5 / 10 = 0.35) came out
        # 0.35000000000000003 on DuckDB and 0.35 on Spark, labelling one customer in 1M
        # differently (habitual_cv = 0.35)
        cv_days_between_orders=(
            joined.std_days_between_orders / joined.mean_days_between_orders
        ).round(9),
        discount_share=joined.discounted_orders.cast("float64") / joined.orders,
        full_price_share=1.0 - joined.discounted_orders.cast("float64") / joined.orders,
        online_share=joined.online_orders.cast("float64") / joined.orders,
        offline_share=joined.offline_orders.cast("float64") / joined.orders,
    ).drop("discounted_orders", "online_orders", "offline_orders", "std_days_between_orders")


def event_features(events: ir.Table, as_of: dt.date) -> ir.Table:
    day = ibis.date(as_of)
    dated = events.mutate(event_date=events.occurred_at.date())
    dated = dated.filter(dated.event_date <= day)
    counts = {name: (dated.type == kind).cast("int64").sum() for name, kind in EVENT_COUNTS.items()}
    agg = dated.group_by("customer_id").aggregate(
        events=dated.count(),
        events_90d=(day.delta(dated.event_date, unit="day") < 90).cast("int64").sum(),
        last_event_date=dated.event_date.max(),
        **counts,
    )
    return agg.mutate(days_since_last_event=day.delta(agg.last_event_date, unit="day")).drop(
        "last_event_date"
    )


def attribute_features(customers: ir.Table, ctx: FeatureContext) -> ir.Table:
    as_of = ibis.date(ctx.as_of)

    def industry(t: ir.Table) -> dict[str, ir.Value]:
        return {
            "industry_section": ref.industry_section_expr(t.industry_code),
            "industry_group": ref.industry_group_expr(
                t.industry_code, t.industry, t.supply_chain_role, ctx.reference("industry_gbt4754")
            ),
        }

    def size(t: ir.Table) -> dict[str, ir.Value]:
        employees = t.employees.cast("float64")
        revenue, assets = t.annual_revenue.cast("float64"), t.total_assets.cast("float64")
        cny, eur = ctx.cny_per_unit / 10000.0, ctx.eur_per_unit
        return {
            "company_size_cn": ref.company_size_cn_expr(
                t.industry_code,
                employees,
                revenue * cny,
                assets * cny,
                ctx.reference("size_cn_2017"),
            ),
            "company_size_eu": ref.company_size_eu_expr(
                employees, revenue * eur, assets * eur, ctx.reference("size_eu_2003")
            ),
        }

    def groups(t: ir.Table) -> dict[str, ir.Value]:
        return {
            "source_group": ref.source_group_expr(t.source, ctx.reference("sources")),
            "preferred_channel_group": ref.channel_group_expr(
                t.preferred_channel, ctx.reference("channels")
            ),
        }

    def places(t: ir.Table) -> dict[str, ir.Value]:
        return {"city_norm": city_norm_expr(t.city), "country_norm": country_norm_expr(t.country)}

    c = ref.by_distinct(
        customers,
        [
            (["industry_code", "industry", "supply_chain_role"], industry),
            (["industry_code", "employees", "annual_revenue", "total_assets"], size),
            (["source", "preferred_channel"], groups),
            (["city", "country"], places),
        ],
    )
    age_from_birth = (as_of.delta(c.birth_date, unit="day").cast("float64") / 365.25).floor()
    return c.select(
        "customer_id",
        "kind",
        "name",
        "city",
        "province",
        "gender",
        "industry",
        "source",
        "marketing_consent",
        "attributes",
        "created_at",
        employees=c.employees.cast("float64"),
        annual_revenue=c.annual_revenue.cast("float64"),
        total_assets=c.total_assets.cast("float64"),
        income=c.income.cast("float64"),
        age=ibis.coalesce(c.age.cast("float64"), age_from_birth.cast("float64")),
        city_norm=c.city_norm,
        country_norm=c.country_norm,
        nature=ref.nature_expr(c.kind, c.name, ctx.reference("nature_keywords")),
        industry_section=c.industry_section,
        industry_group=c.industry_group,
        company_size_cn=c.company_size_cn,
        company_size_eu=c.company_size_eu,
        source_group=c.source_group,
        preferred_channel_group=c.preferred_channel_group,
    )


_ORDER_NUMBERS_ZERO = (
    "orders",
    "purchase_days",
    "spend",
    "orders_90d",
    "orders_365d",
    "spend_365d",
    "refunds",
)
_EVENT_NUMBERS_ZERO = ("events", "events_90d", *EVENT_COUNTS)


def buyer_behaviour(orders: ir.Table, events: ir.Table, ctx: FeatureContext) -> ir.Table:
    """Order and interaction features of customers with a paid order by ``ctx.as_of``.

    The behavioural subset of :func:`build_features` without attributes or ranks: a much
    smaller query, for models that look at several past dates.
    """
    per_order = order_features(paid_orders(orders, ctx.as_of), orders, ctx)
    per_event = event_features(events, ctx.as_of)
    joined = per_order.left_join(per_event, "customer_id")
    t = joined.select(
        *[joined[c] for c in per_order.columns],
        *[joined[c] for c in per_event.columns if c != "customer_id"],
    )
    return t.mutate(
        **{name: t[name].fill_null(0) for name in _ORDER_NUMBERS_ZERO + _EVENT_NUMBERS_ZERO}
    )


#: writes an expression out under a name and returns a table reading it back
Stage = Callable[[ir.Table, str], ir.Table]


def build_features(
    customers: ir.Table,
    orders: ir.Table,
    events: ir.Table,
    ctx: FeatureContext,
    *,
    stage: Stage | None = None,
) -> ir.Table:
    """One row per customer known on ``ctx.as_of`` with every feature of the catalogue.

    Customers created after ``as_of`` (and without an earlier order) are left out, so a
    run as of an earlier date sees the business as it was then.

    With ``stage`` (e.g. an engine's ``materialize``), the per-order, per-event and
    attribute parts are written out first, then their join, and the ranks are computed
    from that. The answer is the same;
    the difference is memory: as one query, DuckDB holds the hash tables of all the
    aggregations and joins at once and ran out of memory at 5M customers under a 2 GB
    limit (at 1M under 500 MB); in stages each part fits.
    """
    as_of = ibis.date(ctx.as_of)
    paid = paid_orders(orders, ctx.as_of)
    per_order = order_features(paid, orders, ctx)
    per_event = event_features(events, ctx.as_of)
    attrs = attribute_features(customers, ctx)
    if stage is not None:
        per_order = stage(per_order, "features-orders")
        per_event = stage(per_event, "features-events")
        attrs = stage(attrs, "features-attributes")
    joined = attrs.left_join(per_order, "customer_id").left_join(per_event, "customer_id")
    keep = [joined[c] for c in attrs.columns]
    keep += [joined[c] for c in per_order.columns if c != "customer_id"]
    keep += [joined[c] for c in per_event.columns if c != "customer_id"]
    t = joined.select(*keep)
    t = t.mutate(
        **{name: t[name].fill_null(0) for name in _ORDER_NUMBERS_ZERO + _EVENT_NUMBERS_ZERO}
    )
    started = ibis.coalesce(t.created_at.date(), t.first_order_date)
    t = t.filter(started.isnull() | (started <= as_of) | t.first_order_date.notnull())
    started = ibis.coalesce(
        ibis.least(t.created_at.date(), t.first_order_date), t.created_at.date(), t.first_order_date
    )
    t = t.mutate(tenure_days=as_of.delta(started, unit="day")).drop("created_at")
    t = t.mutate(
        orders_per_year=t.orders.cast("float64")
        / ibis.greatest(t.tenure_days.cast("float64"), 30.0)
        * 365.0
    )
    if stage is not None:
        t = stage(t, "features-base")
    return _with_ranks(t)


def _with_ranks(t: ir.Table) -> ir.Table:
    """Percentiles and RFM quintile scores, computed among buyers only."""
    buyers = t.filter(t.orders > 0)
    if distributed(t):
        return _with_distributed_ranks(t, buyers)

    def pct(column: str) -> ir.FloatingValue:
        return ibis.percent_rank().over(order_by=buyers[column])

    ranks = buyers.select(
        "customer_id",
        spend_pct=pct("spend"),
        orders_pct=pct("orders"),
        aov_pct=pct("avg_order_value"),
        max_order_pct=pct("max_order_value"),
        quantity_pct=ibis.percent_rank().over(order_by=buyers.avg_quantity.fill_null(0)),
        r_score=_score(ibis.percent_rank().over(order_by=ibis.desc(buyers.days_since_last_order))),
        f_score=_score(pct("orders")),
        m_score=_score(pct("spend")),
    )
    return _join_ranks(t, ranks)


def _score(rank: ir.FloatingValue) -> ir.IntegerValue:
    return ibis.least(5, (rank * 5).floor().cast("int64") + 1)


def _join_ranks(t: ir.Table, ranks: ir.Table) -> ir.Table:
    joined = t.left_join(ranks, "customer_id")
    return joined.select(
        *[joined[c] for c in t.columns], *[joined[c] for c in ranks.columns if c != "customer_id"]
    )


#: value buckets per distributed rank (each bucket's values are ranked in their own task)
RANK_BUCKETS = 32


def _distributed_percent_rank(buyers: ir.Table, value: ir.NumericValue, name: str) -> ir.Table:
    """``customer_id`` and ``name``: ``percent_rank()`` over ``value`` ascending, exactly,
    without a window over the whole table: (buyers with a smaller value) / (buyers − 1).

    The distinct values are counted (partitioned by value), cut into buckets at
    approximate quantiles, counted below each value within its bucket (a window
    partitioned by bucket) and offset by the buckets below (a join of two small tables).
    """
    values = buyers.select("customer_id", v=value)
    distinct = values.group_by("v").aggregate(c=values.count())
    cuts = distinct.aggregate(
        cuts=distinct.v.cast("float64").approx_quantile(
            [i / RANK_BUCKETS for i in range(1, RANK_BUCKETS)]
        ),
        n=distinct.c.sum(),
    )
    placed = distinct.cross_join(cuts)
    bucket = sum(
        (
            (placed.v.cast("float64") >= placed.cuts[i]).cast("int64")
            for i in range(RANK_BUCKETS - 1)
        ),
        ibis.literal(0, "int64"),
    )
    placed = placed.select("v", "c", "n", b=bucket)
    within = ibis.cumulative_window(group_by=placed.b, order_by=placed.v)
    placed = placed.mutate(below=placed.c.sum().over(within) - placed.c)
    sizes = placed.group_by("b").aggregate(size=placed.c.sum())
    lower = sizes.view()
    offsets = sizes.left_join(lower, lower.b < sizes.b)
    offsets = offsets.group_by(b=offsets.b).aggregate(offset=offsets.size_right.sum().fill_null(0))
    ranked = placed.join(offsets, "b")
    ranked = ranked.select(
        "v",
        pct=ibis.cases(
            (ranked.n > 1, (ranked.offset + ranked.below).cast("float64") / (ranked.n - 1)),
            else_=0.0,
        ),
    )
    joined = values.join(ranked, "v")
    return joined.select("customer_id", **{name: joined.pct})


def _with_distributed_ranks(t: ir.Table, buyers: ir.Table) -> ir.Table:
    """:func:`_with_ranks` for Spark: the same numbers, each from
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
        part = _distributed_percent_rank(buyers, value, name)
        joined = ranks.join(part, "customer_id")
        ranks = joined.select(*ranks.columns, joined[name])
    ranks = ranks.mutate(
        r_score=_score(ranks.recency_pct),
        f_score=_score(ranks.orders_pct),
        m_score=_score(ranks.spend_pct),
    ).drop("recency_pct")
    return _join_ranks(t, ranks)


def derive_purchase_cycle(features: ir.Table) -> ir.FloatingScalar:
    """The business's purchase cycle: the median, over repeat customers, of each one's mean
    days between purchases.

    Taken per customer rather than over all gaps, because heavy buyers contribute most of
    the gaps and would otherwise set a cycle far shorter than a typical customer's.
    """
    return discrete_quantile(features, "mean_days_between_orders", 0.5)
