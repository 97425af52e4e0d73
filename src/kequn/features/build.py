"""Per-customer features as Ibis expressions: the same code runs on DuckDB and on Spark.

Nothing here executes: every function takes ``ibis.Table`` expressions and returns one.
Conventions that keep both engines giving the same answer:

- days are counted between *dates* (``date.delta(other, unit="day")``), never timestamps
  (a date bound is compared on the timestamp, with the day's first instant:
  :mod:`kequn.features.dated`);
- money is summed exactly (decimal) and only then cast to ``float64``;
- ranks are computed on the buyers alone, so the engines' different NULL ordering in
  window functions never matters, and ties get equal ranks (``percent_rank``), never an
  arbitrary order (``ntile`` would split ties differently on each engine);
- thresholds are discrete quantiles (the smallest value whose ``cume_dist`` reaches q),
  which both engines compute exactly (ranks and thresholds: :mod:`kequn.features.ranks`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir

from kequn.features import reference as ref
from kequn.features.attributes import attribute_features, finish_attributes
from kequn.features.context import DateLike, FeatureContext, day_value
from kequn.features.dated import dated_events, dated_orders, paid_orders, since
from kequn.features.gaps import gap_mean, gap_std, purchase_gaps
from kequn.features.ranks import discrete_quantile, join_ranks, rank_columns, with_ranks
from kequn.features.seen import known_on

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

#: how exports write each counted type besides its own name (compared trimmed, in lower
#: case): a Chinese shop's 浏览 and 咨询 went uncounted, its browsing prospects "silent"
EVENT_TYPE_WORDS = {
    "view": ["浏览", "瀏覽", "查看", "页面浏览", "浏览商品", "pageview", "page_view", "page view"],
    "inquiry": ["咨询", "諮詢", "询价", "詢價", "询盘", "问询", "enquiry", "question"],
    "share": ["分享", "转发", "轉發"],
    "referral": ["推荐", "推薦", "转介绍", "轉介紹", "refer", "referral_signup"],
    "review": ["评价", "評價", "评论", "評論", "点评", "點評"],
    "ticket": ["工单", "工單", "服务工单", "售后工单", "support ticket", "support_ticket"],
    "complaint": ["投诉", "投訴"],
    "email_open": ["邮件打开", "郵件打開", "打开邮件", "打開郵件", "email open", "email_opened"],
    "click": ["点击", "點擊"],
}


#: order statuses counted as refunds
REFUND_STATUSES = ("refunded", "partially_refunded")


#: up to this many distinct channel spellings are looked up by their exact text; with
#: more (free text per order), each order's channel is grouped by itself
SPELLINGS_LIMIT = 256


def channel_spellings(orders: ir.Table, channels: dict[str, Any]) -> dict[str, str] | None:
    """Every distinct non-NULL ``channel`` of ``orders`` with its group (this runs one
    query); None with more than :data:`SPELLINGS_LIMIT` of them, or one holding a NUL.
    ``orders`` is any table with a ``channel`` column: the pipeline gives the orders' and
    the events' channels together, as both are grouped (:func:`channel_group`).

    Grouping an order means trimming, lowering, the synonym lists and the keyword
    patterns: half of the churn model's training query at 1M customers (2M orders of
    sampled buyers, 1.1 of 2.7 s), where a shop has tens of spellings. Looked up by
    their exact text, each order is compared with those few strings, and only with
    them (DuckDB evaluates the IN lists of a CASE's other branch for every row, so a
    lookup falling back to the grouping saved nothing). A table of spellings joined
    back was tried first: DuckDB then kept every paid order in memory for the two uses
    (the full state's query 4.6 -> 7.0 s and +0.3 GB at 10M orders) and Spark shuffled
    all of them by channel."""
    distinct = orders.select("channel").distinct()
    distinct = distinct.filter(distinct.channel.notnull())
    grouped = distinct.mutate(channel_group=ref.channel_group_expr(distinct.channel, channels))
    rows = grouped.limit(SPELLINGS_LIMIT + 1).to_pyarrow().to_pylist()
    if len(rows) > SPELLINGS_LIMIT:
        return None
    # in the spellings' order: DISTINCT returns them in any order, and the lookup's CASE
    # in that order made a different query (and a miss of the compiled SQL kept for it,
    # 0.2-0.3 s) in about one run of three
    spellings = {str(r["channel"]): str(r["channel_group"]) for r in rows}
    spellings = dict(sorted(spellings.items()))
    # the spellings become quoted literals in the query (Ibis escapes quotes); DuckDB's
    # parser ends a string at a NUL character, so data holding one is grouped per order
    if any("\x00" in text for text in spellings):
        return None
    return spellings


def channel_group(channel: ir.StringValue, ctx: FeatureContext) -> ir.StringValue:
    """Each order's or interaction's channel group (``online``, ``offline``; other values
    are neither), looked up in ``ctx``'s spellings when it has them (they must hold every
    spelling of the rows: the pipeline's cover the orders' and the events' channels)."""
    spellings = ctx.channel_spellings()
    if spellings is None:
        return ref.channel_group_expr(channel, ctx.reference("channels"))
    # NULL (no channel) counts as neither online nor offline, as its group (unknown)
    return channel.substitute(spellings, else_=ibis.null("string"))


def order_totals(paid: ir.Table, orders: ir.Table, ctx: FeatureContext) -> ir.Table:
    """The per-customer order aggregates that do not depend on the as-of date (counts,
    sums, extremes, first/last dates, the inter-purchase statistics, the channel mix,
    refunds), of the customers with a paid order in ``paid``.

    ``paid`` are :func:`paid_orders`, ``orders`` the dated orders they come from (refunds
    are counted there); each already limited to the dates wanted. Both the full build (up
    to as-of) and the feature state (every order, usable while as-of is not before the
    newest order) compute them here, so their values are the same. The channel groups
    are looked up in ``ctx``'s spellings when it has them (:func:`channel_group`).
    """
    facts = paid.mutate(
        discounted=paid.discount.fill_null(0) > 0,
        channel_group=channel_group(paid.channel, ctx),
        quantity_f=paid.quantity.cast("float64"),
    )
    agg = facts.group_by("customer_id").aggregate(
        orders=facts.count(),
        purchase_days=facts.order_date.nunique(),
        spend_exact=facts.amount.sum(),
        max_order_value=facts.amount.max().cast("float64"),
        # whole numbers summed as doubles: exact below 2⁵³, and a double in Parquet
        quantity_sum=facts.quantity_f.sum(),
        quantity_n=facts.quantity.count(),
        max_quantity=facts.quantity_f.max(),
        first_order_date=facts.order_date.min(),
        last_order_date=facts.order_date.max(),
        # counted, not summed: a sum of int64 is 128-bit on DuckDB, a double in Parquet
        discounted_orders=facts.count(where=facts.discounted),
        online_orders=facts.count(where=facts.channel_group == "online"),
        offline_orders=facts.count(where=facts.channel_group == "offline"),
    )
    gaps = purchase_gaps(paid)
    gap_stats = gaps.group_by("customer_id").aggregate(
        gap_sum=gaps.gap_days.sum(),
        gap_squares=(gaps.gap_days * gaps.gap_days).sum(),
    )
    refunds = refund_counts(orders)
    joined = agg.left_join(gap_stats, "customer_id").left_join(refunds, "customer_id")
    t = joined.select(
        *[joined[c] for c in agg.columns],
        gap_sum=joined.gap_sum.fill_null(0.0),
        gap_squares=joined.gap_squares.fill_null(0.0),
        refunds=joined.refunds,
    )
    return with_order_sums_derived(t)


def refund_counts(orders: ir.Table) -> ir.Table:
    """``customer_id`` and ``refunds``, the refunded orders of each customer with one in
    ``orders``, whether or not they have a paid order: :func:`order_totals` counts those
    of its buyers, and a customer whose every order was refunded is counted here alone
    (:func:`build_features` joins them)."""
    refunds = orders.filter(orders.status.isin(REFUND_STATUSES))
    return refunds.group_by("customer_id").aggregate(refunds=refunds.count())


def with_order_sums_derived(t: ir.Table) -> ir.Table:
    """:func:`order_totals`' columns derived from the exact sums it keeps (``spend_exact``,
    ``quantity_sum`` and ``quantity_n``, ``gap_sum`` and ``gap_squares``), which the
    feature state adds a day's orders to (:mod:`kequn.features.state_rows`): the same
    expressions on the same integers and decimals give the same doubles either way."""
    gaps = t.purchase_days - 1
    return t.mutate(
        spend=t.spend_exact.cast("float64"),
        avg_quantity=ibis.cases(
            (t.quantity_n > 0, t.quantity_sum / t.quantity_n.cast("float64")),
            else_=None,
        ),
        mean_days_between_orders=gap_mean(t.gap_sum, gaps),
        std_days_between_orders=gap_std(t.gap_sum, t.gap_squares, gaps),
    )


def order_windows(paid: ir.Table, as_of: DateLike) -> ir.Table:
    """The as-of-dependent order counts (orders in the last 90 and 365 days, spend in the
    last 365) of the customers with a paid order in the last 365 days up to ``as_of``;
    read from those orders only."""
    day = day_value(as_of)
    # (``paid`` ends on ``as_of``: :func:`dated_orders`)
    facts = paid.filter(since(paid.ordered_at, day, 365))
    return facts.group_by("customer_id").aggregate(
        orders_90d=facts.count(where=since(facts.ordered_at, day, 90)),
        orders_365d=facts.count(),
        spend_365d=facts.amount.sum().cast("float64"),
    )


_WINDOW_COLUMNS = ("orders_90d", "orders_365d", "spend_365d")


def finish_order_features(totals: ir.Table, windows: ir.Table, as_of: DateLike) -> ir.Table:
    """The order features as of ``as_of`` from :func:`order_totals` and
    :func:`order_windows`: the windows joined (zero without recent orders), recency and
    the shares derived."""
    day = day_value(as_of)
    joined = totals.left_join(windows, "customer_id")
    keep = [joined[c] for c in totals.columns if c not in _WINDOW_COLUMNS]
    t = joined.select(
        *keep,
        orders_90d=joined.orders_90d.fill_null(0),
        orders_365d=joined.orders_365d.fill_null(0),
        spend_365d=joined.spend_365d.fill_null(0.0),
    )
    t = t.mutate(
        avg_order_value=t.spend / t.orders,
        days_since_last_order=day.delta(t.last_order_date, unit="day"),
        days_since_first_order=day.delta(t.first_order_date, unit="day"),
        # rounded: engines compute a standard deviation in different orders, and a CV that
        # is exactly a rule's bound (gaps 7,12,16,10,9,8,12,12,4: 3.5 / 10 = 0.35) came out
        # 0.35000000000000003 on DuckDB and 0.35 on Spark, labelling one customer in 1M
        # differently (habitual_cv = 0.35)
        cv_days_between_orders=(t.std_days_between_orders / t.mean_days_between_orders).round(9),
        discount_share=t.discounted_orders.cast("float64") / t.orders,
        full_price_share=1.0 - t.discounted_orders.cast("float64") / t.orders,
        online_share=t.online_orders.cast("float64") / t.orders,
        offline_share=t.offline_orders.cast("float64") / t.orders,
    )
    return t.select(*ORDER_FEATURE_COLUMNS, *_CHANNEL_COUNTS[:2])


#: the order features' columns, in their order
ORDER_FEATURE_COLUMNS = (
    "customer_id",
    "orders",
    "purchase_days",
    "spend",
    "max_order_value",
    "avg_quantity",
    "max_quantity",
    "first_order_date",
    "last_order_date",
    "orders_90d",
    "orders_365d",
    "spend_365d",
    "mean_days_between_orders",
    "refunds",
    "avg_order_value",
    "days_since_last_order",
    "days_since_first_order",
    "cv_days_between_orders",
    "discount_share",
    "full_price_share",
    "online_share",
    "offline_share",
)


def order_features(paid: ir.Table, orders: ir.Table, ctx: FeatureContext) -> ir.Table:
    """Every order feature as of ``ctx.as_of`` (``paid``: :func:`paid_orders` up to it)."""
    totals = order_totals(paid, dated_orders(orders, ctx.day), ctx)
    return finish_order_features(totals, order_windows(paid, ctx.day), ctx.day)


def event_totals(dated: ir.Table, ctx: FeatureContext) -> ir.Table:
    """Per-customer interaction counts (all, of each type, and online and offline by
    their channel, :func:`channel_group`) and the last one's date, of the
    :func:`dated_events` given: independent of the as-of date."""
    # a column, as the orders' (with no spelling at all the group is a NULL literal)
    dated = dated.mutate(channel_group=channel_group(dated.channel, ctx))
    kind, group = dated.type.strip().lower(), dated.channel_group
    counts = {
        name: dated.count(where=kind.isin([word, *EVENT_TYPE_WORDS.get(word, [])]))
        for name, word in EVENT_COUNTS.items()
    }
    return dated.group_by("customer_id").aggregate(
        events=dated.count(),
        last_event_date=dated.event_date.max(),
        **counts,
        online_events=dated.count(where=group == "online"),
        offline_events=dated.count(where=group == "offline"),
    )


def event_windows(dated: ir.Table, as_of: DateLike) -> ir.Table:
    """Interactions in the 90 days up to ``as_of``, per customer, from those alone."""
    day = day_value(as_of)
    # (``dated`` ends on ``as_of``: :func:`dated_events`)
    recent = dated.filter(since(dated.occurred_at, day, 90))
    return recent.group_by("customer_id").aggregate(events_90d=recent.count())


def finish_event_features(totals: ir.Table, windows: ir.Table, as_of: DateLike) -> ir.Table:
    day = day_value(as_of)
    joined = totals.left_join(windows, "customer_id")
    return joined.select(
        joined.customer_id,
        joined.events,
        events_90d=joined.events_90d.fill_null(0),
        **{name: joined[name] for name in EVENT_COUNTS},
        days_since_last_event=day.delta(joined.last_event_date, unit="day"),
        interaction_online_share=joined.online_events.cast("float64") / joined.events,
        interaction_offline_share=joined.offline_events.cast("float64") / joined.events,
        online_events=joined.online_events,
        offline_events=joined.offline_events,
    )


def event_features(events: ir.Table, ctx: FeatureContext) -> ir.Table:
    dated = dated_events(events, ctx.day)
    totals = event_totals(dated, ctx)
    return finish_event_features(totals, event_windows(dated, ctx.day), ctx.day)


#: the online and offline orders and interactions, carried from the order and event
#: features into :func:`with_contact_channels`, which leaves them out
_CHANNEL_COUNTS = ("online_orders", "offline_orders", "online_events", "offline_events")


def with_contact_channels(t: ir.Table) -> ir.Table:
    """``t`` (orders and events joined, their counts zero-filled) with the channel mix of
    the orders and interactions together (``contact_online_share``, ``contact_offline_
    share``: of all of them, NULL without any), without the counts it is made of."""
    counts = {name: t[name].fill_null(0) for name in _CHANNEL_COUNTS}
    total = (t.orders + t.events).cast("float64")
    online = counts["online_orders"] + counts["online_events"]
    offline = counts["offline_orders"] + counts["offline_events"]
    return t.mutate(
        contact_online_share=ibis.cases((total > 0, online.cast("float64") / total), else_=None),
        contact_offline_share=ibis.cases((total > 0, offline.cast("float64") / total), else_=None),
    ).drop(*_CHANNEL_COUNTS)


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
    per_order = order_features(paid_orders(orders, ctx.day), orders, ctx)
    per_event = event_features(events, ctx)
    joined = per_order.left_join(per_event, "customer_id")
    t = joined.select(
        *[joined[c] for c in per_order.columns],
        *[joined[c] for c in per_event.columns if c != "customer_id"],
    )
    t = t.mutate(
        **{name: t[name].fill_null(0) for name in _ORDER_NUMBERS_ZERO + _EVENT_NUMBERS_ZERO}
    )
    return with_contact_channels(t)


#: writes an expression out under a name and returns a table reading it back
Stage = Callable[[ir.Table, str], ir.Table]


def build_features(
    customers: ir.Table,
    orders: ir.Table,
    events: ir.Table,
    ctx: FeatureContext,
    *,
    stage: Stage | None = None,
    totals: tuple[ir.Table, ir.Table] | None = None,
    attributes: ir.Table | None = None,
    lone_refunds: ir.Table | None = None,
) -> ir.Table:
    """One row per customer known on ``ctx.as_of`` with every feature of the catalogue.

    ``totals``: the as-of-independent order and event aggregates (:func:`order_totals`,
    :func:`event_totals`) when the caller keeps them up to date (the feature state,
    :mod:`kequn.features.state`), valid only if no order or event is dated after
    ``as_of``; only the windows (last 90 / 365 days) are then read from the orders and
    events. Without, everything is computed from the orders and events up to ``as_of``.
    ``lone_refunds``: with ``totals``, :func:`refund_counts` of the customers they hold
    no paid order of (without, the refunds of a customer whose every order was refunded
    are counted from the orders).
    ``attributes``: :func:`attribute_columns` of ``customers``, kept by the same caller:
    the answer then holds of them only the customer id and the age (derived here, as of
    ``as_of``), and the caller joins the rest (:func:`~kequn.features.attributes.
    join_attributes`): writing the customers' names, places and other attributes again
    with every run was half of the features file's time (at 1M customers 2.2 s against
    1.2 s), for columns that change only when the customers do.

    Customers created after ``as_of`` (and without an earlier order) are left out, so a
    run as of an earlier date sees the business as it was then; so are those without a
    creation date first seen (an order or an interaction) after it
    (:func:`~kequn.features.seen.known_on`).

    With ``stage`` (e.g. an engine's ``materialize``), the per-order, per-event and
    attribute parts are written out first, then the buyers' ranks from the per-order part
    (narrow), and the answer joins them. The answer is the same;
    the difference is memory: as one query, DuckDB holds the hash tables of all the
    aggregations and joins at once and ran out of memory at 5M customers under a 2 GB
    limit (at 1M under 500 MB); in stages each part fits. The join was written out too
    before the ranks (their windows then read it), which wrote every column twice: 2 s of
    a run at 1M.
    """
    as_of = ctx.day
    paid = paid_orders(orders, as_of)
    if totals is None:
        per_order = order_features(paid, orders, ctx)
        per_event = event_features(events, ctx)
    else:
        per_order = finish_order_features(totals[0], order_windows(paid, as_of), as_of)
        recent = dated_events(events, as_of)
        per_event = finish_event_features(totals[1], event_windows(recent, as_of), as_of)
    if attributes is None:
        attrs = attribute_features(customers, ctx)
    else:
        used = attributes.select("customer_id", "created_at", "age", "birth_date")
        attrs = finish_attributes(used, as_of)
    if stage is not None:
        per_order = stage(per_order, "features-orders")
        per_event = stage(per_event, "features-events")
        if attributes is None:
            # kept ones are a file already: the age is derived in the join below
            attrs = stage(attrs, "features-attributes")
    # the buyers' refunds are the order features'; a customer whose every order was
    # refunded has none there (a small table joined here: in the order features' stage
    # a second read of the feature state changed DuckDB's plan, 0.73 -> 0.92 s at 1M)
    lone = refund_counts(dated_orders(orders, as_of)) if totals is None else lone_refunds
    joined = attrs.left_join(per_order, "customer_id").left_join(per_event, "customer_id")
    if lone is not None:
        alone = lone.select("customer_id", _refunds_alone=lone.refunds)
        joined = joined.left_join(alone, "customer_id")
    keep = [joined[c] for c in attrs.columns]
    keep += [
        joined[c]
        if c != "refunds" or lone is None
        else ibis.coalesce(joined.refunds, joined._refunds_alone).name("refunds")
        for c in per_order.columns
        if c != "customer_id"
    ]
    keep += [joined[c] for c in per_event.columns if c != "customer_id"]
    t = joined.select(*keep)
    t = t.mutate(
        **{name: t[name].fill_null(0) for name in _ORDER_NUMBERS_ZERO + _EVENT_NUMBERS_ZERO}
    )
    t = with_contact_channels(t)
    started = ibis.coalesce(t.created_at.date(), t.first_order_date)
    t = t.filter(started.isnull() | (started <= as_of) | t.first_order_date.notnull())
    if totals is None:  # (with totals, nothing is dated after as_of)
        t = known_on(t, orders, events, as_of)
    started = ibis.coalesce(
        ibis.least(t.created_at.date(), t.first_order_date), t.created_at.date(), t.first_order_date
    )
    t = t.mutate(tenure_days=as_of.delta(started, unit="day")).drop("created_at")
    # multiplied before dividing: 6 orders over 365 days were 6 / 365 * 365 =
    # 5.999999999999999 a year, short of a rule's 6 (not frequent, "about 6 a year")
    t = t.mutate(
        orders_per_year=(t.orders * 365).cast("float64")
        / ibis.greatest(t.tenure_days.cast("float64"), 30.0)
    )
    if stage is None:
        return with_ranks(t)
    # the buyers' ranks from the order features alone (every buyer the customers know:
    # a buyer always passes the filter above), written narrow, then joined: the whole
    # table is written once, by the caller, instead of once before and once with ranks
    buyers = per_order.filter(per_order.orders > 0)
    buyers = buyers.semi_join(attrs, "customer_id").select(*buyers.columns)
    return join_ranks(t, stage(rank_columns(buyers), "features-ranks"))


def derive_purchase_cycle(features: ir.Table) -> ir.FloatingScalar:
    """The business's purchase cycle: the median, over repeat customers, of each one's mean
    days between purchases.

    Taken per customer rather than over all gaps, because heavy buyers contribute most of
    the gaps and would otherwise set a cycle far shorter than a typical customer's.
    """
    return discrete_quantile(features, "mean_days_between_orders", 0.5)
