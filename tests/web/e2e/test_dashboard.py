"""The dashboard in a real browser: what each page shows after each user action."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

# The pages' Content-Security-Policy forbids evaluating strings as script, which is how
# page.wait_for_function runs its predicate: waits go through locators (expect) instead.

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _charts_drawn(page: Any, *ids: str) -> None:
    """Each chart has rendered and finished its entry animation (ECharts' "finished")."""
    for chart in ids:
        page.wait_for_selector(f"#{chart}[data-drawn='1'] canvas")


def test_login_overview_and_language_switch(page: Any, server: Any, login: Any) -> None:
    page.goto(server.url + "/")
    assert "/login" in page.url  # not signed in: sent to the login page
    page.fill("#token", "kq_not-a-token")
    page.click("#login-submit")
    assert page.is_visible("#login-error")
    login()
    assert page.inner_text("h1") == "Customer overview"
    _charts_drawn(page, "chart-pyramid", "chart-funnel", "chart-rfm", "chart-flow")
    lifecycle = page.inner_text("#dim-lifecycle")
    assert "Active" in lifecycle
    assert "Models and thresholds" in page.inner_text("main")
    assert page.locator("#models li").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview-en.png"), full_page=False)

    page.click("#lang-switch")
    page.wait_for_selector("text=客群总览")
    assert page.inner_text("h1") == "客群总览"
    assert "活跃客户" in page.inner_text("#dim-lifecycle")
    _charts_drawn(page, "chart-pyramid", "chart-funnel", "chart-rfm", "chart-flow")
    page.screenshot(path=str(SCREENSHOTS / "overview-zh.png"), full_page=False)
    # the choice sticks: the next page is in Chinese too
    page.goto(server.url + "/runs")
    assert page.inner_text("h1") == "运行记录"


def test_upload_shows_the_validation_report(
    page: Any, server: Any, login: Any, tmp_path: Path
) -> None:
    upload = tmp_path / "订单导出.csv"
    upload.write_text(
        "订单编号,客户编号,下单时间,实付金额\n"
        "E-1,C00000005,2026-09-10,99.00\n"
        'E-2,C00000006,2026年9月11日,"￥1,200.00"\n'
        "E-3,C00000007,yesterday,10\n",
        encoding="gbk",
    )
    login()
    page.click("text=Import")
    page.select_option("#upload-table", "orders")
    page.set_input_files("#upload-file", str(upload))
    page.click("#upload-submit")
    expect(page.locator("#upload-status")).to_contain_text("accepted")
    status = page.inner_text("#upload-status")
    assert re.search(r"3 rows: 2 accepted, 1 quarantined", status), status
    rows = page.locator("#quarantine tbody tr")
    assert rows.count() == 1
    # the column as the file names it and the field's name in the page's language, in
    # the Column cell and the message alike, not kequn's internal id (ordered_at)
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[1] == "下单时间 (order time)", cells
    assert cells[2].startswith("下单时间 (order time) is not a date"), cells
    assert "ordered_at" not in rows.first.inner_text()
    # what the import found, as `kequn import` says it: the columns' use, the encoding
    said = page.inner_text("#upload-said")
    assert "订单编号 → order id" in said
    assert "Encoding" in said


def test_controls_are_safe_before_the_script_arrives(page: Any, server: Any, login: Any) -> None:
    """On a slow link the page is usable before app.js runs: the upload button waits for
    it (clicked early it used to submit the form as a plain GET and upload nothing), and
    a rule typed early is still checked once it runs."""
    login()
    held: list[Any] = []

    def hold(route: Any) -> None:  # a function: Playwright cannot take a builtin method
        held.append(route)

    page.route("**/static/app.js", hold)

    def release() -> None:
        for _ in range(200):
            if held:
                break
            page.wait_for_timeout(25)
        assert held, "the page never asked for app.js"
        held.pop().continue_()

    page.goto(server.url + "/upload", wait_until="commit")
    page.wait_for_selector("#upload-submit", state="attached")
    assert page.locator("#upload-submit").is_disabled()
    release()
    expect(page.locator("#upload-submit")).to_be_enabled()

    page.goto(server.url + "/taxonomy?dimension=lifecycle", wait_until="commit")
    text = page.locator(".rule[data-label='loyal'] textarea")
    text.fill("orders >= 6 and days_since_first_order >= 180")
    release()
    expect(page.locator(".rule[data-label='loyal'] .rule-status")).to_contain_text("Would match")
    assert not page.locator(".rule[data-label='loyal'] .rule-save").is_disabled()
    page.unroute("**/static/app.js")


def test_start_a_run_from_the_page(page: Any, server: Any, login: Any) -> None:
    login("analyst")
    before = page.inner_text("#run-info")
    page.click("#start-run")
    expect(page.locator("#run-status")).to_have_class("good", timeout=300_000)
    assert "Run finished" in page.inner_text("#run-status")
    page.wait_for_load_state("load")
    expect(page.locator("#run-info")).not_to_have_text(before)


def test_open_a_segment_then_a_customer(page: Any, server: Any, login: Any) -> None:
    login()
    page.click("#dim-value >> text=High value")
    page.wait_for_selector("#members")
    assert "High value" in page.inner_text("#segment-title")
    assert page.inner_text("#strategy")  # what to do with this segment
    shown = page.locator("#members tbody tr").count()
    assert 0 < shown <= 50
    total = int(page.inner_text("#member-count").replace(",", ""))
    assert total >= shown
    spends = [
        float(t.replace("¥", "").replace(",", ""))
        for t in page.locator("#members tbody tr td:nth-child(5)").all_inner_texts()
    ]
    assert spends == sorted(spends, reverse=True)
    first = page.locator("#members tbody tr td:first-child a").first
    customer_id = first.inner_text()
    first.click()
    page.wait_for_selector("#labels")
    assert customer_id in page.inner_text("#customer-title")
    labels = page.inner_text("#labels")
    assert "High value" in labels
    assert page.locator("#labels tbody tr").count() >= 10  # every dimension has a row
    _charts_drawn(page, "chart-orders")
    assert page.locator("#orders tbody tr").count() >= 1


def test_viewer_sees_names_masked(page: Any, server: Any, login: Any) -> None:
    login("viewer")
    page.goto(server.url + "/segments/lifecycle/active")
    names = [n for n in page.locator("#members tbody tr td:nth-child(2)").all_inner_texts() if n]
    assert names
    assert all("*" in n for n in names)
    assert page.locator("#export-csv").count() == 0  # viewers cannot export
    page.goto(server.url + "/upload")  # "load": app.js has run, and leaves it off
    assert page.locator("#upload-submit").is_disabled()  # nor import


def test_edit_a_rule_with_live_validation(page: Any, server: Any, login: Any) -> None:
    login("analyst")
    page.goto(server.url + "/taxonomy?dimension=lifecycle")
    rule = page.locator(".rule[data-label='loyal']")
    text = rule.locator("textarea")
    original = text.input_value()
    text.fill("orders >>= 3")
    expect(page.locator(".rule[data-label='loyal'] .rule-status")).to_contain_text("problem")
    assert rule.locator(".rule-save").is_disabled()
    text.fill("orders >= 6 and days_since_first_order >= 180")
    expect(page.locator(".rule[data-label='loyal'] .rule-status")).to_contain_text("Would match")
    assert re.search(r"Would match [\d,]+ customers", rule.locator(".rule-status").inner_text())
    rule.locator(".rule-save").click()
    expect(page.locator(".rule[data-label='loyal'] .rule-status")).to_contain_text("Saved")
    page.reload()
    assert (
        page.locator(".rule[data-label='loyal'] textarea").input_value()
        == "orders >= 6 and days_since_first_order >= 180"
    )
    # put it back for the other tests
    page.locator(".rule[data-label='loyal'] textarea").fill(original)
    expect(page.locator(".rule[data-label='loyal'] .rule-save")).to_be_enabled()
    page.locator(".rule[data-label='loyal'] .rule-save").click()
    expect(page.locator(".rule[data-label='loyal'] .rule-status")).to_contain_text("Saved")


def test_worklists_per_team(page: Any, server: Any, login: Any) -> None:
    login()
    page.click("text=Worklists")
    assert page.inner_text("h1") == "Marketing worklist"
    assert page.locator("#worklist tbody tr").count() > 0
    page.click("nav.tabs >> text=Sales")
    assert page.inner_text("h1") == "Sales worklist"


def _customer_of(server: Any, nature: str) -> str:
    """The biggest spender of one customer nature (a person, a company) in the last run."""
    with server.client("admin") as c:
        found = c.get(f"/api/segments/customer_nature/{nature}/members?limit=1&sort=spend")
        assert found.status_code == 200, found.text
        return str(found.json()["rows"][0]["customer_id"])


@pytest.mark.parametrize(("nature", "shot"), [("individual", "b2c"), ("enterprise", "b2b")])
def test_customer_pages_in_both_languages(
    page: Any, server: Any, login: Any, nature: str, shot: str
) -> None:
    """A person's and a company's page read in 中文 and English: field names, values,
    times and actions in the language (the screenshots in docs/screenshots)."""
    customer = _customer_of(server, nature)
    login()
    for lang, words in (("zh", ("资料", "注册时间")), ("en", ("Profile", "Created at"))):
        page.goto(f"{server.url}/customers/{customer}?lang={lang}")
        _charts_drawn(page, "chart-orders")
        text = page.inner_text("main")
        for word in words:
            assert word in text
        assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d", text)  # no microseconds
        assert "created_at" not in text
        assert "reactivation_email" not in text
        page.screenshot(path=str(SCREENSHOTS / f"customer-{shot}-{lang}.png"), full_page=True)
