"""A shop that imported its customers once uploads next month's orders from the page: the
orders of buyers not in the customers file were all quarantined ("use
--create-customers", an option of the command the page did not have). The page offers
it now, for orders and interactions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kequn.ingest.importer import import_file
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("create-customers")
    ws = Workspace.init(tmp / "ws")
    customers = tmp / "customers.csv"
    customers.write_text("客户编号,姓名,城市\nK1,张三,上海\n", encoding="utf-8")
    import_file(ws, "customers", customers)
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


def test_upload_can_create_the_orders_new_customers(
    signed_in: Any, shop: Any, tmp_path: Path
) -> None:
    orders = tmp_path / "next-month.csv"
    orders.write_text(
        "订单编号,客户编号,下单时间,实付金额,收货人\n"
        "N-1,K1,2026-09-01,100,张三\n"
        "N-2,K2,2026-09-02,50,李四\n",
        encoding="utf-8",
    )
    opened = signed_in(shop, locale="zh-CN")
    page = opened.page
    page.goto(shop.url + "/upload")
    page.select_option("#upload-table", "customers")
    expect(page.locator("#upload-create")).to_be_hidden()  # a customers file makes them
    page.select_option("#upload-table", "orders")
    expect(page.locator("#upload-create-label")).to_contain_text("建立客户记录")
    page.check("#upload-create")
    page.set_input_files("#upload-file", str(orders))
    page.click("#upload-submit")
    expect(page.locator("#upload-status")).to_have_text("共 2 行：接受 2 行，隔离 0 行")
    assert opened.errors == []
