"""A taxonomy of many dimensions, some reading earlier ones (by their id, and a tag as
<dimension>_<label>), labels every customer as the dimensions one after another do: the
dimensions are added in as few projections as their references allow (one each made
compiling the SQL quadratic in their number), and that changes no label."""

from __future__ import annotations

from pathlib import Path

import ibis
import pyarrow as pa

from kequn.features.catalogue import FEATURES
from kequn.taxonomy.evaluate import _dimension_columns, apply_taxonomy
from kequn.taxonomy.model import parse_taxonomy


def _dimension(i: int) -> str:
    """Exclusive dimensions of spend bands; every fifth reads the one before it, every
    seventh is a set of tags, every eleventh reads the seventh's tag."""
    if i % 7 == 0:
        return f"""
  - id: t{i}
    zh: 标签{i}
    en: Tags {i}
    type: tags
    labels:
      - {{id: big, zh: 大, en: Big, when: "spend > {100 + i}", strategy: {{team: marketing, goal: sales, priority: 10, actions: [nurture_content], zh: 跟进, en: Follow up}}}}
      - {{id: many, zh: 多, en: Many, when: "orders >= 3", strategy: {{team: marketing, goal: sales, priority: 10, actions: [nurture_content], zh: 跟进, en: Follow up}}}}"""
    if i % 5 == 0 and i > 0:
        before = i - 1 if (i - 1) % 7 else i - 2  # the exclusive dimension before it
        rule = f"x{before} = 'high' and orders > 1"
    elif i % 11 == 0 and i > 0:
        rule = "t7_big and not t7_many"
    else:
        rule = f"spend > {50 + 10 * i}"
    return f"""
  - id: x{i}
    zh: 附加{i}
    en: Extra {i}
    fallback: {{id: low, zh: 低, en: Low}}
    labels:
      - {{id: high, zh: 高, en: High, when: "{rule}", strategy: {{team: marketing, goal: sales, priority: 10, actions: [nurture_content], zh: 跟进, en: Follow up}}}}
      - {{id: some, zh: 有, en: Some, when: "orders > 0", strategy: {{team: marketing, goal: sales, priority: 10, actions: [nurture_content], zh: 跟进, en: Follow up}}}}"""


def test_many_dimensions_label_as_one_after_another() -> None:
    default = (Path(__file__).parents[2] / "src/kequn/taxonomy/default.yaml").read_text("utf-8")
    marker = "\n  - id: types"
    at = default.index(marker)
    taxonomy = parse_taxonomy(
        default[:at] + "".join(_dimension(i) for i in range(60)) + default[at:]
    )
    rules = taxonomy.rules()
    n = 200
    columns = {
        name: pa.nulls(n, pa.from_numpy_dtype("float64") if f.kind == "number" else pa.string())
        for name, f in FEATURES.items()
        if f.kind in ("number", "string")
    }
    columns["customer_id"] = pa.array([f"C{i}" for i in range(n)])
    columns["spend"] = pa.array([float(i * 7 % 900) for i in range(n)])
    columns["orders"] = pa.array([float(i % 5) for i in range(n)])
    features = ibis.memtable(pa.table(columns))
    params = {name: th.value for name, th in taxonomy.thresholds.items() if th.value is not None}
    params |= {
        "purchase_cycle_days": 30.0,
        "home_city": "上海",
        "home_province": "上海",
        "home_country": "CN",
    }
    for name in taxonomy.thresholds:
        params.setdefault(name, 100.0)
    got = apply_taxonomy(features, taxonomy, params, rules)
    # the reference: a projection per dimension, as they were added before
    one_by_one = features
    for dim in taxonomy.dimensions:
        one_by_one = one_by_one.mutate(**_dimension_columns(dim, one_by_one, rules, params))
    con = ibis.duckdb.connect()
    a = con.to_pyarrow(got.order_by("customer_id"))
    b = con.to_pyarrow(one_by_one.order_by("customer_id"))
    assert a.column_names == b.column_names
    assert a.equals(b)
    # the dependent dimensions did read their earlier ones
    rows = a.to_pylist()
    assert {r["x10"] for r in rows} >= {"high", "low"}
    assert {r["x22"] for r in rows} >= {"high"}
