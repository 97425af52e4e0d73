"""A run's lookup files brought up to date from the previous run's equal a full build, and
the server shows the new run as soon as they are ready."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
import uvicorn

from kequn.ingest.importer import import_file
from kequn.snapshots import lookup
from kequn.snapshots.runs import RunInfo
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

#: customers given one more order on the second run's date before the third run
BOUGHT_AGAIN = 4


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of a SQLite file, every row, in a fixed order."""
    con = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
        ]
        return {
            name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }
    finally:
        con.close()


def _full_build(run: RunInfo, keep: Path) -> None:
    """Copy the run's (incremental) lookup files to ``keep`` and build them from scratch."""
    keep.mkdir()
    for path in (lookup.points_path(run), lookup.digests_path(run)):
        shutil.copyfile(path, keep / path.name)
    for path in (lookup.index_path(run), lookup.points_path(run), lookup.digests_path(run)):
        path.unlink()
    lookup._ready.discard(lookup.index_path(run))
    how = dict(lookup.builds[run.run_id])
    lookup.build_index(run, incremental=False)
    assert lookup.builds[run.run_id]["previous"] is None
    lookup.builds[run.run_id] = how


def _assert_same_files(run: RunInfo, keep: Path) -> None:
    incremental = _tables(keep / lookup.POINTS_NAME)
    full = _tables(lookup.points_path(run))
    assert sorted(incremental) == sorted(full)
    assert {"labels", "customers", "orders", "events", "top_members", "_columns"} <= set(full)
    for name, rows in full.items():
        assert len(incremental[name]) == len(rows), name
        assert incremental[name] == rows, name
    digests = "SELECT * FROM read_parquet(?) ORDER BY tbl, customer_id"
    import duckdb

    got = duckdb.execute(digests, [str(keep / lookup.DIGESTS_NAME)]).fetchall()
    assert got == duckdb.execute(digests, [str(lookup.digests_path(run))]).fetchall()


Runs = tuple[Workspace, list[RunInfo], list[str], Path]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy

    ws = demo_workspace(tmp_path_factory.mktemp("incremental"), 1500, seed=11)
    ws.settings.prepare_lookups = True  # each run builds its files, from the previous run's
    ws.save_settings()
    first = run_taxonomy(ws, as_of=date.fromisoformat("2026-03-31"), with_models=False)
    # a month later: everyone's recency moves, April's buyers have new orders
    second = run_taxonomy(ws, as_of=date.fromisoformat("2026-04-30"), with_models=False)
    # its full build now, while the workspace holds what the run saw (a later build reads
    # the data published then)
    kept = tmp_path_factory.mktemp("kept")
    _full_build(second, kept / second.run_id)
    # the same date, after a few buyers bought once more that day, for a cent: nobody
    # else's features move (a new buyer would move everyone's percentiles)
    with ws.read() as con:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT customer_id FROM orders WHERE ordered_at < '2026-04-01' "
                "AND status = 'paid' GROUP BY customer_id ORDER BY hash(customer_id) LIMIT ?",
                [BOUGHT_AGAIN],
            ).fetchall()
        ]
    extra = ws.root / "extra-orders.csv"
    lines = ["customer_id,order_id,ordered_at,amount,status,channel"]
    lines += [f"{c},X-{i},2026-04-30 12:00:00,0.01,paid,tmall" for i, c in enumerate(ids)]
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(ws, "orders", extra)
    assert report.inserted == BOUGHT_AGAIN, report
    third = run_taxonomy(ws, as_of=date.fromisoformat("2026-04-30"), with_models=False)
    _full_build(third, kept / third.run_id)
    return ws, [first, second, third], ids, kept


def test_each_run_starts_from_the_previous_runs_file(runs: Runs) -> None:
    _ws, (first, second, third), _ids, _kept = runs
    assert lookup.builds[first.run_id]["previous"] is None
    moved = lookup.builds[second.run_id]
    assert moved["previous"] == first.run_id
    # April's buyers' orders are written again, not everyone's
    assert isinstance(moved["orders"], int)
    assert 0 < moved["orders"] < second.customers / 2
    same_day = lookup.builds[third.run_id]
    assert same_day["previous"] == second.run_id
    # four customers bought again: their labels change (and whoever's ranks moved), their
    # orders and nobody else's; profiles and interactions are untouched
    assert isinstance(same_day["labels"], int), same_day
    assert BOUGHT_AGAIN <= same_day["labels"] < third.customers / 2
    assert same_day["orders"] == BOUGHT_AGAIN
    assert same_day["customers"] == 0
    assert same_day["events"] == 0


def test_an_incremental_file_equals_a_full_build_after_labels_changed(runs: Runs) -> None:
    _ws, (_first, second, third), _ids, kept = runs
    for run in (second, third):
        _assert_same_files(run, kept / run.run_id)


def test_the_server_shows_the_new_run(runs: Runs) -> None:
    from kequn.web.app import create_app
    from kequn.web.settings import ServerSettings

    ws, (_first, second, third), ids, _kept = runs
    assert lookup.ready_run(ws) == third
    token = add_user(ws, "incremental-admin", "admin")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    app = create_app(ServerSettings(workspace=ws.root, port=port))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as client:
            for customer_id in ids:
                now = client.get(f"/api/customers/{customer_id}").json()
                before = client.get(f"/api/customers/{customer_id}?run={second.run_id}").json()
                assert now["run"]["run_id"] == third.run_id
                # the order bought on the run's date is on top of the new run's timeline
                assert now["orders"][0]["order_id"].startswith("X-")
                assert not any(o["order_id"].startswith("X-") for o in before["orders"])
                assert now["features"]["orders"] == before["features"]["orders"] + 1
    finally:
        server.should_exit = True
        thread.join(timeout=10)
