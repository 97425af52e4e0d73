"""In a browser, the overview of an older run (``?run=``) says it is not the current run;
its links keep the run from the overview to a segment and to a customer, each saying
the same, and the note's link goes back to the current run. The dashboard showed only
the current run: an older one could be read through the API and the CLI alone."""

from __future__ import annotations

from typing import Any

import pytest

from kequn.core.display import day
from kequn.snapshots.runs import by_date, compared_with, list_runs

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "said", "back"),
    [
        ("en-US", "not the current run", "Show the current run"),
        ("zh-CN", "不是当前运行", "查看当前运行"),
    ],
)
def test_an_older_run_is_read_page_to_page_and_said_to_be_older(
    signed_in: Any, server: Any, locale: str, said: str, back: str
) -> None:
    current, older = by_date(list_runs(server.ws))[:2]
    opened = signed_in(server, role="viewer", locale=locale)
    page = opened.page
    page.goto(f"{server.url}/?run={older.run_id}")
    for shown in (older.run_id, said, current.run_id):
        expect(page.locator("#not-current")).to_contain_text(shown)
    expect(page.locator("#run-info")).to_contain_text(older.run_id)

    page.locator("#dim-lifecycle a").first.click()
    page.wait_for_url(f"**/segments/lifecycle/*?run={older.run_id}")
    expect(page.locator("#run-info")).to_contain_text(older.run_id)
    expect(page.locator("#not-current")).to_contain_text(said)

    page.locator("#members tbody a").first.click()
    page.wait_for_url(f"**/customers/c-*?run={older.run_id}")
    expect(page.locator("#run-info")).to_contain_text(older.run_id)
    expect(page.locator("#customer-title")).to_contain_text("c-")  # a token, to a viewer

    page.get_by_text(back).click()
    expect(page.locator("#run-info")).to_contain_text(current.run_id)
    expect(page.locator("#not-current")).to_have_count(0)
    assert "run=" not in page.url
    assert opened.errors == []


@pytest.mark.parametrize(
    ("locale", "between", "first", "stale"),
    [
        (
            "en-US",
            "Lifecycle movement (as of {before} → as of {after})",
            "Run {run} (as of {as_of}) is the first in time: there is no earlier run",
            "previous → latest",
        ),
        (
            "zh-CN",
            "生命周期流转（截至 {before} → 截至 {after}）",
            "运行 {run}（截至 {as_of}）是时间上最早的一次运行：没有更早的运行",
            "上次 → 本次",
        ),
    ],
)
def test_the_movement_card_names_the_runs_it_compares(
    signed_in: Any, server: Any, locale: str, between: str, first: str, stale: str
) -> None:
    """The card said "(previous → latest)" whichever run the overview showed, and, on the
    first run in time of a workspace of several, that movement "needs at least two runs"."""
    runs = by_date(list_runs(server.ws))  # other tests here may have run again
    current, earliest = runs[0], runs[-1]
    before = compared_with(current, runs)
    assert before is not None
    opened = signed_in(server, role="viewer", locale=locale)
    page = opened.page
    page.goto(f"{server.url}/")
    expect(page.locator("#flow-title")).to_have_text(
        between.format(before=day(before.as_of), after=day(current.as_of))
    )
    for run_id in (before.run_id, current.run_id):
        expect(page.locator("#flow-runs")).to_contain_text(run_id)

    page.goto(f"{server.url}/?run={earliest.run_id}")
    expect(page.locator("#flow-none")).to_be_visible()
    said = first.format(run=earliest.run_id, as_of=day(earliest.as_of))
    expect(page.locator("#flow-none")).to_contain_text(said)
    expect(page.locator("#flow-title")).not_to_contain_text(stale)
    expect(page.locator("#flow-runs")).to_have_count(0)
    assert opened.errors == []


def test_the_header_s_links_keep_the_older_run(signed_in: Any, server: Any) -> None:
    """The header's Overview and Worklists went to the current run from a page of an
    older one, whose own links kept it: a reader following them read another run's
    data while believing it the one they had chosen."""
    older = by_date(list_runs(server.ws))[1]
    opened = signed_in(server, role="viewer")
    page = opened.page
    page.goto(f"{server.url}/segments/lifecycle/active?run={older.run_id}")
    expect(page.locator("#not-current")).to_be_visible()

    page.locator("header nav a", has_text="Worklists").click()
    page.wait_for_url(f"**/worklists/marketing?run={older.run_id}")
    expect(page.locator("#not-current")).to_contain_text(older.run_id)

    page.locator("header nav a", has_text="Overview").click()
    page.wait_for_url(f"**/?run={older.run_id}")
    expect(page.locator("#run-info")).to_contain_text(older.run_id)
    expect(page.locator("#not-current")).to_be_visible()

    # the current run's pages link to the current run, with no run= to carry
    page.goto(f"{server.url}/segments/lifecycle/active")
    for link in page.locator("header a").all():
        assert "run=" not in (link.get_attribute("href") or ""), link
    page.locator("header nav a", has_text="Worklists").click()
    page.wait_for_url("**/worklists/marketing")
    expect(page.locator("#not-current")).to_have_count(0)
    assert opened.errors == []
