"""The feature state's rows: what is kept per customer (:func:`order_state`,
:func:`event_state`) and how a day's new orders are added to it without reading the
customers' history again (:func:`appended`).

The state (:mod:`kequn.features.state`) keeps :func:`~kequn.features.build.order_totals`
of every customer. When an import only adds rows (no row the state has seen changed or
went), each touched customer's new totals are the kept ones combined with the totals of
the new rows alone, provided every new purchase is dated after the kept last one: counts,
exact sums (money as decimals, quantities and gaps as whole numbers in doubles) and
extremes add up, the purchase days are all new, and one more gap joins the kept ones (the
first new purchase day less the kept last). The derived columns (spend, mean quantity,
the gaps' mean and deviation) come from the sums by the same expressions as a build from
every order (:func:`~kequn.features.build.with_order_sums_derived`), so the numbers are
the same.

Reading the touched customers' history instead (the rest of the state's refresh) scans
every order: at 1M customers and 10M orders, with a day's 100k new ones, 1.0 s.

A customer the new rows do not fit so (a purchase back-dated to or before the kept last
day, new rows without a purchase, or kept rows without one) is computed again from all
their rows, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ibis
import ibis.expr.types as ir

from kequn.core.compute import Engine
from kequn.features.build import (
    FeatureContext,
    event_totals,
    order_totals,
    refund_counts,
    with_order_sums_derived,
)
from kequn.features.dated import dated_events, dated_orders, paid_orders

#: whether a row of :func:`appended` was merged (else: compute the customer again)
MERGED = "_merged"

#: the kept columns added up
_SUMS = (
    "state_rows",
    "orders",
    "purchase_days",
    "spend_exact",
    "quantity_sum",
    "quantity_n",
    "discounted_orders",
    "online_orders",
    "offline_orders",
)


def order_state(orders: ir.Table, ctx: FeatureContext) -> ir.Table:
    """Per customer with any order row: ``state_rows`` (every row, any status or date)
    and :func:`order_totals` of all dated orders (NULL for customers without a paid one,
    but ``refunds``: a customer whose every order was refunded keeps its count,
    :func:`lone_refunds_of`)."""
    dated = dated_orders(orders)
    state = _with_rows(orders, order_totals(paid_orders(orders, None), dated, ctx))
    lone = refund_counts(dated)
    joined = state.left_join(lone.select("customer_id", _lone=lone.refunds), "customer_id")
    return joined.select(
        *[
            joined[c] if c != "refunds" else ibis.coalesce(joined.refunds, joined._lone).name(c)
            for c in state.columns
        ]
    )


def event_state(events: ir.Table, ctx: FeatureContext) -> ir.Table:
    """Per customer with any event row: ``state_rows`` and :func:`event_totals`."""
    return _with_rows(events, event_totals(dated_events(events), ctx))


def _with_rows(rows: ir.Table, totals: ir.Table) -> ir.Table:
    counts = rows.group_by("customer_id").aggregate(state_rows=rows.count())
    joined = counts.left_join(totals, "customer_id")
    return joined.select(
        counts.customer_id,
        counts.state_rows,
        *[joined[c] for c in totals.columns if c != "customer_id"],
    )


def totals_of(state: ir.Table, table: str) -> ir.Table:
    """The totals a full build computes, from a state table: its customers with a paid
    order (orders) or with a dated event (events), without ``state_rows``."""
    present = state.orders.notnull() if table == "orders" else state.events.notnull()
    return state.filter(present).drop("state_rows")


def lone_refunds_of(state: ir.Table) -> ir.Table:
    """:func:`~kequn.features.build.refund_counts` of the customers the orders' state holds
    no paid order of (:func:`totals_of` leaves them out), for
    :func:`~kequn.features.build.build_features`."""
    lone = state.filter(state.orders.isnull() & state.refunds.notnull())
    return lone.select("customer_id", "refunds")


def split_appended(
    engine: Engine, kept: ir.Table, new: ir.Table, scratch: Path
) -> tuple[ir.Table, ir.Table, int, int]:
    """:func:`appended` written to ``scratch`` (the caller removes it): the merged rows,
    the ids of the customers to compute again, how many customers ``new`` touches and
    how many of them are to be computed again."""
    added = engine.materialize(appended(kept, new), scratch)
    ready = added.filter(added[MERGED]).drop(MERGED)
    again = added.filter(~added[MERGED]).select("customer_id")
    return ready, again, int(engine.scalar(added.count())), int(engine.scalar(again.count()))


def appended(kept: ir.Table, new: ir.Table) -> ir.Table:
    """Per customer of ``new`` (the state's rows, :func:`order_state`, of the new order
    rows alone): the state row with the new rows added,
    in ``kept``'s columns and types, and :data:`MERGED`; where it is false the row is to
    be computed again from all the customer's rows (its other columns are then of no
    use). A customer the state has no row of had no rows before: the new rows are all."""
    joined = new.left_join(kept, "customer_id")

    def old(name: str) -> ir.Value:
        return joined[f"{name}_right"]

    def now(name: str) -> ir.Value:
        return joined[name]

    first = old("customer_id").isnull()
    fits = (
        old("orders").notnull()
        & now("orders").notnull()
        & (now("first_order_date") > old("last_order_date"))
    )
    gap = now("first_order_date").delta(old("last_order_date"), unit="day").cast("float64")
    merged: dict[str, ir.Value] = {name: _add(old(name), now(name)) for name in _SUMS}
    merged |= {
        "max_order_value": ibis.greatest(old("max_order_value"), now("max_order_value")),
        # NULL when no order had a quantity (GREATEST passes over a NULL)
        "max_quantity": ibis.greatest(old("max_quantity"), now("max_quantity")),
        "first_order_date": old("first_order_date"),
        "last_order_date": now("last_order_date"),
        "gap_sum": old("gap_sum") + now("gap_sum") + gap,
        "gap_squares": old("gap_squares") + now("gap_squares") + gap * gap,
        "refunds": _add(old("refunds"), now("refunds")),
    }
    sums = joined.select(
        customer_id=joined.customer_id,
        **{name: ibis.cases((first, now(name)), else_=value) for name, value in merged.items()},
        **{MERGED: first | fits},
    )
    derived = with_order_sums_derived(sums)
    types = kept.schema()
    return derived.select(
        "customer_id",
        *[derived[c].cast(types[c]).name(c) for c in kept.columns if c != "customer_id"],
        derived[MERGED],
    )


def _add(kept: ir.NumericValue, new: ir.NumericValue) -> ir.NumericValue:
    """A sum of both: NULL while both are, as SQL's sum over no values (no order had a
    quantity, no refund), so the row is the one a build from every order keeps."""
    return ibis.cases(
        (kept.isnull() & new.isnull(), ibis.null(kept.type())),
        else_=kept.fill_null(0) + new.fill_null(0),
    )


def touched_rows(
    compute: Callable[[ir.Table], ir.Table],
    table: ir.Table,
    old: ir.Table,
    hit: ir.Table,
    ready: ir.Table | None,
    again: int,
) -> ir.Table:
    """The touched customers' new state rows: ``ready`` (merged, :func:`appended`) and
    those of ``hit`` (``again`` of them) computed again from all their rows, or none
    (``state_rows`` NULL) for a customer with no rows left."""
    if ready is not None and not again:
        return ready  # no customer to read the whole table for
    rows = compute(table.semi_join(hit, "customer_id"))
    joined = hit.left_join(rows, "customer_id")
    rest = [joined[c] for c in old.columns if c != "customer_id"]
    joined = joined.select(hit.customer_id, *rest)
    return joined if ready is None else ready.union(joined)
