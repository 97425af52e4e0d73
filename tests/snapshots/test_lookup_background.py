"""Lookup files built after a run is shown: an erasure half-way through, a build that a
stopping server interrupts, partial files in runs that aged out, orders that tie, and
the copy of the data an erasure leaves while a page reads it (found by a hostile review)."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path

import pytest

from kequn.snapshots import columns, lookup
from kequn.snapshots.direct import Direct
from kequn.snapshots.runs import RunInfo, list_runs
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with two runs a day apart, no lookup files (copied per test)."""
    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy

    ws = demo_workspace(tmp_path_factory.mktemp("background"), 400, seed=21)
    with ws.read() as con:
        found = con.execute("SELECT max(ordered_at) FROM orders").fetchone()
    assert found is not None
    last = found[0].date()
    run_taxonomy(ws, as_of=last - dt.timedelta(days=1), with_models=False)
    run_taxonomy(ws, as_of=last, with_models=False)
    return ws.root


@pytest.fixture
def ws(base: Path, tmp_path: Path) -> Workspace:
    shutil.copytree(base, tmp_path / "ws")
    return Workspace.open(tmp_path / "ws")


def _heaviest(ws: Workspace) -> str:
    with ws.read() as con:
        found = con.execute(
            "SELECT customer_id FROM orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()
    assert found is not None
    return str(found[0])


def test_a_build_during_an_erasure_does_not_start_from_files_made_before_it(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kequn import privacy

    newest, older = list_runs(ws)
    lookup.build_index(older)
    person = _heaviest(ws)
    drop = privacy._drop_lookups

    def drop_then_build(run: RunInfo) -> int:
        removed = drop(run)
        if run.run_id == newest.run_id:
            # a page of the newest run, in the server, while the older run still has the
            # person's rows: its build would start from the older run's file
            lookup.build_index(newest)
        return removed

    monkeypatch.setattr(privacy, "_drop_lookups", drop_then_build)
    privacy.erase_person(ws, person)
    assert lookup.builds[newest.run_id]["previous"] is None  # built from scratch
    written = [p for p in lookup.lookup_files(newest.labels_path.parent) if p.exists()]
    assert written
    for path in written:
        assert person.encode() not in path.read_bytes(), path.name
    # files built after the erasure are started from again
    from kequn.pipeline import run as run_taxonomy

    later = run_taxonomy(ws, as_of=dt.date.fromisoformat(newest.as_of), with_models=False)
    lookup.build_index(later)
    assert lookup.builds[later.run_id]["previous"] == newest.run_id


def test_a_stopping_server_interrupts_a_background_build_and_leaves_nothing(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = list_runs(ws)[0]
    monkeypatch.setattr(columns, "_stopping", threading.Event())  # this test's server
    entered = threading.Event()
    build = lookup.build_index

    def slow_start(run: RunInfo) -> object:
        entered.set()
        return build(run)

    columns.columns_later(newest, before=slow_start)
    assert entered.wait(30)
    lookup.stop_building(timeout=30)
    assert not any(t.is_alive() for t in columns._threads)
    folder = newest.labels_path.parent
    assert lookup.partials(folder) == []  # built whole, or interrupted and cleaned up
    # and nothing starts once the server is stopping
    columns._columns_wait.pop(lookup.columns_path(newest), None)
    columns.columns_later(newest, before=build)
    assert not columns._threads


def test_partial_files_go_with_a_run_that_ages_out(ws: Workspace) -> None:
    newest, older = list_runs(ws)
    ws.settings.keep_lookups = 1
    leftover = lookup.points_path(older).with_suffix(".partial-sqlite")  # interrupted
    leftover.write_bytes(b"customer data")
    assert not lookup.index_path(older).exists()
    lookup.build_index(newest)
    assert not leftover.exists()


def test_orders_that_tie_are_listed_in_one_order_by_both_readers(ws: Workspace) -> None:
    newest = list_runs(ws)[0]
    person = _heaviest(ws)
    with ws.write() as con:  # one order sent again with other values (two imports)
        for k, status in enumerate(("paid", "refunded", "cancelled", "paid")):
            con.execute(
                "INSERT INTO orders (order_id, customer_id, ordered_at, amount, quantity, "
                "status) VALUES ('dup', ?, ?, ?, 1, ?)",
                [person, dt.datetime.fromisoformat(newest.as_of), 10 + k % 2, status],
            )
    with Direct(newest) as direct:
        before = direct.timeline("orders", person)
    lookup.build_index(newest)
    stored = lookup.points(newest)
    assert stored is not None
    assert stored.timeline("orders", person) == before
    # amount, then status, highest first (10 + k % 2: paid 10, refunded 11, cancelled 10,
    # paid 11)
    assert [(o["amount"], o["status"]) for o in before if o["order_id"] == "dup"] == [
        (11, "refunded"),
        (11, "paid"),
        (10, "paid"),
        (10, "cancelled"),
    ]


def test_an_old_copy_of_the_data_goes_once_its_reader_is_done(ws: Workspace) -> None:
    with ws.write() as con:
        con.execute("DELETE FROM events WHERE false")  # a new generation
    with ws.read():
        with ws.write() as con:
            con.execute("DELETE FROM events WHERE false")
        assert ws.drop_old_generations(timeout=0.1) == 1  # read now: kept
    assert ws.drop_old_generations(timeout=0.1) == 0
    assert [p.name for p in ws.data_dir.glob("gen-*.duckdb")] == [ws.current_generation()]


def test_a_background_build_leaves_the_pages_a_core(ws: Workspace) -> None:
    """In the server (a build in a background thread) the lookup files are built on one
    of DuckDB's threads, so the first pages of the run, read from its Parquet meanwhile,
    keep the other core; built in the foreground (by the run itself where
    ``prepare_lookups`` is set) they take every core DuckDB would."""
    import duckdb

    newest, older = list_runs(ws)
    lookup.build_index(older)
    default = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()
    assert default is not None
    assert lookup.builds[older.run_id]["threads"] == default[0]
    columns.columns_later(newest, before=lookup.build_index)
    for thread in list(columns._threads):
        thread.join(60)
    assert lookup.is_ready(newest)
    assert lookup.builds[newest.run_id]["threads"] == 1


def test_pages_read_before_the_lookup_files_scan_on_two_threads(ws: Workspace) -> None:
    """Until a run's lookup files are built, its segment pages scan the run's Parquet and
    a customer page scans the workspace's tables: on two of DuckDB's threads (the build
    beside them holds one), which took a segment's first page at 1M from 0.37 to 0.23 s
    and a customer's from 0.21 to 0.15 s; the sorted copy's lookups keep one."""
    newest = list_runs(ws)[0]
    assert not lookup.is_ready(newest)
    with lookup.cursor(newest) as cur:
        found = cur.execute("SELECT current_setting('threads')").fetchone()
    assert found is not None
    assert found[0] == lookup.SCAN_THREADS == 2
    with Direct(newest) as direct:
        con = direct._connection()
        found = con.execute("SELECT current_setting('threads')").fetchone()
        assert found is not None
        assert found[0] == 2
        assert direct.record("labels", _heaviest(ws)) is not None
    lookup.build_index(newest)
    columns.build_columns(newest)
    with lookup.cursor(newest) as cur:
        found = cur.execute("SELECT current_setting('threads')").fetchone()
    assert found is not None
    assert found[0] == 1


def test_a_background_build_starts_when_no_page_is_being_answered(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build the server starts waits for a quiet moment: while a request is answered
    (the pages just after a run, read from its Parquet meanwhile) and for QUIET_SECONDS
    after, then it begins; it waits no longer than QUIET_AT_MOST whatever the requests,
    and not at all in a process that answers none."""
    newest, older = list_runs(ws)
    began: list[float] = []
    paused: list[float] = []
    columns.request_started()

    def pause(seconds: float) -> bool:  # the time the build waits, passing at once
        paused.append(seconds)
        if len(paused) == 2:
            columns.request_ended()  # the page is answered
        if len(paused) == 3:
            monkeypatch.setattr(columns, "_last_request", float("-inf"))  # and time went by
        return False

    def build(run: RunInfo) -> object:
        began.append(len(paused))
        return lookup.build_index(run)

    monkeypatch.setattr(columns, "_pause", pause)
    columns.columns_later(newest, before=build)
    for thread in list(columns._threads):
        thread.join(60)
    assert began == [3]  # after the request ended and the quiet moment passed
    assert paused[:2] == [columns.QUIET_SECONDS] * 2
    assert 0 < paused[2] <= columns.QUIET_SECONDS
    assert columns.busy_for() == 0.0
    # a server answering without a pause: the build starts after QUIET_AT_MOST
    monkeypatch.setattr(columns, "QUIET_AT_MOST", 0.0)
    paused.clear()
    columns.request_started()
    try:
        columns.columns_later(older, before=build)
        for thread in list(columns._threads):
            thread.join(60)
    finally:
        columns.request_ended()
    assert paused == []
    assert lookup.is_ready(older)
