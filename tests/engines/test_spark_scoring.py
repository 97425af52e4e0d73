"""Ready for a real cluster: on Spark, churn and cluster scoring run on the executors.

Scoring every buyer with the fitted churn and cluster models used to pull every buyer's
features to the driver (``to_pyarrow``, 170-290 MiB at 1M customers) and join the scores
back as an in-memory table. Here the fitted models score the buyers where they are, and
the driver receives only the clusters' description (one row per cluster): every result
that reaches the driver while scoring is counted, and the plan of the scored table is
checked for in-memory tables of customer rows. The scores must equal what the in-process
path (DuckDB's) computes from the same features, to the bit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from test_spark_plans import customer_rows_in_memory, physical_plan

from kequn import pipeline
from kequn.core.compute import parquet_glob
from kequn.features.build import FeatureContext
from kequn.models.churn import ClosedForms, feature_builder, fit_churn, score_churn
from kequn.models.clusters import assign_clusters, fit_clusters
from kequn.models.predict import fit_btyd
from kequn.store.workspace import Workspace

pytestmark = pytest.mark.spark


def test_the_check_sees_scores_joined_from_the_driver() -> None:
    plan = """*(5) Project [customer_id#1, spend#2, churn_risk#90]
+- SortMergeJoin [customer_id#1], [customer_id#89], LeftOuter
   :- *(2) Sort [customer_id#1 ASC NULLS FIRST], false, 0
   +- *(4) Sort [customer_id#89 ASC NULLS FIRST], false, 0
      +- LocalTableScan [customer_id#89, churn_risk#90]
"""
    assert customer_rows_in_memory(plan)
    assert customer_rows_in_memory("+- Scan ExistingRDD arrow[customer_id#89,churn_risk#90]")
    assert not customer_rows_in_memory("+- LocalTableScan [x#1, t_x#2, T#3, n#4]")


class DriverResults:
    """Counts the rows of every result the Ibis backend brings to the driver."""

    def __init__(self, backend: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rows: list[int] = []
        execute = backend.execute

        def recording(expr: Any, /, **kwargs: Any) -> Any:
            result = execute(expr, **kwargs)
            self.rows.append(len(result) if hasattr(result, "__len__") else 1)
            return result

        monkeypatch.setattr(backend, "execute", recording)


def _sorted(table: pa.Table, columns: list[str]) -> dict[str, list[Any]]:
    table = table.select(["customer_id", *columns]).sort_by("customer_id")
    return {c: table[c].to_pylist() for c in ["customer_id", *columns]}


def test_churn_and_clusters_score_on_the_executors(
    demo_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pipeline.make_engine(demo_ws, "spark") as spark:
        day = pipeline.resolve_as_of(demo_ws, spark)
        ctx: FeatureContext = pipeline.feature_context(demo_ws, day)
        features, _ = pipeline.features_with_models(spark, ctx, tmp_path, with_models=False)
        features = features.drop("churn_risk", "cluster")
        btyd, _ = fit_btyd(spark, features)
        assert btyd is not None
        build = feature_builder(spark, spark.tables(), ctx, tmp_path)
        churn, _ = fit_churn(build, spark.tables()["orders"], day)
        clusters, _ = fit_clusters(features)
        assert churn is not None  # both models are exercised
        assert clusters is not None
        closed = ClosedForms(btyd.bgnbd, btyd.mbgnbd)

        pulled = DriverResults(spark.con, monkeypatch)
        scored = score_churn(features, churn, closed)
        scored, info = assign_clusters(scored, clusters)
        plan = physical_plan(spark, scored)
        written = spark.materialize(scored, tmp_path / "scored.parquet")
        on_spark = written.select("customer_id", "churn_risk", "cluster").to_pyarrow()
        # what scoring itself brought to the driver: the clusters' description at most
        # (the last result is the check's own read of the scored table)
        during = pulled.rows[:-1]
        assert max(during, default=0) <= 2 * clusters.model.centres.shape[0], during
        assert not customer_rows_in_memory(plan), plan
        assert "ArrowEvalPython" in plan or "MapInArrow" in plan, plan

        # the in-process path (DuckDB's) on the same features gives the same scores
        with pipeline.make_engine(demo_ws, "duckdb") as duck:
            scored_path = parquet_glob(tmp_path / "scored.parquet")
            same = duck.con.read_parquet(scored_path).drop("churn_risk", "cluster")
            expected, expected_info = assign_clusters(score_churn(same, churn, closed), clusters)
            in_process = expected.select("customer_id", "churn_risk", "cluster").to_pyarrow()
    assert on_spark.num_rows == in_process.num_rows == 1500
    assert _sorted(on_spark, ["churn_risk", "cluster"]) == _sorted(
        in_process, ["churn_risk", "cluster"]
    )
    assert info == expected_info
    assert sum(c["customers"] for c in info["clusters"]) == sum(
        1 for v in on_spark["cluster"].to_pylist() if v is not None
    )
