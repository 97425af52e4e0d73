"""An upload of one row says "1 row", not "1 rows": the page fills the counts itself,
from a template the server renders for a count of one beside the plural one
(data-report-one; kequn.core.i18n._Counted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


def test_one_row_is_said_as_one(signed_in: Any, server: Any, tmp_path: Path) -> None:
    upload = tmp_path / "one-row.csv"
    upload.write_text(
        "订单编号,客户编号,下单时间,实付金额\nO-1,C00000011,2026-09-12,50\n", encoding="utf-8"
    )
    opened = signed_in(server)
    page = opened.page
    page.goto(server.url + "/upload")
    page.select_option("#upload-table", "orders")
    page.set_input_files("#upload-file", str(upload))
    page.click("#upload-submit")
    expect(page.locator("#upload-status")).to_have_text("1 row: 1 accepted, 0 quarantined")
    assert opened.errors == []
