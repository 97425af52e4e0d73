"""DuckDB and Spark give the same thresholds, features and labels on the same data."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from kequn.pipeline import run as run_taxonomy
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import Workspace
from kequn.taxonomy.model import load_taxonomy


def _columns(run: RunInfo) -> list[str]:
    return load_taxonomy(run.taxonomy_path).label_columns()


@pytest.mark.spark
def test_duckdb_and_spark_agree(demo_ws: Workspace) -> None:
    # each engine fits its own models (a run may otherwise reuse the stored ones)
    day = date.fromisoformat("2026-06-30")
    on_duckdb = run_taxonomy(demo_ws, as_of=day, engine_name="duckdb", refit=True)
    on_spark = run_taxonomy(demo_ws, as_of=day, engine_name="spark", refit=True)
    assert on_spark.engine == "spark"
    assert on_duckdb.params == on_spark.params
    fitted = {k: v for k, v in on_duckdb.models.items() if k not in ("stored", "notes")}
    assert fitted == {k: v for k, v in on_spark.models.items() if k not in ("stored", "notes")}
    assert on_duckdb.counts == on_spark.counts
    con = duckdb.connect()
    a, b = on_duckdb.rows_sql(), on_spark.rows_sql()
    assert on_spark.features_path.is_dir()  # Spark's part files, kept as the run's features
    assert (
        con.execute(f"SELECT count(*) FROM {a}").fetchone()
        == con.execute(f"SELECT count(*) FROM {b}").fetchone()
    )
    for column in _columns(on_duckdb):
        differ = con.execute(
            f"SELECT count(*) FROM {a} x JOIN {b} y USING (customer_id) "
            f'WHERE x."{column}" IS DISTINCT FROM y."{column}"',
        ).fetchone()[0]
        assert differ == 0, column
    for feature in (
        "spend",
        "days_since_last_order",
        "cv_days_between_orders",
        "r_score",
        "spend_pct",
        "age",
        "tenure_days",
        "online_share",
        "orders_365d",
        "p_alive",
        "expected_orders_365d",
        "clv_365d",
        "clv_pct",
    ):
        differ = con.execute(
            f"SELECT count(*) FROM {a} x JOIN {b} y USING (customer_id) "
            f"WHERE abs(coalesce(x.{feature}, -1) - coalesce(y.{feature}, -1)) > 1e-9",
        ).fetchone()[0]
        assert differ == 0, feature
