"""A run is ready before its columnar copy exists: pages read the run's Parquet through
a view until the sorted copy is built (in the server, in the background), then the copy;
both answer the same, and an erasure removes the copy with the other lookup files."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from kequn.core.compute import parquet_glob
from kequn.snapshots import lookup, read
from kequn.snapshots.runs import RunInfo, get_run
from kequn.store.workspace import Workspace


@pytest.fixture
def run(tmp_path: Path) -> RunInfo:
    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy

    ws = demo_workspace(tmp_path, 600, seed=11)
    run_taxonomy(ws, as_of=date.fromisoformat("2026-06-30"), with_models=False)
    found = get_run(Workspace.open(ws.root))
    assert found is not None
    lookup.build_index(found)
    return found


def _pages(run: RunInfo) -> list[object]:
    """What the pages that scan the labels show: other orders, a search, a city, the grid."""
    label = max(run.counts["lifecycle"], key=lambda k: run.counts["lifecycle"][k])
    return [
        read.members(run, "lifecycle", label, sort="orders", descending=False),
        read.members(run, "lifecycle", label, offset=5, limit=7, sort="days_since_last_order"),
        read.members(run, "lifecycle", label, search="1"),
        read.members(run, "value", "high", city="上海"),
        read.rfm_grid(run),
        read.preview(run, "orders >= 2"),
    ]


def test_ready_without_the_copy_and_the_same_answers_with_it(run: RunInfo) -> None:
    assert lookup.is_ready(run)
    assert not lookup.columns_path(run).exists()  # not part of being ready
    before = _pages(run)
    assert lookup.index_path(run) in lookup._open  # answered from the view
    assert lookup.build_columns(run) == lookup.columns_path(run)
    with lookup.cursor(run) as cur:
        copied = cur.execute("SELECT * FROM labels").fetch_arrow_table()
    assert lookup.columns_path(run) in lookup._open  # now from the copy
    assert _pages(run) == before
    ids = copied["customer_id"].to_pylist()
    assert ids == sorted(ids)  # sorted by id
    with duckdb.connect() as con:
        con.register("copied", copied)
        extra = con.execute(
            "SELECT count(*) FROM (SELECT * FROM copied EXCEPT ALL SELECT * FROM read_parquet(?))",
            [parquet_glob(run.labels_path)],
        ).fetchone()
        missing = con.execute(
            "SELECT count(*) FROM (SELECT * FROM read_parquet(?) EXCEPT ALL SELECT * FROM copied)",
            [parquet_glob(run.labels_path)],
        ).fetchone()
    assert extra == missing == (0,)


def test_the_server_builds_the_copy_after_the_first_page(
    run: RunInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookup, "columns_in_background", True)
    before = read.rfm_grid(run)  # starts the build in a thread
    deadline = time.monotonic() + 60
    while not lookup.columns_path(run).exists():
        assert time.monotonic() < deadline, "the columnar copy was not built"
        time.sleep(0.05)
    assert read.rfm_grid(run) == before


def test_an_erasure_removes_the_copy(run: RunInfo) -> None:
    from kequn.privacy import _drop_lookups

    lookup.build_columns(run)
    with lookup.cursor(run) as cur:
        cur.execute("SELECT count(*) FROM labels").fetchone()
    assert _drop_lookups(run) >= 4
    assert not lookup.columns_path(run).exists()
    assert lookup.columns_path(run) not in lookup._open
