"""A run of this version whose features file is gone (a partial copy or restore, a file
deleted by hand) read as a run of an older version, from its labels file alone: rows
without a single feature, ``kequn show`` printing "— orders, the last — ago" as if the
customer had none, an export or a worklist stopping with an Ibis traceback. It is told
as what it is; a run of an older version (its features in its labels file) still reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kequn import pipeline
from kequn.cli import main
from kequn.demo import demo_workspace
from kequn.snapshots.runs import RunInfo, get_run
from kequn.store.workspace import Workspace, WorkspaceError


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, RunInfo]:
    ws = demo_workspace(tmp_path_factory.mktemp("review-files"), 60, seed=4)
    return ws, pipeline.run(ws, with_models=False)


def _copy(made: tuple[Workspace, RunInfo], to: Path) -> tuple[Workspace, RunInfo]:
    ws, run = made
    shutil.copytree(ws.root, to)
    copy = Workspace.open(to)
    found = get_run(copy, run.run_id)
    assert found is not None
    return copy, found


def test_a_run_without_its_features_file_says_so(
    made: tuple[Workspace, RunInfo], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws, run = _copy(made, tmp_path / "ws")
    cid = str(run.rows(["customer_id"]).column(0)[0])
    run.features_path.unlink()
    with pytest.raises(WorkspaceError, match=r"features\.parquet"):
        run.rows()
    for args in (["show", cid], ["export", "lifecycle=churned", "-o", str(tmp_path / "x.csv")]):
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([*args, "-w", str(ws.root)])
        assert exited.value.code == 1
        said = capsys.readouterr()
        assert "Traceback" not in said.out + said.err
        assert "features.parquet" in said.err
        assert f"kequn runs delete {run.run_id}" in "".join(said.err.split("\n"))


def test_a_run_of_an_older_version_still_reads_from_its_labels_file(
    made: tuple[Workspace, RunInfo], tmp_path: Path
) -> None:
    _, run = _copy(made, tmp_path / "ws")
    whole = run.rows()
    run.features_path.unlink()
    pq.write_table(whole, run.labels_path)  # everything in one file, as runs were written
    assert run.rows().sort_by("customer_id").equals(whole.sort_by("customer_id"))


def test_a_run_without_its_attributes_file_says_so(
    made: tuple[Workspace, RunInfo], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run built from the feature state keeps the customers' attributes in a file of
    their own: gone, its rows would have no name or city, and every customer's
    geography read as unknown; it is told instead, as a missing features file is."""
    ws, run = _copy(made, tmp_path / "ws")
    assert run.attributes_path.is_file()
    cid = str(run.rows(["customer_id"]).column(0)[0])
    run.attributes_path.unlink()
    with pytest.raises(WorkspaceError, match=r"attributes\.parquet"):
        run.rows()
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["--lang", "zh", "show", cid, "-w", str(ws.root)])
    assert exited.value.code == 1
    said = capsys.readouterr()
    assert "Traceback" not in said.out + said.err
    assert "缺少客户属性文件" in said.err
    assert "attributes.parquet" in "".join(said.err.split("\n"))
