"""A run repeated on unchanged data finds every feature query's SQL compiled by the run
before (issue 19: a small shop's run is mostly fixed costs, compiling among them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kequn.demo import demo_workspace
from kequn.pipeline import latest_date, make_engine, run
from kequn.store.workspace import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return demo_workspace(tmp_path_factory.mktemp("reuse"), 600, seed=5)


def _compiled(ws: Workspace) -> set[str]:
    return {p.name for p in (ws.tmp_dir / "sql").glob("*.sql")}


def test_second_run_compiles_no_feature_query_again(ws: Workspace) -> None:
    first = run(ws, with_models=False)
    assert (first.models or {}).get("status", "").startswith("skipped")
    after_first = _compiled(ws)
    # the feature state was used (its tables are what used to get a new name every run)
    assert (ws.root / "feature-state" / "state.json").is_file()
    assert after_first

    second = run(ws, with_models=False)
    # nothing new to compile: the order and event features read the feature state under
    # the same names as last time, so their expressions (and keys) are the same
    assert _compiled(ws) == after_first
    assert second.counts == first.counts
    assert second.params == first.params
    one = first.rows().sort_by("customer_id")
    two = second.rows().sort_by("customer_id")
    assert one.equals(two)


def test_latest_date_is_the_newest_order_or_event(ws: Workspace) -> None:
    with make_engine(ws) as engine:
        tables = engine.tables()
        newest_order = engine.scalar(tables["orders"].ordered_at.max())
        newest_event = engine.scalar(tables["events"].occurred_at.max())
        expected = max(newest_order, newest_event).date()
        assert latest_date(engine) == expected
        assert latest_date(engine) == expected  # asked again: the same engine, same answer


def test_latest_date_of_a_workspace_without_events(tmp_path: Path) -> None:
    ws = demo_workspace(tmp_path, 200, seed=9)
    with ws.write() as con:
        con.execute("DELETE FROM events")
    with make_engine(ws) as engine:
        newest_order = engine.scalar(engine.tables()["orders"].ordered_at.max())
        assert latest_date(engine) == newest_order.date()
