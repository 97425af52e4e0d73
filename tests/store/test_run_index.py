"""A run's lookup files answer exactly what the run's Parquet and the workspace hold."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import sqlite3
from pathlib import Path

import duckdb
import pytest

from kequn.engines.base import parquet_glob
from kequn.store import run_index
from kequn.store.runs import RunInfo, get_run
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunInfo:
    from kequn.demo import demo_workspace
    from kequn.results import run_taxonomy

    ws = demo_workspace(tmp_path_factory.mktemp("index"), 1500, seed=5)
    # a date inside the data, so the timeline must leave later orders and events out
    run_taxonomy(ws, as_of="2026-03-31")
    found = get_run(Workspace.open(ws.root))
    assert found is not None
    run_index.build_index(found)
    return found


def _ids(run: RunInfo) -> list[str]:
    """Customers with something of each kind: orders, events, a map of attributes, dates."""
    return [
        r[0]
        for r in duckdb.execute(
            "SELECT customer_id FROM read_parquet(?) ORDER BY hash(customer_id) LIMIT 300",
            [parquet_glob(run.labels_path)],
        ).fetchall()
    ]


def test_labels_come_back_with_duckdb_types(run: RunInfo) -> None:
    db = run_index.points(run)
    expected = duckdb.execute(
        "SELECT * FROM read_parquet(?) WHERE customer_id IN (SELECT unnest(?)) "
        "ORDER BY customer_id",
        [parquet_glob(run.labels_path), _ids(run)],
    )
    names = [d[0] for d in expected.description]
    want = expected.fetchall()
    got_names, got = db.query(
        "labels",
        "SELECT * FROM labels WHERE customer_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY customer_id",
        [json.dumps(_ids(run))],
    )
    assert got_names == names
    assert len(got) == len(want) == 300
    kinds = {type(v) for row in got for v in row}
    assert {dt.date, bool, float, int, str} <= kinds  # dates, flags, scores, counts, labels
    for g, w in zip(got, want, strict=True):
        for name, a, b in zip(names, g, w, strict=True):
            assert type(a) is type(b) or b is None, name
            assert a == b or (a != a and b != b), (name, a, b)  # NaN == NaN here


def test_profile_tables_match_the_workspace_as_of_the_run(run: RunInfo) -> None:
    ws = Workspace.open(run.labels_path.parent.parent.parent)
    db = run_index.points(run)
    until = dt.datetime.fromisoformat(run.as_of) + dt.timedelta(days=1)
    ids = _ids(run)
    with ws.read() as con:
        customers = con.execute(
            "SELECT * FROM customers WHERE customer_id IN (SELECT unnest(?)) ORDER BY 1", [ids]
        ).fetchall()
        orders = con.execute(
            "SELECT order_id, ordered_at, amount, quantity, discount, channel, status "
            "FROM orders WHERE customer_id = ? AND ordered_at < ? "
            "ORDER BY ordered_at DESC, order_id DESC",
            [ids[0], until],
        ).fetchall()
        later = con.execute("SELECT count(*) FROM orders WHERE ordered_at >= ?", [until]).fetchone()
        events = con.execute(
            "SELECT occurred_at, type, channel FROM events WHERE customer_id = ? "
            "AND occurred_at < ? ORDER BY occurred_at DESC",
            [ids[0], until],
        ).fetchall()
    _, got = db.query(
        "customers",
        "SELECT * FROM customers WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY 1",
        [json.dumps(ids)],
    )
    assert got == customers
    assert any(isinstance(v, decimal.Decimal) for row in got for v in row)
    assert any(isinstance(v, dict) and v for row in got for v in row)  # the attributes map
    _, got_orders = db.query(
        "orders",
        "SELECT order_id, ordered_at, amount, quantity, discount, channel, status "
        "FROM orders WHERE customer_id = ? ORDER BY n DESC",
        [ids[0]],
    )
    assert got_orders == orders
    assert orders
    assert isinstance(got_orders[0][1], dt.datetime)
    assert isinstance(got_orders[0][2], decimal.Decimal)
    assert later
    assert later[0] > 0
    (latest,) = db.query("orders", "SELECT max(ordered_at) FROM orders", [])[1][0]
    assert latest < int((until - dt.datetime(1970, 1, 1)).total_seconds() * 1e6)
    _, got_events = db.query(
        "events",
        "SELECT occurred_at, type, channel FROM events WHERE customer_id = ? ORDER BY n DESC",
        [ids[0]],
    )
    assert [e[1:] for e in got_events] == [e[1:] for e in events]
    assert [e[0] for e in got_events] == [e[0] for e in events]


def test_top_members_are_each_segments_first_by_spend(run: RunInfo) -> None:
    db = run_index.points(run)
    labels = parquet_glob(run.labels_path)
    counts = run.counts or {}
    for dimension in ("lifecycle", "value", "rfm"):
        label = max(counts[dimension], key=counts[dimension].__getitem__)
        _, top = db.query(
            "top_members",
            "SELECT customer_id, spend FROM top_members WHERE dimension = ? AND label = ? "
            "ORDER BY rank",
            [dimension, label],
        )
        want = duckdb.execute(
            f'SELECT customer_id, spend FROM read_parquet(?) WHERE "{dimension}" = ? '
            f"ORDER BY spend DESC NULLS LAST, customer_id LIMIT {run_index.TOP_MEMBERS}",
            [labels, label],
        ).fetchall()
        assert top == want
        assert want


def test_a_lookup_file_of_the_old_layout_is_rebuilt(run: RunInfo) -> None:
    run_index.points_path(run).rename(run_index.points_path(run).with_suffix(".moved"))
    run_index._ready.clear()  # as in a new process: readiness is remembered per process
    try:
        assert not run_index.is_ready(run)
        run_index.build_index(run)
        assert run_index.is_ready(run)
    finally:
        run_index.points_path(run).with_suffix(".moved").unlink()


def test_each_thread_keeps_a_few_readers_open(run: RunInfo, tmp_path: Path) -> None:
    # the same file under other runs' names, as a server sees after many runs
    copies = []
    for i in range(run_index.READERS_PER_THREAD + 2):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        for name in (run_index.INDEX_NAME, run_index.POINTS_NAME):
            (folder / name).symlink_to(run.labels_path.parent / name)
        copies.append(dataclasses.replace(run, path=str(folder)))
    opened = [run_index.points(c) for c in copies]
    assert run_index.points(copies[-1]) is opened[-1]  # kept
    assert run_index.points(copies[0]) is not opened[0]  # closed, opened again
    with pytest.raises(sqlite3.ProgrammingError):
        opened[1].con.execute("SELECT 1")  # closed: the least recently used
    _, rows = run_index.points(copies[2]).query("labels", "SELECT count(*) FROM labels", [])
    assert rows[0][0] == sum(run.counts["lifecycle"].values())
