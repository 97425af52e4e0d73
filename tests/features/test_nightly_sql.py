"""A workspace refreshed nightly compiles no SQL once its nights have their shape.

Compiling kequn's expressions is 0.2-1 s at 1M customers, so the engine keeps the SQL
under a key made from each expression (:mod:`kequn.engines.sqlcache`). Anything in an
expression that changes from one night to the next (a list of the night's import ids,
the order DISTINCT returned the channel spellings in) makes a new key and a compile.
From the third night on, a night's run with its models finds every query compiled.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kequn import pipeline
from kequn.demo import demo_workspace
from kequn.features.build import channel_spellings
from kequn.features.context import FeatureContext
from kequn.ingest.importer import import_file

END = dt.date(2026, 9, 30)  # the demo data's last day


def _compiled(ws_root: Path) -> set[str]:
    folder = ws_root / ".tmp" / "sql"
    return {p.name for p in folder.glob("*.sql")} if folder.is_dir() else set()


@pytest.mark.slow
def test_the_third_night_compiles_nothing(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path / "ws", 300, seed=17)
    ws.settings.prepare_lookups = False
    pipeline.run(ws, as_of=END)
    with ws.read() as con:
        buyers = [r[0] for r in con.execute("SELECT DISTINCT customer_id FROM orders").fetchall()]
    buyers.sort()
    written = []
    for night in range(1, 5):
        day = END + dt.timedelta(days=night)
        rows = [
            {
                "order_id": f"N{night}-{i}",
                "customer_id": customer,
                "ordered_at": dt.datetime.combine(day, dt.time(10, i % 60)),
                "amount": Decimal("10.50") + i,
                "channel": ("app", "store", "web", "电话")[i % 4],
                "status": "paid",
            }
            for i, customer in enumerate(buyers[:12])
        ]
        path = tmp_path / f"night-{night}.parquet"
        pq.write_table(pa.Table.from_pylist(rows), path)
        import_file(ws, "orders", path)
        before = _compiled(ws.root)
        run = pipeline.run(ws, as_of=day)
        written.append(len(_compiled(ws.root) - before))
        assert run.as_of_date == day
    # nights 1 and 2 meet a state without, then with, a night's delta: their queries
    # are new; from the third night on the queries are the night before's
    assert written[0] > 0
    assert written[2:] == [0, 0], f"SQL compiled per night: {written}"


def test_channel_spellings_come_in_their_own_order(tmp_path: Path) -> None:
    """The spellings (which become a CASE in the features' SQL) are in sorted order,
    whatever order DISTINCT returns them in, so the SQL is the same on every run."""
    channels = [f"channel {i:03d}" for i in range(120)] + ["APP", "门店", "web"]
    rows = pa.table({"channel": pa.array(channels[::-1] * 3, pa.string())})
    orders = ibis.memtable(rows)
    ctx = FeatureContext(END)
    spellings = channel_spellings(orders, ctx.reference("channels"))
    assert spellings is not None
    assert list(spellings) == sorted(set(channels))
    # the same spellings found in another order: the same dict, in the same order
    shuffled = ibis.memtable(pa.table({"channel": pa.array(channels * 2, pa.string())}))
    again = channel_spellings(shuffled, ctx.reference("channels"))
    assert again is not None
    assert list(again.items()) == list(spellings.items())
