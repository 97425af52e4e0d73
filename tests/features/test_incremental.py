"""The feature state: an incremental run's features and labels equal a full rebuild's.

One demo workspace goes through what a shop's days bring: the state is built, a day of
orders and interactions is appended, a file re-imported refunds old orders (and moves
one to another customer), a customer is erased, and a run looks back before the state.
After each, the run with the state and the full rebuild (``KEQUN_FEATURE_STATE=off``)
are compared with EXCEPT ALL both ways: the features (before models) and the published
labels. The state's own record says whether it was refreshed, rebuilt or left alone, so
a test cannot pass by silently building everything in full.
"""

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
from kequn.features import state
from kequn.features.attributes import join_attributes
from kequn.ingest.importer import import_file
from kequn.privacy import erase_person
from kequn.snapshots.runs import RunInfo
from kequn.store.workspace import Workspace

END = dt.date(2026, 9, 30)  # the demo data's last day
DAY = END + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = demo_workspace(tmp_path_factory.mktemp("incremental"), 1500, seed=5)
    ws.settings.prepare_lookups = False  # the lookup files are not what is compared here
    return ws


def differing(a: str | Path | RunInfo, b: str | Path | RunInfo) -> tuple[int, int, int]:
    """Rows of ``a`` not in ``b``, of ``b`` not in ``a`` (EXCEPT ALL), and ``a``'s rows:
    of two Parquet files, or of two runs (their features and labels)."""
    one_side, other = _source(a), _source(b)
    con = duckdb.connect()
    query = "SELECT count(*) FROM (FROM {} EXCEPT ALL FROM {})"
    one = con.execute(query.format(one_side, other)).fetchone()
    two = con.execute(query.format(other, one_side)).fetchone()
    rows = con.execute(f"SELECT count(*) FROM {one_side}").fetchone()
    assert one
    assert two
    assert rows
    return int(one[0]), int(two[0]), int(rows[0])


def _source(found: str | Path | RunInfo) -> str:
    if isinstance(found, RunInfo):
        return found.rows_sql()
    return "read_parquet('" + str(found).replace("'", "''") + "')"


def features(ws: Workspace, day: dt.date, folder: Path, incremental: bool) -> Path:
    """The features before the models, with the state or in full, written to a file."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"features-{'state' if incremental else 'full'}.parquet"
    with pipeline.make_engine(ws, "duckdb") as engine:
        ctx = pipeline.feature_context(ws, day)
        table, _ = pipeline.features_with_models(
            engine, ctx, folder, with_models=False, ws=ws, incremental=incremental
        )
        kept = pipeline.kept_attributes(table, folder)
        assert incremental or kept is None  # only the state keeps the attributes apart
        if kept is not None:
            table = join_attributes(table, kept)
        engine.materialize(table, out)
    return out


def state_meta(ws: Workspace) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads(
        (ws.root / state.FOLDER / "state.json").read_text(encoding="utf-8")
    )
    return meta


def last_refresh(ws: Workspace) -> dict[str, Any]:
    last: dict[str, Any] = state_meta(ws)["last"]
    return last


def assert_same(
    ws: Workspace,
    day: dt.date,
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    min_rows: int = 1000,
) -> dict[str, Any]:
    """Features and labels with the state equal the full rebuild's; the state's record."""
    with_state = features(ws, day, tmp / "state", incremental=True)
    refresh = last_refresh(ws)
    full = features(ws, day, tmp / "full", incremental=False)
    one, two, rows = differing(with_state, full)
    assert rows > min_rows
    assert (one, two) == (0, 0), f"features differ: {one} / {two} of {rows} rows"

    monkeypatch.setenv("KEQUN_FEATURE_STATE", "on")
    incremental_run = pipeline.run(ws, as_of=day, with_models=False)
    monkeypatch.setenv("KEQUN_FEATURE_STATE", "off")
    full_run = pipeline.run(ws, as_of=day, with_models=False)
    monkeypatch.delenv("KEQUN_FEATURE_STATE")
    one, two, rows = differing(incremental_run, full_run)
    assert rows > min_rows
    assert (one, two) == (0, 0), f"labels differ: {one} / {two} of {rows} rows"
    return refresh


def query_features(path: Path, customer_id: str) -> dict[str, Any]:
    """One customer's row of a features file."""
    found = pq.read_table(path, filters=[("customer_id", "=", customer_id)]).to_pylist()
    assert len(found) == 1
    return found[0]


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def paid_on_day(order_id: str, customer_id: str, minute: int, amount: Decimal) -> dict[str, Any]:
    """A paid order on DAY at 12:``minute``."""
    return {
        "order_id": order_id,
        "customer_id": customer_id,
        "ordered_at": dt.datetime.combine(DAY, dt.time(12, minute)),
        "amount": amount,
        "status": "paid",
    }


def query(ws: Workspace, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with ws.read() as con:
        return con.execute(sql, params or []).fetchall()


@pytest.mark.slow
def test_incremental_equals_full_rebuild(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    customers = query(ws, "SELECT DISTINCT customer_id FROM orders ORDER BY 1 LIMIT 80")
    ids = [r[0] for r in customers]

    # the first run builds the state
    built = assert_same(ws, END, tmp_path / "0", monkeypatch)
    assert built["mode"] == "built"
    assert built["touched"] == {"orders": -1, "events": -1, "customers": -1}
    bases = state_meta(ws)["files"]

    # (a) a day of orders (existing customers, one new) and interactions appended
    orders = [
        {
            "order_id": f"D-{i}",
            "customer_id": cid,
            "ordered_at": dt.datetime.combine(DAY, dt.time(9 + i % 12, 7)),
            "amount": Decimal("88.50") + i,
            "quantity": 1 + i % 3,
            "discount": Decimal("5.00") if i % 4 == 0 else Decimal("0.00"),
            "channel": ("app", "store", "wechat")[i % 3],
            "status": "paid",
        }
        for i, cid in enumerate([*ids[:40], "C-NEW-1"])
    ]
    import_file(ws, "orders", write(tmp_path / "day-orders.parquet", orders))
    events = [
        {
            "event_id": f"DE-{i}",
            "customer_id": cid,
            "occurred_at": dt.datetime.combine(DAY, dt.time(10, i % 60)),
            "type": ("view", "inquiry", "complaint")[i % 3],
            "channel": "app",
        }
        for i, cid in enumerate(ids[30:60])
    ]
    import_file(ws, "events", write(tmp_path / "day-events.parquet", events))
    refreshed = assert_same(ws, DAY, tmp_path / "a", monkeypatch)
    assert refreshed["mode"] == "refreshed"
    assert 0 < refreshed["touched"]["orders"] <= 41  # only the day's customers
    assert 0 < refreshed["touched"]["events"] <= 30
    # the day's customers went to each table's delta; the bases were left as they were
    after_day = state_meta(ws)
    assert {t: after_day["files"][t] for t in ("orders", "events")} == {
        t: bases[t] for t in ("orders", "events")
    }
    assert set(after_day["deltas"]) == {"orders", "events"}
    # nothing new: the state is used as it is, the attribute columns too, and the age
    # from a birth date is still the as-of date's (the day after the state was built)
    unchanged = assert_same(ws, DAY, tmp_path / "a2", monkeypatch)
    assert unchanged["mode"] == "unchanged"
    assert unchanged["touched"] == {"orders": 0, "events": 0, "customers": 0}
    birthdays = query(ws, "SELECT count(*) FROM customers WHERE birth_date IS NOT NULL")
    assert birthdays[0][0] > 100

    # (a3) customers re-imported with another city, birth date and source: the attribute
    # columns are written again, and a birthday between two runs moves the age
    people = query(
        ws,
        """SELECT customer_id, name FROM customers WHERE birth_date IS NOT NULL
        ORDER BY customer_id LIMIT 12""",
    )
    moved = [
        {
            "customer_id": cid,
            "name": name,
            "city": "杭州市",
            "birth_date": dt.date(1990, DAY.month, DAY.day) + dt.timedelta(days=i % 2),
            "source": "抖音直播",
        }
        for i, (cid, name) in enumerate(people)
    ]
    import_file(ws, "customers", write(tmp_path / "moved.parquet", moved))
    again = assert_same(ws, DAY, tmp_path / "a3", monkeypatch)
    assert again["touched"]["customers"] == -1
    assert again["touched"]["orders"] == 0
    ages = {
        later: query_features(features(ws, later, tmp_path / f"a3-{later}", True), people[0][0])
        for later in (DAY, DAY + dt.timedelta(days=400))
    }
    assert ages[DAY]["city_norm"] == "杭州"
    assert ages[DAY]["age"] == DAY.year - 1990
    assert ages[DAY + dt.timedelta(days=400)]["age"] == DAY.year - 1990 + 1

    # (b) a re-import refunds old orders, partly refunds some, and moves one to another
    # customer (whose old customer then lost a row the state had counted)
    old = query(
        ws,
        """SELECT order_id, customer_id, ordered_at, amount FROM orders
        WHERE status = 'paid' AND ordered_at < DATE '2026-06-01' ORDER BY order_id LIMIT 30""",
    )
    changed = []
    for i, (oid, cid, at, amount) in enumerate(old):
        row = {"order_id": oid, "customer_id": cid, "ordered_at": at, "amount": amount}
        if i % 3 == 0:
            row |= {"status": "refunded", "refunded": amount}
        elif i % 3 == 1:
            row |= {"status": "partially_refunded", "refunded": (amount / 2).quantize(amount)}
        else:
            row |= {"status": "paid", "refunded": Decimal("0.00")}
        changed.append(row)
    changed[-1]["customer_id"] = ids[-1]  # moved
    report = import_file(ws, "orders", write(tmp_path / "refunds.parquet", changed))
    assert report.updated >= 20
    refunded = assert_same(ws, DAY, tmp_path / "b", monkeypatch)
    assert refunded["mode"] == "refreshed"
    assert 0 < refunded["touched"]["orders"] <= 31

    # (b2) every order of one customer moved to another: the first has no order row left
    (left_alone,) = query(
        ws,
        """SELECT customer_id FROM orders WHERE NOT list_contains(?, customer_id)
        GROUP BY 1 HAVING count(*) BETWEEN 2 AND 5 ORDER BY 1 DESC LIMIT 1""",
        [ids],
    )[0]
    theirs = query(
        ws,
        "SELECT order_id, ordered_at, amount, status FROM orders WHERE customer_id = ?",
        [left_alone],
    )
    handed = [
        {"order_id": oid, "customer_id": ids[0], "ordered_at": at, "amount": amount,
         "status": status}
        for oid, at, amount, status in theirs
    ]  # fmt: skip
    import_file(ws, "orders", write(tmp_path / "handed.parquet", handed))
    assert_same(ws, DAY, tmp_path / "b2", monkeypatch)
    # its delta row says it has none left (state_rows NULL), which hides its base row
    delta = ws.root / state.FOLDER / state_meta(ws)["deltas"]["orders"]
    gone_row = pq.read_table(delta, filters=[("customer_id", "=", left_alone)]).to_pylist()
    assert [r["state_rows"] for r in gone_row] == [None]

    # (c) a customer with orders and interactions erased
    # one erased and forgotten by the state at once, one found gone by the next run
    gone, later = (
        r[0]
        for r in query(
            ws,
            """SELECT DISTINCT o.customer_id FROM orders o SEMI JOIN events e USING (customer_id)
            WHERE NOT list_contains(?, o.customer_id) ORDER BY 1 LIMIT 2""",
            [ids],
        )
    )

    def in_state(cid: str) -> int:
        found = (
            duckdb.connect()
            .execute(
                "SELECT count(*) FROM read_parquet(?) WHERE customer_id = ?",
                [str(ws.root / state.FOLDER / "*.parquet"), cid],
            )
            .fetchone()
        )
        return int(found[0]) if found else -1

    assert in_state(gone) == 3  # its order totals, its event totals, its attributes
    erase_person(ws, gone)
    assert state.forget(ws.root / state.FOLDER, gone) in (0, 2)  # 0: the erasure did it
    assert in_state(gone) == 0
    erased = assert_same(ws, DAY, tmp_path / "c", monkeypatch)
    # nothing left to compute; the customers' rows changed, so their columns are new
    assert erased["touched"] == {"orders": 0, "events": 0, "customers": -1}
    erase_person(ws, later)
    left = in_state(later)  # 3, unless the erasure forgets it in the state itself
    erased = assert_same(ws, DAY, tmp_path / "c2", monkeypatch)
    expected = {"orders": 1, "events": 1} if left else {"orders": 0, "events": 0}
    assert erased["touched"] == {**expected, "customers": -1}
    assert in_state(later) == 0

    # (d) an as-of before the state's newest rows: built in full, the state left as it is
    before = json.loads((ws.root / state.FOLDER / "state.json").read_text(encoding="utf-8"))
    earlier = dt.date(2026, 6, 30)
    with_state = features(ws, earlier, tmp_path / "d" / "state", incremental=True)
    full = features(ws, earlier, tmp_path / "d" / "full", incremental=False)
    assert differing(with_state, full)[:2] == (0, 0)
    after = json.loads((ws.root / state.FOLDER / "state.json").read_text(encoding="utf-8"))
    assert after == before


@pytest.mark.slow
def test_state_rebuilt_when_most_rows_are_new(tmp_path: Path) -> None:
    """An import bigger than REBUILD_SHARE of the rows rebuilds the state whole, and a
    state of another version is not read."""
    ws = demo_workspace(tmp_path, 300, seed=3)
    ws.settings.prepare_lookups = False
    features(ws, END, tmp_path / "0", incremental=True)
    assert last_refresh(ws)["mode"] == "built"
    many = query(ws, "SELECT DISTINCT customer_id FROM orders ORDER BY 1")
    rows = [
        paid_on_day(f"M-{i}-{k}", cid, k, Decimal("10.00"))
        for i, (cid,) in enumerate(many)
        for k in range(8)
    ]
    import_file(ws, "orders", write(tmp_path / "many.parquet", rows))
    with_state = features(ws, DAY, tmp_path / "1", incremental=True)
    assert last_refresh(ws)["touched"]["orders"] == -1  # rebuilt whole
    assert last_refresh(ws)["touched"]["events"] == 0
    full = features(ws, DAY, tmp_path / "2", incremental=False)
    assert differing(with_state, full)[:2] == (0, 0)

    meta_path = ws.root / state.FOLDER / "state.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["version"] = -1
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    features(ws, DAY, tmp_path / "3", incremental=True)
    assert last_refresh(ws)["mode"] == "built"
    assert state.discard(ws.root / state.FOLDER) >= 3  # two tables and their record
    assert not list((ws.root / state.FOLDER).glob("*.parquet"))


@pytest.mark.slow
def test_delta_folded_into_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A delta larger than COMPACT_SHARE of its base is folded into a new base (here at
    once: the share set to 0), and the state still answers as a full rebuild does; a
    missing delta file makes the state unusable (built again), never silently stale."""
    ws = demo_workspace(tmp_path, 300, seed=3)
    ws.settings.prepare_lookups = False
    assert_same(ws, END, tmp_path / "0", monkeypatch, 200)
    first = state_meta(ws)
    some = query(ws, "SELECT DISTINCT customer_id FROM orders ORDER BY 1 LIMIT 5")
    rows = [paid_on_day(f"F-{i}", cid, i, Decimal("20.00")) for i, (cid,) in enumerate(some)]
    import_file(ws, "orders", write(tmp_path / "five.parquet", rows))
    monkeypatch.setattr(state, "COMPACT_SHARE", 0.0)
    folded = assert_same(ws, DAY, tmp_path / "1", monkeypatch, 200)
    assert folded["touched"]["orders"] == 5
    meta = state_meta(ws)
    assert "orders" not in meta["deltas"]
    assert meta["files"]["orders"] != first["files"]["orders"]
    assert sorted(p.name for p in (ws.root / state.FOLDER).glob("orders*.parquet")) == [
        meta["files"]["orders"]
    ]

    monkeypatch.setattr(state, "COMPACT_SHARE", 1.0)
    more = [r | {"order_id": r["order_id"] + "-2"} for r in rows]
    import_file(ws, "orders", write(tmp_path / "five-more.parquet", more))
    assert_same(ws, DAY, tmp_path / "2", monkeypatch, 200)
    meta = state_meta(ws)
    (ws.root / state.FOLDER / meta["deltas"]["orders"]).unlink()
    features(ws, DAY, tmp_path / "3", incremental=True)
    assert last_refresh(ws)["mode"] == "built"


def _state_rows(ws: Workspace) -> str:
    """The state's order rows as a query over its files: the base's customers not in the
    delta, and the delta's live rows (as the state reads them)."""
    folder = ws.root / state.FOLDER
    meta = state_meta(ws)
    base = "read_parquet('" + str(folder / meta["files"]["orders"]) + "')"
    delta = meta["deltas"].get("orders")
    if delta is None:
        return f"(SELECT * FROM {base})"
    new = "read_parquet('" + str(folder / delta) + "')"
    return (
        f"(SELECT * FROM {base} WHERE customer_id NOT IN (SELECT customer_id FROM {new}) "
        f"UNION ALL SELECT * FROM {new} WHERE state_rows IS NOT NULL)"
    )


@pytest.mark.slow
def test_a_days_orders_added_to_the_kept_sums(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import that only adds orders: the customers whose new purchases all come after
    their kept last one have them added to their kept sums (no reading of their history),
    the others are computed again; the state's rows, hidden sums included, equal a state
    built from every order, and the features and labels a full rebuild's."""
    ws = demo_workspace(tmp_path, 300, seed=11)
    ws.settings.prepare_lookups = False
    assert_same(ws, END, tmp_path / "0", monkeypatch, 200)
    last = dict(query(ws, "SELECT customer_id, max(ordered_at)::DATE FROM orders GROUP BY 1"))
    buyers = sorted(last)
    a, b, c, d, f, g = buyers[:6]
    on = dt.datetime.combine
    rows = [
        paid_on_day("N-A", a, 1, Decimal("12.30")) | {"quantity": 3},  # merged
        paid_on_day("N-B1", b, 2, Decimal("5.00")),  # merged: two orders on one new day,
        paid_on_day("N-B2", b, 3, Decimal("7.25")) | {"quantity": 2},  # one quantity
        # on its kept last day: that day is no new purchase day, computed again
        paid_on_day("N-C", c, 4, Decimal("9.00")) | {"ordered_at": on(last[c], dt.time(23))},
        # back-dated: a gap inside the history, computed again
        paid_on_day("N-D", d, 5, Decimal("8.00"))
        | {"ordered_at": on(last[d] - dt.timedelta(days=40), dt.time(9))},
        # a refund alone, no purchase: computed again
        paid_on_day("N-F", f, 6, Decimal("4.00")) | {"status": "refunded"},
        # a purchase and a refund on the new day: merged, one refund more
        paid_on_day("N-G1", g, 7, Decimal("30.00")),
        paid_on_day("N-G2", g, 8, Decimal("6.00")) | {"status": "refunded"},
        # a customer without a row before: the new rows are all there is
        paid_on_day("N-E1", "NEW-E", 9, Decimal("3.00")),
        paid_on_day("N-E2", "NEW-E", 10, Decimal("4.00"))
        | {"ordered_at": on(DAY + dt.timedelta(days=1), dt.time(8))},
    ]
    import_file(ws, "orders", write(tmp_path / "day.parquet", rows), create_customers=True)
    later = DAY + dt.timedelta(days=1)
    refresh = assert_same(ws, later, tmp_path / "1", monkeypatch, 200)
    assert refresh["mode"] == "refreshed"
    assert refresh["touched"]["orders"] == 7
    assert refresh["merged"]["orders"] == 4  # a, b, g and the new customer

    merged = _state_rows(ws)
    con = duckdb.connect()
    kept = con.execute(f"FROM {merged} ORDER BY customer_id").fetch_arrow_table()
    row = {r["customer_id"]: r for r in kept.to_pylist()}
    assert row[b]["purchase_days"] >= 2
    assert row[g]["refunds"] >= 1
    assert row["NEW-E"]["gap_sum"] == 1.0
    state.discard(ws.root / state.FOLDER)
    features(ws, later, tmp_path / "2", incremental=True)
    assert last_refresh(ws)["mode"] == "built"
    built = con.execute(f"FROM {_state_rows(ws)} ORDER BY customer_id").fetch_arrow_table()
    assert kept.schema == built.schema
    query_ = "SELECT count(*) FROM (FROM {} EXCEPT ALL FROM {})"
    con.register("kept", kept)
    con.register("built", built)
    assert con.execute(query_.format("kept", "built")).fetchone() == (0,)
    assert con.execute(query_.format("built", "kept")).fetchone() == (0,)
    assert kept.num_rows == built.num_rows
