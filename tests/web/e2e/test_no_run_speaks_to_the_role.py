"""The overview of a workspace with no run yet tells each role what it can do: a viewer
was told to import data and press “Start a run”, neither of which it has."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kequn.store.access import add_user
from kequn.store.workspace import Workspace

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def nothing_yet(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    ws = Workspace.init(tmp_path_factory.mktemp("nothing-yet") / "ws")
    tokens = {role: add_user(ws, f"{role}-user", role) for role in ("analyst", "viewer")}
    with serve(ws, tokens) as srv:
        yield srv


@pytest.mark.parametrize(
    ("role", "locale", "said", "button"),
    [
        ("viewer", "en-US", "once an administrator or analyst has imported data and run it", 0),
        ("viewer", "zh-CN", "管理员或分析师导入数据并运行后", 0),
        ("analyst", "en-US", "Press “Start a run” once there is data (administrators import", 1),
    ],
)
def test_no_run_says_what_the_role_can_do(
    signed_in: Any, nothing_yet: Any, role: str, locale: str, said: str, button: int
) -> None:
    opened = signed_in(nothing_yet, role=role, locale=locale)
    page = opened.page
    expect(page.locator("#no-run")).to_contain_text(said)
    expect(page.locator("#start-run")).to_have_count(button)
    assert opened.errors == []
