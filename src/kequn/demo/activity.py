"""The demo's activity: orders drawn from a repeat-buying process, and interactions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kequn.demo import _vocab as v
from kequn.demo._arrow import EVENT_SCHEMA, ORDER_SCHEMA, make_table
from kequn.demo._draw import DAY_US, Traits, money, pick


def orders(
    rng: np.random.Generator, people: pa.Table, t: Traits, end_us: int, rate: float = 1.0
) -> pa.Table:
    ids = people["customer_id"].combine_chunks()
    buyers = np.flatnonzero(t.buyer)
    nb = len(buyers)
    # BG/NBD: rate ~ gamma, drop-out ~ beta; accounts and regular buyers churn less
    mean_gap = np.where(t.b2b[buyers], 12.0, 17.0) / rng.gamma(1.3, 1 / 1.3, nb) / rate
    p_drop = rng.beta(1.0, np.where(t.regular[buyers] | t.b2b[buyers], 30.0, 11.0))
    count = np.minimum(rng.geometric(np.clip(p_drop, 0.01, 1.0)), 400)
    period = np.clip(rng.normal(30, 6, nb), 7, 90) / rate
    rows = np.repeat(np.arange(nb), count)
    first_row = np.repeat(np.cumsum(count) - count, count)
    k = np.arange(len(rows)) - first_row
    gaps_days = np.where(
        np.repeat(t.regular[buyers], count),
        np.repeat(period, count) * rng.normal(1.0, 0.08, len(rows)),
        rng.exponential(np.repeat(mean_gap, count)),
    )
    gaps_days = np.where(k == 0, rng.exponential(7.0, len(rows)), np.maximum(gaps_days, 0.5))
    gaps_us = (gaps_days * DAY_US).astype(np.int64)
    csum = np.cumsum(gaps_us)
    offset = np.repeat(csum[np.cumsum(count) - count] - gaps_us[np.cumsum(count) - count], count)
    when = np.repeat(t.created_us[buyers], count) + (csum - offset)
    keep = when <= end_us
    rows, k, when = rows[keep], k[keep], when[keep]
    cust = buyers[rows]
    m = len(cust)

    bulk = t.bulk[cust]
    base = np.where(bulk, 4000.0, np.where(t.b2b[cust], 900.0, 160.0)) * t.spend_level[cust]
    amount = base * rng.lognormal(0, 0.35, m)
    quantity = np.where(
        bulk, rng.integers(40, 600, m), 1 + rng.poisson(np.where(t.b2b[cust], 6, 0.8))
    )
    discounted = rng.random(m) < np.where(t.price_sensitive[cust], 0.85, 0.07)
    discount = np.where(discounted, amount * rng.uniform(0.08, 0.35, m), 0.0)
    online = rng.random(m) < t.online[cust]
    channel = np.where(online, pick(rng, v.ONLINE_CHANNELS, m), pick(rng, v.OFFLINE_CHANNELS, m))
    status = pick(rng, ["paid", "refunded", "cancelled"], m, [0.94, 0.04, 0.02])

    cid = ids.take(pa.array(cust))
    order_id = pc.binary_join_element_wise(cid, pa.array(k + 1).cast(pa.string()), "-")
    return make_table(
        ORDER_SCHEMA,
        {
            "order_id": order_id,
            "customer_id": cid,
            "ordered_at": pa.array(when, pa.timestamp("us")),
            "amount": money(amount),
            "quantity": pa.array(quantity, pa.int64()),
            "discount": money(discount),
            "channel": pa.array(channel, pa.string()),
            "status": pa.array(status, pa.string()),
        },
    )


def events(rng: np.random.Generator, people: pa.Table, t: Traits, end_us: int) -> pa.Table:
    n = len(t.b2b)
    ids = people["customer_id"].combine_chunks()
    per_type = {
        "view": np.where(t.buyer, rng.poisson(4, n), np.where(t.browser, rng.poisson(5, n) + 1, 0)),
        "inquiry": np.where(t.browser, rng.poisson(1.2, n), rng.poisson(0.3, n))
        + np.where(t.functional, rng.poisson(3, n) + 2, 0),
        "email_open": np.where(t.buyer, rng.poisson(2, n), 0),
        "click": np.where(t.buyer | t.browser, rng.poisson(1, n), 0),
        "share": np.where(t.social, rng.poisson(2.5, n), 0),
        "referral": np.where(t.social, rng.poisson(0.6, n), 0),
        "ticket": np.where(t.functional, rng.poisson(2, n) + 1, rng.poisson(0.08, n)),
        "review": np.where(t.buyer, rng.poisson(0.3, n), 0),
        "complaint": rng.poisson(0.02, n),
        "visit": np.where(t.b2b, rng.poisson(1, n), 0),
    }
    types = np.concatenate([np.full(c.sum(), name, dtype=object) for name, c in per_type.items()])
    cust = np.concatenate([np.repeat(np.arange(n), c) for c in per_type.values()])
    # browsers' interest is recent (so some prospects show potential demand); others spread out
    start = t.created_us[cust]
    recent = t.browser[cust] & (rng.random(len(cust)) < 0.7)
    span = end_us - start
    when = start + (
        rng.random(len(cust)) * np.where(recent, np.minimum(span, 120 * DAY_US), span)
    ).astype(np.int64)
    channel = np.where(rng.random(len(cust)) < t.online[cust], "web", "phone")
    cid = ids.take(pa.array(cust))
    event_id = pc.binary_join_element_wise(
        cid, pa.array(np.arange(len(cust))).cast(pa.string()), "-e"
    )
    return make_table(
        EVENT_SCHEMA,
        {
            "event_id": event_id,
            "customer_id": cid,
            "occurred_at": pa.array(when, pa.timestamp("us")),
            "type": pa.array(types, pa.string()),
            "channel": pa.array(channel, pa.string()),
        },
    )
