"""Derived thresholds computed together (one query) equal those computed one by one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ibis.backends import BaseBackend

from kequn.core.compute import Engine
from kequn.features.build import FeatureContext
from kequn.taxonomy import evaluate, thresholds
from kequn.taxonomy.model import Taxonomy, load_taxonomy, parse_taxonomy

CTX = FeatureContext(dt.date(2026, 9, 30), home_city="上海市", home_country="cn")

#: a threshold whose `where` uses another derived one, and one using a pinned one
CHAINED = """
thresholds:
  big_spend: {derive: quantile, of: spend, q: 0.5, where: "orders > 0"}
  cycle: {derive: purchase_cycle, min: 7, max: 365, default: 30}
  bigger_spend: {derive: quantile, of: spend, q: 0.5, where: "spend > big_spend"}
  pinned: {value: 2}
  often: {derive: quantile, of: orders, q: 0.75, where: "orders >= pinned", default: 1}
  nobody: {derive: quantile, of: spend, q: 0.5, where: "orders > 1000", default: 7}
dimensions:
  - id: spender
    zh: 消费
    en: spender
    fallback: {id: other, zh: 其他, en: other}
    labels:
      - {id: big, zh: 大, en: big, when: "spend > bigger_spend"}
"""


class _On(Engine):
    """The engine interface over a bare backend: thresholds only read scalars."""

    name = "test"

    def tables(self) -> dict[str, ir.Table]:
        raise NotImplementedError

    def materialize(self, expr: ir.Table, path: Path) -> ir.Table:
        raise NotImplementedError


def _features(backend: BaseBackend, folder: Path) -> ir.Table:
    """Buyers and non-buyers with missing values, read by ``backend`` from Parquet."""
    rng = np.random.default_rng(12)
    n = 800
    orders = rng.poisson(2.0, n)
    spend = np.round(rng.lognormal(6, 1, n) * (orders > 0), 2)
    gaps = np.where(orders > 1, rng.gamma(2.0, 20.0, n), np.nan)
    quantity = np.where(orders > 0, rng.integers(1, 50, n).astype(float), np.nan)
    table = pa.table(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            "orders": orders.astype("int64"),
            "spend": spend,
            "avg_order_value": np.where(orders > 0, spend / np.maximum(orders, 1), np.nan),
            "avg_quantity": quantity,
            "mean_days_between_orders": gaps,
        }
    )
    path = folder / "features.parquet"
    pq.write_table(table, path)
    return backend.read_parquet(str(path), table_name=f"thr_{folder.name}")


@pytest.mark.parametrize(
    ("taxonomy", "queries"),
    [(load_taxonomy(), 1), (parse_taxonomy(CHAINED, "chained"), 2)],
    ids=["default", "chained"],
)
def test_thresholds_together_equal_one_by_one(
    backend: BaseBackend,
    taxonomy: Taxonomy,
    queries: int,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    features = _features(backend, tmp_path)
    rules = taxonomy.rules()
    engine = _On()
    one_by_one = evaluate.derive_thresholds(engine, taxonomy, features, CTX, rules)
    calls = []
    original = thresholds.scalars
    monkeypatch.setattr(thresholds, "scalars", lambda e: calls.append(list(e)) or original(e))
    together = thresholds.derive_thresholds(engine, taxonomy, features, CTX, rules)
    assert together == one_by_one
    assert list(together) == list(taxonomy.thresholds)  # in the taxonomy's order
    assert len(calls) == queries
    if taxonomy.thresholds.get("bigger_spend"):
        assert calls[0] == ["big_spend", "cycle"]  # computed before the rule that needs one
        assert together["bigger_spend"] > together["big_spend"]
        assert together["nobody"] == 7.0  # no rows: the default
        assert together["pinned"] == 2.0
    else:
        assert together["home_city"] == "上海"
        assert together["home_country"] == "CN"
        assert 7 <= together["purchase_cycle_days"] <= 365


def test_no_derived_thresholds_need_no_query() -> None:
    assert thresholds.scalars({}) == {}
