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
from kequn.demo._arrow import (
    ARROW_TYPES,
    CUSTOMER_SCHEMA,
    EVENT_SCHEMA,
    MONEY,
    ORDER_SCHEMA,
    make_table,
)
from kequn.demo.exports import PlatformExport, write_exports

DAY_US = 86_400_000_000


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
            orders = _orders(rng, people, traits, end_us, purchase_rate)
            events = _events(rng, people, traits, end_us)
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


@dataclass
class _Traits:
    b2b: np.ndarray
    buyer: np.ndarray
    browser: np.ndarray
    created_us: np.ndarray
    regular: np.ndarray
    bulk: np.ndarray
    price_sensitive: np.ndarray
    social: np.ndarray
    functional: np.ndarray
    online: np.ndarray
    spend_level: np.ndarray


def _pick(
    rng: np.random.Generator, options: list[str], n: int, p: list[float] | None = None
) -> np.ndarray:
    weights = None if p is None else np.asarray(p, dtype=float) / np.sum(p)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=weights)]


def _money(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    return pa.array(np.round(np.where(missing, 0, values), 2), pa.float64(), mask=missing).cast(
        MONEY, safe=False
    )


def _retired_draws(rng: np.random.Generator, n: int) -> None:
    """The draws the company, government and institution names used to take from the
    main stream, still taken so that every value drawn after them stays as it was (the
    names now come from their own stream, :func:`_entity_names`)."""
    for size in (15, 6, 6, 6, 8):
        rng.choice(size, size=n)


def _entity_names(
    rng: np.random.Generator,
    names: np.ndarray,
    kind: np.ndarray,
    industry_idx: np.ndarray,
    country: np.ndarray,
    province: np.ndarray,
    city: np.ndarray,
) -> np.ndarray:
    """Companies, government bodies and institutions named as they are where they are:
    上海天成化工有限公司 and 合肥市商务局 in China; Apex Logistics Inc., Nordstern Logistik
    GmbH, 株式会社東邦電子, Department for Business and Trade abroad. The industry word in
    a company's name is its industry's."""
    out = names.copy()
    rows = np.flatnonzero(kind != "individual")
    draws = rng.random((len(rows), 3))
    for row, (a, b, c) in zip(rows, draws, strict=True):
        where = country[row] if country[row] not in (None, "CN") else "CN"
        place = city[row] or ""
        if kind[row] == "enterprise":
            out[row] = _company(where, place, province[row], int(industry_idx[row]), a, b, c)
        elif where != "CN":
            place = place or next(town for code, town in v.ABROAD if code == where)
            options = (v.GOV_ABROAD if kind[row] == "government" else v.INST_ABROAD)[place]
            out[row] = options[int(a * len(options))]
        elif kind[row] == "government":
            if place:
                out[row] = place + v.CN_DEPARTMENTS[int(a * len(v.CN_DEPARTMENTS))]
            else:
                region = province[row] or "上海"
                region = region if region.endswith(("省", "区")) else region + "市"
                depts = v.CN_PROVINCE_DEPARTMENTS
                out[row] = region + depts[int(a * len(depts))]
        else:
            town = place or (province[row] or "上海") + ("" if province[row] else "市")
            pattern = v.CN_INSTITUTIONS[int(a * len(v.CN_INSTITUTIONS))]
            out[row] = pattern.format(city=town, short=town.removesuffix("市"))
    return out


def _company(
    where: str, place: str, province: str | None, industry: int, a: float, b: float, c: float
) -> str:
    if where == "CN":
        stems = v.COMPANY_STEMS["zh"]
        short = (place or province or "").removesuffix("市").removesuffix("省")
        word = v.NAME_WORDS["zh"][industry]
        form = "股份有限公司" if word in ("银行", "保险") else v.CN_FORMS[int(c * len(v.CN_FORMS))]
        prefix = short if b < 0.7 else ""  # most firms carry their city in the name
        return f"{prefix}{stems[int(a * len(stems))]}{word}{form}"
    lang = v.COUNTRY_LANG.get(where, "en")
    stems = v.COMPANY_STEMS[lang]
    stem, word = stems[int(a * len(stems))], v.NAME_WORDS[lang][industry]
    if lang == "ja":
        return f"株式会社{stem}{word}" if b < 0.6 else f"{stem}{word}株式会社"
    if lang == "ko":
        return f"주식회사 {stem}{word}" if b < 0.6 else f"{stem}{word} 주식회사"
    forms = v.COMPANY_FORMS.get(where, ["Ltd."])
    return f"{stem} {word} {forms[int(c * len(forms))]}"


def _customers(
    rng: np.random.Generator,
    first: int,
    n: int,
    start_us: int,
    end_us: int,
    names_rng: np.random.Generator | None = None,
) -> tuple[pa.Table, _Traits]:
    ids = np.array([f"C{first + i:08d}" for i in range(n)], dtype=object)
    b2b = rng.random(n) < 0.15
    kind = np.where(
        b2b,
        _pick(rng, ["enterprise", "government", "institution"], n, [0.8, 0.1, 0.1]),
        "individual",
    )
    # acquisition throughout the period, a little faster recently (growth)
    created_us = start_us + (np.sqrt(rng.random(n)) * (end_us - start_us)).astype(np.int64)

    english = rng.random(n) < 0.1
    cn_names = _pick(rng, v.SURNAMES, n) + _pick(rng, v.GIVEN, n)
    en_names = _pick(rng, v.EN_FIRST, n) + " " + _pick(rng, v.EN_LAST, n)
    _retired_draws(rng, n)
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
    street = _pick(rng, v.STREETS, n) + rng.integers(1, 999, n).astype(str).astype(object) + "号"
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
        b2b, None, _pick(rng, ["female", "male", "other", None], n, [0.49, 0.46, 0.02, 0.03])
    )
    income = np.where(b2b | (rng.random(n) < 0.25), np.nan, rng.lognormal(np.log(90_000), 0.7, n))

    industry_idx = rng.integers(0, len(v.INDUSTRIES), n)
    size_tier = rng.choice(4, size=n, p=[0.45, 0.3, 0.17, 0.08])  # micro, small, medium, large
    employees, revenue, assets = _firm_size(rng, industry_idx, size_tier)
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
    names = _entity_names(
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
    source = _pick(rng, v.SOURCES, n, v.SOURCE_WEIGHTS)
    source = np.where(social, _pick(rng, sorted(v.SOCIAL_SOURCES), n), source)
    source = np.where(rng.random(n) < 0.08, None, source)
    online = np.clip(rng.beta(2.5, 1.5, n) - np.where(b2b, 0.3, 0.0), 0, 1)
    preferred = np.where(rng.random(n) < 0.45, None, _pick(rng, v.PREFERRED, n))

    phone = (
        "1" + _pick(rng, ["3", "5", "8"], n) + rng.integers(100_000_000, 999_999_999, n).astype(str)
    )
    email = np.where(
        rng.random(n) < 0.5,
        ids.astype(str) + np.where(b2b, "@corp.example.com", "@mail.example.com"),
        None,
    )
    tier = _pick(rng, ["普通", "银卡", "金卡"], n, [0.6, 0.3, 0.1])
    attributes = [
        [("会员等级", t)] if (not b) and r < 0.4 else []
        for t, b, r in zip(tier, b2b, rng.random(n), strict=True)
    ]

    buyer = rng.random(n) < np.where(b2b, 0.85, 0.8)
    traits = _Traits(
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
            "income": _money(income),
            "industry": pa.array(industry, pa.string()),
            "industry_code": pa.array(industry_code, pa.string()),
            "supply_chain_role": pa.array([None] * n, pa.string()),
            "employees": pa.array(employees, pa.int64()),
            "annual_revenue": _money(np.where(is_firm, revenue, np.nan)),
            "total_assets": _money(np.where(is_firm, assets, np.nan)),
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


def _firm_size(
    rng: np.random.Generator, industry_idx: np.ndarray, tier: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Employees, revenue and assets (CNY) that put each firm in its drawn size tier."""
    n = len(tier)
    out = {key: np.zeros(n) for key in ("X", "Y", "Z")}
    for i, (_, _, rows) in enumerate(v.INDUSTRIES):
        mask = industry_idx == i
        for key in ("X", "Y", "Z"):
            bounds = rows.get(
                key, {"X": [300, 100, 10], "Y": [10000, 1000, 100], "Z": [10000, 1000, 100]}[key]
            )
            large, medium, small = bounds
            low = np.select(
                [tier == 3, tier == 2, tier == 1], [large, medium, small], default=small / 5
            )
            high = np.select(
                [tier == 3, tier == 2, tier == 1], [large * 4, large, medium], default=small
            )
            out[key][mask] = (low + rng.random(n) * (high - low))[mask]
    employees = np.maximum(1, np.round(out["X"] * 0.999)).astype(np.int64)
    return employees, out["Y"] * 10_000 * 0.999, out["Z"] * 10_000 * 0.999


def _orders(
    rng: np.random.Generator, people: pa.Table, t: _Traits, end_us: int, rate: float = 1.0
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
    channel = np.where(online, _pick(rng, v.ONLINE_CHANNELS, m), _pick(rng, v.OFFLINE_CHANNELS, m))
    status = _pick(rng, ["paid", "refunded", "cancelled"], m, [0.94, 0.04, 0.02])

    cid = ids.take(pa.array(cust))
    order_id = pc.binary_join_element_wise(cid, pa.array(k + 1).cast(pa.string()), "-")
    return make_table(
        ORDER_SCHEMA,
        {
            "order_id": order_id,
            "customer_id": cid,
            "ordered_at": pa.array(when, pa.timestamp("us")),
            "amount": _money(amount),
            "quantity": pa.array(quantity, pa.int64()),
            "discount": _money(discount),
            "channel": pa.array(channel, pa.string()),
            "status": pa.array(status, pa.string()),
        },
    )


def _events(rng: np.random.Generator, people: pa.Table, t: _Traits, end_us: int) -> pa.Table:
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
