"""Orders uploaded from the page with status words kequn does not know were quarantined,
and the page only listed them: giving the words a meaning took a mapping file and the
command line. The page now asks what each word means, in its language, and reads the
quarantined orders again with them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = Workspace.init(tmp_path_factory.mktemp("ask-words") / "ws")
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


@pytest.mark.parametrize(
    ("locale", "title", "meaning", "first", "after"),
    [
        ("zh-CN", "请说明每个状态的含义", "已付款", "共 3 行：接受 1 行，隔离 2 行", "共 2 行：接受 2 行，隔离 0 行"),
        ("en-US", "Say what each means", "paid", "3 rows: 1 accepted, 2 quarantined", "2 rows: 2 accepted, 0 quarantined"),
    ],
)  # fmt: skip
def test_the_page_asks_what_unknown_status_words_mean(
    signed_in: Any,
    shop: Any,
    tmp_path: Path,
    locale: str,
    title: str,
    meaning: str,
    first: str,
    after: str,
) -> None:
    tag = locale[:2]
    orders = tmp_path / f"orders-{tag}.csv"
    orders.write_text(
        "订单编号,客户编号,下单时间,实付金额,订单状态\n"
        f"{tag}-1,K1,2026-09-01,100.00,已付款\n"
        f"{tag}-2,K1,2026-09-03,80.00,妥投完结\n"
        f"{tag}-3,K2,2026-09-04,60.00,妥投完结\n",
        encoding="utf-8",
    )
    opened = signed_in(shop, locale=locale)
    page = opened.page
    page.goto(shop.url + "/upload")
    page.check("#upload-create")
    page.set_input_files("#upload-file", str(orders))
    page.click("#upload-submit")
    expect(page.locator("#upload-status")).to_have_text(first)
    words = page.locator("#upload-words")
    expect(words).to_be_visible()
    expect(words).to_contain_text(title)
    expect(words.locator("label")).to_have_count(1)
    expect(words.locator("label")).to_contain_text("妥投完结")
    words.locator("select").select_option(label=meaning)
    page.click("#upload-words-submit")
    expect(page.locator("#upload-status")).to_have_text(after)
    expect(words).to_be_hidden()
    expect(page.locator("#upload-report")).to_be_hidden()  # nothing left quarantined
    assert opened.errors == []
