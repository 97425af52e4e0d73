"""Feature values on a tiny hand-made dataset, where every number can be checked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ibis.backends import BaseBackend

from kequn.core.schema import IBIS_TYPES, TABLES
from kequn.demo import demo_workspace
from kequn.features import build as build_module
from kequn.features import reference as ref
from kequn.features.build import FeatureContext, build_features, channel_spellings
from kequn.features.catalogue import FEATURES, PREDICTIONS
from kequn.pipeline import make_engine

AS_OF = dt.date(2025, 6, 30)


class Tables:
    """Hand-made canonical tables and a way to collect results, on one engine.

    On Spark they go through Parquet, as kequn's Spark engine reads and writes its data:
    ibis 12's PySpark backend cannot take a NULL decimal in an in-memory table (it maps
    every cell to ``Decimal``), nor hand back a map column through ``to_pyarrow`` (it
    goes via pandas, whose dicts Arrow cannot cast to a map)."""

    def __init__(self, backend: BaseBackend, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self.spark = backend.name == "pyspark"

    def __call__(self, name: str, rows: list[dict[str, Any]]) -> ibis.Table:
        spec = TABLES[name]
        schema = ibis.schema({c.name: IBIS_TYPES[c.kind] for c in spec.columns})
        money = {c.name for c in spec.columns if c.kind == "money"}
        data = [
            {
                c: (Decimal(r[c]) if c in money and r.get(c) is not None else r.get(c))
                for c in schema.names
            }
            for r in rows
        ]
        arrow = pa.Table.from_pylist(data, schema=schema.to_pyarrow())
        if not self.spark:
            return ibis.memtable(arrow)
        path = self.folder / f"in-{uuid.uuid4().hex}.parquet"
        pq.write_table(arrow, path)
        return self.backend.read_parquet(str(path), table_name=path.stem.replace("-", "_"))

    def collect(self, expr: ibis.Table) -> pa.Table:
        if not self.spark:
            return self.backend.to_pyarrow(expr)
        path = self.folder / f"out-{uuid.uuid4().hex}"
        self.backend.to_parquet(expr, path)
        return pq.read_table(path)  # Spark writes a folder of part files


def ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def features(
    backend: BaseBackend, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    table = Tables(backend, tmp_path_factory.mktemp("features"))
    customers = table(
        "customers",
        [
            {
                "customer_id": "A",
                "name": "张伟",
                "city": "上海市",
                "country": "中国",
                "birth_date": dt.date(1990, 7, 1),
                "created_at": ts("2024-01-01 09:00"),
            },
            {
                "customer_id": "B",
                "name": "上海某某贸易有限公司",
                "industry_code": "5123",
                "employees": 30,
                "annual_revenue": "60000000",
                "country": "US",
                "source": "小红书",
                "preferred_channel": "微信",
            },
            {
                "customer_id": "C",
                "name": "Later",
                "created_at": ts("2025-08-01 00:00"),
            },  # after as-of
            {
                "customer_id": "D",
                "name": "Prospect",
                "created_at": ts("2025-01-01 00:00"),
                "age": 70,
            },
        ],
    )
    orders = table(
        "orders",
        [
            {
                "order_id": "1",
                "customer_id": "A",
                "ordered_at": ts("2025-01-01 10:00"),
                "amount": "100.00",
                "quantity": 1,
                "discount": "10.00",
                "channel": "app",
                "status": "paid",
            },
            {
                "order_id": "2",
                "customer_id": "A",
                "ordered_at": ts("2025-01-01 18:00"),
                "amount": "50.00",
                "quantity": 3,
                "channel": "store",
                "status": "paid",
            },  # same day: one purchase day
            {
                "order_id": "3",
                "customer_id": "A",
                "ordered_at": ts("2025-03-02 10:00"),
                "amount": "200.00",
                "quantity": 2,
                "channel": "web",
                "status": "paid",
            },
            {
                "order_id": "4",
                "customer_id": "A",
                "ordered_at": ts("2025-05-01 10:00"),
                "amount": "999.00",
                "quantity": 1,
                "status": "refunded",
            },
            {
                "order_id": "5",
                "customer_id": "A",
                "ordered_at": ts("2025-07-15 10:00"),
                "amount": "70.00",
                "quantity": 1,
                "status": "paid",
            },  # after as-of: ignored
            {
                "order_id": "6",
                "customer_id": "B",
                "ordered_at": ts("2025-06-30 23:00"),
                "amount": "1000.00",
                "quantity": 100,
                "status": "paid",
                "channel": "phone",
            },
        ],
    )
    events = table(
        "events",
        [
            {
                "event_id": "e1",
                "customer_id": "D",
                "occurred_at": ts("2025-06-01 10:00"),
                "type": "view",
                "channel": "微信",
            },
            {
                "event_id": "e2",
                "customer_id": "D",
                "occurred_at": ts("2025-06-20 10:00"),
                "type": "inquiry",
                "channel": " Phone ",
            },
            {
                "event_id": "e3",
                "customer_id": "A",
                "occurred_at": ts("2024-12-01 10:00"),
                "type": "share",
            },
        ],
    )
    expr = build_features(customers, orders, events, FeatureContext(AS_OF))
    rows = table.collect(expr).to_pylist()
    return {r["customer_id"]: r for r in rows}


def test_columns_match_the_catalogue(features: dict[str, dict[str, Any]]) -> None:
    row = next(iter(features.values()))
    assert set(FEATURES) - PREDICTIONS <= set(row)  # predictions are added by the models


def test_customers_created_after_as_of_are_left_out(features: dict[str, dict[str, Any]]) -> None:
    assert set(features) == {"A", "B", "D"}


def test_order_features(features: dict[str, dict[str, Any]]) -> None:
    a = features["A"]
    assert a["orders"] == 3  # paid, up to as-of; the refund and the later order do not count
    assert a["purchase_days"] == 2
    assert a["spend"] == pytest.approx(350.0)
    assert a["avg_order_value"] == pytest.approx(350 / 3)
    assert a["max_order_value"] == pytest.approx(200.0)
    assert a["refunds"] == 1
    assert a["days_since_last_order"] == (AS_OF - dt.date(2025, 3, 2)).days
    assert a["days_since_first_order"] == (AS_OF - dt.date(2025, 1, 1)).days
    assert a["mean_days_between_orders"] == pytest.approx(60.0)  # 2025-01-01 -> 2025-03-02
    assert a["cv_days_between_orders"] is None  # one gap: no variation to measure
    assert a["discount_share"] == pytest.approx(1 / 3)
    assert a["online_share"] == pytest.approx(2 / 3)  # app, store, web
    assert a["tenure_days"] == (AS_OF - dt.date(2024, 1, 1)).days
    assert a["orders_90d"] == 0
    assert a["orders_365d"] == 3


def test_a_cadence_exactly_at_a_bound_is_exactly_the_bound(
    backend: BaseBackend, tmp_path: Path
) -> None:
    """A customer of the 1M benchmark: gaps 7,12,16,10,9,8,12,12,4 days, mean 10, sample
    standard deviation 3.5, CV 0.35 = habitual_cv. Unrounded, DuckDB gave
    0.35000000000000003 (not habitual) where Spark gave 0.35 (habitual)."""
    table = Tables(backend, tmp_path)
    days = [dt.date(2024, 7, 4)]
    for gap in (7, 12, 16, 10, 9, 8, 12, 12, 4):
        days.append(days[-1] + dt.timedelta(days=gap))
    orders = table(
        "orders",
        [
            {
                "order_id": f"O{i}",
                "customer_id": "H",
                "ordered_at": dt.datetime.combine(day, dt.time(10)),
                "amount": "50",
                "status": "paid",
            }
            for i, day in enumerate(days)
        ],
    )
    customers = table("customers", [{"customer_id": "H", "created_at": ts("2024-01-01 09:00")}])
    events = table("events", [])
    ctx = FeatureContext(dt.date(2024, 12, 31))
    row = table.collect(build_features(customers, orders, events, ctx)).to_pylist()[0]
    assert row["mean_days_between_orders"] == 10.0
    assert row["cv_days_between_orders"] == 0.35  # exactly, not approximately


def test_the_windows_begin_at_the_first_moment_of_their_first_day(
    backend: BaseBackend, tmp_path: Path
) -> None:
    """The last 365 days of orders and 90 of interactions, up to the as-of day: an order
    or interaction at the first and last moment of the window's first day is in it, one
    a second before that day is not, and one after the as-of day is not either (each
    window is bounded on the timestamp as well as on the date: the same rows)."""
    table = Tables(backend, tmp_path)
    as_of = dt.date(2025, 6, 30)
    year = dt.datetime.combine(as_of - dt.timedelta(days=364), dt.time())
    quarter = dt.datetime.combine(as_of - dt.timedelta(days=89), dt.time())
    second = dt.timedelta(seconds=1)
    after = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    stamps = {"in": (year, year + dt.timedelta(days=1) - second), "out": (year - second, after)}
    orders = table(
        "orders",
        [
            {"order_id": f"{k}{i}", "customer_id": "W", "ordered_at": at, "amount": "10"}
            | {"status": "paid"}
            for k, both in stamps.items()
            for i, at in enumerate(both)
        ],
    )
    near = (quarter, quarter + dt.timedelta(days=1) - second, quarter - second, after)
    events = table(
        "events",
        [
            {"event_id": f"E{i}", "customer_id": "W", "occurred_at": at, "type": "view"}
            for i, at in enumerate(near)
        ],
    )
    customers = table("customers", [{"customer_id": "W", "created_at": ts("2020-01-01 09:00")}])
    row = table.collect(
        build_features(customers, orders, events, FeatureContext(as_of))
    ).to_pylist()[0]
    assert (row["orders"], row["orders_365d"], row["orders_90d"]) == (3, 2, 0)
    assert row["spend_365d"] == 20.0
    assert (row["events"], row["events_90d"]) == (3, 2)


def _paid_on_channels(
    table: Tables, channels: Sequence[str | None], customer: Callable[[int], str]
) -> ibis.Table:
    """One paid order of 10 per channel given, a day apart, order i by ``customer(i)``."""
    return table(
        "orders",
        [
            {
                "order_id": f"O{i}",
                "customer_id": customer(i),
                "ordered_at": ts("2025-01-01 10:00") + dt.timedelta(days=i),
                "amount": "10",
                "channel": channel,
                "status": "paid",
            }
            for i, channel in enumerate(channels)
        ],
    )


@pytest.mark.parametrize("grouped", ["each order", "each spelling"])
def test_channel_mix_counts_each_order_by_its_own_spelling(
    backend: BaseBackend, tmp_path: Path, grouped: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each order counts as its own channel's group, whatever the case, spaces or
    keyword, and an order without a channel (or an empty one) counts as neither: when
    each order is grouped by itself and when each distinct spelling is grouped once and
    looked up by its exact text (:func:`channel_spellings`); past its limit of
    spellings, the latter falls back to the former."""
    table = Tables(backend, tmp_path)
    channels = [
        " APP ",
        "app",
        "Store",
        "门店 ",
        "京东商城",
        "telephone",
        None,
        "",
        "fair",
        "App",
        "it's web",
    ]
    orders = _paid_on_channels(table, channels, lambda i: "M" if i % 3 else "N")
    customers = table("customers", [{"customer_id": c} for c in ("M", "N")])
    ctx = FeatureContext(AS_OF)
    if grouped == "each spelling":
        spellings = channel_spellings(orders, ctx.reference("channels"))
        assert spellings is not None
        assert len(spellings) == 10  # NULL is grouped by itself
        assert spellings[" APP "] == "online"
        ctx = dataclasses.replace(ctx, spellings=lambda: spellings)
        monkeypatch.setattr(build_module, "SPELLINGS_LIMIT", 9)
        assert channel_spellings(orders, ctx.reference("channels")) is None
    rows = table.collect(build_features(customers, orders, table("events", []), ctx))
    got = {r["customer_id"]: r for r in rows.to_pylist()}
    # each order grouped alone, with the same reference expression
    alone = ibis.memtable(pa.table({"channel": pa.array(channels, pa.string())}))
    groups = backend.to_pyarrow(
        alone.select(g=ref.channel_group_expr(alone.channel, ctx.reference("channels")))
    )["g"].to_pylist()
    assert groups.count("online") == 5  # the spellings vary (a quote in one)
    assert groups.count("offline") == 3
    for customer in ("M", "N"):
        mine = [g for i, g in enumerate(groups) if ("M" if i % 3 else "N") == customer]
        assert got[customer]["online_share"] == pytest.approx(mine.count("online") / len(mine))
        assert got[customer]["offline_share"] == pytest.approx(mine.count("offline") / len(mine))


def test_channel_spellings_that_sql_text_cannot_hold(tmp_path: Path) -> None:
    """The looked-up spellings become quoted literals in the query: quotes, backslashes,
    comment marks, new lines and long text give the same channel mix as grouping each
    order; a NUL character (which ends a string for DuckDB's parser) turns the lookup
    off instead of failing the run."""
    backend = ibis.duckdb.connect()
    table = Tables(backend, tmp_path)
    hostile = ["'; DROP TABLE orders; --", "a'b\"c", "web\\", "线上\n商城", "/* app", "x" * 5000]
    ctx = FeatureContext(AS_OF)
    for channels, looked_up in ((hostile, True), ([*hostile, "App\x00"], False)):
        orders = _paid_on_channels(table, channels, lambda i: f"C{i % 2}")
        customers = table("customers", [{"customer_id": c} for c in ("C0", "C1")])
        spellings = channel_spellings(orders, ctx.reference("channels"))
        assert (spellings is not None) is looked_up
        shares = []
        for c in (ctx, dataclasses.replace(ctx, spellings=lambda s=spellings: s)):
            rows = table.collect(build_features(customers, orders, table("events", []), c))
            shares.append(sorted((r["customer_id"], r["online_share"]) for r in rows.to_pylist()))
        assert shares[0] == shares[1]
        assert any(share for _, share in shares[0])  # "/* app" and "web\\" are online


def test_last_moment_of_the_as_of_day_counts(features: dict[str, dict[str, Any]]) -> None:
    assert features["B"]["orders"] == 1
    assert features["B"]["days_since_last_order"] == 0


def test_attributes_derived(features: dict[str, dict[str, Any]]) -> None:
    a, b, d = features["A"], features["B"], features["D"]
    assert a["age"] == 34  # turns 35 on 2025-07-01, the day after as-of
    assert (a["city_norm"], a["country_norm"]) == ("上海", "CN")
    assert b["nature"] == "enterprise"
    assert a["nature"] == "individual"
    assert b["industry_group"] == "retail"
    assert b["industry_section"] == "F"
    assert (
        b["company_size_cn"] == "medium"
    )  # wholesale: 30 staff (20-200), 6000万 revenue (5000-40000)
    assert b["source_group"] == "social"
    assert b["preferred_channel_group"] == "online"
    assert d["age"] == 70


def test_interactions_and_ranks(features: dict[str, dict[str, Any]]) -> None:
    d = features["D"]
    assert (d["orders"], d["views"], d["inquiries"], d["events"]) == (0, 1, 1, 2)
    assert d["days_since_last_event"] == 10
    assert d["r_score"] is None
    assert d["spend_pct"] is None
    a, b = features["A"], features["B"]
    assert (a["spend_pct"], b["spend_pct"]) == (0.0, 1.0)
    assert (a["r_score"], b["r_score"]) == (1, 5)
    assert a["shares"] == 1


def test_channel_mix_of_orders_and_interactions(features: dict[str, dict[str, Any]]) -> None:
    """The channel mix a customer shows counts the interactions too (TAXONOMY.md: "the
    mix of order and interaction channels"), each once; one of no channel is neither."""
    d, a, b = features["D"], features["A"], features["B"]
    # a prospect: a view on WeChat and an inquiry by phone
    assert (d["interaction_online_share"], d["interaction_offline_share"]) == (0.5, 0.5)
    assert (d["contact_online_share"], d["contact_offline_share"]) == (0.5, 0.5)
    # app, store and web orders and a share of no channel: 2 of 4 online, 1 offline
    assert (a["interaction_online_share"], a["interaction_offline_share"]) == (0.0, 0.0)
    assert (a["contact_online_share"], a["contact_offline_share"]) == (0.5, 0.25)
    # orders only: the orders' mix; nothing at all: none
    assert b["interaction_online_share"] is None
    assert (b["contact_online_share"], b["contact_offline_share"]) == (0.0, 1.0)


def test_staged_build_gives_the_same_features(tmp_path: Path, backend: BaseBackend) -> None:
    """Written out in stages (as `kequn run` does, to bound memory) or as one query: the
    same rows and values, on the engine of ``backend``."""
    ws = demo_workspace(tmp_path, 2000, seed=3)
    with make_engine(ws, "spark" if backend.name == "pyspark" else "duckdb") as engine:
        out = Tables(engine.con, tmp_path)
        tables = engine.tables()
        ctx = FeatureContext(dt.date(2026, 9, 30))
        staged_names: list[str] = []

        def stage(expr: ibis.Table, name: str) -> ibis.Table:
            staged_names.append(name)
            return engine.materialize(expr, tmp_path / f"{name}.parquet")

        args = (tables["customers"], tables["orders"], tables["events"], ctx)
        whole = out.collect(build_features(*args)).sort_by("customer_id")
        staged = out.collect(build_features(*args, stage=stage)).sort_by("customer_id")
    assert staged_names == [
        "features-orders",
        "features-events",
        "features-attributes",
        "features-ranks",
    ]
    assert whole.num_rows > 1000
    assert staged.column_names == whole.column_names
    for name in whole.column_names:
        assert staged[name].to_pylist() == whole[name].to_pylist(), name
