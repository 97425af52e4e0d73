"""A shop's own ledger, uploaded from the page, whose headers kequn does not know: the page
said "use --mapping" and stopped there. It now asks, in the page's language, which of
the file's headers holds each missing column, and imports the same file with them."""

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
    ws = Workspace.init(tmp_path_factory.mktemp("ask-columns") / "ws")
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


@pytest.mark.parametrize(
    ("locale", "title", "label", "done"),
    [
        ("zh-CN", "请为每一列选出", "下单时间", "共 2 行：接受 2 行，隔离 0 行"),
        ("en-US", "Choose which of its headers", "Order time", "2 rows: 2 accepted, 0 quarantined"),
    ],
)
def test_the_page_asks_which_header_holds_each_column(
    signed_in: Any, shop: Any, tmp_path: Path, locale: str, title: str, label: str, done: str
) -> None:
    ledger = tmp_path / "台账.csv"
    tag = locale[:2]
    ledger.write_text(
        f"票据,顾客代码,成交日,款项\n{tag}-1,K1,2026-09-01,100\n{tag}-2,K2,2026-09-02,50\n",
        encoding="utf-8",
    )
    opened = signed_in(shop, locale=locale)
    page = opened.page
    page.goto(shop.url + "/upload")
    page.check("#upload-create")
    page.set_input_files("#upload-file", str(ledger))
    page.click("#upload-submit")
    form = page.locator("#upload-map")
    expect(form).to_be_visible()
    expect(form).to_contain_text(title)
    expect(form.locator("label", has_text=label)).to_have_count(1)
    for column, header in (
        ("order_id", "票据"),
        ("customer_id", "顾客代码"),
        ("ordered_at", "成交日"),
        ("amount", "款项"),
    ):
        page.select_option(f'#upload-map select[data-column="{column}"]', header)
    page.click("#upload-map-submit")
    expect(page.locator("#upload-status")).to_have_text(done)
    expect(form).to_be_hidden()
    assert opened.errors == []
