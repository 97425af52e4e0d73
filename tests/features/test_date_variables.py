"""On DuckDB a run writes its as-of date into the features' SQL as a variable set on the
connection (``DuckDBEngine.date_value``), so the SQL is the same from one day to the next
and is compiled once; the features are those of the date written as a literal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from kequn.engines.duckdb import DuckDBEngine
from kequn.engines.sqlcache import fingerprint
from kequn.features.build import build_features
from kequn.pipeline import feature_context, features_with_models
from kequn.store.workspace import Workspace

DAYS = (dt.date(2026, 9, 30), dt.date(2026, 8, 14))


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from kequn.demo import demo_workspace

    return demo_workspace(tmp_path_factory.mktemp("date-variables"), 400, seed=23)


def _differ(a: Path, b: Path) -> int:
    found = duckdb.execute(
        "SELECT (SELECT count(*) FROM (FROM read_parquet($a) EXCEPT ALL "
        "FROM read_parquet($b))) + (SELECT count(*) FROM (FROM read_parquet($b) "
        "EXCEPT ALL FROM read_parquet($a)))",
        {"a": str(a), "b": str(b)},
    ).fetchone()
    assert found is not None
    return int(found[0])


def test_features_with_the_date_as_a_variable_equal_the_literal_ones(
    ws: Workspace, tmp_path: Path
) -> None:
    keys, literal_keys, sizes = set(), set(), []
    for day in DAYS:
        # a new engine per day, as each run has: its as-of date is variable 0
        with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
            written = {}
            for name, ctx in (
                ("variable", feature_context(ws, day, engine)),
                ("literal", feature_context(ws, day)),
            ):
                out = tmp_path / f"{name}-{day}"
                out.mkdir()
                features_with_models(engine, ctx, out, with_models=False)
                written[name] = out / "features.parquet"
                assert written[name].exists()
                tables = engine.tables()
                whole = build_features(tables["customers"], tables["orders"], tables["events"], ctx)
                (keys if name == "variable" else literal_keys).add(fingerprint(whole, []))
                if name == "variable":
                    assert "GETVARIABLE('kequn_day_0')" in engine.con.compile(whole)
                    assert day.isoformat() not in engine.con.compile(whole)
            assert _differ(written["variable"], written["literal"]) == 0
            sizes.append(engine.con.read_parquet(written["variable"]).count().execute())
    # the two days: one expression (one compiled SQL) with the variable, two with literals
    assert len(keys) == 1
    assert None not in keys
    assert len(literal_keys) == 2
    # and the days' features differ: the date is not ignored
    assert sizes[0] > sizes[1] > 0


def test_each_date_is_its_own_variable_and_keeps_it(ws: Workspace, tmp_path: Path) -> None:
    with DuckDBEngine(ws.read(), tmp_dir=tmp_path, memory_limit="500MB") as engine:
        a, b = DAYS
        first, second, again = engine.date_value(a), engine.date_value(b), engine.date_value(a)
        assert engine.scalar(first) == a
        assert engine.scalar(second) == b
        assert engine.scalar(again) == a
        assert fingerprint(first, []) == fingerprint(again, []) != fingerprint(second, [])
        # both in one query (the churn model's training and evaluation dates)
        assert engine.scalar(second.delta(first, unit="day")) == (b - a).days
