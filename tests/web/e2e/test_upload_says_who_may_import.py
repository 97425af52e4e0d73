"""The upload page of a role that may not import (analysts, viewers) says why its button
is off; before, the form sat there with a grey button and no word."""

from __future__ import annotations

from typing import Any

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("role", "locale", "said"),
    [
        ("analyst", "en-US", "Your role cannot import data: only administrators can."),
        ("viewer", "zh-CN", "你的角色不能导入数据：只有管理员可以。"),
    ],
)
def test_upload_page_says_the_role_cannot_import(
    signed_in: Any, server: Any, role: str, locale: str, said: str
) -> None:
    opened = signed_in(server, role=role, locale=locale)
    page = opened.page
    page.goto(server.url + "/upload")
    expect(page.locator("#upload-readonly")).to_have_text(said)
    expect(page.locator("#upload-submit")).to_be_disabled()
    assert opened.errors == []
