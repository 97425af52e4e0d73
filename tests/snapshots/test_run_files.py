"""A run keeps its features once: as built, in ``features.parquet``; ``labels.parquet``
holds the predictions and labels beside them. Readers see one row per customer with every
column, as in a run of an older version, whose labels file held everything (and which
every reader still reads)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from kequn import pipeline
from kequn.cli import app
from kequn.demo import demo_workspace
from kequn.snapshots import lookup, read
from kequn.snapshots.runs import RunInfo, get_run
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, RunInfo]:
    ws = demo_workspace(tmp_path_factory.mktemp("files"), 150, seed=3)
    return ws, pipeline.run(ws, with_models=False)


def test_the_features_are_written_once(made: tuple[Workspace, RunInfo]) -> None:
    """The run's features file holds the behaviour and the age as of the run, the
    attributes file (the feature state's, linked) the customers' other columns, the
    labels file the rest: each column in one file, read back in one row per customer."""
    ws, run = made
    features = pq.read_schema(run.features_path).names
    attributes = pq.read_schema(run.attributes_path).names
    labels = pq.read_schema(run.labels_path).names
    assert set(features) & set(labels) == {"customer_id"}
    assert set(features) & set(attributes) == {"customer_id", "age"}
    assert set(attributes) & set(labels) == {"customer_id"}
    assert {"spend", "orders", "days_since_last_order", "age"} <= set(features)
    assert {"name", "city", "gender", "source_group"} <= set(attributes)
    assert {"lifecycle", "value", "p_alive", "churn_risk"} <= set(labels)
    state = list((ws.root / "feature-state").glob("customers-*.parquet"))
    assert [p.stat().st_ino for p in state] == [run.attributes_path.stat().st_ino]
    rows = run.rows()
    shown = [c for c in attributes if c not in ("created_at", "birth_date")]
    assert rows.column_names == [
        *shown,
        *[c for c in features if c not in shown],
        *labels[1:],
    ]  # the customer id first, once; the columns in the order of a whole build
    assert rows.num_rows == run.customers == pq.read_metadata(run.features_path).num_rows
    assert not list(Path(run.path).glob("features-*"))  # the features' parts are gone


def test_rows_of_a_run_from_the_state_equal_a_whole_build(
    made: tuple[Workspace, RunInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run built without the feature state writes every attribute in its features file
    and no attributes file; its rows are those of the run from the state, column for
    column and in the same order."""
    ws, run = made
    monkeypatch.setenv("KEQUN_FEATURE_STATE", "off")
    whole = pipeline.run(ws, with_models=False, as_of=run.as_of_date)
    assert not whole.attributes_path.exists()
    assert "name" in pq.read_schema(whole.features_path).names
    assert whole.rows().sort_by("customer_id").equals(run.rows().sort_by("customer_id"))


def test_a_run_of_an_older_version_reads_the_same(
    made: tuple[Workspace, RunInfo], tmp_path: Path
) -> None:
    ws, run = made
    shutil.copytree(ws.root, tmp_path / "ws")
    old_ws = Workspace.open(tmp_path / "ws")
    old = get_run(old_ws, run.run_id)
    assert old is not None
    whole = old.rows()
    old.features_path.unlink()  # one file with everything, as runs were written before
    pq.write_table(whole, old.labels_path)
    assert old.rows().sort_by("customer_id").equals(run.rows().sort_by("customer_id"))
    cid = str(run.rows(["customer_id"]).column(0)[0])
    new_profile = read.profile(run, cid, "en")
    old_profile = read.profile(old, cid, "en")
    assert new_profile is not None
    assert old_profile is not None
    assert old_profile["features"] == new_profile["features"]
    assert old_profile["dimensions"] == new_profile["dimensions"]
    lookup.build_index(old)
    assert lookup.is_ready(old)
    shown = CliRunner().invoke(app, ["show", cid, "-w", str(old_ws.root)])
    assert shown.exit_code == 0, shown.output
    assert cid in shown.output


def test_the_rows_join_by_id_whatever_the_files_order(made: tuple[Workspace, RunInfo]) -> None:
    _, run = made
    with duckdb.connect() as con:
        mismatched = con.execute(
            f"SELECT count(*) FROM {run.rows_sql()} r JOIN read_parquet(?) f "
            "USING (customer_id) WHERE r.spend IS DISTINCT FROM f.spend",
            [str(run.features_path)],
        ).fetchone()
    assert mismatched == (0,)
