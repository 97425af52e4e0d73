"""A run's lookup files answer exactly what the run's Parquet and the workspace hold."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import decimal
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from kequn.core.compute import parquet_glob
from kequn.snapshots import lookup, packed
from kequn.snapshots.direct import Direct
from kequn.snapshots.runs import RunInfo, get_run
from kequn.snapshots.tie_order import tie_order
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunInfo:
    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy

    ws = demo_workspace(tmp_path_factory.mktemp("index"), 1500, seed=5)
    # a date inside the data, so the timeline must leave later orders and events out
    run_taxonomy(ws, as_of=date.fromisoformat("2026-03-31"))
    found = get_run(Workspace.open(ws.root))
    assert found is not None
    lookup.build_index(found)
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


@pytest.fixture(params=["built", "direct"])
def db(run: RunInfo, request: pytest.FixtureRequest) -> Iterator[packed.Points | Direct]:
    """The run's point lookups from its SQLite file, or read on the spot (before the file
    is built): the same answers."""
    if request.param == "built":
        found = lookup.points(run)
        assert found is not None
        yield found
    else:
        with Direct(run) as direct:
            yield direct


def test_labels_come_back_with_duckdb_types(run: RunInfo, db: packed.Points | Direct) -> None:
    expected = duckdb.execute(
        f"SELECT * FROM {run.rows_sql()} WHERE customer_id IN (SELECT unnest(?)) "
        "ORDER BY customer_id",
        [_ids(run)],
    )
    names = [d[0] for d in expected.description]
    want = expected.fetchall()
    got = [db.record("labels", w[0]) for w in want]
    assert len(got) == len(want) == 300
    kinds = {type(v) for row in got if row for v in row.values()}
    assert {dt.date, bool, float, int, str} <= kinds  # dates, flags, scores, counts, labels
    for g, w in zip(got, want, strict=True):
        assert g is not None
        assert list(g) == names
        for name, a, b in zip(names, g.values(), w, strict=True):
            assert type(a) is type(b) or b is None, name
            assert a == b or (a != a and b != b), (name, a, b)  # NaN == NaN here
    assert db.record("labels", "no such customer") is None


def test_profile_tables_match_the_workspace_as_of_the_run(
    run: RunInfo, db: packed.Points | Direct
) -> None:
    ws = Workspace.open(run.labels_path.parent.parent.parent)
    until = dt.datetime.fromisoformat(run.as_of) + dt.timedelta(days=1)
    ids = _ids(run)
    with ws.read() as con:
        found = con.execute(
            "SELECT * FROM customers WHERE customer_id IN (SELECT unnest(?)) ORDER BY 1", [ids]
        )
        names = [d[0] for d in found.description]
        customers = [dict(zip(names, row, strict=True)) for row in found.fetchall()]
        later = con.execute("SELECT count(*) FROM orders WHERE ordered_at >= ?", [until]).fetchone()
        timelines = []
        for customer_id in ids:
            orders = con.execute(
                "SELECT order_id, ordered_at, amount, quantity, discount, channel, status "
                "FROM orders WHERE customer_id = ? AND ordered_at < ? "
                "ORDER BY ordered_at DESC, order_id DESC",
                [customer_id, until],
            ).fetchall()
            events = con.execute(
                "SELECT occurred_at, type, channel FROM events WHERE customer_id = ? "
                "AND occurred_at < ? ORDER BY occurred_at DESC, type DESC, channel DESC",
                [customer_id, until],
            ).fetchall()
            timelines.append((orders, events))
    assert [db.record("customers", c["customer_id"]) for c in customers] == customers
    assert any(isinstance(v, decimal.Decimal) for c in customers for v in c.values())
    assert any(isinstance(v, dict) and v for c in customers for v in c.values())  # the map
    for customer_id, (orders, events) in zip(ids, timelines, strict=True):
        assert [tuple(o.values()) for o in db.timeline("orders", customer_id)] == orders
        assert [tuple(e.values()) for e in db.timeline("events", customer_id)] == events
    assert sum(len(o) for o, _ in timelines) > 300  # ids have orders, and some have several
    assert sum(len(e) for _, e in timelines) > 0
    some = next(o for o, _ in timelines if o)[0]
    assert isinstance(some[1], dt.datetime)
    assert isinstance(some[2], decimal.Decimal)
    assert later
    assert later[0] > 0  # the data goes on after the run's date, and the timelines stop
    latest = max(o[1] for o, _ in timelines for o in o)
    assert latest < until
    assert db.timeline("orders", "no such customer") == []


def test_a_profile_page_is_the_same_before_its_files_are_built(
    run: RunInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kequn.snapshots import read

    ids = _ids(run)[:60]
    built = [read.profile(run, c, "zh") for c in ids]
    monkeypatch.setattr(lookup, "points", lambda _run: None)  # as before the build
    assert [read.profile(run, c, "zh") for c in ids] == built
    assert all(b is not None and b["orders"] for b in built[:5])
    assert read.profile(run, "no such customer", "en") is None


def test_a_timeline_keeps_the_newest_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packed, "TIMELINE", 3)
    monkeypatch.setattr(packed, "BATCH", 2)  # customers' rows span batches
    con = duckdb.connect()
    source = (
        "SELECT customer_id, DATE '2026-01-01' + CAST(i AS INTEGER) AS day, i * 1.5 AS amount "
        "FROM (VALUES ('a', 5), ('b', 2), ('c', 1), ('d', 0)) t(customer_id, n), range(n) r(i)"
    )
    path = tmp_path / "t.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as sq:
        packed.pack(con, sq, "orders", source, newest="day DESC")
        sq.commit()
    db = packed.Points(path)
    assert [o["day"] for o in db.timeline("orders", "a")] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 4),
        dt.date(2026, 1, 3),
    ]
    assert db.timeline("orders", "b") == [
        {"day": dt.date(2026, 1, 2), "amount": decimal.Decimal("1.5")},
        {"day": dt.date(2026, 1, 1), "amount": decimal.Decimal("0.0")},
    ]
    assert db.timeline("orders", "c") == [{"day": dt.date(2026, 1, 1), "amount": 0}]
    assert db.timeline("orders", "d") == []
    _, count = db.query("orders", "SELECT count(*) FROM orders", [])
    assert count == [(3,)]  # each customer once


def test_top_members_are_each_segments_first_by_spend(run: RunInfo) -> None:
    db = lookup.points(run)
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
            f'SELECT customer_id, spend FROM {run.rows_sql()} WHERE "{dimension}" = ? '
            f"ORDER BY spend DESC NULLS LAST, {tie_order(run.ws)} LIMIT {lookup.TOP_MEMBERS}",
            [label],
        ).fetchall()
        assert top == want
        assert want


def test_every_segment_keeps_its_first_members_in_order(
    run: RunInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each label of every dimension, exclusive or tag, keeps its first TOP_MEMBERS by
    spend (ties as :mod:`kequn.snapshots.tie_order` orders them), ranked 1..n; with a small cap so that segments overflow it."""
    from kequn.taxonomy.model import load_taxonomy

    monkeypatch.setattr(lookup, "TOP_MEMBERS", 25)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {lookup.LABELS_VIEW} AS SELECT * FROM {run.rows_sql()}")
    lookup._top_members(con, run)
    taxonomy = load_taxonomy(run.taxonomy_path)
    overflowing = 0
    for dim in taxonomy.dimensions:
        for label in dim.labels:
            column, value = (
                (dim.id, label.id) if dim.type == "exclusive" else (dim.tag_column(label.id), True)
            )
            want = con.execute(
                f'SELECT customer_id FROM {lookup.LABELS_VIEW} WHERE "{column}" = ? '
                f"ORDER BY spend DESC NULLS LAST, {tie_order(run.ws)}",
                [value],
            ).fetchall()
            got = con.execute(
                "SELECT rank, customer_id FROM top_members WHERE dimension = ? AND label = ? "
                "ORDER BY rank",
                [dim.id, label.id],
            ).fetchall()
            assert got == [(i + 1, w[0]) for i, w in enumerate(want[:25])], (dim.id, label.id)
            overflowing += len(want) > 25
    assert overflowing > 20  # both kinds of dimension have segments over the cap
    tagged = con.execute(
        "SELECT count(DISTINCT dimension) FROM top_members WHERE rank = 25 AND dimension IN "
        "(SELECT unnest(?))",
        [[d.id for d in taxonomy.dimensions if d.type != "exclusive"]],
    ).fetchone()
    assert tagged is not None
    assert tagged[0] > 0


def test_a_lookup_file_of_the_old_layout_is_rebuilt(run: RunInfo) -> None:
    lookup.points_path(run).rename(lookup.points_path(run).with_suffix(".moved"))
    lookup._ready.clear()  # as in a new process: readiness is remembered per process
    try:
        assert not lookup.is_ready(run)
        lookup.build_index(run)
        assert lookup.is_ready(run)
    finally:
        lookup.points_path(run).with_suffix(".moved").unlink()


def test_each_thread_keeps_a_few_readers_open(run: RunInfo, tmp_path: Path) -> None:
    # the same file under other runs' names, as a server sees after many runs
    copies = []
    for i in range(lookup.READERS_PER_THREAD + 2):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        for name in (lookup.INDEX_NAME, lookup.POINTS_NAME):
            (folder / name).symlink_to(run.labels_path.parent / name)
        copies.append(dataclasses.replace(run, path=str(folder)))
    opened = [lookup.points(c) for c in copies]
    assert lookup.points(copies[-1]) is opened[-1]  # kept
    assert lookup.points(copies[0]) is not opened[0]  # closed, opened again
    with pytest.raises(sqlite3.ProgrammingError):
        opened[1].con.execute("SELECT 1")  # closed: the least recently used
    _, rows = lookup.points(copies[2]).query("labels", "SELECT count(*) FROM labels", [])
    assert rows[0][0] == sum(run.counts["lifecycle"].values())


def test_only_the_newest_runs_keep_their_lookup_files(tmp_path: Path) -> None:
    from kequn.demo import demo_workspace
    from kequn.pipeline import run as run_taxonomy
    from kequn.snapshots.runs import list_runs

    ws = demo_workspace(tmp_path, 80, seed=4)
    ws.settings.keep_lookups = 2  # [serve] in kequn.toml; the build reads it from there
    ws.settings.prepare_lookups = False  # this test builds them itself, in its own order
    ws.save_settings()
    for day in ("2026-05-31", "2026-06-30", "2026-07-31"):
        run_taxonomy(ws, as_of=date.fromisoformat(day), with_models=False)
    oldest, middle, newest = reversed(list_runs(ws))

    def has_files(run: RunInfo) -> bool:
        return lookup.index_path(run).exists() and lookup.points_path(run).exists()

    for run in (oldest, middle):
        lookup.build_index(run)
    assert [has_files(r) for r in (oldest, middle, newest)] == [False, True, False]
    lookup.build_index(oldest)  # pruned when the middle's were built; built again
    reader = lookup.points(oldest)  # open before the oldest's files go
    assert reader is not None
    customer = _ids(oldest)[0]
    lookup.build_index(newest)
    assert [has_files(r) for r in (oldest, middle, newest)] == [False, True, True]
    labels = reader.record("labels", customer)  # an open reader still reads
    orders = reader.timeline("orders", customer)
    assert labels is not None
    # ... but is not asked again: its file is gone, so the run is read from its Parquet
    # and the workspace (the same answers), and reading builds nothing
    assert lookup.points(oldest) is None
    with lookup.reader(oldest) as db:
        assert isinstance(db, Direct)
        assert db.record("labels", customer) == labels
        assert db.timeline("orders", customer) == orders
    with lookup.cursor(oldest) as cur:
        found = cur.execute("SELECT count(*) FROM labels").fetchone()
    assert found == (sum(oldest.counts["lifecycle"].values()),)
    assert [has_files(r) for r in (oldest, middle, newest)] == [False, True, True]
    lookup.build_index(newest)  # already built: nothing is pruned on the way
    assert has_files(middle)
