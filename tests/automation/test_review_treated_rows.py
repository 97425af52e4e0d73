"""A journey reads the full rows of the customers it treats, 20k at a time. Filtering
the run's rows (the features joined to the labels) after the join joined every customer
of the run for each batch: 1.0 s a batch at 1M customers, against 0.2 s when the run's
labels held everything. Each file is now filtered before the join
(``RunInfo.rows_sql(among=...)``); the rows are the same, in runs of either layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kequn import pipeline
from kequn.automation import contacts
from kequn.demo import demo_workspace
from kequn.snapshots.runs import RunInfo, get_run
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, RunInfo]:
    ws = demo_workspace(tmp_path_factory.mktemp("review-treated"), 60, seed=8)
    return ws, pipeline.run(ws, with_models=False)


def _among(run: RunInfo, ids: list[str]) -> pa.Table:
    with duckdb.connect() as con:
        con.register("wanted", pa.table({"customer_id": ids}))
        sql = run.rows_sql(among="SELECT customer_id FROM wanted")
        return con.execute(f"SELECT * FROM {sql} ORDER BY customer_id").to_arrow_table()


def _expected(run: RunInfo, ids: list[str]) -> pa.Table:
    rows = run.rows().sort_by("customer_id")
    return rows.filter(pa.compute.is_in(rows["customer_id"], pa.array(ids)))


def test_each_file_is_read_for_the_customers_wanted(
    made: tuple[Workspace, RunInfo], tmp_path: Path
) -> None:
    _, run = made
    everyone = sorted(run.rows(["customer_id"]).column(0).to_pylist())
    ids = [*everyone[::7], "nobody"]
    # each file (features, attributes kept apart from the feature state, labels) filtered
    files = 3 if run.attributes_path.is_file() else 2
    assert run.rows_sql(among="SELECT customer_id FROM wanted").count("FROM wanted") == files
    assert _among(run, ids).equals(_expected(run, ids))
    shutil.copytree(Path(run.path), tmp_path / "old")
    old = RunInfo(**{**run.to_dict(), "path": str(tmp_path / "old")})
    whole = old.rows()
    old.features_path.unlink()
    pq.write_table(whole, old.labels_path)  # one file with everything, as runs were written
    assert _among(old, ids).equals(_expected(run, ids))


def test_treated_rows_are_the_full_rows(made: tuple[Workspace, RunInfo]) -> None:
    ws, run = made
    found = get_run(ws, run.run_id)
    assert found is not None
    ids = sorted(found.rows(["customer_id"]).column(0).to_pylist())[::5]
    with duckdb.connect() as mem:
        got = [row for row, _ in contacts.treated_rows(mem, found, ids)]
    assert [r["customer_id"] for r in got] == ids
    expected = {r["customer_id"]: r for r in _expected(found, ids).to_pylist()}
    for row in got:
        assert set(row) == set(expected[row["customer_id"]])
        assert row["spend"] == expected[row["customer_id"]]["spend"]
        assert row["lifecycle"] == expected[row["customer_id"]]["lifecycle"]
