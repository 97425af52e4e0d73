"""The feature state's 90 / 365-day windows are rolled forward from one run's date to the
next (kequn.features.state_windows) instead of counted again from a year of orders. Over
gaps of a day, a week, a quarter and more than a year, back to an earlier date, and after
a day's orders, the features with the state equal a full build's (EXCEPT ALL both ways),
and the windows' file says which date they are as of."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kequn import pipeline
from kequn.demo import demo_workspace
from kequn.features import state, state_windows
from kequn.features.attributes import join_attributes
from kequn.ingest.importer import import_file
from kequn.store.workspace import Workspace

END = dt.date(2026, 9, 30)  # the demo data's last day


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("windows"), 800, seed=11)
    ws.settings.prepare_lookups = False
    return ws


def _features(ws: Workspace, day: dt.date, out: Path, incremental: bool) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with pipeline.make_engine(ws, "duckdb") as engine:
        ctx = pipeline.feature_context(ws, day)
        table, _ = pipeline.features_with_models(
            engine, ctx, out.parent, with_models=False, ws=ws, incremental=incremental
        )
        kept = pipeline.kept_attributes(table, out.parent)
        if kept is not None:
            table = join_attributes(table, kept)
        engine.materialize(table, out)
    return out


def _differ(a: Path, b: Path) -> tuple[int, int]:
    con = duckdb.connect()
    q = "SELECT count(*) FROM (FROM read_parquet(?) EXCEPT ALL FROM read_parquet(?))"
    one = con.execute(q, [str(a), str(b)]).fetchone()
    two = con.execute(q, [str(b), str(a)]).fetchone()
    assert one
    assert two
    return int(one[0]), int(two[0])


def _windows_as_of(ws: Workspace) -> str:
    meta = json.loads((ws.root / state.FOLDER / "state.json").read_text(encoding="utf-8"))
    return str(meta["windows"]["as_of"])


def test_the_windows_roll_forward_to_the_same_features(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted_in_full: list[str] = []
    full_count = state_windows._full

    def counting(table: Any, name: str, ctx: Any) -> Any:
        counted_in_full.append(name)
        return full_count(table, name, ctx)

    monkeypatch.setattr(state_windows, "_full", counting)
    in_full = []
    windows_seen = []
    days = [END, END + dt.timedelta(days=1), END + dt.timedelta(days=8)]
    days += [END + dt.timedelta(days=100), END + dt.timedelta(days=500)]
    days += [END + dt.timedelta(days=50)]  # earlier than the kept windows: counted in full
    for n, day in enumerate(days):
        with_state = _features(ws, day, tmp_path / f"{n}-state" / "f.parquet", True)
        full = _features(ws, day, tmp_path / f"{n}-full" / "f.parquet", False)
        assert _differ(with_state, full) == (0, 0), day
        windows_seen.append(_windows_as_of(ws))
        in_full.append(sorted(counted_in_full))
        counted_in_full.clear()
        # the windows' counts are not all zero: the comparison means something
        counted = duckdb.execute(
            "SELECT sum(orders_365d), sum(events_90d) FROM read_parquet(?)", [str(full)]
        ).fetchone()
        assert counted is not None
        if day <= END + dt.timedelta(days=100):
            assert counted[0] > 0
    assert windows_seen == [d.isoformat() for d in days]
    # counted from the orders and events when the state was built and when the date went
    # back; rolled forward from the kept windows in between
    both = ["events", "orders"]
    assert in_full == [both, [], [], [], [], both]


def _sums(path: Path, buyers: list[str]) -> tuple[int, float]:
    got = duckdb.execute(
        "SELECT sum(orders_90d), sum(spend_365d) FROM read_parquet(?) WHERE customer_id IN "
        "(SELECT unnest(?))",
        [str(path), buyers],
    ).fetchone()
    assert got is not None
    return int(got[0]), float(got[1])


def test_a_days_orders_then_a_week_later(ws: Workspace, tmp_path: Path) -> None:
    """New orders touch their buyers, who are counted again from all their rows; the
    next week everyone else rolls on."""
    day = END + dt.timedelta(days=30)  # (imports refuse orders dated after today)
    with ws.read() as con:
        found = con.execute("SELECT DISTINCT customer_id FROM orders ORDER BY 1 LIMIT 5")
        buyers = [r[0] for r in found.fetchall()]
    before = _sums(_features(ws, day, tmp_path / "a" / "f.parquet", True), buyers)
    rows = [
        {"order_id": f"W-{i}", "customer_id": c, "ordered_at": dt.datetime.combine(day, dt.time(10)),
         "amount": Decimal("12.34"), "status": "paid"}
        for i, c in enumerate(buyers)
    ]  # fmt: skip
    path = tmp_path / "day.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    assert import_file(ws, "orders", path).accepted == 5
    for n, later in enumerate((day, day + dt.timedelta(days=7), day + dt.timedelta(days=95))):
        with_state = _features(ws, later, tmp_path / f"b{n}-state" / "f.parquet", True)
        full = _features(ws, later, tmp_path / f"b{n}-full" / "f.parquet", False)
        assert _differ(with_state, full) == (0, 0), later
        if n == 0:  # the day's five orders are in both windows
            orders, spend = _sums(with_state, buyers)
            assert (orders - before[0], round(spend - before[1], 2)) == (5, 61.7)
    assert _windows_as_of(ws) == (day + dt.timedelta(days=95)).isoformat()
