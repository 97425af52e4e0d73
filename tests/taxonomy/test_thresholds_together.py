"""Derived thresholds computed together (one query) equal those computed one by one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ibis.backends import BaseBackend

from kequn.core.compute import Engine
from kequn.features.build import FeatureContext
from kequn.taxonomy import thresholds
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

    def materialize(self, expr: ir.Table, path: Path, categories: Any = None) -> ir.Table:
        raise NotImplementedError


def _features(backend: BaseBackend, folder: Path) -> tuple[ir.Table, dict[str, np.ndarray]]:
    """Buyers and non-buyers with missing values, read by ``backend`` from Parquet; and
    the same columns as arrays."""
    rng = np.random.default_rng(12)
    n = 800
    orders = rng.poisson(2.0, n)
    spend = np.round(rng.lognormal(6, 1, n) * (orders > 0), 2)
    columns = {
        "orders": orders.astype("int64"),
        "spend": spend,
        "avg_order_value": np.where(orders > 0, spend / np.maximum(orders, 1), np.nan),
        "avg_quantity": np.where(orders > 0, rng.integers(1, 50, n).astype(float), np.nan),
        "mean_days_between_orders": np.where(orders > 1, rng.gamma(2.0, 20.0, n), np.nan),
    }
    table = pa.table(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            # missing values are NULL, as in the features (NaN would be a value, the largest)
            **{k: pa.array(v, from_pandas=True) for k, v in columns.items()},
        }
    )
    path = folder / "features.parquet"
    pq.write_table(table, path)
    return backend.read_parquet(str(path), table_name=f"thr_{folder.name}"), columns


def _quantile(values: np.ndarray, q: float) -> float | None:
    """The smallest value whose cumulative share reaches ``q`` (NaN left out)."""
    kept = np.sort(values[~np.isnan(values)])
    if not kept.size:
        return None
    share = np.searchsorted(kept, kept, side="right") / kept.size
    return float(kept[share >= q].min())


def _clamped(value: float | None, low: float, high: float) -> float | None:
    return None if value is None else min(max(value, low), high)


def _expected(name: str, c: dict[str, np.ndarray]) -> dict[str, float | None]:
    """The derived thresholds of each taxonomy below, computed with numpy alone."""
    buyers = c["orders"] > 0
    gaps = c["mean_days_between_orders"]
    if name == "default":
        return {
            "purchase_cycle_days": _clamped(_quantile(gaps, 0.5), 7, 365),
            "high_value_spend": _quantile(c["spend"][buyers], 0.8),
            "medium_value_spend": _quantile(c["spend"][buyers], 0.5),
            "bulk_order_value": _quantile(c["avg_order_value"][buyers], 0.9),
            "bulk_quantity": _quantile(c["avg_quantity"][buyers], 0.95),
            "small_order_value": _quantile(c["avg_order_value"][buyers], 0.25),
        }
    big = _quantile(c["spend"][buyers], 0.5)
    assert big is not None
    return {
        "big_spend": big,
        "cycle": _clamped(_quantile(gaps, 0.5), 7, 365),
        "bigger_spend": _quantile(c["spend"][c["spend"] > big], 0.5),
        "pinned": 2.0,
        "often": _quantile(c["orders"][c["orders"] >= 2].astype(float), 0.75),
        "nobody": 7.0,  # no rows: the default
    }


@pytest.mark.parametrize(
    ("taxonomy", "queries"),
    [(load_taxonomy(), 1), (parse_taxonomy(CHAINED, "chained"), 2)],
    ids=["default", "chained"],
)
def test_thresholds_together_equal_each_computed_alone(
    backend: BaseBackend,
    taxonomy: Taxonomy,
    queries: int,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """One query (two when a ``where`` needs a derived threshold), and each value what
    the threshold's own definition gives, in the taxonomy's order."""
    features, columns = _features(backend, tmp_path)
    calls = []
    original = thresholds.scalars
    monkeypatch.setattr(
        thresholds, "scalars", lambda on, e: calls.append(list(e)) or original(on, e)
    )
    together = thresholds.derive_thresholds(_On(), taxonomy, features, CTX, taxonomy.rules())
    assert list(together) == list(taxonomy.thresholds)
    assert len(calls) == queries
    name = "chained" if "bigger_spend" in taxonomy.thresholds else "default"
    expected = _expected(name, columns)
    assert {k: together[k] for k in expected} == pytest.approx(expected, rel=1e-12)
    for key, th in taxonomy.thresholds.items():
        if th.value is not None and key not in expected:
            assert together[key] == (th.value if isinstance(th.value, str) else float(th.value))
    if name == "chained":
        # computed before the rule that needs one, with the repeat buyers the cycle is of
        assert calls[0] == ["big_spend", "cycle", "cycle repeaters"]
    else:
        assert (together["home_city"], together["home_country"]) == ("上海", "CN")


def test_no_derived_thresholds_need_no_query() -> None:
    assert thresholds.scalars(_On(), {}) == {}


#: derived thresholds whose values are not the ones derived: held to a bound, defaulted
NOTED = """
thresholds:
  short_cycle: {derive: purchase_cycle, min: 7, max: 10, default: 30, zh: 购买周期, en: purchase cycle}
  floor_spend: {derive: quantile, of: spend, q: 0.5, where: "orders > 0", min: 100000,
                zh: 消费线, en: spend line}
  nobody: {derive: quantile, of: spend, q: 0.5, where: "orders > 1000", default: 7,
           zh: 无人线, en: nobody's line}
  fine: {derive: quantile, of: orders, q: 0.5}
dimensions:
  - id: spender
    zh: 消费
    en: spender
    fallback: {id: other, zh: 其他, en: other}
    labels:
      - {id: big, zh: 大, en: big, when: "spend > floor_spend"}
"""


def test_a_run_says_which_thresholds_are_not_as_derived(
    backend: BaseBackend, tmp_path: Path
) -> None:
    """A default used or a value held to its bound is noted, in the threshold's own
    units and the reader's language; a threshold used as derived is not."""
    from kequn.snapshots.reports import run_notes
    from kequn.snapshots.runs import RunInfo

    features, columns = _features(backend, tmp_path)
    taxonomy = parse_taxonomy(NOTED, "noted")
    notes: list[dict[str, object]] = []
    found = thresholds.derive_thresholds(_On(), taxonomy, features, CTX, taxonomy.rules(), notes)
    assert (found["short_cycle"], found["floor_spend"], found["nobody"]) == (10.0, 100000.0, 7.0)
    assert [(n["key"], n["params"]["threshold"]) for n in notes] == [  # type: ignore[index]
        ("threshold.ceiling", "short_cycle"),
        ("threshold.floor", "floor_spend"),
        ("threshold.default", "nobody"),
    ]
    derived = _quantile(columns["mean_days_between_orders"], 0.5)
    assert derived is not None
    assert notes[0]["params"]["raw"] == pytest.approx(derived)  # type: ignore[index]
    run = RunInfo("r", "2026-09-30", "", "duckdb", "", notes=notes)
    zh, en = run_notes(run, "zh"), run_notes(run, "en")
    assert zh[0] == f"购买周期：推算值（{round(derived)} 天）高于上限，按 10 天计算"
    assert (
        en[0]
        == f"purchase cycle: derived as {round(derived)} days, above its upper bound; 10 days is used"
    )
    assert "低于下限" in zh[1]
    assert "¥10万" in zh[1]
    assert en[2] == "nobody's line: too little data to derive it; the default, ¥7, is used"
