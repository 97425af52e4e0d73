""" "Start a run" on a workspace with nothing imported makes a run of 0 customers; its
overview showed four empty chart boxes (a bare axis, a blank pyramid) and no word. It
says the run has no customers and what to do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user
from kequn.store.workspace import Workspace

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def nobody(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = Workspace.init(tmp_path_factory.mktemp("nobody") / "ws")
    run_taxonomy(ws, with_models=False)
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en-US", "This run has no customers: import data, then run again."),
        ("zh-CN", "这次运行没有客户：先导入数据，再运行一次。"),
    ],
)
def test_overview_of_a_run_of_nobody_says_so(
    signed_in: Any, nobody: Any, locale: str, said: str
) -> None:
    opened = signed_in(nobody, locale=locale)
    page = opened.page
    expect(page.locator("#no-customers")).to_have_text(said)
    expect(page.locator(".chart:not(.small)")).to_have_count(0)
    expect(page.locator("#start-run")).to_be_enabled()
    assert opened.errors == []
