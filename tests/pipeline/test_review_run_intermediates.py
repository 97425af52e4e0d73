"""A run folder keeps the features once (``features.parquet``) and the labels: nothing
else the features were built through. On Spark the features with the predictions are
staged twice more for the executors (``features2``, ``features3``); left in the run they
were two more copies of every customer's features, which an erasure (rewriting the
features and labels files) did not reach."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kequn import pipeline
from kequn.demo import demo_workspace
from kequn.privacy import erase_person


def test_only_the_features_file_stays(tmp_path: Path) -> None:
    table = pa.table({"customer_id": ["C1"], "spend": [1.0]})
    pq.write_table(table, tmp_path / "features.parquet")
    pq.write_table(table, tmp_path / "features-orders.parquet")
    pq.write_table(table, tmp_path / "labels.parquet")
    for folder in ("features2.parquet", "features3.parquet", "features-2026-06-30.parquet"):
        (tmp_path / folder).mkdir()
        pq.write_table(table, tmp_path / folder / "part-0.parquet")
    pipeline.drop_intermediates(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["features.parquet", "labels.parquet"]


@pytest.mark.spark
def test_a_spark_run_keeps_no_other_copy_and_an_erasure_reaches_every_file(
    tmp_path: Path,
) -> None:
    ws = demo_workspace(tmp_path / "demo", 60, seed=5)
    run = pipeline.run(ws, engine_name="spark")
    kept = sorted(p.name for p in Path(run.path).iterdir())
    assert [n for n in kept if n.endswith(".parquet")] == ["features.parquet", "labels.parquet"]
    cid = str(run.rows(["customer_id"]).column(0)[0])
    erase_person(ws, cid)
    with duckdb.connect() as con:
        left = con.execute(
            "SELECT count(*) FROM read_parquet(?, union_by_name = true) WHERE customer_id = ?",
            [f"{run.path}/**/*.parquet", cid],
        ).fetchone()
    assert left == (0,)
