"""A viewer's member search matches customer ids only (names are personal data): its box
said "Search by id or name", so a name typed there found nobody, without a word why."""

from __future__ import annotations

from typing import Any

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "viewer_says", "analyst_says"),
    [
        ("en-US", "Search by customer id", "Search by id or name"),
        ("zh-CN", "按客户编号搜索", "按编号或名称搜索"),
    ],
)
def test_search_box_says_what_it_searches(
    signed_in: Any, server: Any, locale: str, viewer_says: str, analyst_says: str
) -> None:
    for role, says in (("viewer", viewer_says), ("analyst", analyst_says)):
        opened = signed_in(server, role=role, locale=locale)
        opened.page.goto(server.url + "/segments/lifecycle/active")
        expect(opened.page.locator("#member-search")).to_have_attribute("placeholder", says)
        assert opened.errors == []
