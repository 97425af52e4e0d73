"""A phone's 375 px screen and an imported value that is one 3,000-character word: every
page fits its window (no sideways scrolling of the whole page), so the navigation and the
sign-out link stay in view; a wide table scrolls inside its own card."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import pytest

from kequn.demo import demo_workspace
from kequn.ingest.importer import import_file
from kequn.pipeline import run as run_taxonomy
from kequn.store.access import add_user

pytestmark = pytest.mark.e2e

LONG = "A" * 3000
PAGES = [
    "/",
    "/upload",
    "/taxonomy",
    "/worklists/sales",
    "/runs",
    "/journeys",
    "/segments/lifecycle/new",
    "/customers/C00000001",
]


@pytest.fixture(scope="module")
def long_server(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("narrow")
    ws = demo_workspace(tmp, 300, seed=5)
    path = tmp / "long.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["customer_id", "name", "city", "source"])
        writer.writerow(["C00000001", LONG, LONG, LONG])
    import_file(ws, "customers", path)
    run_taxonomy(ws, with_models=False)
    with serve(ws, {"admin": add_user(ws, "owner", "admin")}) as srv:
        yield srv


def _overflow(page: Any) -> int:
    """How far the page reaches past its window's right edge, in CSS pixels."""
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_pages_fit_the_window(signed_in: Any, long_server: Any, width: int) -> None:
    srv = long_server
    opened = signed_in(srv, width=width, height=800, locale="zh-CN")
    page, errors = opened.page, opened.errors
    wide = {}
    for path in PAGES:
        page.goto(srv.url + path)
        page.wait_for_load_state("load")
        if _overflow(page) > 0:
            wide[path] = _overflow(page)
        box = page.locator("a[href='/logout']").bounding_box()
        assert box is not None, path
        assert box["x"] + box["width"] <= width, path
    assert wide == {}
    page.goto(srv.url + "/customers/C00000001")
    assert LONG in page.inner_text("#attributes")  # wrapped, not cut
    assert errors == []
