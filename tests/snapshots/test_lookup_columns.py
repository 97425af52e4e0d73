"""A run is ready before its columnar copy exists: pages read the run's Parquet through
a view until the sorted copy is built (in the server, in the background), then the copy;
both answer the same, and an erasure reaches the copy, partial files and readers that
other threads keep open."""

from __future__ import annotations

import concurrent.futures
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from kequn.snapshots import lookup, read
from kequn.snapshots.runs import RunInfo, get_run, list_runs
from kequn.store.workspace import Workspace


def _run(root: Path, seed: int = 11) -> RunInfo:
    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy

    ws = demo_workspace(root, 400, seed=seed)
    run_taxonomy(ws, as_of=date.fromisoformat("2026-06-30"), with_models=False)
    found = get_run(Workspace.open(ws.root))
    assert found is not None
    lookup.build_index(found)
    return found


@pytest.fixture
def run(tmp_path: Path) -> RunInfo:
    # a comma: DuckDB's file_search_path splits on them (the view must not depend on it)
    return _run(tmp_path / "a,b 工作区")


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


def _count(run: RunInfo, customer: str | None = None) -> int:
    with lookup.cursor(run) as cur:
        if customer is None:
            found = cur.execute("SELECT count(*) FROM labels").fetchone()
        else:
            found = cur.execute(
                "SELECT count(*) FROM labels WHERE customer_id = ?", [customer]
            ).fetchone()
    assert found is not None
    return int(found[0])


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
    labels = run.rows_sql()
    with duckdb.connect() as con:
        con.register("copied", copied)
        extra = con.execute(
            f"SELECT count(*) FROM (SELECT * FROM copied EXCEPT ALL SELECT * FROM {labels})"
        ).fetchone()
        missing = con.execute(
            f"SELECT count(*) FROM (SELECT * FROM {labels} EXCEPT ALL SELECT * FROM copied)"
        ).fetchone()
    assert extra == missing == (0,)


def test_the_view_reads_this_runs_parquet_whatever_the_working_folder(
    run: RunInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _run(tmp_path / "other", seed=12)
    expected = sum(run.counts["lifecycle"].values())
    assert expected != sum(other.counts["lifecycle"].values())
    # started inside another run's folder, which has a labels.parquet of its own
    monkeypatch.chdir(other.labels_path.parent)
    lookup._forget(run.labels_path.parent)  # as a new process would open it
    assert _count(run) == expected


def _built(run: RunInfo) -> None:
    """Wait for the background thread building the run's lookup files and copy."""
    deadline = time.monotonic() + 60
    while lookup._columns_wait.get(lookup.columns_path(run)) != 0.0:
        assert time.monotonic() < deadline, "the columnar copy was not built"
        time.sleep(0.05)


def test_the_server_builds_the_copy_after_the_first_page(
    run: RunInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookup, "build_in_background", True)
    before = read.rfm_grid(run)  # starts the build in a thread
    _built(run)
    assert lookup.columns_path(run).exists()
    assert read.rfm_grid(run) == before
    assert lookup.columns_path(run) in lookup._open  # the copy answers from now on


def test_a_run_is_shown_at_once_and_its_files_built_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy

    ws = demo_workspace(tmp_path, 300, seed=13)
    run_taxonomy(ws, as_of=date.fromisoformat("2026-06-30"), with_models=False)
    run_taxonomy(ws, as_of=date.fromisoformat("2026-07-31"), with_models=False)
    newest = lookup.ready_run(ws)  # no lookup files built by the runs (the default)
    assert newest is not None
    assert newest.as_of == "2026-07-31"
    assert not lookup.index_path(newest).exists()
    label = max(newest.counts["lifecycle"], key=lambda k: newest.counts["lifecycle"][k])
    first = read.members(newest, "lifecycle", label)  # the default order's first page
    customer = first["rows"][0]["customer_id"]
    profile = read.profile(newest, customer, "en")
    assert profile is not None
    assert profile["orders"]
    assert not lookup.index_path(newest).exists()  # reading built nothing
    monkeypatch.setattr(lookup, "build_in_background", True)
    assert lookup.ready_run(ws) == newest  # shown, and its files started in a thread
    _built(newest)
    assert lookup.is_ready(newest)
    assert lookup.points(newest) is not None
    assert read.members(newest, "lifecycle", label) == first  # now from the stored top
    assert read.profile(newest, customer, "en") == profile
    # a run older than the newest keep_lookups is read directly, never built in the back
    ws.settings.keep_lookups = 1
    older = list_runs(ws)[1]
    assert older.workspace.settings.keep_lookups == 1
    assert read.profile(older, customer, "en") is not None
    assert read.members(older, "lifecycle", label)["rows"]
    assert lookup.columns_path(older) not in lookup._columns_wait
    assert not lookup.index_path(older).exists()


def test_an_erasure_reaches_the_copy_partials_and_other_threads_readers(run: RunInfo) -> None:
    from kequn.privacy import erase_person

    ws = run.workspace
    customer = sorted(
        r["customer_id"] for r in read.members(run, "value", "high", limit=5)["rows"]
    )[0]
    lookup.build_columns(run)
    assert _count(run, customer) == 1  # from the copy, kept open in this process
    leftover = lookup.index_path(run).with_suffix(".partial")  # of an interrupted build
    leftover.write_bytes(customer.encode())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        # a server thread that keeps its SQLite reader open across requests
        assert worker.submit(lambda: read.profile(run, customer, "en")).result()
        erase_person(ws, customer)
        assert not leftover.exists()
        assert not lookup.columns_path(run).exists()
        after = worker.submit(lambda: read.profile(run, customer, "en")).result()
        assert worker.submit(lambda: lookup.points(run)).result() is None  # not the old file
    assert after is None
    fresh = get_run(Workspace.open(ws.root), run.run_id)
    assert fresh is not None
    lookup.build_columns(fresh)  # built again from the cleaned labels
    assert _count(fresh, customer) == 0  # not the connection to the removed copy
    assert _count(fresh) == sum(fresh.counts["lifecycle"].values())
    assert not [p for p in fresh.labels_path.parent.iterdir() if ".partial" in p.name]
