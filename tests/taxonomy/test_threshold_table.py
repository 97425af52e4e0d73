"""In process the labels read the thresholds' numbers from a one-row table, so a day's new
quantiles find yesterday's compiled SQL; the labels are those of the literals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pytest
from ibis.backends import BaseBackend

from kequn.core.rules import holds
from kequn.engines.duckdb import DuckDBEngine
from kequn.engines.sqlcache import fingerprint
from kequn.pipeline import feature_context, features_with_models
from kequn.store.workspace import Workspace
from kequn.taxonomy.evaluate import apply_taxonomy, classify
from kequn.taxonomy.model import load_taxonomy, parse_taxonomy
from kequn.taxonomy.thresholds import derive_thresholds


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from kequn.demo import demo_workspace

    return demo_workspace(tmp_path_factory.mktemp("threshold-table"), 400, seed=11)


def test_labels_read_the_numbers_from_a_table_and_equal_the_literals(
    ws: Workspace, tmp_path: Path
) -> None:
    taxonomy = load_taxonomy()
    rules = taxonomy.rules()
    day = dt.date(2026, 9, 30)
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        ctx = feature_context(ws, day)
        features, _ = features_with_models(engine, ctx, tmp_path, with_models=False)
        derived = derive_thresholds(engine, taxonomy, features, ctx, rules)
        # another day's data: every derived number moved, and a pinned one too
        moved = {k: v * 1.37 + 1 if isinstance(v, float) else v for k, v in derived.items()}
        assert moved != derived
        keys = set()
        for params in (derived, moved):
            from_table = apply_taxonomy(features, taxonomy, params, rules, numbers_from_table=True)
            literal = apply_taxonomy(features, taxonomy, params, rules)
            assert from_table.schema() == literal.schema()
            a = engine.materialize(from_table, tmp_path / "table.parquet")
            b = engine.materialize(literal, tmp_path / "literal.parquet")
            assert a.count().execute() == b.count().execute() > 300
            differ = duckdb.execute(
                "SELECT (SELECT count(*) FROM (FROM read_parquet($a) EXCEPT ALL "
                "FROM read_parquet($b))) + (SELECT count(*) FROM (FROM read_parquet($b) "
                "EXCEPT ALL FROM read_parquet($a)))",
                {"a": str(tmp_path / "table.parquet"), "b": str(tmp_path / "literal.parquet")},
            ).fetchone()
            assert differ == (0,)
            keys.add(fingerprint(from_table, []))
            assert fingerprint(literal, []) != fingerprint(from_table, [])
        # the two days' thresholds: one expression, so one compiled SQL
        assert len(keys) == 1
        assert None not in keys
        # and the labels did move with the numbers (the thresholds are not ignored)
        lifecycle = [
            engine.con.to_pyarrow(
                apply_taxonomy(features, taxonomy, params, rules, numbers_from_table=True)
                .group_by("value")
                .agg(n=lambda t: t.count())
                .order_by("value")
            ).to_pylist()
            for params in (derived, moved)
        ]
        assert lifecycle[0] != lifecycle[1]


def test_a_run_on_new_thresholds_compiles_no_new_sql_for_its_labels(
    ws: Workspace, tmp_path: Path
) -> None:
    taxonomy = load_taxonomy()
    counts = []
    for i, day in enumerate((dt.date(2026, 9, 30), dt.date(2026, 8, 31))):
        with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
            ctx = feature_context(ws, day)
            workdir = tmp_path / str(i)  # a run's own staging folder
            workdir.mkdir()
            features, _ = features_with_models(engine, ctx, workdir, with_models=False)
            before = set((tmp_path / "sql").glob("*.sql"))
            result = classify(engine, taxonomy, features, ctx, workdir)
            counts.append(result.counts)
            new = set((tmp_path / "sql").glob("*.sql")) - before
        # the first run compiles five queries: the thresholds, the labels, the counts (of
        # the exclusive dimensions' labels, and of the tags) and the number of customers;
        # a month earlier the thresholds differ and none is new
        assert len(new) == (5 if i == 0 else 0), new
    assert counts[0] != counts[1]


#: thresholds in arithmetic whose decimal text and binary value part at a tie
TIES = """
thresholds:
  cycle: {value: 20.333333333333332}
  rate: {value: 0.1}
  third: {value: 0.3}
dimensions:
  - id: lapse
    zh: 流失
    en: lapse
    fallback: {id: recent, zh: 近期, en: recent}
    labels:
      - {id: lapsed, zh: 已流失, en: lapsed, when: "days_since_last_order > 3 * cycle"}
  - id: checks
    type: tags
    zh: 检查
    en: checks
    labels:
      - {id: exact, zh: 相等, en: exact, when: "rate * 3 = third"}
      - {id: scaled, zh: 比例, en: scaled, when: "orders * rate <= 0.3"}
      - {id: listed, zh: 列举, en: listed, when: "orders * rate in (0.3, 0.7)"}
      - {id: ranged, zh: 区间, en: ranged, when: "orders * rate between third and 0.7"}
"""


def test_a_threshold_is_a_double_in_every_engine_and_in_the_explanations(
    backend: BaseBackend,
) -> None:
    """A purchase cycle of 61/3 days: three cycles are exactly 61 days in floats, as in
    Python (the reasons); a bare literal would be read as a DECIMAL a little under 61."""
    taxonomy = parse_taxonomy(TIES, "ties")
    rules = taxonomy.rules()
    params = {name: float(th.value) for name, th in taxonomy.thresholds.items()}
    rows = [
        {"_row": i, "orders": orders, "days_since_last_order": days}
        for i, (orders, days) in enumerate((o, d) for o in range(9) for d in (60, 61, 62))
    ]
    table = ibis.memtable(
        pa.Table.from_pylist(
            rows,
            pa.schema(
                [
                    ("_row", pa.int64()),
                    ("orders", pa.int64()),
                    ("days_since_last_order", pa.int64()),
                ]
            ),
        )
    )
    ways = [False, True] if backend.name == "duckdb" else [False]
    for from_table in ways:
        labelled = apply_taxonomy(table, taxonomy, params, rules, numbers_from_table=from_table)
        got = backend.to_pyarrow(labelled.order_by("_row")).to_pylist()
        for row, out in zip(rows, got, strict=True):
            values = {**row, **params}
            assert out["lapse"] == (
                "lapsed" if holds(rules[("lapse", "lapsed")], values) else "recent"
            )
            assert out["lapse"] == ("lapsed" if row["days_since_last_order"] > 61 else "recent")
            dim = taxonomy.dimension("checks")
            for label in dim.labels:
                assert out[dim.tag_column(label.id)] == holds(
                    rules[("checks", label.id)], values
                ), (label.id, row, from_table)
        assert not any(r["checks_exact"] for r in got)  # 0.1 * 3 != 0.3 in floats


def test_thresholds_read_the_features_before_the_predictions_when_they_can(
    ws: Workspace, tmp_path: Path
) -> None:
    """Given the features as built (``built``), the thresholds read those unless one of
    them needs a prediction: in process the predictions are joined in each query, and
    joining them for quantiles of spend was a third of the thresholds' time. Shown with a
    ``built`` table whose spend is doubled: the default taxonomy's spend thresholds
    double; a taxonomy with a threshold of the predicted CLV reads the features with
    the predictions, and gets the spend thresholds of those."""
    day = dt.date(2026, 9, 30)
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        ctx = feature_context(ws, day)
        features, _ = features_with_models(engine, ctx, tmp_path, with_models=False)
        predicted = {"p_alive", "expected_orders_365d", "clv_365d", "clv_pct", "churn_risk"}
        assert "clv_365d" in features.columns  # without models: NULL predictions
        doubled = features.mutate(spend=features.spend * 2).drop(
            *(predicted | {"cluster"}) & set(features.columns)
        )
        default = load_taxonomy()
        with_clv = parse_taxonomy(
            default.source_text.replace(
                "thresholds:\n",
                "thresholds:\n  clv_line: {derive: quantile, of: clv_365d, q: 0.5, "
                'where: "orders > 0", zh: 预测价值中位数, en: median predicted value}\n',
                1,
            ),
            "with a CLV threshold",
        )
        found = {}
        for name, taxonomy in (("default", default), ("clv", with_clv)):
            for built in (None, doubled):
                out = tmp_path / f"{name}-{built is None}"
                out.mkdir()
                result = classify(engine, taxonomy, features, ctx, out, built=built)
                found[name, built is None] = result.params
    plain = found["default", True]["high_value_spend"]
    assert plain > 0
    assert found["default", False]["high_value_spend"] == pytest.approx(2 * plain)
    assert found["clv", False]["high_value_spend"] == found["clv", True]["high_value_spend"]
    assert found["clv", True]["high_value_spend"] == pytest.approx(plain)
