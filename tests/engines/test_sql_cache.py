"""Compiled SQL is kept between runs under a key only the same expression has."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kequn.engines.duckdb import DuckDBEngine
from kequn.engines.sqlcache import fingerprint, split_names
from kequn.features.build import FeatureContext, order_features
from kequn.features.dated import paid_orders
from kequn.store.workspace import Workspace

AS_OF = dt.date(2026, 9, 30)

#: the same features, built in a fresh interpreter with another string-hash seed
BUILD_ELSEWHERE = """
import datetime as dt, sys
from pathlib import Path
from kequn.engines.duckdb import DuckDBEngine
from kequn.engines.sqlcache import fingerprint, split_names
from kequn.features.build import FeatureContext, order_features
from kequn.features.dated import paid_orders
from kequn.store.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]))
with DuckDBEngine(ws.read(), tmp_dir=Path(sys.argv[2]), memory_limit="500MB") as engine:
    orders = engine.tables()["orders"]
    ctx = FeatureContext(dt.date(2026, 9, 30))
    print(fingerprint(order_features(paid_orders(orders, ctx.as_of), orders, ctx)))
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from kequn.demo import demo_workspace

    return demo_workspace(tmp_path_factory.mktemp("sqlcache"), 300, seed=4)


def _features(engine: DuckDBEngine, day: dt.date) -> ibis.Table:
    orders = engine.tables()["orders"]
    ctx = FeatureContext(day)
    return order_features(paid_orders(orders, ctx.as_of), orders, ctx)


def test_the_key_names_the_expression_and_nothing_else(ws: Workspace, tmp_path: Path) -> None:
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        key = fingerprint(_features(engine, AS_OF))
        assert key is not None
        assert fingerprint(_features(engine, AS_OF)) == key  # built again: equal
        assert fingerprint(_features(engine, AS_OF - dt.timedelta(days=1))) != key
        # a string, a number, a type: each its own key
        orders = engine.tables()["orders"]
        keys = {
            fingerprint(orders.filter(orders.channel == "tmall")),
            fingerprint(orders.filter(orders.channel == "jd")),
            fingerprint(orders.filter(orders.quantity > 1)),
            fingerprint(orders.filter(orders.quantity > 1.5)),
            fingerprint(orders.select(q=orders.quantity.cast("int32"))),
            fingerprint(orders.select(q=orders.quantity.cast("int64"))),
        }
        assert len(keys) == 6
        # rows in memory would have to be part of the key: none
        rows = ibis.memtable(pa.table({"customer_id": ["a"], "x": [1.0]}))
        assert fingerprint(rows.mutate(y=rows.x + 1)) is None
    # the same in another interpreter, whose string hashes differ
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    elsewhere = subprocess.run(
        [sys.executable, "-c", BUILD_ELSEWHERE, str(ws.root), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert elsewhere.stdout.strip() == key


def test_a_second_engine_runs_the_kept_sql_with_the_same_result(
    ws: Workspace, tmp_path: Path
) -> None:
    cache = tmp_path / "sql"
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        first = engine.materialize(_features(engine, AS_OF), tmp_path / "a.parquet")
        assert first.count().execute() > 0
    kept = list(cache.glob("*.sql"))
    assert len(kept) == 1
    # a wrong SQL under that key would show: the second engine must use the file
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        expr = _features(engine, AS_OF)
        key = fingerprint(expr)
        assert kept[0].name == f"{key}.sql"
        kept[0].write_text(kept[0].read_text() + " LIMIT 3")
        engine.materialize(expr, tmp_path / "b.parquet")
    assert duckdb.execute(
        "SELECT count(*) FROM read_parquet(?)", [str(tmp_path / "b.parquet")]
    ).fetchone() == (3,)
    # and the kept SQL, untouched, gives exactly what compiling gives
    kept[0].write_text(kept[0].read_text().removesuffix(" LIMIT 3"))
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        engine.materialize(_features(engine, AS_OF), tmp_path / "c.parquet")
    differ = duckdb.execute(
        "SELECT count(*) FROM (SELECT * FROM read_parquet($a) EXCEPT ALL "
        "SELECT * FROM read_parquet($c))",
        {"a": str(tmp_path / "a.parquet"), "c": str(tmp_path / "c.parquet")},
    ).fetchone()
    assert differ == (0,)


def test_queries_read_into_python_use_the_kept_sql_too(ws: Workspace, tmp_path: Path) -> None:
    """to_pyarrow and scalar (the thresholds', the label counts') compile once as well; a
    row limit, which shapes the SQL, is compiled as asked."""

    def query(engine: DuckDBEngine) -> ibis.Table:
        orders = engine.tables()["orders"]
        return orders.group_by("channel").aggregate(n=orders.count()).order_by("channel")

    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        expected = query(engine).to_pyarrow()
        assert expected.num_rows > 0
        kept = list((tmp_path / "sql").glob("*.sql"))
        assert [p.name for p in kept] == [f"{fingerprint(query(engine))}.sql"]
        assert query(engine).to_pyarrow(limit=1).num_rows == 1
    # the second engine reads the file, not a new compilation
    kept[0].write_text(kept[0].read_text() + " LIMIT 1")
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        assert query(engine).to_pyarrow().num_rows == 1
    kept[0].write_text(kept[0].read_text().removesuffix(" LIMIT 1"))
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        assert query(engine).to_pyarrow().equals(expected)
        orders = engine.tables()["orders"]
        # Python's own types, and None for a missing value
        latest = engine.scalar(orders.ordered_at.max())
        assert isinstance(latest, dt.datetime)
        assert engine.scalar(orders.filter(orders.quantity < 0).ordered_at.max()) is None
        row = engine.scalar(
            ibis.struct({"n": orders.count(), "day": orders.ordered_at.max().date()})
        )
        assert row == {
            "n": engine.raw.execute("SELECT count(*) FROM orders").fetchone()[0],
            "day": latest.date(),
        }


def test_in_memory_tables_are_read_by_name_and_their_rows_never_kept(
    ws: Workspace, tmp_path: Path
) -> None:
    """The models' scores are in-memory tables, new in every run: the kept SQL serves the
    next run's tables of the same schema (their names put back), and holds no row."""

    def joined(engine: DuckDBEngine, scores: dict[str, list[object]]) -> ibis.Table:
        orders = engine.tables()["orders"]
        mem = ibis.memtable(pa.table(scores))
        # a second table, of another schema: each name must go back to its own place
        doubled = {"customer_id": scores["customer_id"], "s2": [2 * s for s in scores["score"]]}
        other = ibis.memtable(pa.table(doubled))
        per = orders.group_by("customer_id").aggregate(n=orders.count())
        both = per.join(mem, "customer_id").join(other, "customer_id")
        return both.select("customer_id", "n", "score", "s2").order_by("customer_id")

    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        ids = engine.raw.execute(
            "SELECT DISTINCT customer_id FROM orders ORDER BY 1 LIMIT 3"
        ).fetchall()
        first = {"customer_id": [i for (i,) in ids], "score": [0.125, 0.25, 0.5]}
        got = joined(engine, first).to_pyarrow()
        assert got["score"].to_pylist() == first["score"]
        assert got["s2"].to_pylist() == [0.25, 0.5, 1.0]
    kept = list((tmp_path / "sql").glob("*.sql"))
    assert len(kept) == 1
    assert "memtable" not in kept[0].read_text()
    assert "0.125" not in kept[0].read_text()
    # another run: other rows, other table names, the same kept SQL
    second = {"customer_id": first["customer_id"][:2], "score": [7.0, 9.0]}
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        again = joined(engine, second)
        assert again.to_pyarrow()["score"].to_pylist() == [7.0, 9.0]
        engine.materialize(again, tmp_path / "m.parquet")
    assert pq.read_table(tmp_path / "m.parquet")["s2"].to_pylist() == [14.0, 18.0]
    assert list((tmp_path / "sql").glob("*.sql")) == kept
    # without the list to fill, an in-memory table still has no key
    assert fingerprint(ibis.memtable(pa.table({"x": [1]}))) is None


def test_swapped_tables_of_one_schema_damaged_files_and_inlined_rows(
    ws: Workspace, tmp_path: Path
) -> None:
    """Two in-memory tables of the same schema share a key whichever is on which side (the
    names go back by place); a damaged kept file is compiled again; SQL that carries a
    table's rows instead of its name is never kept; and what is used stays kept."""

    def pair(engine: DuckDBEngine, keep: list[str], drop: list[str]) -> list[str]:
        ids = engine.tables()["orders"].select(k="customer_id").distinct()
        a = ibis.memtable(pa.table({"k": pa.array(keep, pa.string())}))
        b = ibis.memtable(pa.table({"k": pa.array(drop, pa.string())}))
        expr = ids.semi_join(a, "k").anti_join(b, "k").order_by("k")
        return expr.to_pyarrow()["k"].to_pylist()

    with ws.read() as con:
        rows = con.execute("SELECT DISTINCT customer_id FROM orders ORDER BY 1 LIMIT 3")
        x, y, z = (r[0] for r in rows.fetchall())
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        assert pair(engine, [x, y], [y]) == [x]
    (kept,) = (tmp_path / "sql").glob("*.sql")
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        # the same key with the tables' roles swapped: the rows follow their own tables
        assert pair(engine, [y], [x, y]) == []
        assert pair(engine, [y, z], [x]) == [y, z]
        assert list((tmp_path / "sql").glob("*.sql")) == [kept]
        kept.write_text('["SELECT 1 FROM ", 7]')  # a place beyond the tables: a miss
        assert pair(engine, [z], []) == [z]
        kept.write_text("not json")
        assert pair(engine, [x, z], [z]) == [x]
    assert split_names("SELECT * FROM (VALUES ('alice')) AS t", ["ibis_memtable_x"]) is None
    assert split_names('SELECT * FROM "m1" JOIN "m10"', ["m10", "m1"]) == json.dumps(
        ["SELECT * FROM ", 1, " JOIN ", 0, ""]
    )
    # a read marks the file as used: the cache keeps the most recently used
    os.utime(kept, (0, 0))
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        pair(engine, [x], [])
    assert kept.stat().st_mtime > 0
