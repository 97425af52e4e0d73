"""A workspace with nothing run yet sends a segment, customer or worklist link to the
overview (which says what to do): a link that asked for a language (``?lang=en``, shared
by a colleague) is answered in it, and the choice sticks, like on any other page; it was
dropped on the way, so a reader whose last choice was 中文 got Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def never_run(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = Workspace.init(tmp_path_factory.mktemp("never-run") / "ws")
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


@pytest.mark.parametrize(
    "path", ["/segments/lifecycle/new", "/customers/C00000001", "/worklists/sales"]
)
def test_redirect_to_overview_keeps_the_asked_language(
    signed_in: Any, never_run: Any, path: str
) -> None:
    opened = signed_in(never_run, locale="zh-CN")
    page = opened.page
    page.goto(never_run.url + "/runs?lang=zh")  # the last choice: 中文
    expect(page.locator("h1")).to_have_text("运行记录")
    page.goto(never_run.url + path + "?lang=en")
    expect(page.locator("#no-run")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Customer overview")
    page.goto(never_run.url + "/upload")  # English stuck
    expect(page.locator("h1")).to_have_text("Import data")
    assert opened.errors == []
