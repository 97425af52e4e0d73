"""Realistic, seeded demo data: people and accounts, a repeat-buying process, interactions.

Purchases follow the buy-till-you-die story the BG/NBD model tells (Fader, Hardie & Lee
2005): each buyer has an own purchase rate (gamma across customers) and, after every
purchase, an own chance to drop out for good (beta across customers). On top of that sit
the behaviours the taxonomy looks for: a regular-cadence segment (gaps of a fixed
period with little noise), bulk buyers (mostly accounts: large quantities, stable
cycles), price-sensitive buyers (most orders discounted), prospects who browse or ask
without buying, and silent contacts.

Everything is vectorised per chunk of customers and streamed to Parquet, so memory stays
bounded at any size. Each chunk draws from its own generator seeded by ``(seed, chunk)``:
the output is identical for the same ``seed`` and ``chunk_size``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kequn.demo import _vocab as v
from kequn.demo._arrow import ARROW_TYPES, CUSTOMER_SCHEMA, EVENT_SCHEMA, ORDER_SCHEMA, make_table
from kequn.demo._draw import DAY_US, Traits, money, pick
from kequn.demo.activity import events as draw_events
from kequn.demo.activity import orders as draw_orders
from kequn.demo.exports import PlatformExport, write_exports
from kequn.demo.firms import entity_names, firm_size, retired_draws

__all__ = ["CUSTOMER_SCHEMA", "EVENT_SCHEMA", "ORDER_SCHEMA", "DemoFiles", "generate_demo"]


@dataclass
class DemoFiles:
    customers: Path
    orders: Path
    events: Path
    n_customers: int = 0
    n_orders: int = 0  # every order made, those in ``exports`` included
    n_events: int = 0
    #: platform order exports (``platform_orders``), their orders not in ``orders``
    exports: list[PlatformExport] = field(default_factory=list)


def generate_demo(
    out_dir: Path,
    customers: int = 5000,
    *,
    seed: int = 7,
    end: dt.date = dt.date(2026, 9, 30),
    years: float = 3.0,
    chunk_size: int = 100_000,
    purchase_rate: float = 1.0,
    progress: Callable[[int], None] | None = None,
    platform_orders: int = 0,
    currency: str | None = "CNY",
    id_key: str | None = None,
) -> DemoFiles:
    """Write ``customers.parquet``, ``orders.parquet`` and ``events.parquet`` to ``out_dir``.

    Parameters
    ----------
    customers
        How many customers (people and accounts) to generate.
    seed, chunk_size
        Together they fix the output exactly.
    end, years
        The data covers ``years`` years up to ``end``.
    purchase_rate
        Scales how often buyers buy (1.0: about 8.5 orders per customer over 3 years;
        the benchmarks use 1.4 for about 10, the "1M customers / 10M orders" size).
    progress
        Called with the number of customers done after each chunk.
    platform_orders, currency
        With ``platform_orders`` > 0, up to that many orders per platform (of the first
        chunk's buyers) are written as 淘宝/天猫, 京东, 拼多多 and Shopify order exports
        instead of to ``orders.parquet`` (see :mod:`kequn.demo.exports`); ``currency`` is
        the one Shopify's file states (None: no Currency column). The rest of the output
        is the same as without, but for those buyers' ids.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = DemoFiles(
        out_dir / "customers.parquet", out_dir / "orders.parquet", out_dir / "events.parquet"
    )
    end_us = int(np.datetime64(end, "us").astype(np.int64)) + DAY_US - 1
    start_us = end_us - int(years * 365.25 * DAY_US)
    writers = [
        pq.ParquetWriter(files.customers, CUSTOMER_SCHEMA),
        pq.ParquetWriter(files.orders, ORDER_SCHEMA),
        pq.ParquetWriter(files.events, EVENT_SCHEMA),
    ]
    try:
        for chunk, first in enumerate(range(0, customers, chunk_size)):
            n = min(chunk_size, customers - first)
            rng = np.random.default_rng([seed, chunk])
            people, traits = _customers(
                rng, first, n, start_us, end_us, np.random.default_rng([seed, chunk, 2])
            )
            orders = draw_orders(rng, people, traits, end_us, purchase_rate)
            events = draw_events(rng, people, traits, end_us)
            if chunk == 0 and platform_orders > 0:
                people, orders, events, files.exports = write_exports(
                    np.random.default_rng([seed, chunk, 1]),
                    people,
                    orders,
                    events,
                    traits.b2b,
                    out_dir,
                    platform_orders,
                    currency=currency,
                    id_key=id_key,
                )
                files.n_orders += sum(e.orders.num_rows for e in files.exports)
            for writer, table in zip(writers, (people, orders, events), strict=True):
                writer.write_table(table)
            files.n_customers += people.num_rows
            files.n_orders += orders.num_rows
            files.n_events += events.num_rows
            if progress:
                progress(first + n)
    finally:
        for writer in writers:
            writer.close()
    return files


def _customers(
    rng: np.random.Generator,
    first: int,
    n: int,
    start_us: int,
    end_us: int,
    names_rng: np.random.Generator | None = None,
) -> tuple[pa.Table, Traits]:
    ids = np.array([f"C{first + i:08d}" for i in range(n)], dtype=object)
    b2b = rng.random(n) < 0.15
    kind = np.where(
        b2b,
        pick(rng, ["enterprise", "government", "institution"], n, [0.8, 0.1, 0.1]),
        "individual",
    )
    # acquisition throughout the period, a little faster recently (growth)
    created_us = start_us + (np.sqrt(rng.random(n)) * (end_us - start_us)).astype(np.int64)

    english = rng.random(n) < 0.1
    cn_names = pick(rng, v.SURNAMES, n) + pick(rng, v.GIVEN, n)
    en_names = pick(rng, v.EN_FIRST, n) + " " + pick(rng, v.EN_LAST, n)
    retired_draws(rng, n)
    names = np.where(english, en_names, cn_names)
    declared_kind = np.where(b2b & (rng.random(n) < 0.3), None, kind)  # the engine infers these

    where = rng.random(n)
    city_idx = np.where(where < 0.22, 0, rng.integers(1, len(v.CITIES), n))
    abroad = (where > 0.94) | (english & (where > 0.5))
    abroad_idx = rng.integers(0, len(v.ABROAD), n)
    province = np.where(abroad, None, np.array([v.CITIES[i][0] for i in city_idx], dtype=object))
    city = np.where(
        abroad,
        np.array([v.ABROAD[i][1] for i in abroad_idx], dtype=object),
        np.array([v.CITIES[i][1] for i in city_idx], dtype=object),
    )
    country = np.where(
        abroad,
        np.array([v.ABROAD[i][0] for i in abroad_idx], dtype=object),
        np.where(rng.random(n) < 0.6, "CN", None),
    )
    no_place = rng.random(n) < 0.02
    street = pick(rng, v.STREETS, n) + rng.integers(1, 999, n).astype(str).astype(object) + "号"
    address = np.where(
        abroad | no_place, None, np.where(no_place, "", city).astype(object) + street
    )
    city = np.where(no_place, None, city)

    age = np.clip(np.round(rng.gamma(9.0, 4.6, n) + 8), 16, 88).astype(np.int64)
    end_day = np.datetime64(end_us // DAY_US, "D")
    birth = end_day - (age * 365.25 + rng.integers(0, 365, n)).astype("timedelta64[D]")
    age_form = rng.random(n)
    has_birth = ~b2b & (age_form < 0.7)
    has_age = ~b2b & (age_form >= 0.7) & (age_form < 0.85)
    gender = np.where(
        b2b, None, pick(rng, ["female", "male", "other", None], n, [0.49, 0.46, 0.02, 0.03])
    )
    income = np.where(b2b | (rng.random(n) < 0.25), np.nan, rng.lognormal(np.log(90_000), 0.7, n))

    industry_idx = rng.integers(0, len(v.INDUSTRIES), n)
    size_tier = rng.choice(4, size=n, p=[0.45, 0.3, 0.17, 0.08])  # micro, small, medium, large
    employees, revenue, assets = firm_size(rng, industry_idx, size_tier)
    is_firm = kind == "enterprise"
    industry_code = np.where(
        is_firm, np.array([v.INDUSTRIES[i][0] for i in industry_idx], dtype=object), None
    )
    industry_code = np.where(is_firm & (rng.random(n) < 0.1), None, industry_code)
    industry = np.where(
        is_firm,
        np.where(
            abroad,
            np.array([v.INDUSTRY_ABROAD[i] for i in industry_idx], dtype=object),
            np.array([v.INDUSTRIES[i][1] for i in industry_idx], dtype=object),
        ),
        None,
    )
    names = entity_names(
        names_rng or np.random.default_rng(first),
        names,
        kind,
        industry_idx,
        country,
        province,
        city,
    )
    public = (kind == "government") | (kind == "institution")
    employees = np.where(is_firm, employees, np.where(public, rng.integers(50, 3000, n), -1))

    social = rng.random(n) < 0.12
    source = pick(rng, v.SOURCES, n, v.SOURCE_WEIGHTS)
    source = np.where(social, pick(rng, sorted(v.SOCIAL_SOURCES), n), source)
    source = np.where(rng.random(n) < 0.08, None, source)
    online = np.clip(rng.beta(2.5, 1.5, n) - np.where(b2b, 0.3, 0.0), 0, 1)
    preferred = np.where(rng.random(n) < 0.45, None, pick(rng, v.PREFERRED, n))

    phone = (
        "1" + pick(rng, ["3", "5", "8"], n) + rng.integers(100_000_000, 999_999_999, n).astype(str)
    )
    email = np.where(
        rng.random(n) < 0.5,
        ids.astype(str) + np.where(b2b, "@corp.example.com", "@mail.example.com"),
        None,
    )
    tier = pick(rng, ["普通", "银卡", "金卡"], n, [0.6, 0.3, 0.1])
    attributes = [
        [("会员等级", t)] if (not b) and r < 0.4 else []
        for t, b, r in zip(tier, b2b, rng.random(n), strict=True)
    ]

    buyer = rng.random(n) < np.where(b2b, 0.85, 0.8)
    traits = Traits(
        b2b=b2b,
        buyer=buyer,
        browser=~buyer & (rng.random(n) < 0.6),
        created_us=created_us,
        regular=buyer & (rng.random(n) < 0.12),
        bulk=buyer & (b2b & (rng.random(n) < 0.6) | (rng.random(n) < 0.02)),
        price_sensitive=rng.random(n) < 0.18,
        social=social,
        functional=rng.random(n) < 0.06,
        online=online,
        spend_level=rng.lognormal(0, 0.9, n),
    )
    table = make_table(
        CUSTOMER_SCHEMA,
        {
            "customer_id": pa.array(ids, pa.string()),
            "name": pa.array(names, pa.string()),
            "kind": pa.array(declared_kind, pa.string()),
            "created_at": pa.array(created_us, pa.timestamp("us")),
            "country": pa.array(country, pa.string()),
            "province": pa.array(province, pa.string()),
            "city": pa.array(city, pa.string()),
            "address": pa.array(address, pa.string()),
            "birth_date": pa.array(np.where(has_birth, birth, np.datetime64("NaT")), pa.date32()),
            "age": pa.array(np.where(has_age, age, -1), pa.int64()).cast(pa.int64()),
            "gender": pa.array(gender, pa.string()),
            "income": money(income),
            "industry": pa.array(industry, pa.string()),
            "industry_code": pa.array(industry_code, pa.string()),
            "supply_chain_role": pa.array([None] * n, pa.string()),
            "employees": pa.array(employees, pa.int64()),
            "annual_revenue": money(np.where(is_firm, revenue, np.nan)),
            "total_assets": money(np.where(is_firm, assets, np.nan)),
            "source": pa.array(source, pa.string()),
            "preferred_channel": pa.array(preferred, pa.string()),
            "marketing_consent": pa.array(rng.random(n) < 0.7, pa.bool_()),
            "email": pa.array(email, pa.string()),
            "phone": pa.array(phone, pa.string()),
            "attributes": pa.array(attributes, ARROW_TYPES["map"]),
        },
    )
    # -1 marks "not given" above; turn it into nulls
    for name in ("age", "employees"):
        col = table[name]
        table = table.set_column(
            table.schema.get_field_index(name),
            name,
            pc.if_else(pc.equal(col, -1), pa.scalar(None, pa.int64()), col),
        )
    return table, traits
