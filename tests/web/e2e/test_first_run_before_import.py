"""A new user's first steps: a workspace run before anything was imported (the overview's
"Start a run" works on an empty workspace: 0 customers), then orders imported and run
again. The movement chart compares a run of nobody with the latest run: no customer is
in both, so the card says so instead of staying blank."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.snapshots.runs import by_date, list_runs
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def first_steps(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("first-steps")
    ws = Workspace.init(tmp / "ws")
    run_taxonomy(ws, as_of=dt.date(2026, 9, 1), with_models=False)  # nothing imported yet
    orders = Path(tmp / "orders.csv")
    orders.write_text(
        "订单编号,客户编号,下单时间,实付金额\nF-1,C1,2026-09-05,120\nF-2,C2,2026-09-06,80\n",
        encoding="utf-8",
    )
    import_file(ws, "orders", orders)
    run_taxonomy(ws, as_of=dt.date(2026, 9, 30), with_models=False)
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en-US", "No customer is in both run {before} (as of 2026-09-01) and run {after}"),
        (
            "zh-CN",
            "运行 {before}（截至 2026-09-01）与运行 {after}（截至 2026-09-30）没有共同的客户",
        ),
    ],
)
def test_movement_card_says_nothing_moved(
    signed_in: Any, first_steps: Any, locale: str, said: str
) -> None:
    """The card names the two runs (it said "the previous run and the latest", which an
    older run's overview, ``?run=``, is not)."""
    after, before = by_date(list_runs(first_steps.ws))
    opened = signed_in(first_steps, locale=locale)
    page = opened.page
    page.goto(first_steps.url + "/")
    expect(page.locator("#flow-empty")).to_be_visible()
    expect(page.locator("#flow-empty")).to_contain_text(
        said.format(before=before.run_id, after=after.run_id)
    )
    expect(page.locator("#chart-flow")).to_be_hidden()
    expect(page.locator("#flow-none")).to_be_hidden()
    assert opened.errors == []
