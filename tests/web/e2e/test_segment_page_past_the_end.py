"""A segment page past its last member (a bookmark kept while the label shrank) said
"49,951–49,950 of …" and offered only "Previous" to another empty page; it says the page
is past the end and links to the last page."""

from __future__ import annotations

import re
from typing import Any

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("locale", "said"),
    [("en-US", "This page is past the last member"), ("zh-CN", "这一页已超出最后一位成员")],
)
def test_page_past_the_end_links_to_the_last_page(
    signed_in: Any, server: Any, locale: str, said: str
) -> None:
    opened = signed_in(server, role="viewer", locale=locale)
    page = opened.page
    page.goto(server.url + "/segments/lifecycle/active?page=999")
    expect(page.locator("#past-end")).to_contain_text(said)
    assert not re.search(r"\d–\d", page.inner_text("main"))
    page.click("#last-page")
    expect(page.locator("#members tbody tr").first).to_be_visible()
    expect(page.locator("#next")).to_have_count(0)  # the last page indeed
    assert opened.errors == []
