"""The journeys pages in a real browser, in English and Chinese: the list, editing
journeys.yaml with an error and then fixing it, the audience preview, switching a journey
off, the uplift chart; and the unsubscribe page a customer's link opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from journeys_setup import AUDIENCE, COMMENT, copy_workspace, free_port, prepare

from kequn.automation.unsubscribe import make_token, opted_out

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def jsrv(server: Any, web_ws: Any, serve: Any, tmp_path_factory: Any) -> Iterator[Any]:
    """A server of its own over a copy of the web workspace with two journeys planned
    for the first run (nothing listens at their e-mail or webhook: all dead letters)."""
    ws = copy_workspace(web_ws, tmp_path_factory.mktemp("journeys-e2e"))
    with serve(ws, server.tokens) as srv:
        prepare(ws, free_port(), srv.url)
        yield srv


@pytest.fixture
def jpage(browser: Any, jsrv: Any, watch: Any) -> Iterator[Any]:
    """A page on :func:`jsrv`, watched like the e2e ``page`` fixture: console errors and
    requests to other hosts fail the test."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(60_000)

    def guard(route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    pg.route("**/*", guard)
    pg.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
    yield pg
    context.close()
    assert watch.console_errors == []
    assert watch.outside == []


def _sign_in(page: Any, srv: Any, role: str = "admin") -> None:
    page.goto(srv.url + "/login")
    page.fill("#token", srv.tokens[role])
    page.click("#login-submit")
    page.wait_for_url(srv.url + "/")


def _preview(srv: Any, text: str | None = None) -> dict[str, Any]:
    with srv.client("admin") as admin:
        body = {} if text is None else {"text": text}
        found: dict[str, Any] = admin.post("/api/journeys/winback/preview", json=body).json()
        return found


def test_edit_preview_toggle_and_uplift(jpage: Any, jsrv: Any) -> None:
    page = jpage
    _sign_in(page, jsrv)
    page.click("#nav-journeys")
    expect(page.locator("h1")).to_have_text("Journeys")
    rows = page.locator("#journeys tbody tr")
    expect(rows).to_have_count(2)
    assert "Win back" in rows.nth(0).inner_text()
    assert "Enabled" in rows.nth(1).inner_text()

    page.click("a[href='/journeys/winback']")
    expect(page.locator("#journey-title")).to_contain_text("Win back")
    saved = _preview(jsrv)
    audience = page.locator("#preview-audience")
    expect(audience).to_have_attribute("data-count", str(saved["audience"]))
    held = page.locator("tr[data-outcome='held_out'] .preview-count")
    expect(held).to_have_text(f"{saved['outcomes']['held_out']:,}")

    # an error: not saved, its line shown
    original = page.input_value("#journeys-text")
    broken = original.replace(AUDIENCE, "spend >> 3")
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if "spend >> 3" in row)
    page.fill("#journeys-text", broken)
    page.click("#journeys-save")
    expect(page.locator("#journeys-problems")).to_contain_text(f"Line {line}: winback.audience")
    assert (jsrv.ws.root / "journeys.yaml").read_text(encoding="utf-8") == original

    # fixed with another audience: the preview follows the edited text, then it is saved
    fixed = original.replace(AUDIENCE, "spend >= 1000")
    page.fill("#journeys-text", fixed)
    page.click("#journeys-check")
    expect(page.locator("#journeys-status")).to_have_text("Valid: 2 journeys, 2 channels.")
    expect(page.locator("#journeys-problems li")).to_have_count(0)
    edited = _preview(jsrv, fixed)
    assert edited["audience"] < saved["audience"]
    expect(audience).to_have_attribute("data-count", str(edited["audience"]))
    page.click("#journeys-save")
    expect(page.locator("#journeys-status")).to_have_text("Saved.")
    assert (jsrv.ws.root / "journeys.yaml").read_text(encoding="utf-8") == fixed

    # switched off: the file says so, its comment kept, and the page shows it
    page.click("#journey-toggle")
    expect(page.locator("#journey-summary .journey-state")).to_have_text("Disabled")
    text = (jsrv.ws.root / "journeys.yaml").read_text(encoding="utf-8")
    assert text.startswith(COMMENT)
    assert yaml.safe_load(text)["journeys"][0]["enabled"] is False
    expect(page.locator("#journey-toggle")).to_have_text("Enable")

    # the uplift: both groups, the difference with its interval, drawn
    page.wait_for_selector("#chart-uplift-conversion[data-drawn='1'] canvas")
    page.wait_for_selector("#chart-uplift-revenue[data-drawn='1'] canvas")
    table = page.inner_text("#uplift-table")
    assert "Treated" in table
    assert "Difference (95% CI)" in table
    # the dead letters are listed with their reason; an admin sees customer ids
    log = page.locator("#messages tbody tr")
    assert log.count() > 0
    assert "dead" in log.first.inner_text()
    assert page.locator("#messages button.replay").count() > 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "journey-en.png"))
    page.locator("#uplift").screenshot(path=str(SCREENSHOTS / "journey-uplift-en.png"))

    page.click("#lang-switch")
    expect(page.locator("#journey-title")).to_contain_text("老客召回")
    expect(page.locator("#journey-summary .journey-state")).to_have_text("已停用")
    page.wait_for_selector("#chart-uplift-conversion[data-drawn='1'] canvas")
    assert "处理组" in page.inner_text("#uplift-table")
    assert "差值（95% 置信区间）" in page.inner_text("#uplift-table")
    page.locator("#uplift").screenshot(path=str(SCREENSHOTS / "journey-uplift-zh.png"))
    page.fill("#journeys-text", broken)
    page.click("#journeys-check")
    expect(page.locator("#journeys-problems")).to_contain_text(f"第 {line} 行：winback.audience")
    page.goto(jsrv.url + "/journeys")
    expect(page.locator("h1")).to_have_text("自动旅程")


def test_viewer_sees_no_customer_ids_and_cannot_edit(jpage: Any, jsrv: Any) -> None:
    page = jpage
    _sign_in(page, jsrv, "viewer")
    page.goto(jsrv.url + "/journeys/care?lang=en")
    expect(page.locator("#journeys-readonly")).to_be_visible()
    assert page.locator("#journeys-save").count() == 0
    assert page.locator("#journey-toggle").count() == 0
    assert page.locator("#preview").count() == 0
    expect(page.locator("#log-masked")).to_be_visible()
    assert page.locator("#messages a[href^='/customers/']").count() == 0
    assert page.locator("#messages button.replay").count() == 0


def test_unsubscribe_page(jpage: Any, jsrv: Any) -> None:
    page = jpage
    token = make_token(jsrv.ws, "C00000042")
    page.goto(f"{jsrv.url}/unsubscribe/{token}?lang=zh")
    expect(page.locator("#unsubscribe-ask")).to_be_visible()
    assert "C00000042" not in opted_out(jsrv.ws)
    page.click("#unsubscribe-confirm")
    expect(page.locator("#unsubscribe-done")).to_have_text("已退订：你不会再收到我们的营销消息。")
    assert "C00000042" in opted_out(jsrv.ws)
    assert "C00000042" not in page.content()
