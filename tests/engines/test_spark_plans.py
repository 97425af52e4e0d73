"""Ready for a real cluster: the feature, threshold and label stages on Spark must not
force per-customer work through one partition or onto the driver.

Every expression the run hands the engine (each materialised stage and each scalar query)
is compiled by the Ibis PySpark backend and its physical plan inspected. A plan fails when
an ``Exchange SinglePartition`` moves rows that were not first reduced by a partial
aggregate (a global sort or an unpartitioned window puts every customer in one task),
or when it collects rows to the driver (``CollectLimit``, a broadcast of customer rows is
fine, a ``collect`` of them is not). The scored stage must not read customer rows the
driver sent (an in-memory table of scores joined back).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import pytest

from kequn import pipeline
from kequn.store.workspace import Workspace
from kequn.taxonomy.evaluate import classify

pytestmark = pytest.mark.spark


def physical_plan(engine: Any, expr: ir.Expr) -> str:
    """The executed (physical) plan Spark would run for ``expr``, as text."""
    sql = str(engine.con.compile(expr))
    # registers what the expression needs in the session: in-memory tables and the
    # models' scoring functions (Python UDFs run by the executors)
    engine.con._run_pre_execute_hooks(expr)
    frame = engine.con._session.sql(sql)
    return str(frame._jdf.queryExecution().executedPlan().toString())


_NODE = re.compile(r"^(?P<indent>[\s:+\-|*()\d]*?)(?P<node>[A-Z]\w*)")


def single_partition_problems(plan: str) -> list[str]:
    """Each ``Exchange SinglePartition`` whose input is not a partial aggregate (the only
    safe kind: one small row per partition), and each collect to the driver."""
    lines = plan.splitlines()
    problems = []
    for i, line in enumerate(lines):
        if "CollectLimit" in line or "CollectTail" in line:
            problems.append(line.strip())
        if "Exchange SinglePartition" not in line:
            continue
        child = next((x for x in lines[i + 1 :] if x.strip()), "")
        reduced = re.search(r"(HashAggregate|ObjectHashAggregate|SortAggregate)", child)
        if not (reduced and "partial_" in child):
            problems.append(f"{line.strip()}  <-  {child.strip()}")
    return problems


class PlanRecorder:
    """Wraps a Spark engine: records every stage's and scalar's plan, then runs it."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.name = engine.name
        self.plans: list[tuple[str, str]] = []

    def tables(self) -> dict[str, ir.Table]:
        return self.engine.tables()

    def materialize(self, expr: ir.Table, path: Path, categories: Any = None) -> ir.Table:
        self.plans.append((path.name, physical_plan(self.engine, expr)))
        return self.engine.materialize(expr, path, categories)

    def scalar(self, expr: ir.Scalar) -> Any:
        self.plans.append(("scalar", physical_plan(self.engine, expr.as_table())))
        return self.engine.scalar(expr)


def test_plans_do_not_funnel_customers_through_one_partition(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    with pipeline.make_engine(demo_ws, "spark") as spark:
        engine: Any = PlanRecorder(spark)
        day = pipeline.resolve_as_of(demo_ws, spark)
        ctx = pipeline.feature_context(demo_ws, day)
        features, _ = pipeline.features_with_models(engine, ctx, tmp_path, with_models=False)
        taxonomy = pipeline.workspace_taxonomy(demo_ws)
        classify(engine, taxonomy, features, ctx, tmp_path)
    stages = {name for name, _ in engine.plans}
    assert {"features-orders.parquet", "features-ranks.parquet", "features.parquet"} <= stages
    assert "labels.parquet" in stages
    # the thresholds (derived together, one query) and the count of labels
    assert sum(name == "scalar" for name, _ in engine.plans) >= 2
    found = {
        f"{name} #{i}": problems
        for i, (name, plan) in enumerate(engine.plans)
        if (problems := single_partition_problems(plan))
    }
    assert not found, found


def test_the_check_sees_a_global_window() -> None:
    plan = """AdaptiveSparkPlan isFinalPlan=false
+- Window [percent_rank(spend#1) windowspecdefinition(spend#1 ASC NULLS FIRST)]
   +- Sort [spend#1 ASC NULLS FIRST], false, 0
      +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=10]
         +- Project [customer_id#0, spend#1]
"""
    assert single_partition_problems(plan)
    fine = """+- HashAggregate(keys=[], functions=[count(1)])
   +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=3]
      +- HashAggregate(keys=[], functions=[partial_count(1)])
"""
    assert not single_partition_problems(fine)


def test_model_stages_do_not_funnel_customers_through_one_partition(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    """The predictions too: ``clv_pct`` was ``percent_rank() OVER (ORDER BY clv_365d)``,
    every buyer in one task (one 21 MiB shuffle partition at 1M customers)."""
    with pipeline.make_engine(demo_ws, "spark") as spark:
        engine: Any = PlanRecorder(spark)
        day = pipeline.resolve_as_of(demo_ws, spark)
        ctx = pipeline.feature_context(demo_ws, day)
        pipeline.features_with_models(engine, ctx, tmp_path, with_models=True)
    assert "features2.parquet" in {name for name, _ in engine.plans}  # the BTYD scores
    found = {
        f"{name} #{i}": problems
        for i, (name, plan) in enumerate(engine.plans)
        if (problems := single_partition_problems(plan))
    }
    assert not found, found
    # churn and clusters are scored on the executors, not pulled and joined back from
    # the driver (tests/engines/test_spark_scoring.py checks the scores themselves)
    scored = [plan for name, plan in engine.plans if name == "features3.parquet"]
    assert scored
    assert not [p for plan in scored if (p := customer_rows_in_memory(plan))]


def customer_rows_in_memory(plan: str) -> list[str]:
    """Scans of rows the driver sent (an in-memory table: a local relation, or an RDD of
    a pandas frame) that carry customer ids."""
    return [
        line.strip()
        for line in plan.splitlines()
        if re.search(r"LocalTableScan|ExistingRDD", line) and re.search(r"\bcustomer_id#", line)
    ]
