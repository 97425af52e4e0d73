"""An erasure reaches every copy of a customer's rows a run folder holds: the features
file and the labels, and what a Spark run of an earlier build left beside them (the
features with the predictions, ``features2.parquet`` and ``features3.parquet``, folders
of part files, which no reader reads and the erasure did not rewrite)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from kequn import pipeline
from kequn.demo import demo_workspace
from kequn.privacy import erase_person


def test_leftover_copies_of_the_features_lose_the_customer(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path / "demo", 40, seed=9)
    run = pipeline.run(ws, with_models=False)
    folder = Path(run.path)
    rows = run.rows()
    for name in ("features2.parquet", "features3.parquet"):  # as Spark wrote them
        (folder / name).mkdir()
        pq.write_table(rows.slice(0, 20), folder / name / "part-00000.snappy.parquet")
        pq.write_table(rows.slice(20), folder / name / "part-00001.snappy.parquet")
    shutil.copyfile(folder / "features.parquet", folder / "features-orders.parquet")
    cid = str(rows.column("customer_id")[25])
    erase_person(ws, cid)
    with duckdb.connect() as con:
        left = con.execute(
            "SELECT filename FROM read_parquet(?, union_by_name = true, filename = true) "
            "WHERE customer_id = ?",
            [f"{folder}/**/*.parquet", cid],
        ).fetchall()
    assert left == []
    assert run.rows().num_rows == rows.num_rows - 1
