"""The demo data is deterministic, well-typed, and varied enough to exercise every dimension."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from kequn.demo import generate_demo
from kequn.demo.generator import CUSTOMER_SCHEMA, EVENT_SCHEMA, ORDER_SCHEMA


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate_demo(out, 4000, seed=3, chunk_size=1500)
    return out


def test_deterministic(demo: Path, tmp_path: Path) -> None:
    generate_demo(tmp_path, 4000, seed=3, chunk_size=1500)
    for name in ("customers", "orders", "events"):
        assert pq.read_table(demo / f"{name}.parquet").equals(
            pq.read_table(tmp_path / f"{name}.parquet")
        )


def test_purchase_rate_scales_orders_only(demo: Path, tmp_path: Path) -> None:
    files = generate_demo(tmp_path, 4000, seed=3, chunk_size=1500, purchase_rate=1.4)
    base = pq.read_table(demo / "orders.parquet").num_rows
    # the same customers, each buying more often: 1.4 gives ~10 orders a customer, not 8.5
    assert pq.read_table(tmp_path / "customers.parquet").equals(
        pq.read_table(demo / "customers.parquet")
    )
    assert 1.12 < files.n_orders / base < 1.30
    assert 9.0 < files.n_orders / files.n_customers < 11.5


def test_schemas(demo: Path) -> None:
    assert pq.read_schema(demo / "customers.parquet").equals(CUSTOMER_SCHEMA)
    assert pq.read_schema(demo / "orders.parquet").equals(ORDER_SCHEMA)
    assert pq.read_schema(demo / "events.parquet").equals(EVENT_SCHEMA)


def test_variety(demo: Path) -> None:
    con = duckdb.connect()
    c, o = str(demo / "customers.parquet"), str(demo / "orders.parquet")

    def values(sql: str) -> set:
        return {r[0] for r in con.execute(sql).fetchall()}

    assert values(f"SELECT kind FROM '{c}'") == {
        "individual",
        "enterprise",
        "government",
        "institution",
        None,
    }
    assert {"female", "male", "other"} <= values(f"SELECT gender FROM '{c}'")
    assert {"CN", "US", "JP"} <= values(f"SELECT country FROM '{c}'")
    assert "上海市" in values(f"SELECT city FROM '{c}'")
    per_customer = con.execute(
        f"SELECT count(*) FILTER (WHERE n = 1), count(*) FILTER (WHERE n >= 5), "
        f"(SELECT count(*) FROM '{c}') - count(*) FROM (SELECT customer_id, count(*) n FROM '{o}' GROUP BY 1)"
    ).fetchone()
    one_time, five_plus, prospects = per_customer
    assert one_time > 200
    assert five_plus > 500
    assert prospects > 300
    assert con.execute(f"SELECT count(*) FROM '{o}' WHERE amount < 0").fetchone()[0] == 0
    orphan = con.execute(
        f"SELECT count(*) FROM '{o}' ANTI JOIN '{c}' USING (customer_id)"
    ).fetchone()[0]
    assert orphan == 0
    lapsed = con.execute(
        f"SELECT count(*) FROM (SELECT customer_id, max(ordered_at) m FROM '{o}' GROUP BY 1) "
        f"WHERE m < TIMESTAMP '2025-09-30'"
    ).fetchone()[0]
    assert lapsed > 100
    assert con.execute(f"SELECT count(*) FILTER (WHERE discount > 0) FROM '{o}'").fetchone()[0] > 0
